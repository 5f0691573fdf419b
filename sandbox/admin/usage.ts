// A user's usage for a day, set by a test (the quota's UI): the day's usage item as the resolvers read it and the chat
// function adds to it (resolvers/quota.ts, functions/chat/finish.ts): inputTokens, outputTokens, committedTokens
// (spent plus what running turns reserve) and expiresAt 90 days on.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { usageSk, userPk } from '../../resolvers/keys.ts';
import { AdminError, type KitTable } from './table.ts';

export interface UsageSetting {
  inputTokens: number;
  outputTokens: number;
  /** The UTC day, `yyyy-mm-dd`; default today. */
  date?: string;
}

/** As functions/chat/finish.ts keeps them. */
const USAGE_TTL_SECONDS = 90 * 24 * 60 * 60;
const ATTEMPTS = 5;

function checkSetting(sub: unknown, setting: Partial<Record<keyof UsageSetting, unknown>>): { sub: string; inputTokens: number; outputTokens: number; date: string } {
  if (typeof sub !== 'string' || sub === '') throw new AdminError('ValidationError', 'setUsage needs the user\'s Cognito sub', 400);
  const { inputTokens, outputTokens, date = new Date().toISOString().slice(0, 10) } = setting;
  for (const [name, value] of [['inputTokens', inputTokens], ['outputTokens', outputTokens]] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new AdminError('ValidationError', `${name} is ${JSON.stringify(value)}: give a whole number of tokens, 0 or more`, 400);
  }
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new AdminError('ValidationError', `date is ${JSON.stringify(date)}: give a UTC day as yyyy-mm-dd`, 400);
  return { sub, inputTokens: inputTokens as number, outputTokens: outputTokens as number, date };
}

/**
 * Sets the day's spent tokens. What running turns hold stays held (committedTokens keeps its part above what was
 * spent), so a turn that settles later still gives its own reservation back. Written on the condition that
 * committedTokens did not move since it was read, again if it did.
 */
export async function setUsage(table: KitTable, sub: unknown, setting: Partial<Record<keyof UsageSetting, unknown>>, now = Date.now()): Promise<void> {
  const checked = checkSetting(sub, setting);
  const key = { pk: userPk(checked.sub), sk: usageSk(checked.date) };
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const { Item: item } = await table.db.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }));
    const spent = Number(item?.inputTokens ?? 0) + Number(item?.outputTokens ?? 0);
    const committed = item?.committedTokens as number | undefined;
    const held = Math.max(0, (committed ?? spent) - spent);
    try {
      await table.db.send(new UpdateCommand({
        TableName: table.name,
        Key: key,
        UpdateExpression: 'SET inputTokens = :input, outputTokens = :output, committedTokens = :committed, expiresAt = :expiresAt',
        ConditionExpression: committed === undefined ? 'attribute_not_exists(committedTokens)' : 'committedTokens = :was',
        ExpressionAttributeValues: {
          ':input': checked.inputTokens, ':output': checked.outputTokens, ':committed': checked.inputTokens + checked.outputTokens + held,
          ':expiresAt': Math.floor(now / 1000) + USAGE_TTL_SECONDS, ...(committed === undefined ? {} : { ':was': committed }),
        },
      }));
      return;
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw new AdminError('Conflict', `the usage of ${checked.sub} on ${checked.date} kept changing while it was set; try again`, 409);
}
