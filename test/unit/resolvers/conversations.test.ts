// Conversation resolvers (create, rename, get, list, delete and its steps) run on the sandbox's real
// APPSYNC_JS runtime: the DynamoDB requests they build and what they make of the results.
import { describe, expect, it } from '@jest/globals';
import * as createConversation from '../../../resolvers/Mutation.createConversation.ts';
import * as deleteConversation from '../../../resolvers/Mutation.deleteConversation.ts';
import * as renameConversation from '../../../resolvers/Mutation.renameConversation.ts';
import * as getConversation from '../../../resolvers/Query.getConversation.ts';
import * as listConversations from '../../../resolvers/Query.listConversations.ts';
import * as deleteConversationItem from '../../../resolvers/steps/deleteConversationItem.ts';
import * as purgeMessages from '../../../resolvers/steps/purgeMessages.ts';
import { UnauthorizedError } from '../../../sandbox/appsync/runtime/state.ts';
import {
  CONDITION_FAILED, CONVERSATION_ID, contextOf, NOW_ISO, PK_ABSENT, PK_PRESENT, resolverErrorOf, S, SUB, thrown, ULID, useFixedClock,
} from '../../support/resolver-context.ts';

useFixedClock();

const OWNER = S(`USER#${SUB}`);
const CONVERSATION_KEY = { pk: OWNER, sk: S(`CONV#${CONVERSATION_ID}`) };
const conversation = { id: CONVERSATION_ID, title: 'Trip', model: 'claude-sonnet-4-6', createdAt: NOW_ISO, updatedAt: NOW_ISO, messageCount: 0 };

interface PutRequest { key: Record<string, { S: string }>; attributeValues: Record<string, { S?: string }> }

describe('createConversation', () => {
  it('puts a new conversation under the caller with the API model and no title, unless one exists', () => {
    const ctx = contextOf({ arguments: {} });

    const request = createConversation.request(ctx);

    const id = (request as unknown as PutRequest).attributeValues['id']?.S as string;
    expect(id).toMatch(ULID);
    expect(request).toStrictEqual({
      operation: 'PutItem',
      key: { pk: OWNER, sk: S(`CONV#${id}`) },
      attributeValues: {
        id: S(id), title: { NULL: null }, model: S('claude-sonnet-4-6'), systemPrompt: { NULL: null }, thinkingBudgetTokens: { NULL: null },
        createdAt: S(NOW_ISO), updatedAt: S(NOW_ISO), messageCount: { N: 0 }, contextTokens: { N: 0 }, gsi1pk: OWNER, gsi1sk: S(`${NOW_ISO}#${id}`),
      },
      condition: PK_ABSENT,
    });
  });

  it('keeps the title, system prompt and model of the input, trimmed', () => {
    const ctx = contextOf({ arguments: { input: { title: '  Trip  ', systemPrompt: ' Be brief. ', model: 'claude-haiku-4-5' } } });

    const { attributeValues } = createConversation.request(ctx) as unknown as PutRequest;

    expect([attributeValues['title'], attributeValues['systemPrompt'], attributeValues['model']]).toStrictEqual([
      S('Trip'), S('Be brief.'), S('claude-haiku-4-5'),
    ]);
  });

  it('starts the size of its context at its system prompt\'s, four characters a token', () => {
    const ctx = contextOf({ arguments: { input: { systemPrompt: 'You answer in French.' } } });

    const { attributeValues } = createConversation.request(ctx) as unknown as PutRequest;

    expect(attributeValues['contextTokens']).toStrictEqual({ N: 6 });
  });

  it('falls back to claude-sonnet-4-6 when the API has no MODEL_ID', () => {
    const ctx = contextOf({ arguments: { input: {} }, env: { TABLE_NAME: 'ChatTable' } });

    const { attributeValues } = createConversation.request(ctx) as unknown as PutRequest;

    expect(attributeValues['model']).toStrictEqual(S('claude-sonnet-4-6'));
  });

  it('refuses a model the API does not offer, naming those it does', () => {
    const ctx = contextOf({ arguments: { input: { model: 'claude-opus-4-1' } } });

    const error = resolverErrorOf(() => createConversation.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: "model 'claude-opus-4-1' is not offered by this API; choose one of: claude-sonnet-4-6, claude-haiku-4-5." });
  });

  it('offers only MODEL_ID when the API has no MODELS list', () => {
    const ctx = contextOf({ arguments: { input: { model: 'claude-haiku-4-5' } }, env: { TABLE_NAME: 'ChatTable', MODEL_ID: 'claude-sonnet-4-6' } });

    const error = resolverErrorOf(() => createConversation.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: "model 'claude-haiku-4-5' is not offered by this API; choose one of: claude-sonnet-4-6." });
  });

  it('turns extended thinking on with the budget of the input', () => {
    const ctx = contextOf({ arguments: { input: { thinkingBudgetTokens: 2048 } } });

    const { attributeValues } = createConversation.request(ctx) as unknown as PutRequest;

    expect(attributeValues['thinkingBudgetTokens']).toStrictEqual({ N: 2048 });
  });

  it.each([
    [1023, 'thinkingBudgetTokens must be at least 1024 and less than 4096 (the most output tokens a reply may use); got 1023.'],
    [4096, 'thinkingBudgetTokens must be at least 1024 and less than 4096 (the most output tokens a reply may use); got 4096.'],
  ])('refuses a thinking budget of %i, as the Messages API would', (budget, message) => {
    const ctx = contextOf({ arguments: { input: { thinkingBudgetTokens: budget } } });

    const error = resolverErrorOf(() => createConversation.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message });
  });

  it('refuses a title over 200 characters', () => {
    const ctx = contextOf({ arguments: { input: { title: 'x'.repeat(201) } } });

    const error = resolverErrorOf(() => createConversation.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: 'title is 201 characters; the limit is 200.' });
  });

  it('refuses a caller without a user pool identity', () => {
    const ctx = contextOf({ arguments: {}, identity: null });

    expect(thrown(() => createConversation.request(ctx))).toBeInstanceOf(UnauthorizedError);
  });

  it('returns the item that was written', () => {
    const ctx = contextOf({ result: conversation });

    expect(createConversation.response(ctx)).toBe(conversation);
  });

  it('raises a failed write with its own type', () => {
    const ctx = contextOf({ result: null, error: CONDITION_FAILED });

    const error = resolverErrorOf(() => createConversation.response(ctx));

    expect(error).toMatchObject({ errorType: 'DynamoDB:ConditionalCheckFailedException', message: 'The conditional request failed' });
  });
});

describe('renameConversation', () => {
  it('updates the title, updatedAt and recency key of the caller\'s conversation, if it exists', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID, title: ' Road trip ' } });

    const request = renameConversation.request(ctx);

    expect(request).toStrictEqual({
      operation: 'UpdateItem',
      key: CONVERSATION_KEY,
      update: {
        expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3',
        expressionNames: { '#expName_1': 'title', '#expName_2': 'updatedAt', '#expName_3': 'gsi1sk' },
        expressionValues: { ':expValue_1': S('Road trip'), ':expValue_2': S(NOW_ISO), ':expValue_3': S(`${NOW_ISO}#${CONVERSATION_ID}`) },
      },
      condition: PK_PRESENT,
    });
  });

  it('refuses an id that is not a ULID', () => {
    const ctx = contextOf({ arguments: { id: 'conv-1', title: 'Trip' } });

    const error = resolverErrorOf(() => renameConversation.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: "id 'conv-1' is not a valid id (a 26-character ULID)." });
  });

  it('refuses a blank title', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID, title: '   ' } });

    const error = resolverErrorOf(() => renameConversation.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: 'title must not be empty.' });
  });

  it('answers NotFound when the conversation is not the caller\'s', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID, title: 'Trip' }, result: null, error: CONDITION_FAILED });

    const error = resolverErrorOf(() => renameConversation.response(ctx));

    expect(error).toMatchObject({ errorType: 'NotFound', message: 'The conversation was not found.' });
  });

  it('raises other data source errors as they are', () => {
    const ctx = contextOf({ result: null, error: { message: 'Throughput exceeded', type: 'DynamoDB:ProvisionedThroughputExceededException' } });

    const error = resolverErrorOf(() => renameConversation.response(ctx));

    expect(error).toMatchObject({ errorType: 'DynamoDB:ProvisionedThroughputExceededException', message: 'Throughput exceeded' });
  });

  it('returns the renamed conversation', () => {
    const ctx = contextOf({ result: { ...conversation, title: 'Road trip' } });

    expect(renameConversation.response(ctx)).toStrictEqual({ ...conversation, title: 'Road trip' });
  });
});

describe('getConversation', () => {
  it('gets the conversation under the caller\'s own key', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID } });

    expect(getConversation.request(ctx)).toStrictEqual({ operation: 'GetItem', key: CONVERSATION_KEY });
  });

  it('refuses an id of the wrong length', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID.slice(1) } });

    expect(resolverErrorOf(() => getConversation.request(ctx)).errorType).toBe('ValidationError');
  });

  it('returns null for a conversation the caller does not have', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID }, result: null });

    expect(getConversation.response(ctx)).toBeNull();
  });

  it('returns the conversation', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID }, result: conversation });

    expect(getConversation.response(ctx)).toBe(conversation);
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => getConversation.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('listConversations', () => {
  it('queries the recency index under the caller, newest first, 20 by default', () => {
    const ctx = contextOf({ arguments: {} });

    expect(listConversations.request(ctx)).toStrictEqual({
      operation: 'Query',
      query: { expression: '#gsi1pk = :gsi1pk_eq', expressionNames: { '#gsi1pk': 'gsi1pk' }, expressionValues: { ':gsi1pk_eq': OWNER } },
      index: 'byUpdatedAt',
      limit: 20,
      scanIndexForward: false,
    });
  });

  it('passes the limit and nextToken on', () => {
    const ctx = contextOf({ arguments: { limit: 5, nextToken: 'page-2' } });

    expect(listConversations.request(ctx)).toMatchObject({ limit: 5, nextToken: 'page-2' });
  });

  it.each([0, 101, -1])('refuses a limit of %i', (limit) => {
    const ctx = contextOf({ arguments: { limit } });

    const error = resolverErrorOf(() => listConversations.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: `limit must be between 1 and 100, not ${limit}.` });
  });

  it('returns the page with a null nextToken on the last page', () => {
    const ctx = contextOf({ result: { items: [conversation] } });

    expect(listConversations.response(ctx)).toStrictEqual({ items: [conversation], nextToken: null });
  });

  it('returns the nextToken of a page that has more', () => {
    const ctx = contextOf({ result: { items: [conversation], nextToken: 'page-2' } });

    expect(listConversations.response(ctx)).toStrictEqual({ items: [conversation], nextToken: 'page-2' });
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ result: null, error: { message: 'bad token', type: 'DynamoDB:ValidationException' } });

    expect(resolverErrorOf(() => listConversations.response(ctx)).errorType).toBe('DynamoDB:ValidationException');
  });
});

describe('deleteConversation', () => {
  it('starts the pipeline with an empty request', () => {
    expect(deleteConversation.request(contextOf({ arguments: { id: CONVERSATION_ID } }))).toStrictEqual({});
  });

  it('deletes the caller\'s conversation item, if it exists', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID } });

    expect(deleteConversationItem.request(ctx)).toStrictEqual({ operation: 'DeleteItem', key: CONVERSATION_KEY, condition: PK_PRESENT });
  });

  it('refuses an id that is not a ULID before deleting anything', () => {
    const ctx = contextOf({ arguments: { id: 'x' } });

    expect(resolverErrorOf(() => deleteConversationItem.request(ctx)).errorType).toBe('ValidationError');
  });

  it('answers NotFound when there was no such conversation', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID }, result: null, error: CONDITION_FAILED });

    const error = resolverErrorOf(() => deleteConversationItem.response(ctx));

    expect(error).toMatchObject({ errorType: 'NotFound', message: 'The conversation was not found.' });
  });

  it('keeps the deleted conversation in the stash', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID }, result: conversation });

    const result: unknown = deleteConversationItem.response(ctx);

    expect([result, ctx.stash['deleted'] as unknown]).toStrictEqual([conversation, conversation]);
  });

  it('asks the account function to purge the messages, without waiting', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID } });

    expect(purgeMessages.request(ctx)).toStrictEqual({
      operation: 'Invoke', invocationType: 'Event', payload: { action: 'deleteMessages', owner: SUB, conversationId: CONVERSATION_ID },
    });
  });

  it('passes the deleted conversation on after the purge is started', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID }, prev: { result: conversation }, result: { StatusCode: 202 } });

    expect(purgeMessages.response(ctx)).toBe(conversation);
  });

  it('returns the deleted conversation from the stash', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID }, stash: { deleted: conversation }, prev: { result: conversation } });

    expect(deleteConversation.response(ctx)).toBe(conversation);
  });
});
