// submitToolResult's pipeline (loadReply, storeToolResult, resumeReply, resumeChat) and sendMessage's check of client
// tools, each step called as AppSync calls it, on the sandbox's APPSYNC_JS runtime.
import { describe, expect, it } from '@jest/globals';
import { checkClientTools, serverToolNames } from '../../../resolvers/client-tools.ts';
import * as submitToolResult from '../../../resolvers/Mutation.submitToolResult.ts';
import * as loadReply from '../../../resolvers/steps/loadReply.ts';
import * as resumeChat from '../../../resolvers/steps/resumeChat.ts';
import * as resumeReply from '../../../resolvers/steps/resumeReply.ts';
import * as storeToolResult from '../../../resolvers/steps/storeToolResult.ts';
import * as validateMessage from '../../../resolvers/steps/validateMessage.ts';
import { CONVERSATION_ID, contextOf, MESSAGE_ID, NOW, REPLY_ID, resolverErrorOf, S, SUB, useFixedClock } from '../../support/resolver-context.ts';
import { earlyReturnOf } from './turn-fixtures.ts';

useFixedClock();

const KEY = { pk: S(`USER#${SUB}#CONV#${CONVERSATION_ID}`), sk: S(`MSG#${REPLY_ID}`) };
const input = (extra: Record<string, unknown> = {}) => ({ input: { conversationId: CONVERSATION_ID, messageId: REPLY_ID, toolUseId: 'toolu_1', output: { city: 'Lisbon' }, ...extra } });
const waiting = (extra: Record<string, unknown> = {}) => ({
  id: REPLY_ID, conversationId: CONVERSATION_ID, replyTo: MESSAGE_ID, status: 'AWAITING_TOOL_RESULT', toolResults: {},
  blocks: [
    { index: 0, type: 'TEXT', text: 'Let me call get_location.' },
    { index: 1, type: 'TOOL_USE', toolUseId: 'toolu_1', name: 'get_location', input: '{}', status: 'AWAITING_RESULT' },
    { index: 2, type: 'TOOL_USE', toolUseId: 'toolu_2', name: 'get_battery', input: '{}', status: 'AWAITING_RESULT' },
  ],
  ...extra,
});

describe('loadReply', () => {
  it('reads the message under the caller\'s own key, consistently', () => {
    expect(loadReply.request(contextOf({ arguments: input() }))).toStrictEqual({ operation: 'GetItem', key: KEY, consistentRead: true });
  });

  it('answers NotFound when the caller has no such message', () => {
    expect(resolverErrorOf(() => loadReply.response(contextOf({ arguments: input(), result: null })))).toMatchObject({ errorType: 'NotFound', message: 'The message was not found.' });
  });

  it('refuses a messageId that is not an id', () => {
    expect(resolverErrorOf(() => loadReply.request(contextOf({ arguments: input({ messageId: 'nope' }) })))).toMatchObject({ errorType: 'ValidationError' });
  });
});

describe('storeToolResult', () => {
  it('keeps the result by toolUseId, on the condition that the reply still waits and the call has none', () => {
    const ctx = contextOf({ arguments: input(), stash: { reply: waiting() } });

    expect(storeToolResult.request(ctx)).toStrictEqual({
      operation: 'UpdateItem',
      key: KEY,
      update: { expression: 'SET toolResults.#call = :result', expressionNames: { '#call': 'toolu_1' }, expressionValues: { ':result': { M: { output: S('{"city":"Lisbon"}'), isError: { BOOL: false } } } } },
      condition: {
        expression: '#status = :awaiting AND attribute_not_exists(toolResults.#call)',
        expressionNames: { '#status': 'status', '#call': 'toolu_1' },
        expressionValues: { ':awaiting': S('AWAITING_TOOL_RESULT') },
      },
    });
  });

  it('resumes the reply only once every awaited call has its result', () => {
    const first = contextOf({ arguments: input(), stash: {}, result: waiting({ toolResults: { toolu_1: { output: '{}', isError: false } } }) });
    const last = contextOf({ arguments: input(), stash: {}, result: waiting({ toolResults: { toolu_1: { output: '{}', isError: false }, toolu_2: { output: '1', isError: false } } }) });

    storeToolResult.response(first);
    storeToolResult.response(last);

    expect([first.stash.resumeReply, last.stash.resumeReply]).toEqual([false, true]);
  });

  it('writes nothing for the same result sent again, and gives the reply as it is, even after it went on', () => {
    const ctx = contextOf({ arguments: input(), stash: { reply: waiting({ status: 'COMPLETE', blocks: [{ index: 3, type: 'TOOL_RESULT', toolUseId: 'toolu_1', output: '{"city":"Lisbon"}', isError: false }] }) } });

    const signal = earlyReturnOf(() => storeToolResult.request(ctx));

    expect(signal.value).toMatchObject({ status: 'COMPLETE' });
    expect(ctx.stash.resumeReply).toBeUndefined();
  });

  it.each([
    ['a different result for an answered call', input({ output: { city: 'Faro' } }), waiting({ toolResults: { toolu_1: { output: '{"city":"Lisbon"}', isError: false } } }), 'Conflict', "A different result was already submitted for the tool call 'toolu_1'."],
    ['a reply that does not wait', input(), waiting({ status: 'COMPLETE' }), 'Conflict', 'The reply is not waiting for a tool result.'],
    ['a call the reply does not await', input({ toolUseId: 'toolu_9' }), waiting(), 'ValidationError', "The reply has no client tool call 'toolu_9' waiting for a result."],
    ['an output over 16,000 characters of JSON', input({ output: { text: 'x'.repeat(16_000) } }), waiting(), 'ValidationError', 'output is 16011 characters of JSON; the limit is 16000.'],
  ])('refuses %s', (_what, args, reply, errorType, message) => {
    expect(resolverErrorOf(() => storeToolResult.request(contextOf({ arguments: args, stash: { reply } })))).toMatchObject({ errorType, message });
  });

  it('says to read again when the reply stopped waiting between the read and the write', () => {
    const ctx = contextOf({ arguments: input(), stash: {}, error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' } });

    expect(resolverErrorOf(() => storeToolResult.response(ctx))).toMatchObject({ errorType: 'Conflict' });
  });
});

describe('resumeReply', () => {
  it('puts the reply back to PENDING with a start lease, if it still waits', () => {
    const ctx = contextOf({ arguments: input(), stash: { message: waiting(), resumeReply: true } });

    expect(resumeReply.request(ctx)).toMatchObject({
      operation: 'UpdateItem', key: KEY,
      update: { expressionValues: { ':pending': S('PENDING'), ':lease': { N: NOW + 60_000 } } },
      condition: { expression: '#status = :awaiting' },
    });
  });

  it('leaves a reply that still waits for other calls as it is', () => {
    const ctx = contextOf({ arguments: input(), stash: { message: waiting(), resumeReply: false } });

    expect(earlyReturnOf(() => resumeReply.request(ctx)).value).toMatchObject({ status: 'AWAITING_TOOL_RESULT' });
    expect(ctx.stash.resumed).toBe(false);
  });

  it('lets another caller\'s resume stand when it came first', () => {
    const ctx = contextOf({ arguments: input(), stash: { message: waiting(), resumed: false }, error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' } });

    expect(resumeReply.response(ctx)).toMatchObject({ status: 'AWAITING_TOOL_RESULT' });
    expect(ctx.stash.resumed).toBe(false);
  });
});

describe('resumeChat', () => {
  it('starts the chat function to go on from the stored reply, with the caller\'s token', () => {
    const ctx = contextOf({ arguments: input(), stash: { message: waiting(), resumed: true }, request: { headers: { authorization: 'jwt' } } });

    expect(resumeChat.request(ctx)).toStrictEqual({
      operation: 'Invoke', invocationType: 'Event',
      payload: { owner: SUB, conversationId: CONVERSATION_ID, replyId: REPLY_ID, userMessageId: MESSAGE_ID, resume: true, userToken: 'jwt' },
    });
  });

  it('starts nothing when the reply was not resumed, and returns it', () => {
    const ctx = contextOf({ arguments: input(), stash: { message: waiting(), resumed: false } });

    expect(earlyReturnOf(() => resumeChat.request(ctx)).value).toMatchObject({ id: REPLY_ID });
  });

  it('raises a failed invocation', () => {
    const ctx = contextOf({ arguments: input(), stash: { message: waiting() }, error: { message: 'Rate exceeded', type: 'Lambda:TooManyRequestsException' } });

    expect(resolverErrorOf(() => resumeChat.response(ctx)).errorType).toBe('Lambda:TooManyRequestsException');
  });
});

describe('submitToolResult', () => {
  it('returns the reply with its blocks', () => {
    const ctx = contextOf({ arguments: input(), stash: { message: waiting() } });

    expect(submitToolResult.request(ctx)).toEqual({});
    expect(submitToolResult.response(ctx)).toMatchObject({ id: REPLY_ID, status: 'AWAITING_TOOL_RESULT', blocks: expect.any(Array) });
  });
});

describe('client tools of sendMessage', () => {
  const tool = { name: 'get_location', description: ' Where the user is. ', inputSchema: { type: 'object' } as unknown as string };

  it('are kept with their schema as JSON text and their description trimmed', () => {
    expect(checkClientTools([tool], [])).toEqual([{ name: 'get_location', description: 'Where the user is.', inputSchema: '{"type":"object"}' }]);
  });

  it('are none when sendMessage gives none, and the API\'s own names come from SERVER_TOOLS', () => {
    expect(checkClientTools(undefined, [])).toEqual([]);
    expect(serverToolNames({})).toEqual([]);
    expect(serverToolNames({ SERVER_TOOLS: 'current_time,get_usage' })).toEqual(['current_time', 'get_usage']);
  });

  it.each([
    ['more than 20 tools', Array.from({ length: 21 }, (_, k) => ({ ...tool, name: `t${k}` })), 'clientTools has 21 tools; the limit is 20.'],
    ['an empty description', [{ ...tool, description: ' ' }], 'clientTools[0].description must be 1 to 1024 characters.'],
    ['an input schema over 16,000 characters', [{ ...tool, inputSchema: { type: 'object', description: 'x'.repeat(16_000) } as unknown as string }], 'clientTools[0].inputSchema is 16034 characters of JSON; the limit is 16000.'],
  ])('refuse %s', (_what, tools, message) => {
    expect(resolverErrorOf(() => checkClientTools(tools, []))).toMatchObject({ errorType: 'ValidationError', message });
  });

  it('are checked by validateMessage before anything is read', () => {
    const ctx = contextOf({ arguments: { input: { conversationId: CONVERSATION_ID, content: 'Hi', clientMessageId: 'client-message-1', clientTools: [tool] } }, env: { TABLE_NAME: 'ChatTable', SERVER_TOOLS: 'get_location' } });

    expect(resolverErrorOf(() => validateMessage.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: "clientTools[0].name 'get_location' is a tool of the API itself; choose another name." });
  });
});
