// The template loader reads cdk synth output as the sandbox serves it, and names the resource and
// property of anything it cannot serve.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadTemplate, TemplateError } from '../../../../sandbox/template/load.ts';

const urls = { graphqlUrl: 'http://127.0.0.1:4000/graphql', realtimeUrl: 'ws://127.0.0.1:4000/graphql/realtime' };

function write(resources: Record<string, unknown>, outputs: Record<string, unknown> = {}, assets: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'template-'));
  writeFileSync(join(dir, 'Stack.template.json'), JSON.stringify({ Resources: resources, Outputs: outputs }));
  writeFileSync(join(dir, 'Stack.assets.json'), JSON.stringify({ files: assets }));
  return dir;
}

const api = {
  Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'a', AuthenticationType: 'API_KEY' } },
  Schema: { Type: 'AWS::AppSync::GraphQLSchema', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Definition: 'type Query { a: String }' } },
};

describe('loadTemplate', () => {
  it('says to synthesize first when the template is missing', () => {
    expect(() => loadTemplate({ cdkOut: mkdtempSync(join(tmpdir(), 'empty-')), stackName: 'Nope', ...urls })).toThrow(/Nope.template.json not found: run 'npm run synth'/);
  });

  it('refuses an AppSync resource type it does not serve, naming the resource', () => {
    const dir = write({ ...api, Cache: { Type: 'AWS::AppSync::ApiCache', Properties: {} } });

    expect(() => loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls })).toThrow(new TemplateError('Cache', 'Type', 'AWS::AppSync::ApiCache is not supported by the sandbox'));
  });

  it('refuses VTL resolvers, naming the resolver and the property', () => {
    const dir = write({ ...api, R: { Type: 'AWS::AppSync::Resolver', Properties: { TypeName: 'Query', FieldName: 'a', RequestMappingTemplate: '{}' } } });

    expect(() => loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls })).toThrow('R.RequestMappingTemplate: VTL resolvers are not supported by the sandbox; use APPSYNC_JS');
  });

  it('refuses an intrinsic it cannot resolve, naming where it is', () => {
    const dir = write({ ...api, T: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { 'Fn::If': ['c', 'a', 'b'] } } } });

    expect(() => loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls })).toThrow('T.Properties: Fn::If is not supported by the sandbox');
  });

  it('refuses a Ref to a resource the sandbox does not serve', () => {
    const dir = write({ ...api, T: { Type: 'AWS::DynamoDB::Table', Properties: { Tags: [{ Key: 'k', Value: { Ref: 'SomeBucket' } }] } } });

    expect(() => loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls })).toThrow("T.Properties: Ref to 'SomeBucket', which the sandbox does not serve");
  });

  it('refuses inline Lambda code', () => {
    const dir = write({ F: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'exports.handler=()=>1' }, Handler: 'index.handler' } } });

    expect(() => loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls })).toThrow('F.Code.ZipFile: inline Lambda code is not supported by the sandbox; use an asset');
  });

  it('resolves Fn::Join, Fn::Sub, Fn::Select, Fn::Split and pseudo parameters', () => {
    const dir = write({
      T: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          Tags: [
            { Key: 'join', Value: { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }]] } },
            { Key: 'sub', Value: { 'Fn::Sub': ['${X}/${AWS::AccountId}/${T.Arn}/${!Literal}', { X: 'x' }] } },
            { Key: 'select', Value: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] } },
          ],
          Removed: { Ref: 'AWS::NoValue' },
        },
      },
    });

    const template = loadTemplate({ cdkOut: dir, stackName: 'Stack', region: 'eu-west-1', accountId: '111122223333', ...urls });

    expect(template.tables[0]?.properties).toEqual({
      Tags: [
        { Key: 'join', Value: 'a-eu-west-1' },
        { Key: 'sub', Value: 'x/111122223333/arn:aws:dynamodb:eu-west-1:111122223333:table/Stack-T/${Literal}' },
        { Key: 'select', Value: 'b' },
      ],
    });
  });

  it('keeps ids stable across loads, so tokens survive a restart', () => {
    const dir = write({ ...api, Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} } });

    const first = loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls });
    const second = loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls });

    expect(first.userPools[0]?.poolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(second.userPools[0]?.poolId).toBe(first.userPools[0]?.poolId);
    expect(second.api?.apiId).toBe(first.api?.apiId);
  });

  it('prints outputs it can resolve and leaves out those it cannot', () => {
    const dir = write(api, { Url: { Value: { 'Fn::GetAtt': ['Api', 'GraphQLUrl'] } }, Bucket: { Value: { Ref: 'Bucket' } } });

    expect(loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls }).outputs).toEqual({ Url: urls.graphqlUrl });
  });

  it('reads inline resolver code and refuses an asset missing from the manifest', () => {
    const inline = write({ ...api, R: { Type: 'AWS::AppSync::Resolver', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, TypeName: 'Query', FieldName: 'a', DataSourceName: 'N', Code: 'export function request(){return {}}', Runtime: { Name: 'APPSYNC_JS' } } } });
    const missing = write({ ...api, R: { Type: 'AWS::AppSync::Resolver', Properties: { TypeName: 'Query', FieldName: 'a', CodeS3Location: 's3://bucket/abc.js', Runtime: { Name: 'APPSYNC_JS' } } } });

    expect(loadTemplate({ cdkOut: inline, stackName: 'Stack', ...urls }).api?.resolvers[0]?.code?.code).toBe('export function request(){return {}}');
    expect(() => loadTemplate({ cdkOut: missing, stackName: 'Stack', ...urls })).toThrow('R.CodeS3Location: asset abc.js is not in Stack.assets.json');
  });

  it('refuses a data source type it does not serve', () => {
    const dir = write({ ...api, D: { Type: 'AWS::AppSync::DataSource', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Name: 'os', Type: 'AMAZON_OPENSEARCH_SERVICE' } } });

    expect(() => loadTemplate({ cdkOut: dir, stackName: 'Stack', ...urls })).toThrow('D.Type: data source type AMAZON_OPENSEARCH_SERVICE is not supported by the sandbox');
  });
});
