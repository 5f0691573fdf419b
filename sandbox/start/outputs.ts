// amplify_outputs.json in Amplify Gen 2's format, from the synthesized template, so a web app runs against the
// sandbox with Amplify.configure(outputs). Field names: Amplify's AmplifyOutputs type (its internal path, so the part
// we write is declared here; a test parses the file with aws-amplify's own parseAmplifyConfig).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SandboxUrls } from '../sandbox.ts';
import { userPoolSettingsFromTemplate } from '../cognito/pool.ts';
import { apiUserPool, type SandboxTemplate } from '../template/model.ts';

/** What Amplify cannot read from its own keys: under `custom`, which its parser passes through untouched. */
export interface SandboxCustomOutputs {
  cognito_endpoint: string;
  graphql_https_url: string;
  realtime_url: string;
  realtime_wss_url: string;
  playground_url: string;
  certificate_path: string;
}

/** The `auth` and `data` sections this file writes, in the names and shapes of Amplify's outputs (version 1). */
export interface SandboxOutputs {
  version: string;
  auth?: {
    aws_region: string;
    user_pool_id: string;
    user_pool_client_id: string;
    password_policy: { min_length: number; require_lowercase: boolean; require_numbers: boolean; require_symbols: boolean; require_uppercase: boolean };
    standard_required_attributes: string[];
    username_attributes: string[];
    user_verification_types: string[];
    unauthenticated_identities_enabled: boolean;
    mfa_configuration: string;
    mfa_methods: string[];
    groups: string[];
  };
  data?: { aws_region: string; url: string; default_authorization_type: string; authorization_types: string[]; api_key?: string };
  custom: { sandbox: SandboxCustomOutputs };
}

/** Cognito's MfaConfiguration (OFF | ON | OPTIONAL) in the outputs' words. */
const MFA: Record<string, string> = { OFF: 'NONE', ON: 'REQUIRED', OPTIONAL: 'OPTIONAL' };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function amplifyOutputs(template: SandboxTemplate, urls: SandboxUrls, certificatePath: string): SandboxOutputs {
  const region = template.region;
  const outputs: SandboxOutputs = {
    version: '1.4',
    custom: {
      sandbox: {
        cognito_endpoint: urls.cognito,
        graphql_https_url: urls.graphqlHttps,
        realtime_url: urls.realtime,
        realtime_wss_url: urls.realtimeWss,
        playground_url: `${urls.base}/`,
        certificate_path: certificatePath,
      },
    },
  };
  const pool = apiUserPool(template);
  const client = pool?.clients[0];
  if (pool && client) {
    const policy = userPoolSettingsFromTemplate(pool.properties, []).passwordPolicy;
    const schema = Array.isArray(pool.properties.Schema) ? (pool.properties.Schema as { Name?: string; Required?: boolean }[]) : [];
    outputs.auth = {
      aws_region: region,
      user_pool_id: pool.poolId,
      user_pool_client_id: client.clientId,
      password_policy: {
        min_length: policy.minimumLength,
        require_lowercase: policy.requireLowercase,
        require_numbers: policy.requireNumbers,
        require_symbols: policy.requireSymbols,
        require_uppercase: policy.requireUppercase,
      },
      standard_required_attributes: schema.filter((a) => a.Required === true && typeof a.Name === 'string').map((a) => a.Name ?? ''),
      username_attributes: strings(pool.properties.UsernameAttributes),
      user_verification_types: strings(pool.properties.AutoVerifiedAttributes),
      unauthenticated_identities_enabled: false,
      mfa_configuration: MFA[typeof pool.properties.MfaConfiguration === 'string' ? pool.properties.MfaConfiguration : 'OFF'] ?? 'NONE',
      mfa_methods: [],
      groups: [],
    };
  }
  const api = template.api;
  if (api) {
    outputs.data = {
      aws_region: region,
      url: urls.graphql,
      default_authorization_type: api.auth.default.type,
      authorization_types: api.auth.additional.map((p) => p.type),
    };
    const apiKey = api.apiKeys[0];
    if (apiKey) outputs.data.api_key = apiKey.id;
  }
  return outputs;
}

/** Writes the file whole (rename over), so a watcher never reads half of it. */
export function writeOutputs(path: string, outputs: SandboxOutputs): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(outputs, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
