// A file's upload to S3 with createAttachmentUpload's presigned POST (docs/architecture.md, "Attachments"): every field,
// then the file last, as multipart/form-data, with fetch and FormData (global in browsers and Node 20+). S3 answers a
// refusal with an XML error document ("Error responses" in the Amazon S3 API Reference), read here for its Code and Message.
import type { AttachmentUpload } from './operations.ts';

/** A file to upload: a browser File, or `new File([bytes], name, { type })` in Node 20+. */
export type NamedBlob = Blob & { readonly name: string };

/** S3 refused the upload: errorType is S3's Code (EntityTooLarge, EntityTooSmall, AccessDenied...), or HttpError without one. */
export class AttachmentUploadError extends Error {
  override readonly name = 'AttachmentUploadError';
  constructor(readonly errorType: string, message: string, readonly status: number, readonly fileName: string) {
    super(message);
  }
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** The text of the first `<name>` element of an XML document, entities decoded. */
function element(xml: string, name: string): string | null {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return text === undefined ? null : text.replace(/&(lt|gt|amp|apos|quot);/g, (_, entity: string) => XML_ENTITIES[entity] ?? '');
}

/** The error S3's refusal stands for: its Code as errorType and its Message, or the HTTP status when it sent no error document. */
export async function uploadErrorOf(response: Response, fileName: string): Promise<AttachmentUploadError> {
  const body = await response.text().catch(() => '');
  const code = element(body, 'Code');
  const message = element(body, 'Message');
  const said = code === null ? `HTTP ${response.status}` : `${code}${message ? `: ${message}` : ''} (HTTP ${response.status})`;
  return new AttachmentUploadError(code ?? 'HttpError', `S3 refused the upload of ${fileName}: ${said}`, response.status, fileName);
}

/** Posts the file with the presigned POST's fields; resolves once S3 stored it, rejects with an AttachmentUploadError. */
export async function postFile(send: typeof fetch, upload: Pick<AttachmentUpload, 'url' | 'fields'>, file: NamedBlob): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(JSON.parse(upload.fields) as Record<string, string>)) form.append(name, value);
  // Last: S3 ignores the fields that come after the file.
  form.append('file', file, file.name);
  const response = await send(upload.url, { method: 'POST', body: form });
  if (!response.ok) throw await uploadErrorOf(response, file.name);
}
