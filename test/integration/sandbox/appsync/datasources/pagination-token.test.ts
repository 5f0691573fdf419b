// The DynamoDB data source's nextToken through the sandbox: opaque, as AppSync's are ("AWS AppSync JavaScript
// resolver function reference for DynamoDB", Query: "AWS AppSync encrypts and obfuscates the pagination token"),
// good only for the caller it was given to, and refused cleanly, before DynamoDB, when it is not one the sandbox gave.
// The refusal is AppSync's own answer to a bad token, as users report it
// (https://github.com/aws-amplify/amplify-hosting/issues/433, https://github.com/aws-amplify/amplify-js/issues/4880).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, signedInUser, startTestSandbox, type TestSandbox } from '../../start.ts';

let t: TestSandbox;
let ana: { accessToken: string; sub: string };
let bo: { accessToken: string; sub: string };
let token: string;

const LIST = 'query L($next: String) { listNotes(limit: 2, nextToken: $next) { items { text } nextToken } }';
const as = (accessToken: string): Record<string, string> => ({ authorization: accessToken });

beforeAll(async () => {
  t = await startTestSandbox();
  ana = await signedInUser(t.sandbox, 'ana@example.com');
  bo = await signedInUser(t.sandbox, 'bo@example.com');
  for (const text of ['one', 'two', 'three']) {
    await graphql(t.sandbox.urls.graphql, 'mutation C($text: String!) { createNote(input: { text: $text }) { id } }', { text }, as(ana.accessToken));
  }
  await graphql(t.sandbox.urls.graphql, 'mutation { createNote(input: { text: "bo" }) { id } }', {}, as(bo.accessToken));
  const first = await graphql(t.sandbox.urls.graphql, LIST, {}, as(ana.accessToken));
  token = (first.body.data?.listNotes as { nextToken: string }).nextToken;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** AppSync's error for a nextToken it cannot use, on the field that was given it. */
const INVALID_TOKEN = {
  path: ['listNotes'], data: null, errorType: 'DynamoDB:UserIllegalArgumentException', errorInfo: null,
  locations: [{ line: 1, column: 26, sourceName: null }],
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};

/** Every text the token shows when read as base64 or base64url, whichever it is. */
function readable(value: string): string {
  return [Buffer.from(value, 'base64url'), Buffer.from(value, 'base64')].map((bytes) => bytes.toString('latin1')).join(' ');
}

describe('nextToken', () => {
  it('shows neither the caller\'s sub nor the table\'s key names or values', () => {
    expect(readable(token)).not.toContain(ana.sub);
    for (const part of ['USER#', 'NOTE#', '"pk"', '"sk"']) expect(readable(token)).not.toContain(part);
  });

  it('pages on for the caller it was given to', async () => {
    const second = await graphql(t.sandbox.urls.graphql, LIST, { next: token }, as(ana.accessToken));

    expect(second.body).toEqual({ data: { listNotes: { items: [{ text: 'one' }], nextToken: null } } });
  });

  it('is refused with AppSync\'s invalid-token error when another user sends it, and reads nothing', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, LIST, { next: token }, as(bo.accessToken));

    expect(answer.body).toEqual({ data: { listNotes: null }, errors: [INVALID_TOKEN] });
  });

  it.each([
    ['one character changed', (): string => `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`],
    ['cut short', (): string => token.slice(0, -4)],
    ['not a token at all', (): string => 'not a token'],
    ['a key written by hand, the layout an unencrypted token would have', (): string => Buffer.from(JSON.stringify({ pk: { S: `USER#${bo.sub}` }, sk: { S: 'NOTE#0' } })).toString('base64url')],
  ])('is refused with AppSync\'s invalid-token error, never a DynamoDB error, when %s', async (_case, tampered) => {
    const answer = await graphql(t.sandbox.urls.graphql, LIST, { next: tampered() }, as(ana.accessToken));

    expect(answer.body).toEqual({ data: { listNotes: null }, errors: [INVALID_TOKEN] });
  });
});
