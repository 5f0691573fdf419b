// The first turn names its conversation. The title is the user's first words, not a model call: it costs no
// tokens, no latency and no failure modes (a second model call could meet its own 429 or eat the quota), and it
// is what the user wrote, which a list of conversations shows well enough. Stored only while the title is null.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationSk, userPk } from '../../resolvers/keys.ts';

const MAX_WORDS = 6;
const MAX_CHARS = 60;

/** A short title from a user message: its first words, without markdown marks, at most 60 characters. */
export function titleFrom(content: string): string {
  const words = content.replace(/[`*_#>[\]()~|]+/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'New conversation';
  let title = words.slice(0, MAX_WORDS).join(' ');
  if (title.length > MAX_CHARS) title = `${title.slice(0, MAX_CHARS - 1).trimEnd()}…`;
  else if (words.length > MAX_WORDS) title += '…';
  return title;
}

/** Sets the title if it is still null (a rename meanwhile wins); true when stored. */
export async function storeTitle(db: DynamoDBDocumentClient, tableName: string, owner: string, conversationId: string, title: string): Promise<boolean> {
  try {
    await db.send(new UpdateCommand({
      TableName: tableName,
      Key: { pk: userPk(owner), sk: conversationSk(conversationId) },
      UpdateExpression: 'SET title = :title',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(title) OR attribute_type(title, :null))',
      ExpressionAttributeValues: { ':title': title, ':null': 'NULL' },
    }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
