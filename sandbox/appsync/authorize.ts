// Field-level authorization from the @aws_* directives ("Using additional authorization modes"):
// a field's own directives win, then its type's; with neither, only the API's default mode may read it.
import { Kind, type ConstDirectiveNode, type GraphQLField, type GraphQLObjectType } from 'graphql';
import type { AuthMode } from './runtime/context.ts';
import type { Caller } from './auth.ts';

const MODES: Record<string, AuthMode> = {
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
  aws_api_key: 'API_KEY',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

interface Rule { mode: AuthMode; groups: string[] | null }

function rules(directives: readonly ConstDirectiveNode[] | undefined): Rule[] {
  return (directives ?? []).flatMap((d) => {
    const mode = MODES[d.name.value];
    if (!mode) return [];
    const groupsArg = d.arguments?.find((a) => a.name.value === 'cognito_groups')?.value;
    const groups = groupsArg?.kind === Kind.LIST ? groupsArg.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : null;
    return [{ mode, groups }];
  });
}

function typeRules(type: GraphQLObjectType): Rule[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => rules(node?.directives));
}

/** A field's effective rules, read once: a schema's types and fields never change. */
const ruleCache = new WeakMap<GraphQLField<unknown, unknown>, { parentType: GraphQLObjectType; defaultMode: AuthMode; rules: Rule[] }>();

function effectiveRules(parentType: GraphQLObjectType, field: GraphQLField<unknown, unknown>, defaultMode: AuthMode): Rule[] {
  const cached = ruleCache.get(field);
  if (cached?.parentType === parentType && cached.defaultMode === defaultMode) return cached.rules;
  const own = rules(field.astNode?.directives);
  const inherited = own.length > 0 ? own : typeRules(parentType);
  const effective = inherited.length > 0 ? inherited : [{ mode: defaultMode, groups: null }];
  ruleCache.set(field, { parentType, defaultMode, rules: effective });
  return effective;
}

/** Whether `caller` may resolve `field` of `parentType`. */
export function fieldAllowed(parentType: GraphQLObjectType, field: GraphQLField<unknown, unknown>, caller: Caller, defaultMode: AuthMode): boolean {
  return effectiveRules(parentType, field, defaultMode).some((rule) => rule.mode === caller.mode && (rule.groups === null || rule.groups.some((g) => caller.groups.includes(g))));
}
