// The sandbox as a test kit for the apps built on the API: scripting the Claude stand-in and setting state a UI test
// needs (a day's usage, tokens expired now, real-time sockets cut), as `sandbox.script` and `sandbox.admin` in the
// test's process and as `POST /_sandbox/admin/<action>` for tests in another one (access.ts says who may call it).
// Nothing here exists on AWS: it is the sandbox's own addition.
import type { Route } from '../aws/http.ts';
import { BodyTooLargeError, readBody, sendJson } from '../aws/http.ts';
import { AwsServiceError } from '../aws/json-protocol.ts';
import type { ServiceInstance } from '../aws/service.ts';
import type { RealtimeHub } from '../appsync/realtime/core.ts';
import { ScriptError, type ClaudeScript, type ScriptStep, type ScriptTarget } from '../claude-stand-in/script.ts';
import type { UserPool } from '../cognito/pool.ts';
import type { Logger } from '../log.ts';
import { adminRefusal } from './access.ts';
import { AdminError, requireTable, type KitTable } from './table.ts';
import { setUsage, type UsageSetting } from './usage.ts';
import { createTestUser, type CreatedUser } from './users.ts';

export const ADMIN_PATH = '/_sandbox/admin/';

/** State a UI test sets: a quota's, an expired session's, a lost connection's. */
export interface SandboxAdmin {
  /** Sets the user's spent tokens for a UTC day (default today), as the chat function would have added them. */
  setUsage(sub: string, usage: UsageSetting): Promise<void>;
  /**
   * The user's id and access tokens issued until now expire now: AppSync answers UnauthorizedException to them and
   * the real-time endpoint ends what they hold open, as at their expiry. Refresh tokens still work.
   */
  expireTokens(sub: string): { connections: number; subscriptions: number };
  /** Cuts the user's real-time sockets without a close frame, as a lost network would; clients reconnect. */
  dropSockets(sub: string): { dropped: number };
}

export interface AdminOptions {
  /** Made at each start; callers of the route must present it. */
  secret: string;
  /** The stand-in's script; null when the sandbox calls the real Anthropic API. */
  script: ClaudeScript | null;
  table: KitTable | null;
  userPools: readonly UserPool[];
  realtime: RealtimeHub;
  log: Logger;
}

export interface AdminService extends ServiceInstance {
  readonly routes: readonly [Route];
  readonly admin: SandboxAdmin;
  /** The stand-in's script, or one whose every use throws when the sandbox calls the real API. */
  readonly script: ClaudeScript;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** What scripting says when there is no stand-in to script. */
export function realClaudeScript(): ClaudeScript {
  const off = (): never => {
    throw new AdminError('StandInOff', 'the sandbox calls the real Anthropic API (anthropicApiKey is set): there is no Claude stand-in to script', 409);
  };
  return { scriptNext: off, scriptFor: off, clearScripts: off, get calls() { return off(); } };
}

function requireSub(sub: unknown): string {
  if (typeof sub !== 'string' || sub === '') throw new AdminError('ValidationError', 'give the user\'s Cognito sub (the `sub` claim of their tokens)', 400);
  return sub;
}

function stateHelpers(options: AdminOptions): SandboxAdmin {
  return {
    setUsage: (sub, usage) => setUsage(requireTable(options.table), sub, usage),
    expireTokens: (sub) => {
      const known = options.userPools.filter((pool) => pool.expireTokens(requireSub(sub)));
      if (known.length === 0) throw new AdminError('NotFound', `no user of the sandbox's user pools has the sub ${sub}`, 404);
      return options.realtime.expireWhere((caller) => {
        const claims = (caller.identity as { claims?: Record<string, unknown> } | null)?.claims;
        return claims !== undefined && known.some((pool) => pool.isExpired(claims));
      });
    },
    dropSockets: (sub) => {
      const wanted = requireSub(sub);
      return { dropped: options.realtime.dropWhere((caller) => (caller.identity as { sub?: unknown } | null)?.sub === wanted) };
    },
  };
}

/**
 * `create-user` (`{ email?, password?, poolId? }`): a test in another process gets its users as sandbox/public.ts's
 * createUser makes them (users.ts). The pool is the only one, or the one `poolId` names.
 */
async function createUser(pools: readonly UserPool[], body: Record<string, unknown>): Promise<CreatedUser> {
  const { email, password, poolId } = body;
  const pool = poolId === undefined && pools.length === 1 ? pools[0] : pools.find((p) => p.poolId === poolId);
  if (!pool) throw new AdminError(poolId === undefined ? 'ValidationError' : 'NotFound', `give the user pool's id as poolId, one of ${pools.map((p) => p.poolId).join(', ') || '(none)'}`, poolId === undefined ? 400 : 404);
  if ((email !== undefined && typeof email !== 'string') || (password !== undefined && typeof password !== 'string')) throw new AdminError('ValidationError', 'email and password, when given, are strings', 400);
  return createTestUser(pool, { ...(email === undefined ? {} : { email }), ...(password === undefined ? {} : { password }) });
}

type Action = (body: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

function actions(admin: SandboxAdmin, script: ClaudeScript, pools: readonly UserPool[]): Record<string, Action> {
  return {
    script: ({ steps, sub, conversationId }) => {
      if (sub === undefined && conversationId === undefined) script.scriptNext(steps as ScriptStep[]);
      else script.scriptFor({ sub, conversationId } as ScriptTarget, steps as ScriptStep[]);
      return { ok: true };
    },
    'clear-scripts': () => {
      script.clearScripts();
      return { ok: true };
    },
    calls: () => ({ calls: script.calls }),
    usage: async ({ sub, ...usage }) => {
      await admin.setUsage(sub as string, usage as unknown as UsageSetting);
      return { ok: true };
    },
    'expire-tokens': ({ sub }) => admin.expireTokens(sub as string),
    'drop-sockets': ({ sub }) => admin.dropSockets(sub as string),
    'create-user': async (body) => ({ ...(await createUser(pools, body)) }),
  };
}

function jsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const body: unknown = JSON.parse(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AdminError('ValidationError', 'the body must be a JSON object', 400);
  return body as Record<string, unknown>;
}

function failure(error: unknown): { status: number; errorType: string; message: string } | undefined {
  if (error instanceof AdminError) return { status: error.status, errorType: error.errorType, message: error.message };
  // Cognito's own refusals of a create-user (UsernameExistsException, InvalidPasswordException), as its API says them.
  if (error instanceof AwsServiceError) return { status: error.status, errorType: error.errorType, message: error.message };
  if (error instanceof ScriptError) return { status: 400, errorType: error.errorType, message: error.message };
  if (error instanceof SyntaxError) return { status: 400, errorType: 'ValidationError', message: `the body is not JSON: ${error.message}` };
  if (error instanceof BodyTooLargeError) return { status: 413, errorType: 'ValidationError', message: `the body is over ${MAX_BODY_BYTES} bytes` };
  return undefined;
}

export function startAdmin(options: AdminOptions): AdminService {
  const admin = stateHelpers(options);
  const script = options.script ?? realClaudeScript();
  const byName = actions(admin, script, options.userPools);
  const route: Route = async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    if (!path.startsWith(ADMIN_PATH)) return false;
    const name = path.slice(ADMIN_PATH.length);
    const refusal = adminRefusal(req.socket.remoteAddress, req.headers, options.secret);
    if (refusal !== undefined) {
      options.log.warn(`${req.method ?? ''} ${path} refused: ${refusal}`);
      sendJson(res, 403, { errorType: 'AccessDenied', message: refusal });
      return true;
    }
    const action = Object.hasOwn(byName, name) ? byName[name] : undefined;
    if (req.method !== 'POST' || action === undefined) {
      sendJson(res, req.method === 'POST' ? 404 : 405, { errorType: 'NotFound', message: `POST ${ADMIN_PATH}<action>, where the action is one of ${Object.keys(byName).join(', ')}` });
      return true;
    }
    try {
      const answer = await action(jsonBody(await readBody(req, MAX_BODY_BYTES)));
      options.log.info(`admin ${name} 200`);
      sendJson(res, 200, answer);
    } catch (error) {
      const known = failure(error);
      if (known === undefined) throw error;
      options.log.warn(`admin ${name} ${known.status} ${known.errorType}: ${known.message}`);
      sendJson(res, known.status, { errorType: known.errorType, message: known.message });
    }
    return true;
  };
  return { routes: [route], admin, script, stop: () => undefined };
}
