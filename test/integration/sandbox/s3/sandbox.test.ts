// The sandbox serves S3 from the synthesized template like every other resource: a CDK stack's private, encrypted bucket
// with CORS and lifecycle rules is served at urls.s3 under its physical name, signed with the sandbox's credentials.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { startSandbox, type Sandbox } from '../../../../sandbox/sandbox.ts';
import { memorySink } from '../../../../sandbox/log.ts';
import { fixtureApp } from '../../../support/fixture-app.ts';
import { sharedTestParts } from '../../../support/sandbox-options.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-s3-'));
let sandbox: Sandbox;

/** A stack with what the sandbox requires (an API) and a bucket as issue 13's attachments need it. */
function synthBucketStack(outdir: string): string {
  const app = fixtureApp(outdir);
  const stack = new Stack(app, 'S3TestStack');
  new appsync.GraphqlApi(stack, 'Api', { name: 's3-test', definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(join(import.meta.dirname, '../../../fixtures/api/schema.graphql'))) });
  const bucket = new s3.Bucket(stack, 'Attachments', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    cors: [{ allowedOrigins: ['http://localhost:5173'], allowedMethods: [s3.HttpMethods.POST], allowedHeaders: ['*'] }],
    lifecycleRules: [{ prefix: 'pending/', expiration: Duration.days(1) }],
  });
  new CfnOutput(stack, 'BucketName', { value: bucket.bucketName });
  app.synth();
  return stack.stackName;
}

beforeAll(async () => {
  const stackName = synthBucketStack(join(dir, 'cdk.out'));
  sandbox = await startSandbox({ cdkOut: join(dir, 'cdk.out'), stackName, stateDir: join(dir, 'state'), logSink: memorySink(), ...sharedTestParts() });
});

afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

const client = (): S3Client => new S3Client({ endpoint: sandbox.urls.s3, region: sandbox.template.region, forcePathStyle: true, credentials: sandbox.iam, maxAttempts: 1 });

describe('S3 in the sandbox', () => {
  it('serves the template\'s bucket under the name its Ref resolves to, at urls.s3', async () => {
    const [bucket] = sandbox.s3.buckets;

    await client().send(new PutObjectCommand({ Bucket: bucket, Key: 'pending/a.txt', Body: 'through the front server' }));
    const got = await client().send(new GetObjectCommand({ Bucket: bucket, Key: 'pending/a.txt' }));

    expect(sandbox.urls.s3).toBe(`${sandbox.urls.base}/s3`);
    expect(bucket).toBe(sandbox.template.outputs.BucketName);
    expect(bucket).toMatch(/^s3teststack-attachments[0-9a-f]{8}-[a-z0-9]{12}$/);
    expect(await got.Body?.transformToString()).toBe('through the front server');
  });

  it('applies the template\'s CORS rule to a browser\'s preflight', async () => {
    const [bucket = ''] = sandbox.s3.buckets;

    const allowed = await fetch(`${sandbox.urls.s3}/${bucket}`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const refused = await fetch(`${sandbox.urls.s3}/${bucket}`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' } });

    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(refused.status).toBe(403);
  });

  it('accepts a presigned POST signed with the sandbox\'s credentials', async () => {
    const [bucket = ''] = sandbox.s3.buckets;
    const post = await createPresignedPost(client(), { Bucket: bucket, Key: 'pending/u1/doc.pdf', Conditions: [['content-length-range', 1, 100]], Expires: 60 });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob(['%PDF-1.7']), 'doc.pdf');

    const response = await fetch(post.url, { method: 'POST', body: form });

    expect(post.url).toBe(`${sandbox.urls.s3}/${bucket}`);
    expect(response.status).toBe(204);
  });
});
