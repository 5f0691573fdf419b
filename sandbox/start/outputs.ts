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
  /** The test kit's route (`POST <admin_url><action>`) and this start's secret for it; only in the sandbox's own file. */
  admin_url?: string;
  admin_secret?: string;
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
  /** Only the sandbox's file has it: a deployed stack needs no more than Amplify's own keys. */
  custom?: { sandbox: SandboxCustomOutputs };
}

/** Cognito's MfaConfiguration (OFF | ON | OPTIONAL) in the outputs' words. */
const MFA: Record<string, string> = { OFF: 'NONE', ON: 'REQUIRED', OPTIONAL: 'OPTIONAL' };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** What the outputs are made of, wherever the API runs: the sandbox's template, or a deployed stack's. */
export interface OutputsSource {
  region: string;
  /** The user pool's ids and its template properties (password policy, schema, verification, MFA). */
  userPool?: { poolId: string; clientId: string; properties: Record<string, unknown> };
  api?: { url: string; defaultAuthorizationType: string; additionalAuthorizationTypes: string[]; apiKey?: string };
  custom?: SandboxOutputs['custom'];
}

/** amplify_outputs.json from its parts: the one function behind both the sandbox's file and a deployed stack's. */
export function outputsOf(source: OutputsSource): SandboxOutputs {
  const region = source.region;
  const outputs: SandboxOutputs = { version: '1.4', ...(source.custom ? { custom: source.custom } : {}) };
  const pool = source.userPool;
  if (pool) {
    const policy = userPoolSettingsFromTemplate(pool.properties, []).passwordPolicy;
    const schema = Array.isArray(pool.properties.Schema) ? (pool.properties.Schema as { Name?: string; Required?: boolean }[]) : [];
    outputs.auth = {
      aws_region: region,
      user_pool_id: pool.poolId,
      user_pool_client_id: pool.clientId,
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
  const api = source.api;
  if (api) {
    outputs.data = {
      aws_region: region,
      url: api.url,
      default_authorization_type: api.defaultAuthorizationType,
      authorization_types: api.additionalAuthorizationTypes,
      ...(api.apiKey ? { api_key: api.apiKey } : {}),
    };
  }
  return outputs;
}

/** `admin`: the test kit's route and secret, for tests in another process (sandbox/admin/); the file is the sandbox's own, git-ignored. */
export function amplifyOutputs(template: SandboxTemplate, urls: SandboxUrls, certificatePath: string, admin?: { url: string; secret: string }): SandboxOutputs {
  const pool = apiUserPool(template);
  const client = pool?.clients[0];
  const api = template.api;
  const apiKey = api?.apiKeys[0]?.id;
  return outputsOf({
    region: template.region,
    ...(pool && client ? { userPool: { poolId: pool.poolId, clientId: client.clientId, properties: pool.properties } } : {}),
    ...(api ? { api: { url: urls.graphql, defaultAuthorizationType: api.auth.default.type, additionalAuthorizationTypes: api.auth.additional.map((p) => p.type), ...(apiKey ? { apiKey } : {}) } } : {}),
    custom: {
      sandbox: {
        cognito_endpoint: urls.cognito,
        graphql_https_url: urls.graphqlHttps,
        realtime_url: urls.realtime,
        realtime_wss_url: urls.realtimeWss,
        playground_url: `${urls.base}/`,
        certificate_path: certificatePath,
        ...(admin ? { admin_url: admin.url, admin_secret: admin.secret } : {}),
      },
    },
  });
}

/** Writes the file whole (rename over), so a watcher never reads half of it. */
export function writeOutputs(path: string, outputs: SandboxOutputs): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(outputs, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
