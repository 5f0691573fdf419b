// The synthesized dev stage, functions and resolvers bundled, loads in the sandbox as `npm start` loads it. The
// template is the one this run's global setup synthesized with infra/'s `synthesize` (test/support/product-template.ts),
// which every end-to-end test also serves: synthesized here only when this file runs on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RESOLVERS } from '../../../infra/resolver-list.ts';
import { loadTemplate } from '../../../sandbox/template/load.ts';
import type { SandboxTemplate } from '../../../sandbox/template/model.ts';
import { productTemplate } from '../../support/product-template.ts';

let dir: string;
let outdir: string;
let stackName: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chat-infra-sandbox-'));
  ({ cdkOut: outdir, stackName } = await productTemplate(dir));
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const load = (): SandboxTemplate => loadTemplate({ cdkOut: outdir, stackName, graphqlUrl: 'http://127.0.0.1:4000/graphql', realtimeUrl: 'ws://127.0.0.1:4000/graphql/realtime' });

describe('the synthesized dev template', () => {
  it('is named after its stage', () => {
    expect(stackName).toBe('ChatApi-dev');
  });

  it('loads in the sandbox', () => {
    expect(load).not.toThrow();
  });

  it('gives the sandbox the API, the table, the bucket, the functions (a Lambda tool\'s too) and the user pool', () => {
    const template = load();

    expect([...(template.api?.dataSources.keys() ?? [])].sort()).toEqual(['AccountFunction', 'AttachmentsFunction', 'ChatFunction', 'ChatTable', 'None']);
    expect(template.tables).toHaveLength(1);
    expect(template.buckets).toEqual([expect.objectContaining({ bucketName: template.outputs.AttachmentBucketName, corsConfiguration: expect.anything(), lifecycleConfiguration: expect.anything() })]);
    expect(template.functions.map((f) => f.environment.POWERTOOLS_SERVICE_NAME).sort()).toEqual(['account', 'attachments', 'chat', 'convert_units']);
    expect(template.userPools).toEqual([expect.objectContaining({ clients: [expect.anything()] })]);
    expect(template.outputs).toMatchObject({ GraphQLUrl: 'http://127.0.0.1:4000/graphql', Region: 'us-east-1' });
  });

  it('runs the chat function with no async retries', () => {
    const chat = load().functions.find((f) => f.environment.POWERTOOLS_SERVICE_NAME === 'chat');

    expect(chat?.maxEventRetries).toBe(0);
  });

  it('serves every listed resolver with bundled code', () => {
    const resolvers = load().api?.resolvers ?? [];

    expect(resolvers.map((r) => `${r.typeName}.${r.fieldName}`).sort()).toEqual(RESOLVERS.map((s) => `${s.typeName}.${s.fieldName}`).sort());
    for (const resolver of resolvers) expect(resolver.code?.code).toMatch(/export\s*\{|export function/);
  });
});
