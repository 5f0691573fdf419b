// The offline stand-in for Anthropic's Claude API and for Claude on Amazon Bedrock, as a sandbox service: one route
// that serves `<prefix>/v1/...` and `<prefix>/model/{id}/invoke[-with-response-stream]` (request.ts), answers each
// request (serve.ts), logs one line a request and keeps counts for tests; stopping it drops the answers still open.
// Tests script its answers (script.ts), through `script` or the sandbox's admin route.
// Each start makes its own thinking-signature secret: thinking signed by an earlier start is refused (thinking.ts).
import type { Route } from '../aws/http.ts';
import type { ServiceInstance } from '../aws/service.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import { createPromptCache } from './cache.ts';
import { FaultQueue, type FaultKind } from './faults.ts';
import { routeOf } from './request.ts';
import { ScriptBook, type ClaudeScript, type TurnLookup } from './script.ts';
import { OpenAnswers, respond, type ServeContext, type Served } from './serve.ts';
import { ThinkingSigner } from './thinking.ts';

export interface ClaudeStandInOptions {
  log: Logger;
  /** Pieces streamed a second; 0 streams as fast as possible. Default 200. */
  tokensPerSecond?: number;
  /** Wait before the first text delta. Default 0. */
  firstTokenDelayMs?: number;
  /** Clock of the prompt cache's lifetimes; tests move it to expire entries. */
  now?: () => number;
  /** Who may call the Bedrock routes (SigV4); none when not given. */
  iamPrincipals?: readonly IamPrincipal[];
  /** Where the stand-in is mounted (the sandbox's `/claude/`): other paths are left to the next route. Default: any path. */
  pathPrefix?: string;
  /** Which turns in flight a request answers, for scripts per user or conversation; without it only scriptNext works. */
  turns?: TurnLookup;
}

export interface ClaudeStandInStats {
  /** Requests answered under `/v1/` and Bedrock's `/model/`, whatever the outcome. */
  requests: number;
  /** Requests by the fault they met; `none` for the rest. */
  byFault: Partial<Record<FaultKind | 'none', number>>;
  /** Requests by HTTP status. */
  byStatus: Record<string, number>;
}

export interface ClaudeStandIn extends ServiceInstance {
  /** One route: serves the stand-in's paths under `pathPrefix`; resolves false for any other path. */
  readonly routes: readonly [Route];
  /** Faults for the next requests, queued by the test process. */
  readonly faults: FaultQueue;
  /** Scripted answers for the next calls or one user's or conversation's, and the log of calls received. */
  readonly script: ClaudeScript;
  stats(): ClaudeStandInStats;
  /** Drops the connections of open answers (no `message_stop`), as a stopped server would, and resolves when done. */
  stop(): Promise<void>;
}

export function startClaudeStandIn(options: ClaudeStandInOptions): ClaudeStandIn {
  const context = serveContext(options);
  const counts: ClaudeStandInStats = { requests: 0, byFault: {}, byStatus: {} };
  const route: Route = async (req, res) => {
    const requestRoute = routeOf(req.url, options.pathPrefix);
    if (!requestRoute) return false;
    const served = await respond(req, res, requestRoute, context);
    count(counts, served);
    options.log.info(served.line);
    return true;
  };
  return { routes: [route], faults: context.faults, script: context.script, stats: () => structuredClone(counts), stop: () => context.open.dropAll() };
}

function serveContext(options: ClaudeStandInOptions): ServeContext {
  return {
    log: options.log,
    pacing: { tokensPerSecond: options.tokensPerSecond ?? 200, firstTokenDelayMs: options.firstTokenDelayMs ?? 0 },
    cache: createPromptCache(options.now ?? Date.now),
    faults: new FaultQueue(),
    iamPrincipals: options.iamPrincipals ?? [],
    open: new OpenAnswers(),
    signer: new ThinkingSigner(),
    script: new ScriptBook(options.turns, options.log),
  };
}

function count(counts: ClaudeStandInStats, { status, fault }: Served): void {
  counts.requests += 1;
  counts.byStatus[String(status)] = (counts.byStatus[String(status)] ?? 0) + 1;
  const kind = fault?.kind ?? 'none';
  counts.byFault[kind] = (counts.byFault[kind] ?? 0) + 1;
}
