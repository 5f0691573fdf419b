// The table's keys, in one place (docs/architecture.md, "Data model"). Every key a user can reach starts with the
// caller's own sub, taken from ctx.identity, never from arguments. Bundled into resolvers and functions.

export const userPk = (sub: string): string => `USER#${sub}`;
export const conversationSk = (conversationId: string): string => `CONV#${conversationId}`;
export const messagesPk = (sub: string, conversationId: string): string => `USER#${sub}#CONV#${conversationId}`;
export const messageSk = (messageId: string): string => `MSG#${messageId}`;
export const clientMessageSk = (clientMessageId: string): string => `CLIENT#${clientMessageId}`;
export const sessionSk = (sessionId: string): string => `SESSION#${sessionId}`;
export const usageSk = (date: string): string => `USAGE#${date}`;

/** The recency index: conversations by `<updatedAt>#<id>` under the owner. */
export const RECENCY_INDEX = 'byUpdatedAt';
export const recencySk = (updatedAt: string, conversationId: string): string => `${updatedAt}#${conversationId}`;

export const MESSAGE_PREFIX = 'MSG#';
export const SESSION_PREFIX = 'SESSION#';
