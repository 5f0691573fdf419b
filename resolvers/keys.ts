// The table's keys, in one place (docs/architecture.md, "Data model"). Every key a user can reach starts with the
// caller's own sub, taken from ctx.identity, never from arguments. Bundled into resolvers and functions.

export const userPk = (sub: string): string => `USER#${sub}`;
export const conversationSk = (conversationId: string): string => `CONV#${conversationId}`;
export const messagesPk = (sub: string, conversationId: string): string => `USER#${sub}#CONV#${conversationId}`;
export const messageSk = (messageId: string): string => `MSG#${messageId}`;
export const clientMessageSk = (clientMessageId: string): string => `CLIENT#${clientMessageId}`;
export const sessionSk = (sessionId: string): string => `SESSION#${sessionId}`;
export const usageSk = (date: string): string => `USAGE#${date}`;
/** An attachment's record, in its conversation's partition (deleting the conversation purges it with the messages). */
export const attachmentSk = (attachmentId: string): string => `ATTACH#${attachmentId}`;
/** Every attachment object's key starts with it: the bucket's lifecycle rule and the functions' S3 grants name it. */
export const ATTACHMENT_KEY_PREFIX = 'attachments/';
/** The attachment's object in the bucket: under the owner's own prefix, as every key a user can reach. */
export const attachmentKey = (sub: string, conversationId: string, attachmentId: string): string => `${ATTACHMENT_KEY_PREFIX}${sub}/${conversationId}/${attachmentId}`;

/** The recency index: conversations by `<updatedAt>#<id>` under the owner. */
export const RECENCY_INDEX = 'byUpdatedAt';
export const recencySk = (updatedAt: string, conversationId: string): string => `${updatedAt}#${conversationId}`;

export const MESSAGE_PREFIX = 'MSG#';
export const SESSION_PREFIX = 'SESSION#';
