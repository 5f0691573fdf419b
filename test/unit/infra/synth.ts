// Synthesizes the chat stack for the infra tests: into a temporary folder, functions not bundled unless asked.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../../infra/app.ts';
import type { Stage } from '../../../infra/config.ts';
import { DEFAULT_ENTRIES, type FunctionEntries } from '../../../infra/functions.ts';
import type { ChatApiStack } from '../../../infra/stack.ts';

const STUB_HANDLER = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

/** The real handlers, or a stand-in for one that is not written yet (the stack refuses a missing entry). */
export function testEntries(): FunctionEntries {
  const pick = (entry: string): string => (existsSync(entry) ? entry : STUB_HANDLER);
  return { chat: pick(DEFAULT_ENTRIES.chat), account: pick(DEFAULT_ENTRIES.account), attachments: pick(DEFAULT_ENTRIES.attachments) };
}

export interface SynthesizedStage { stack: ChatApiStack; outdir: string; dispose: () => void }

/** The stage's stack, constructed (not yet synthesized) in its own temporary cloud assembly folder. */
export function buildStage(stage: Stage, bundle = false, context: Record<string, unknown> = {}): SynthesizedStage {
  const outdir = mkdtempSync(join(tmpdir(), `chat-infra-${stage}-`));
  const { stack } = createApp({ stage, outdir, bundle, entries: testEntries(), context });
  return { stack, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

export type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The one Lambda function whose POWERTOOLS_SERVICE_NAME is `service`. */
export function lambdaOf(template: Template, service: string): [string, Record<string, unknown>] {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: service } } },
  }) as Resources;
  const entries = Object.entries(functions);
  expect(entries).toHaveLength(1);
  const [logicalId, resource] = entries[0] ?? ['', { Properties: {} }];
  return [logicalId, resource.Properties];
}

/** Every IAM statement attached to the role of the given function. */
export function statementsOf(template: Template, functionProperties: Record<string, unknown>): { Action: unknown; Resource: unknown }[] {
  const roleId = (functionProperties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }) as Resources;
  return Object.values(policies).flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement);
}

export const actionsOf = (statement: { Action: unknown }): string[] => [statement.Action].flat() as string[];
