import { describe, expect, it } from '@jest/globals';
import { keyFromSecret } from '../../../../functions/chat/api-key.ts';
import { ConfigError, readConfig } from '../../../../functions/chat/config.ts';
import { parseChatEvent, InvalidEventError } from '../../../../functions/chat/event.ts';
import { titleFrom } from '../../../../functions/chat/title.ts';

const base = { TABLE_NAME: 't', GRAPHQL_URL: 'https://x/graphql', ANTHROPIC_API_KEY: 'k' };

describe('the configuration', () => {
  it('has the documented defaults', () => {
    expect(readConfig(base)).toMatchObject({ modelId: 'claude-sonnet-4-6', maxTokens: 4096, flushMs: 100, flushMaxChars: 2000, checkpointMs: 2000, leaseMs: 30_000, historyTokenBudget: 50_000, claude: { provider: 'anthropic', apiKey: { source: 'env', value: 'k' } } });
  });

  it('takes the key from Secrets Manager when only an ARN is given', () => {
    expect(readConfig({ ...base, ANTHROPIC_API_KEY: '', ANTHROPIC_SECRET_ARN: 'arn:s' }).claude).toEqual({ provider: 'anthropic', apiKey: { source: 'secret', arn: 'arn:s' } });
  });

  it.each([
    [{ ...base, TABLE_NAME: undefined }, /TABLE_NAME/],
    [{ ...base, FLUSH_MS: '-1' }, /FLUSH_MS/],
    [{ ...base, CLAUDE_PROVIDER: 'openai' }, /CLAUDE_PROVIDER/],
    [{ ...base, ANTHROPIC_API_KEY: undefined }, /ANTHROPIC_SECRET_ARN/],
  ])('refuses a bad environment clearly (%#)', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });

  it('calls Bedrock in the function\'s region, or BEDROCK_REGION, and needs no Anthropic key for it', () => {
    const bedrock = { TABLE_NAME: 't', GRAPHQL_URL: 'https://x/graphql', CLAUDE_PROVIDER: 'bedrock', AWS_REGION: 'eu-west-1' };
    expect(readConfig(bedrock).claude).toEqual({ provider: 'bedrock', region: 'eu-west-1' });
    expect(readConfig({ ...bedrock, BEDROCK_REGION: 'us-west-2', ANTHROPIC_BEDROCK_BASE_URL: 'http://127.0.0.1:1/bedrock' }).claude)
      .toEqual({ provider: 'bedrock', region: 'us-west-2', baseUrl: 'http://127.0.0.1:1/bedrock' });
  });

  it('reads a key kept in a secret as text or as JSON', () => {
    expect(keyFromSecret(' sk-1 ')).toBe('sk-1');
    expect(keyFromSecret('{"apiKey":"sk-2"}')).toBe('sk-2');
    expect(() => keyFromSecret('{"other":1}')).toThrow(/apiKey/);
  });
});

describe('the invocation event', () => {
  it('is checked field by field', () => {
    expect(parseChatEvent({ owner: 'o', conversationId: 'c', replyId: 'r', userMessageId: 'u' })).toEqual({ owner: 'o', conversationId: 'c', replyId: 'r', userMessageId: 'u' });
    expect(() => parseChatEvent({ owner: 'o' })).toThrow(InvalidEventError);
    expect(() => parseChatEvent(null)).toThrow(InvalidEventError);
  });

  it('keeps the sender\'s token when the invocation carries one, and refuses one that is not a string', () => {
    const event = { owner: 'o', conversationId: 'c', replyId: 'r', userMessageId: 'u' };

    expect(parseChatEvent({ ...event, userToken: 'jwt' })).toEqual({ ...event, userToken: 'jwt' });
    expect(() => parseChatEvent({ ...event, userToken: 42 })).toThrow(/userToken that is not a string/);
  });

  it('bounds the tool loop at five rounds unless TOOL_MAX_ITERATIONS says otherwise', () => {
    expect(readConfig(base).toolMaxIterations).toBe(5);
    expect(readConfig({ ...base, TOOL_MAX_ITERATIONS: '2' }).toolMaxIterations).toBe(2);
    expect(() => readConfig({ ...base, TOOL_MAX_ITERATIONS: '0' })).toThrow(/TOOL_MAX_ITERATIONS must be a positive integer/);
  });
});

describe('titleFrom', () => {
  it('takes the first six words without markdown marks', () => {
    expect(titleFrom('# How do I **bake** bread at home quickly?')).toBe('How do I bake bread at…');
  });

  it('caps a title at sixty characters', () => {
    expect(titleFrom('Supercalifragilisticexpialidocious '.repeat(3)).length).toBeLessThanOrEqual(60);
  });

  it('names an empty message plainly', () => {
    expect(titleFrom('  ')).toBe('New conversation');
  });
});
