// The chat operations the playground's chat view runs (docs/architecture.md, "The API"), with the shapes it reads back.
// GraphiQL's default tab shows the same documents, so what the page does can be replayed by hand.

export type { Conversation, Message, MessageStatus, ReplyEvent } from '../client-types.ts';

const MESSAGE_FIELDS = 'id role content status seq error stopReason';
const CONVERSATION_FIELDS = 'id title updatedAt activeReplyId';

export const LIST_CONVERSATIONS = `query ListConversations($limit: Int) {
  listConversations(limit: $limit) { items { ${CONVERSATION_FIELDS} } nextToken }
}`;

export const CREATE_CONVERSATION = `mutation CreateConversation($input: CreateConversationInput) {
  createConversation(input: $input) { ${CONVERSATION_FIELDS} }
}`;

export const LIST_MESSAGES = `query ListMessages($conversationId: ID!, $limit: Int) {
  listMessages(conversationId: $conversationId, limit: $limit) { items { ${MESSAGE_FIELDS} } nextToken }
}`;

export const GET_MESSAGE = `query GetMessage($conversationId: ID!, $id: ID!) {
  getMessage(conversationId: $conversationId, id: $id) { ${MESSAGE_FIELDS} }
}`;

export const SEND_MESSAGE = `mutation SendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) {
    userMessage { ${MESSAGE_FIELDS} }
    reply { ${MESSAGE_FIELDS} }
  }
}`;

export const STOP_REPLY = `mutation StopReply($conversationId: ID!) {
  stopReply(conversationId: $conversationId) { ${MESSAGE_FIELDS} }
}`;

export const ON_REPLY_EVENT = `subscription OnReplyEvent($conversationId: ID!) {
  onReplyEvent(conversationId: $conversationId) {
    conversationId messageId seq type text title status stopReason error
  }
}`;

/** GraphiQL's first tab: every document above, runnable by name. */
export const GRAPHIQL_DEFAULT_QUERY = `# The chat API of this sandbox. Run an operation by name with the ▶ button;
# set variables below. Subscriptions go over ${'`'}/graphql/realtime${'`'} (AppSync's protocol).

${LIST_CONVERSATIONS}

${CREATE_CONVERSATION}

${SEND_MESSAGE}

${ON_REPLY_EVENT}
`;
