// The baseline, written as Amplify's AI kit relays a model stream: for every model delta, one publishReplyEvent
// and one PutItem of the whole text so far. Run against the same stand-in and sandbox as the chat function.
import Anthropic from '@anthropic-ai/sdk';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { messageSk, messagesPk } from '../resolvers/keys.ts';
import type { Rig } from './rig.ts';

export interface RelayedReply { owner: string; conversationId: string; messageId: string; content: string }

/**
 * Streams one reply from the rig's stand-in and relays it delta by delta, its DynamoDB requests sent to
 * `dynamoUrl` (a counting proxy); resolves once every publish and write is done.
 */
export async function relayLikeAiKit(rig: Rig, dynamoUrl: string, reply: RelayedReply): Promise<{ deltas: number }> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoUrl, region: rig.sandbox.template.region, credentials: rig.iamCredentials }));
  const send = rig.publisher();
  const anthropic = new Anthropic({ apiKey: 'bench', baseURL: rig.claude.url, maxRetries: 0 });
  const stream = await anthropic.messages.create({ model: rig.modelId, max_tokens: 4096, messages: [{ role: 'user', content: reply.content }], stream: true });
  let text = '';
  let seq = 0;
  // In order and without holding up the read of the stream, as the chat function's own publisher does.
  let relayed: Promise<unknown> = Promise.resolve();
  for await (const event of stream) {
    if (event.type !== 'content_block_delta' || event.delta.type !== 'text_delta') continue;
    const delta = event.delta.text;
    text += delta;
    seq += 1;
    const item = { pk: messagesPk(reply.owner, reply.conversationId), sk: messageSk(reply.messageId), role: 'ASSISTANT', status: 'STREAMING', content: text, seq, updatedAt: new Date().toISOString() };
    const event_ = { conversationId: reply.conversationId, messageId: reply.messageId, owner: reply.owner, seq, type: 'DELTA' as const, index: 0, text: delta };
    relayed = relayed.then(() => Promise.all([send(event_), db.send(new PutCommand({ TableName: rig.tableName, Item: item }))]));
  }
  await relayed;
  db.destroy();
  return { deltas: seq };
}
