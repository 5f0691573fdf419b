// Browser uploads: POST /bucket with multipart/form-data ("Browser-Based Uploads Using POST (AWS Signature Version 4)",
// "POST Object" and "Creating a POST Policy" in the Amazon S3 API Reference). The fields before the file are read (those
// after it ignored, as S3 does), `${filename}` expanded, the policy's signature checked with SigV4 against the sandbox's
// credentials, the policy's conditions and size range checked on the file actually sent; nothing is stored unless all
// hold. Success is success_action_redirect (303), or success_action_status 200, 201 (an XML PostResponse) or 204.
import { headerOf } from '../../aws/http.ts';
import { findPrincipal, signatureOf } from '../auth.ts';
import { readBytes } from '../body.ts';
import { objectUrl, type ObjectCall, type S3Context } from '../context.ts';
import { accessDenied, S3Error, xmlElements } from '../errors.ts';
import { checkPostPolicy } from '../post-policy.ts';
import { secretsEqual } from '../../aws/secrets-equal.ts';
import { newObject } from './putObject.ts';

/** "The form data and boundaries (excluding the contents of the file) cannot exceed 20 KB." */
const MAX_FIELDS_BYTES = 20 * 1024;

interface Form { fields: Map<string, string>; file: Buffer | null; filename: string }

const missingField = (name: string): S3Error => new S3Error('InvalidArgument', `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, 400, { ArgumentName: name, ArgumentValue: '' });

async function readForm(call: ObjectCall, maxFileBytes: number): Promise<Form> {
  const contentType = headerOf(call.req.headers, 'content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' });
  }
  const body = await readBytes(call.req, maxFileBytes + MAX_FIELDS_BYTES + 64 * 1024);
  let entries: [string, FormDataEntryValue][];
  try {
    entries = [...(await new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length), { headers: { 'content-type': contentType } }).formData()).entries()];
  } catch {
    throw new S3Error('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', 400);
  }
  const fields = new Map<string, string>();
  let fieldBytes = 0;
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (name === 'file') {
      const file = typeof value === 'string' ? Buffer.from(value) : Buffer.from(await value.arrayBuffer());
      return { fields, file, filename: typeof value === 'string' ? '' : value.name.replace(/^.*[/\\]/, '') };
    }
    const text = typeof value === 'string' ? value : '';
    fieldBytes += Buffer.byteLength(rawName) + Buffer.byteLength(text);
    if (fieldBytes > MAX_FIELDS_BYTES) throw new S3Error('MaxPostPreDataLengthExceededError', 'Your POST request fields preceeding the upload file was too large.', 400);
    const had = fields.get(name);
    fields.set(name, had === undefined ? text : `${had},${text}`);
  }
  return { fields, file: null, filename: '' };
}

/** The policy's signature: HMAC-SHA256 of the base64 policy under the credential's signing key. */
async function checkPolicySignature(context: S3Context, fields: ReadonlyMap<string, string>): Promise<void> {
  const policy = fields.get('policy');
  if (policy === undefined) throw accessDenied();
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    if (!fields.has('x-amz-algorithm')) throw missingField('X-Amz-Algorithm');
    throw new S3Error('InvalidArgument', 'Unsupported algorithm: only AWS4-HMAC-SHA256 is supported.', 400, { ArgumentName: 'x-amz-algorithm', ArgumentValue: fields.get('x-amz-algorithm') ?? '' });
  }
  for (const name of ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature']) if (!fields.has(name.toLowerCase())) throw missingField(name);
  const credential = fields.get('x-amz-credential') ?? '';
  const m = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(credential);
  if (!m) throw new S3Error('InvalidArgument', 'Invalid according to Policy: X-Amz-Credential is malformed', 400, { ArgumentName: 'x-amz-credential', ArgumentValue: credential });
  const scope = { accessKeyId: m[1] ?? '', date: m[2] ?? '', region: m[3] ?? '', service: m[4] ?? '' };
  const principal = findPrincipal(context.auth.principals, scope.accessKeyId);
  if (scope.service !== 's3' || scope.region !== context.auth.region) {
    throw new S3Error('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; the region '${scope.region}' is wrong; expecting '${context.auth.region}'`, 400, { Region: context.auth.region });
  }
  const provided = fields.get('x-amz-signature') ?? '';
  if (!secretsEqual(await signatureOf(principal, scope, policy), provided)) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
      AWSAccessKeyId: principal.accessKeyId, StringToSign: policy, SignatureProvided: provided,
    });
  }
}

function answer(call: ObjectCall, fields: ReadonlyMap<string, string>, etag: string, location: string): void {
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect !== undefined && URL.canParse(redirect)) {
    const url = new URL(redirect);
    for (const [name, value] of [['bucket', call.bucket], ['key', call.key], ['etag', etag]] as const) url.searchParams.set(name, value);
    call.res.writeHead(303, { location: url.toString(), etag, 'content-length': '0' }).end();
    return;
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>${xmlElements({ Location: location, Bucket: call.bucket, Key: call.key, ETag: etag })}</PostResponse>`;
    call.res.writeHead(201, { etag, location, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) }).end(body);
    return;
  }
  call.res.writeHead(status === '200' ? 200 : 204, { etag, location, ...(status === '200' ? { 'content-length': '0' } : {}) }).end();
}

export async function postObject(context: S3Context, call: ObjectCall): Promise<void> {
  const form = await readForm(call, context.maxObjectBytes);
  if (!form.fields.has('key')) throw missingField('key');
  if (form.file === null) throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', 400, { ArgumentName: 'file', ArgumentValue: 0 });
  const fields = new Map([...form.fields].map(([name, value]) => [name, value.replaceAll('${filename}', form.filename)]));
  await checkPolicySignature(context, fields);
  const now = context.auth.now();
  checkPostPolicy({ policy: fields.get('policy') ?? '', fields, bucket: call.bucket, fileSize: form.file.length, now });
  if (form.file.length > context.maxObjectBytes) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: form.file.length, MaxSizeAllowed: context.maxObjectBytes });
  }
  const key = fields.get('key') ?? '';
  const target = { ...call, key };
  const object = newObject(key, form.file, (name) => fields.get(name), fields.keys(), now, undefined);
  context.store.put(call.bucket, object);
  answer(target, fields, object.etag, objectUrl(context, target));
}

