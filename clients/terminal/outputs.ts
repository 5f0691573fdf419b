// Reads amplify_outputs.json (Amplify Gen 2) into what the terminal chat needs: the user pool, the GraphQL
// URL and the real-time URL, from the sandbox's `custom.sandbox` keys or derived as AppSync derives them.
import { readFileSync } from 'node:fs';
import { realtimeUrlFor } from '../kit/index.ts';

export interface ChatConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** The sandbox's Cognito endpoint; undefined for real Cognito (cognito-idp.<region>.amazonaws.com). */
  cognitoEndpoint: string | undefined;
  graphqlUrl: string;
  realtimeUrl: string;
}

export class OutputsError extends Error {
  readonly errorType = 'OutputsError';
}

interface RawOutputs {
  auth?: { aws_region?: unknown; user_pool_id?: unknown; user_pool_client_id?: unknown };
  data?: { aws_region?: unknown; url?: unknown };
  custom?: { sandbox?: { cognito_endpoint?: unknown; realtime_url?: unknown } };
}

/** Where real Cognito answers for a region (what amazon-cognito-identity-js calls when given no endpoint). */
export function cognitoEndpointFor(config: ChatConfig): string {
  return config.cognitoEndpoint ?? `https://cognito-idp.${config.region}.amazonaws.com/`;
}

function text(value: unknown, name: string, path: string): string {
  if (typeof value !== 'string' || value === '') throw new OutputsError(`${path} has no ${name}: is it an Amplify Gen 2 outputs file with auth and data?`);
  return value;
}

export function parseOutputs(json: string, path: string): ChatConfig {
  let raw: RawOutputs;
  try {
    raw = JSON.parse(json) as RawOutputs;
  } catch (error) {
    throw new OutputsError(`${path} is not JSON (${(error as Error).message}): run npm start again to rewrite it`);
  }
  const graphqlUrl = text(raw.data?.url, 'data.url', path);
  const sandbox = raw.custom?.sandbox;
  return {
    region: text(raw.auth?.aws_region ?? raw.data?.aws_region, 'auth.aws_region', path),
    userPoolId: text(raw.auth?.user_pool_id, 'auth.user_pool_id', path),
    clientId: text(raw.auth?.user_pool_client_id, 'auth.user_pool_client_id', path),
    cognitoEndpoint: typeof sandbox?.cognito_endpoint === 'string' ? sandbox.cognito_endpoint : undefined,
    graphqlUrl,
    realtimeUrl: typeof sandbox?.realtime_url === 'string' ? sandbox.realtime_url : realtimeUrlFor(graphqlUrl),
  };
}

export function readOutputs(path: string): ChatConfig {
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new OutputsError(`no ${path}: run npm start first, or pass --outputs <amplify_outputs.json>`);
    throw new OutputsError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseOutputs(json, path);
}
