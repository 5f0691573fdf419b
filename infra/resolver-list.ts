// Which resolver serves which field: the one explicit list (CONTRIBUTING.md, "Code style").
// infra/resolvers.ts builds every resolver and pipeline function from it; a unit test checks it against schema.graphql.

export type DataSourceName = 'table' | 'chat' | 'account' | 'attachments' | 'none';

export interface ResolverSpec {
  typeName: string;
  fieldName: string;
  dataSource: DataSourceName;
  /** Unit resolver code: resolvers/<Type>.<field>.ts (the default when omitted). */
  file?: string;
  /**
   * Pipeline steps, in order: resolvers/steps/<name>.ts each. The resolver's own before/after code is
   * resolvers/<Type>.<field>.ts when present, else a default pass-through.
   */
  pipeline?: { dataSource: DataSourceName; file: string }[];
}

const step = (name: string, dataSource: DataSourceName): { dataSource: DataSourceName; file: string } => ({ dataSource, file: `resolvers/steps/${name}.ts` });

export const RESOLVERS: ResolverSpec[] = [
  { typeName: 'Query', fieldName: 'listConversations', dataSource: 'table' },
  { typeName: 'Query', fieldName: 'getConversation', dataSource: 'table' },
  { typeName: 'Query', fieldName: 'listMessages', dataSource: 'none', pipeline: [step('loadConversation', 'table'), step('queryMessages', 'table')] },
  { typeName: 'Query', fieldName: 'getMessage', dataSource: 'table' },
  { typeName: 'Query', fieldName: 'listDeviceSessions', dataSource: 'table' },
  { typeName: 'Query', fieldName: 'usage', dataSource: 'table' },
  { typeName: 'Query', fieldName: 'health', dataSource: 'none' },
  { typeName: 'Mutation', fieldName: 'createConversation', dataSource: 'table' },
  { typeName: 'Mutation', fieldName: 'renameConversation', dataSource: 'table' },
  { typeName: 'Mutation', fieldName: 'deleteConversation', dataSource: 'none', pipeline: [step('deleteConversationItem', 'table'), step('purgeMessages', 'account')] },
  {
    typeName: 'Mutation', fieldName: 'sendMessage', dataSource: 'none',
    pipeline: [
      step('validateMessage', 'none'), step('loadTurnContext', 'table'), step('loadSentTurn', 'table'), step('checkActiveReply', 'table'),
      step('verifyAttachments', 'attachments'), step('writeTurn', 'table'), step('invokeChat', 'chat'),
    ],
  },
  {
    typeName: 'Mutation', fieldName: 'createAttachmentUpload', dataSource: 'none',
    pipeline: [step('validateAttachmentUpload', 'none'), step('loadConversation', 'table'), step('signAttachmentUpload', 'attachments'), step('putAttachment', 'table')],
  },
  {
    typeName: 'Mutation', fieldName: 'stopReply', dataSource: 'none',
    pipeline: [step('loadConversation', 'table'), step('requestStop', 'table'), step('resumeReply', 'table'), step('resumeChat', 'chat')],
  },
  {
    typeName: 'Mutation', fieldName: 'regenerateReply', dataSource: 'none',
    pipeline: [
      step('loadConversation', 'table'), step('checkActiveReply', 'table'), step('findLastReply', 'table'), step('checkQuota', 'table'), step('writeRegeneration', 'table'),
      step('invokeChat', 'chat'),
    ],
  },
  {
    typeName: 'Mutation', fieldName: 'submitToolResult', dataSource: 'none',
    pipeline: [step('loadReply', 'table'), step('storeToolResult', 'table'), step('resumeReply', 'table'), step('resumeChat', 'chat')],
  },
  { typeName: 'Mutation', fieldName: 'startDeviceSession', dataSource: 'table' },
  { typeName: 'Mutation', fieldName: 'endDeviceSession', dataSource: 'table' },
  { typeName: 'Mutation', fieldName: 'endAllDeviceSessions', dataSource: 'account' },
  { typeName: 'Mutation', fieldName: 'publishReplyEvent', dataSource: 'none' },
  { typeName: 'Subscription', fieldName: 'onReplyEvent', dataSource: 'table' },
];
