// DeleteObject ("DeleteObject" in the Amazon S3 API Reference): 204 whether or not the key existed, as in an
// unversioned bucket.
import { readBytes } from '../body.ts';
import { verifyS3Request } from '../auth.ts';
import { s3Request, type ObjectCall, type S3Context } from '../context.ts';

export async function deleteObject(context: S3Context, call: ObjectCall): Promise<void> {
  const body = await readBytes(call.req, 1024 * 1024);
  await verifyS3Request(s3Request(call, body), context.auth);
  context.store.delete(call.bucket, call.key);
  call.res.writeHead(204).end();
}
