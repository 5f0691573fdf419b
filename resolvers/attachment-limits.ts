// What an attachment may be, in one place (docs/architecture.md, "Attachments"): the types, their sizes, how many a
// message carries, how long an upload may take. No imports, so the functions bundle it too (functions/attachments/,
// functions/chat/attachments.ts); the resolvers raise its problems as ValidationError.

export type AttachmentKind = 'IMAGE' | 'DOCUMENT';

const MIB = 1024 * 1024;

/**
 * Claude takes an image of at most 5 MB ("Vision"), measured on the base64 text it is sent as, which is 4/3 of the
 * file: 3.75 MiB of file is 5 MiB of base64.
 */
export const MAX_IMAGE_BYTES = 3.75 * MIB;
/** A PDF: a request holds 32 MB in all ("PDF support"), base64 included; see MAX_MESSAGE_ATTACHMENT_BYTES. */
export const MAX_PDF_BYTES = 10 * MIB;
/** Plain text goes to the model as text: 256 KiB is about 65,000 tokens, within the history budget. */
export const MAX_TEXT_BYTES = 256 * 1024;

/** The types Claude reads as image or document blocks, each with its largest file. */
export const ATTACHMENT_TYPES: Readonly<Record<string, { kind: AttachmentKind; maxBytes: number }>> = {
  'image/jpeg': { kind: 'IMAGE', maxBytes: MAX_IMAGE_BYTES },
  'image/png': { kind: 'IMAGE', maxBytes: MAX_IMAGE_BYTES },
  'image/gif': { kind: 'IMAGE', maxBytes: MAX_IMAGE_BYTES },
  'image/webp': { kind: 'IMAGE', maxBytes: MAX_IMAGE_BYTES },
  'application/pdf': { kind: 'DOCUMENT', maxBytes: MAX_PDF_BYTES },
  'text/plain': { kind: 'DOCUMENT', maxBytes: MAX_TEXT_BYTES },
};

export const MAX_ATTACHMENTS_PER_MESSAGE = 5;
/** A message's files together: 16 MiB is about 21.3 MiB of base64, which leaves room in a 32 MB request for the rest. */
export const MAX_MESSAGE_ATTACHMENT_BYTES = 16 * MIB;
/**
 * The files of one model request together (functions/chat/attachments.ts): the message's own always, then earlier
 * turns' newest first while they fit; 18 MiB is 24 MiB of base64.
 */
export const MAX_REQUEST_ATTACHMENT_BYTES = 18 * MIB;
export const MAX_FILE_NAME_CHARS = 255;

/** How long a presigned POST stays good. */
export const UPLOAD_EXPIRY_SECONDS = 600;
/** How long an attachment may wait to be sent: its table record expires then (the object later, by the bucket's lifecycle). */
export const UNSENT_ATTACHMENT_TTL_SECONDS = 24 * 3600;

/** An attachment as a user message refers to it: never its bytes. */
export interface AttachmentRef {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** What is wrong with a file of this type and size, in words a person can act on; null when it may be attached. */
export function attachmentProblem(fileName: string, contentType: string, size: number): string | null {
  const type = ATTACHMENT_TYPES[contentType];
  if (!type) return `${fileName}: contentType '${contentType}' cannot be attached; use one of ${Object.keys(ATTACHMENT_TYPES).join(', ')}.`;
  if (size < 1) return `${fileName}: size must be at least 1 byte.`;
  if (size > type.maxBytes) return `${fileName} is ${size} bytes; the limit for ${contentType} is ${type.maxBytes} bytes.`;
  return null;
}

export function attachmentKind(contentType: string): AttachmentKind {
  return ATTACHMENT_TYPES[contentType]?.kind ?? 'DOCUMENT';
}

/**
 * A rough upper bound of an attachment's input tokens, for the quota reservation: an image is scaled to about 1,600
 * tokens at most ("Vision"); plain text is about four bytes a token; a PDF is counted 1,500 tokens a page ("PDF
 * support": 1,500 to 3,000), a page for every 100 KiB started, at most the API's 100 pages.
 */
export function attachmentTokens(attachment: Pick<AttachmentRef, 'contentType' | 'size'>): number {
  if (attachmentKind(attachment.contentType) === 'IMAGE') return 1600;
  if (attachment.contentType === 'text/plain') return Math.ceil(attachment.size / 4);
  const pages = Math.ceil(attachment.size / (100 * 1024));
  return 1500 * (pages > 100 ? 100 : pages);
}
