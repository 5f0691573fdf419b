// The GraphQL API's request limits, read from AWS::AppSync::GraphQLApi's QueryDepthLimit and ResolverCountLimit
// ("AWS::AppSync::GraphQLApi": 0 or absent is no depth limit and 10,000 resolvers; set, 1 to 75 and 1 to 10,000).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadTemplate } from '../../../../sandbox/template/load.ts';

const urls = { graphqlUrl: 'http://127.0.0.1:4000/graphql', realtimeUrl: 'ws://127.0.0.1:4000/graphql/realtime' };

function loadApiWith(properties: Record<string, unknown>): ReturnType<typeof loadTemplate>['api'] {
  const dir = mkdtempSync(join(tmpdir(), 'template-'));
  writeFileSync(join(dir, 'Stack.template.json'), JSON.stringify({
    Resources: {
      Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'a', AuthenticationType: 'API_KEY', ...properties } },
      Schema: { Type: 'AWS::AppSync::GraphQLSchema', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Definition: 'type Query { a: String }' } },
    },
  }));
  writeFileSync(join(dir, 'Stack.assets.json'), JSON.stringify({ files: {} }));
  return loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls }).api;
}

describe('the API limits', () => {
  it('reads QueryDepthLimit and ResolverCountLimit', () => {
    expect(loadApiWith({ QueryDepthLimit: 8, ResolverCountLimit: 20 })?.limits).toEqual({ queryDepth: 8, resolverCount: 20 });
  });

  it.each([
    ['absent', {}],
    ['0', { QueryDepthLimit: 0, ResolverCountLimit: 0 }],
  ])('reads %s limits as no depth limit and 10,000 resolvers, AppSync\'s defaults', (_case, properties) => {
    expect(loadApiWith(properties)?.limits).toEqual({ queryDepth: null, resolverCount: 10_000 });
  });

  it.each([
    ['a depth over 75', { QueryDepthLimit: 76 }, 'Api.QueryDepthLimit: must be an integer from 0 to 75, got 76'],
    ['a resolver count over 10,000', { ResolverCountLimit: 10_001 }, 'Api.ResolverCountLimit: must be an integer from 0 to 10000, got 10001'],
    ['a depth that is not an integer', { QueryDepthLimit: 2.5 }, 'Api.QueryDepthLimit: must be an integer from 0 to 75, got 2.5'],
  ])('refuses %s, as CloudFormation would', (_case, properties, message) => {
    expect(() => loadApiWith(properties)).toThrow(message);
  });
});
