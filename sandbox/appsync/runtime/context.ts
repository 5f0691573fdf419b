// The `ctx` a handler receives, built as AppSync builds it ("AWS AppSync JavaScript resolver
// context object reference"): arguments/args, identity per auth type, source, stash, prev, info, request.
import { Kind, print, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface ResolverInfo {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

export interface ResolverContext {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: Record<string, unknown> | null;
  source: unknown;
  stash: Record<string, unknown>;
  prev: { result: unknown } | null;
  result?: unknown;
  error?: { message: string; type: string };
  info: ResolverInfo;
  request: { headers: Record<string, string>; domainName: string | null };
  env: Record<string, string>;
}

export interface ContextInput {
  arguments?: Record<string, unknown>;
  identity?: Record<string, unknown> | null;
  source?: unknown;
  stash?: Record<string, unknown>;
  prev?: { result: unknown } | null;
  result?: unknown;
  error?: { message: string; type: string };
  info?: Partial<ResolverInfo>;
  request?: { headers?: Record<string, string>; domainName?: string | null };
  env?: Record<string, string>;
}

/** A complete context: `args` is the same object as `arguments`, absent parts get AppSync's defaults. */
export function buildContext(input: ContextInput): ResolverContext {
  const args = input.arguments ?? {};
  const ctx: ResolverContext = {
    arguments: args,
    args,
    identity: input.identity ?? null,
    source: input.source ?? null,
    stash: input.stash ?? {},
    prev: input.prev ?? null,
    info: {
      fieldName: input.info?.fieldName ?? '',
      parentTypeName: input.info?.parentTypeName ?? '',
      variables: input.info?.variables ?? {},
      selectionSetList: input.info?.selectionSetList ?? [],
      selectionSetGraphQL: input.info?.selectionSetGraphQL ?? '',
    },
    request: { headers: input.request?.headers ?? {}, domainName: input.request?.domainName ?? null },
    env: input.env ?? {},
  };
  if (input.result !== undefined) ctx.result = input.result;
  if (input.error !== undefined) ctx.error = input.error;
  return ctx;
}

/** util.authType()'s answer for each of AppSync's authorization modes. */
export const AUTH_TYPE_NAMES = {
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  AWS_IAM: 'IAM Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  API_KEY: 'API Key Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
} as const;

export type AuthMode = keyof typeof AUTH_TYPE_NAMES;

/** The auth mode an identity object came from, judged by its shape (used where only ctx JSON is known). */
export function authModeOfIdentity(identity: Record<string, unknown> | null): AuthMode {
  if (identity === null) return 'API_KEY';
  if ('resolverContext' in identity) return 'AWS_LAMBDA';
  if ('accountId' in identity || 'userArn' in identity) return 'AWS_IAM';
  if ('defaultAuthStrategy' in identity || 'groups' in identity) return 'AMAZON_COGNITO_USER_POOLS';
  return 'OPENID_CONNECT';
}

/** ctx.identity for Cognito user pools, from verified token claims (id or access token). */
export function cognitoIdentity(claims: Record<string, unknown>, sourceIp: string[], defaultAuthStrategy: 'ALLOW' | 'DENY' = 'ALLOW'): Record<string, unknown> {
  const groups = claims['cognito:groups'];
  return {
    sub: claims.sub,
    issuer: claims.iss,
    username: claims['cognito:username'] ?? claims.username,
    claims,
    sourceIp,
    defaultAuthStrategy,
    groups: Array.isArray(groups) ? groups : null,
  };
}

/** ctx.identity for OpenID Connect. */
export function oidcIdentity(claims: Record<string, unknown>): Record<string, unknown> {
  return { sub: claims.sub, issuer: claims.iss, claims };
}

/** ctx.identity for AWS_IAM, from a verified SigV4 caller. */
export function iamIdentity(caller: { accountId: string; userArn: string; username: string }, sourceIp: string[]): Record<string, unknown> {
  return {
    accountId: caller.accountId,
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    sourceIp,
    username: caller.username,
    userArn: caller.userArn,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  };
}

/** ctx.identity for AWS_LAMBDA authorizers. */
export function lambdaIdentity(resolverContext: unknown): Record<string, unknown> {
  return { resolverContext };
}

/**
 * info.selectionSetList: every selected field path below the resolved field, aliases by alias
 * name, fragments (named and inline) merged in, nested paths joined with "/".
 */
export function selectionSetList(field: FieldNode, fragments: Record<string, FragmentDefinitionNode>): string[] {
  const list: string[] = [];
  const walk = (set: SelectionSetNode | undefined, prefix: string): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        if (name.startsWith('__')) continue;
        const path = prefix + name;
        if (!list.includes(path)) list.push(path);
        walk(selection.selectionSet, `${path}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      } else {
        walk(fragments[selection.name.value]?.selectionSet, prefix);
      }
    }
  };
  walk(field.selectionSet, '');
  return list;
}

/** info.selectionSetGraphQL: the field's selection set printed as GraphQL, fragments kept as written. */
export function selectionSetGraphQL(field: FieldNode): string {
  return field.selectionSet ? print(field.selectionSet) : '';
}
