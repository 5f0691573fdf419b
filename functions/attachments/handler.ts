// The attachments function, an AppSync Lambda data source (docs/architecture.md, "Attachments"):
// - sign (createAttachmentUpload's signAttachmentUpload step): a presigned POST for one object under the owner's prefix;
// - verify (sendMessage's verifyAttachments step): a HEAD of each attachment's object, answered with the problems a
//   resolver raises (NotFound for an object never uploaded, ValidationError for one whose size or type is not the
//   declared one), so nothing is written for a message that would send a file the model cannot have.
// The owner comes from the resolver (the caller's sub), never from a client's arguments.
import { Logger } from '@aws-lambda-powertools/logger';
import { attachmentProblem, UPLOAD_EXPIRY_SECONDS, type AttachmentRef } from '../../resolvers/attachment-limits.ts';
import { attachmentKey } from '../../resolvers/keys.ts';
import { credentialsFromEnv } from '../shared/credentials.ts';
import { presignPost, type PresignedPost } from './post-policy.ts';
import { fetchObject, isMissing, s3LocationFromEnv, type S3Location } from './s3-object.ts';

const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'attachments' });

export interface SignEvent { action: 'sign'; owner: string; conversationId: string; attachmentId: string; contentType: string; size: number }
export interface VerifyEvent { action: 'verify'; owner: string; conversationId: string; attachments: AttachmentRef[] }
export type AttachmentsEvent = SignEvent | VerifyEvent;

export interface Problem { id: string; errorType: 'NotFound' | 'ValidationError'; message: string }

export class InvalidEventError extends Error {
  readonly errorType = 'InvalidEvent';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** A Cognito sub: a UUID, or at least nothing that could leave its own key prefix. */
const SUB = /^[A-Za-z0-9-]{1,128}$/;

function requireKeyParts(owner: unknown, conversationId: unknown, ids: unknown[]): void {
  if (typeof owner !== 'string' || !SUB.test(owner)) throw new InvalidEventError('the event has no valid owner');
  if (typeof conversationId !== 'string' || !ULID.test(conversationId)) throw new InvalidEventError('the event has no valid conversationId');
  if (ids.some((id) => typeof id !== 'string' || !ULID.test(id))) throw new InvalidEventError('the event has an attachment id that is not a ULID');
}

function bucketOf(env: Record<string, string | undefined>): string {
  const bucket = env['ATTACHMENT_BUCKET'];
  if (!bucket) throw new Error('ATTACHMENT_BUCKET is not set');
  return bucket;
}

export async function sign(event: SignEvent, location: S3Location, bucket: string, now = Date.now()): Promise<PresignedPost & { key: string }> {
  requireKeyParts(event.owner, event.conversationId, [event.attachmentId]);
  // The resolvers checked it already; the signature must not be had for anything else either.
  const problem = attachmentProblem(event.attachmentId, event.contentType, event.size);
  if (problem !== null) throw new InvalidEventError(problem);
  const key = attachmentKey(event.owner, event.conversationId, event.attachmentId);
  const post = await presignPost(location, { bucket, key, contentType: event.contentType, size: event.size, expiresInSeconds: UPLOAD_EXPIRY_SECONDS, now });
  return { ...post, key };
}

/** What is wrong with one uploaded object, or null: it is there, of the declared size and type. */
async function check(event: VerifyEvent, attachment: AttachmentRef, location: S3Location, bucket: string): Promise<Problem | null> {
  const response = await fetchObject(location, 'HEAD', bucket, attachmentKey(event.owner, event.conversationId, attachment.id));
  const { id, fileName } = attachment;
  if (isMissing(response)) {
    return { id, errorType: 'NotFound', message: `Attachment '${id}' (${fileName}) was never uploaded: POST the file with the url and fields createAttachmentUpload returned, then send it.` };
  }
  if (!response.ok) throw new Error(`S3 answered HEAD of attachment ${id} with HTTP ${response.status}`);
  const size = Number(response.headers.get('content-length'));
  if (size !== attachment.size) {
    return { id, errorType: 'ValidationError', message: `${fileName} was uploaded with ${size} bytes, not the ${attachment.size} createAttachmentUpload declared; upload it again with its real size.` };
  }
  const contentType = response.headers.get('content-type');
  if (contentType !== attachment.contentType) {
    return { id, errorType: 'ValidationError', message: `${fileName} was uploaded as ${contentType ?? 'no type'}, not the ${attachment.contentType} createAttachmentUpload declared; upload it again.` };
  }
  return null;
}

export async function verify(event: VerifyEvent, location: S3Location, bucket: string): Promise<{ problems: Problem[] }> {
  if (!Array.isArray(event.attachments)) throw new InvalidEventError('the event has no attachments');
  requireKeyParts(event.owner, event.conversationId, event.attachments.map((attachment) => attachment.id));
  const found = await Promise.all(event.attachments.map((attachment) => check(event, attachment, location, bucket)));
  return { problems: found.filter((problem): problem is Problem => problem !== null) };
}

export async function handler(event: AttachmentsEvent): Promise<unknown> {
  const env = process.env;
  const location = s3LocationFromEnv(env, credentialsFromEnv(env));
  const bucket = bucketOf(env);
  switch (event.action) {
    case 'sign': {
      const signed = await sign(event, location, bucket);
      logger.info('signed an attachment upload', { conversationId: event.conversationId, attachmentId: event.attachmentId, contentType: event.contentType, size: event.size });
      return signed;
    }
    case 'verify': {
      const verdict = await verify(event, location, bucket);
      logger.info('verified attachments', { conversationId: event.conversationId, attachments: event.attachments.length, problems: verdict.problems.length });
      return verdict;
    }
    default:
      throw new InvalidEventError(`unknown action ${JSON.stringify((event as { action?: unknown }).action)}`);
  }
}
