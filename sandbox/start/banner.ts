// The one banner `npm start` prints once the sandbox answers: every URL and id a front end needs, and how to use them.
import { isAbsolute, join, relative } from 'node:path';
import { ADMIN_PATH } from '../admin/service.ts';
import type { SandboxUrls } from '../sandbox.ts';

export const READY_MARK = 'Sandbox ready in';

export interface BannerInput {
  stackName: string;
  urls: SandboxUrls;
  userPoolId: string;
  clientId: string;
  demoUser: { username: string; password: string };
  realClaude: boolean;
  /** The chat function calls Claude on Bedrock (CLAUDE_PROVIDER=bedrock in the template). */
  bedrock?: boolean;
  certificatePath: string;
  outputsPath: string;
  readyMs: number;
  synth: string;
  /** The state folder when --persist keeps tables and users in it; null when they live in memory. */
  persist: string | null;
}

/** A path as the user typed it would be: relative to where they are when it is inside. */
export function shownPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}

export function bannerText(input: BannerInput, cwd = process.cwd()): string {
  const { urls } = input;
  const row = (label: string, value: string): string => `  ${label.padEnd(13)}${value}`;
  const more = (value: string): string => `  ${' '.repeat(13)}${value}`;
  const cert = shownPath(input.certificatePath, cwd);
  const outputs = shownPath(input.outputsPath, cwd);
  return [
    '',
    `  ${READY_MARK} ${(input.readyMs / 1000).toFixed(1)} s  (stack ${input.stackName}, ${input.synth})`,
    '',
    row('GraphQL', urls.graphql),
    more(urls.graphqlHttps),
    row('Real-time', urls.realtime),
    more(urls.realtimeWss),
    row('Playground', `${urls.base}/`),
    row('Cognito', `${urls.cognito}  (user pool ${input.userPoolId}, client ${input.clientId})`),
    row('Demo user', `${input.demoUser.username} / ${input.demoUser.password}`),
    row('Claude', claudeRow(input)),
    row('Data', input.persist === null
      ? 'tables and Cognito users in memory (npm start -- --persist keeps them)'
      : `tables kept in ${shownPath(join(input.persist, 'dynamodb'), cwd)}, Cognito users in ${shownPath(join(input.persist, 'cognito'), cwd)}`),
    row('Certificate', cert),
    more(`for Node clients over https/wss: NODE_EXTRA_CA_CERTS=${cert}`),
    row('Outputs', outputs),
    more(`web app: import outputs from '${isAbsolute(outputs) ? outputs : `./${outputs}`}'; const c = parseAmplifyConfig(outputs);`),
    more(`Amplify.configure({ ...c, Auth: { Cognito: { ...c.Auth!.Cognito!, userPoolEndpoint: '${urls.cognito}' } } });`),
    row('Test kit', `POST ${urls.base}${ADMIN_PATH}<action> from this machine, with the secret of this start`),
    more(`(custom.sandbox.admin_secret in ${outputs}) in the x-sandbox-admin-secret header`),
    '',
    '  Watching resolvers/ and functions/ for edits. Ctrl-C to stop.',
    '',
  ].join('\n');
}

function claudeRow(input: BannerInput): string {
  const standIn = input.urls.claude ?? '';
  if (input.bedrock) return input.realClaude ? 'Claude on Bedrock (no stand-in: ANTHROPIC_API_KEY is set, and Bedrock is not reachable from the sandbox)' : `Claude on Bedrock, the local stand-in at ${standIn}/bedrock (SigV4 checked)`;
  return input.realClaude ? 'the real Anthropic API (ANTHROPIC_API_KEY is set)' : `the local stand-in at ${standIn} (set ANTHROPIC_API_KEY for the real API)`;
}
