// Device sessions: start, list, end one, end all (the account function also signs the user out).
import { describe, expect, it } from '@jest/globals';
import * as endAllDeviceSessions from '../../../resolvers/Mutation.endAllDeviceSessions.ts';
import * as endDeviceSession from '../../../resolvers/Mutation.endDeviceSession.ts';
import * as startDeviceSession from '../../../resolvers/Mutation.startDeviceSession.ts';
import * as listDeviceSessions from '../../../resolvers/Query.listDeviceSessions.ts';
import { cognitoIdentity } from '../../../sandbox/appsync/runtime/context.ts';
import { UnauthorizedError } from '../../../sandbox/appsync/runtime/state.ts';
import {
  CONDITION_FAILED, contextOf, NOW_ISO, NOW_SECONDS, PK_PRESENT, resolverErrorOf, S, SESSION_ID, SOURCE_IP, SUB, thrown, ULID, USERNAME, useFixedClock,
} from '../../support/resolver-context.ts';

useFixedClock();

const OWNER = S(`USER#${SUB}`);
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0';
const session = { id: SESSION_ID, deviceName: 'Laptop', userAgent: USER_AGENT, sourceIp: SOURCE_IP, createdAt: NOW_ISO, lastSeenAt: NOW_ISO, expiresAt: NOW_SECONDS + 30 * 86400 };

interface PutRequest { attributeValues: Record<string, unknown> }

describe('startDeviceSession', () => {
  it('puts the session under the caller with the user agent, source IP and a 30-day expiry', () => {
    const ctx = contextOf({ arguments: { input: { deviceName: ' Laptop ' } }, request: { headers: { 'user-agent': USER_AGENT } } });

    const request = startDeviceSession.request(ctx);

    const id = (request as unknown as { attributeValues: { id: { S: string } } }).attributeValues.id.S;
    expect(id).toMatch(ULID);
    expect(request).toStrictEqual({
      operation: 'PutItem',
      key: { pk: OWNER, sk: S(`SESSION#${id}`) },
      attributeValues: {
        id: S(id), deviceName: S('Laptop'), userAgent: S(USER_AGENT), sourceIp: S(SOURCE_IP), createdAt: S(NOW_ISO), lastSeenAt: S(NOW_ISO),
        expiresAt: { N: NOW_SECONDS + 30 * 86400 },
      },
    });
  });

  it('records a null user agent and source IP when the request has none', () => {
    const ctx = contextOf({ arguments: { input: { deviceName: 'Phone' } }, identity: cognitoIdentity({ sub: SUB, 'cognito:username': USERNAME }, []) });

    const { attributeValues } = startDeviceSession.request(ctx) as unknown as PutRequest;

    expect([attributeValues['userAgent'], attributeValues['sourceIp']]).toStrictEqual([{ NULL: null }, { NULL: null }]);
  });

  it('refuses a blank device name', () => {
    const ctx = contextOf({ arguments: { input: { deviceName: '  ' } } });

    expect(resolverErrorOf(() => startDeviceSession.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: 'deviceName must not be empty.' });
  });

  it('refuses a device name over 100 characters', () => {
    const ctx = contextOf({ arguments: { input: { deviceName: 'd'.repeat(101) } } });

    expect(resolverErrorOf(() => startDeviceSession.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: 'deviceName is 101 characters; the limit is 100.' });
  });

  it('returns the session', () => {
    expect(startDeviceSession.response(contextOf({ result: session }))).toBe(session);
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => startDeviceSession.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('listDeviceSessions', () => {
  it('queries the caller\'s sessions that have not expired', () => {
    const ctx = contextOf();

    expect(listDeviceSessions.request(ctx)).toStrictEqual({
      operation: 'Query',
      query: {
        expression: '#pk = :pk_eq AND begins_with(#sk,:sk_beginsWith)',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': OWNER, ':sk_beginsWith': S('SESSION#') },
      },
      limit: 1000,
      filter: { expression: '(#expiresAt > :expiresAt_gt)', expressionNames: { '#expiresAt': 'expiresAt' }, expressionValues: { ':expiresAt_gt': { N: NOW_SECONDS } } },
    });
  });

  it('returns the sessions found', () => {
    const ctx = contextOf({ result: { items: [session], nextToken: null } });

    expect(listDeviceSessions.response(ctx)).toStrictEqual([session]);
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => listDeviceSessions.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('endDeviceSession', () => {
  it('deletes the caller\'s session, if it exists', () => {
    const ctx = contextOf({ arguments: { id: SESSION_ID } });

    expect(endDeviceSession.request(ctx)).toStrictEqual({ operation: 'DeleteItem', key: { pk: OWNER, sk: S(`SESSION#${SESSION_ID}`) }, condition: PK_PRESENT });
  });

  it('refuses an id that is not a ULID', () => {
    const ctx = contextOf({ arguments: { id: 'SESSION#x' } });

    expect(resolverErrorOf(() => endDeviceSession.request(ctx)).errorType).toBe('ValidationError');
  });

  it('answers NotFound when the session is not the caller\'s', () => {
    const ctx = contextOf({ arguments: { id: SESSION_ID }, result: null, error: CONDITION_FAILED });

    expect(resolverErrorOf(() => endDeviceSession.response(ctx))).toMatchObject({ errorType: 'NotFound', message: 'The device session was not found.' });
  });

  it('returns the ended session', () => {
    expect(endDeviceSession.response(contextOf({ arguments: { id: SESSION_ID }, result: session }))).toBe(session);
  });
});

describe('endAllDeviceSessions', () => {
  it('asks the account function to end the caller\'s sessions and sign them out', () => {
    const ctx = contextOf();

    expect(endAllDeviceSessions.request(ctx)).toStrictEqual({ operation: 'Invoke', payload: { action: 'endAllSessions', owner: SUB, username: USERNAME } });
  });

  it('refuses a caller without a username', () => {
    const ctx = contextOf({ identity: { sub: SUB } });

    expect(thrown(() => endAllDeviceSessions.request(ctx))).toBeInstanceOf(UnauthorizedError);
  });

  it('returns what the function reports', () => {
    const ctx = contextOf({ result: { endedSessions: 3, signedOut: true } });

    expect(endAllDeviceSessions.response(ctx)).toStrictEqual({ endedSessions: 3, signedOut: true });
  });

  it('answers InternalFailure when the function failed', () => {
    const ctx = contextOf({ result: null, error: { message: 'Task timed out', type: 'Lambda:Unhandled' } });

    expect(resolverErrorOf(() => endAllDeviceSessions.response(ctx))).toMatchObject({ errorType: 'InternalFailure', message: 'Signing out everywhere failed: Task timed out' });
  });
});
