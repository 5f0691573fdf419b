// Variables that do not coerce to their declared types are refused before anything runs, in AppSync's words: its
// GraphQL engine is graphql-java, whose messages users report from AppSync ("Variable 'input' has coerced Null value
// for NonNull type 'String!'": https://github.com/aws/aws-appsync-community/issues/406,
// https://github.com/awslabs/aws-mobile-appsync-sdk-js/issues/83), in the shape AppSync gives request errors: no
// data, a null path, the location of the variable, no errorType (https://github.com/graphql/graphql-over-http/issues/81).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { graphql, signedInUser, startTestSandbox, type TestSandbox } from '../start.ts';

let t: TestSandbox;
let user: { accessToken: string; sub: string };

beforeAll(async () => {
  t = await startTestSandbox();
  user = await signedInUser(t.sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const as = (token: string): Record<string, string> => ({ authorization: token });

/** AppSync's answer to a request whose variables do not coerce: one error, at the variable's definition. */
function refusal(column: number, message: string | ReturnType<typeof expect.stringMatching>): unknown {
  return { data: null, errors: [{ path: null, locations: [{ line: 1, column, sourceName: null }], message }] };
}

describe('variables that do not coerce', () => {
  it.each([
    ['null', { m: null }],
    ['missing', {}],
  ])('refuses a %s value for a String! variable', async (_case, variables) => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query Q($m: String!) { echo(message: $m) { message } }', variables, as(user.accessToken));

    expect(answer).toEqual({ status: 200, body: refusal(9, "Variable 'm' has coerced Null value for NonNull type 'String!'") });
  });

  it('refuses 1.5 for an Int variable', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query Q($limit: Int) { listNotes(limit: $limit) { items { id } } }', { limit: 1.5 }, as(user.accessToken));

    expect(answer.body).toEqual(refusal(9, "Variable 'limit' has an invalid value : Expected type 'Int' but was 'Double'."));
  });

  // The reason after "has an invalid value :" for an AWS scalar is the sandbox's reading: AWS documents no text for it.
  it('refuses a date that is not a calendar date for an AWSDate variable', async () => {
    const key = t.sandbox.template.api?.apiKeys[0]?.id ?? '';

    const answer = await graphql(t.sandbox.urls.graphql, 'query Q($d: AWSDate) { scalars(d: $d) }', { d: '2024-02-30' }, { 'x-api-key': key });

    expect(answer.body).toEqual(refusal(9, expect.stringMatching(/^Variable 'd' has an invalid value : .*AWSDate/)));
  });

  it('names the variable and the field\'s type for a required field missing inside an input, and writes nothing', async () => {
    const writer = await signedInUser(t.sandbox, 'writer@example.com');

    const answer = await graphql(t.sandbox.urls.graphql, 'mutation C($input: NoteInput!) { createNote(input: $input) { id } }', { input: { tags: ['x'] } }, as(writer.accessToken));

    expect(answer.body).toEqual(refusal(12, "Variable 'input' has coerced Null value for NonNull type 'String!'"));
    const { Count } = await t.sandbox.dynamodb.client.send(new QueryCommand({
      TableName: t.sandbox.template.tables[0]?.tableName ?? '', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `USER#${writer.sub}` } }, Select: 'COUNT',
    }));
    expect(Count).toBe(0);
  });

  it('still runs a request whose variables coerce', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query Q($m: String!) { echo(message: $m) { message } }', { m: 'hi' }, as(user.accessToken));

    expect(answer.body).toEqual({ data: { echo: { message: 'hi' } } });
  });
});
