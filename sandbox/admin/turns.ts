// Which turns in flight a model call answers, for the Claude stand-in's scripts per user and per conversation
// (sandbox/claude-stand-in/script.ts). The chat function's request names neither user nor conversation
// (functions/chat/prompt.ts), so the kit reads the table: a conversation whose activeReplyId is set has a turn in
// flight, its reply's `replyTo` names the user message answered, and the request's last user text is that message's
// content. The sandbox's own reading; it costs a Scan, made only while a user's or conversation's script has steps.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TurnLookup, TurnOwner } from '../claude-stand-in/script.ts';
import { conversationSk, messageSk, messagesPk, userPk } from '../../resolvers/keys.ts';
import { getItems, type KitTable } from './table.ts';

interface ActiveTurn extends TurnOwner {
  replyId: string;
}

const USER_PREFIX = userPk('');
const CONVERSATION_PREFIX = conversationSk('');

/** The conversations with a turn in flight, over every user. */
async function activeTurns(table: KitTable): Promise<ActiveTurn[]> {
  const turns: ActiveTurn[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(new ScanCommand({
      TableName: table.name,
      FilterExpression: 'begins_with(sk, :conversation) AND attribute_exists(activeReplyId)',
      ExpressionAttributeValues: { ':conversation': CONVERSATION_PREFIX },
      ProjectionExpression: 'pk, sk, activeReplyId',
      ConsistentRead: true,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    for (const item of page.Items ?? []) {
      const { pk, sk, activeReplyId } = item as { pk: string; sk: string; activeReplyId: unknown };
      if (!pk.startsWith(USER_PREFIX) || pk.includes('#', USER_PREFIX.length) || typeof activeReplyId !== 'string') continue;
      turns.push({ sub: pk.slice(USER_PREFIX.length), conversationId: sk.slice(CONVERSATION_PREFIX.length), replyId: activeReplyId });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return turns;
}

/** The prompt's last user text is the message's content, or ends with it when the prompt merged two user messages. */
function answers(text: string, content: unknown): boolean {
  return typeof content === 'string' && content !== '' && (text === content || text.endsWith(`\n${content}`));
}

/** The turns in flight whose user message is `text`. */
export function turnLookup(table: KitTable): TurnLookup {
  return async (text) => {
    const turns = await activeTurns(table);
    const replies = await getItems(table, turns.map((turn) => ({ pk: messagesPk(turn.sub, turn.conversationId), sk: messageSk(turn.replyId) })), ['pk', 'sk', 'replyTo']);
    const replyTo = new Map(replies.map((reply) => [`${String(reply.pk)} ${String(reply.sk)}`, reply.replyTo]));
    const asked = turns.flatMap((turn) => {
      const pk = messagesPk(turn.sub, turn.conversationId);
      const userMessage = replyTo.get(`${pk} ${messageSk(turn.replyId)}`);
      return typeof userMessage === 'string' ? [{ turn, key: { pk, sk: messageSk(userMessage) } }] : [];
    });
    const messages = await getItems(table, asked.map(({ key }) => key), ['pk', 'sk', 'content']);
    const content = new Map(messages.map((message) => [`${String(message.pk)} ${String(message.sk)}`, message.content]));
    return asked
      .filter(({ key }) => answers(text, content.get(`${key.pk} ${key.sk}`)))
      .map(({ turn }) => ({ sub: turn.sub, conversationId: turn.conversationId }));
  };
}
