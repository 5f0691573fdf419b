// CloudFormation intrinsic functions, resolved the way the deployed stack would see them, with the
// sandbox's own physical names ("Intrinsic function reference" in the CloudFormation user guide).

export type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown; Condition?: string };

/** The sandbox's answer to Ref and Fn::GetAtt for one resource. */
export interface PhysicalResource {
  ref: string;
  attributes: Record<string, string>;
}

/** A property the sandbox needs but cannot resolve: names the resource and the property. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(readonly resource: string, readonly property: string, problem: string) {
    super(`${resource}.${property}: ${problem}`);
  }
}

export interface ResolveScope {
  region: string;
  accountId: string;
  stackName: string;
  /** Ref / GetAtt answers by logical id; resources the sandbox does not serve are absent. */
  physical: (logicalId: string) => PhysicalResource | undefined;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves every intrinsic inside `value`; `where` names the resource and property for errors. */
export function resolve(value: unknown, scope: ResolveScope, where: { resource: string; property: string }): unknown {
  const out = resolveValue(value, scope, where);
  return out === NO_VALUE ? undefined : out;
}

export function resolveString(value: unknown, scope: ResolveScope, where: { resource: string; property: string }): string {
  const out = resolve(value, scope, where);
  if (typeof out !== 'string') throw new TemplateError(where.resource, where.property, `expected a string, got ${JSON.stringify(out)}`);
  return out;
}

function pseudo(name: string, scope: ResolveScope): string | typeof NO_VALUE | undefined {
  switch (name) {
    case 'AWS::Region': return scope.region;
    case 'AWS::AccountId': return scope.accountId;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return scope.stackName;
    case 'AWS::StackId': return `arn:aws:cloudformation:${scope.region}:${scope.accountId}:stack/${scope.stackName}/sandbox`;
    case 'AWS::NoValue': return NO_VALUE;
    default: return undefined;
  }
}

function ref(name: string, scope: ResolveScope, where: { resource: string; property: string }): string | typeof NO_VALUE {
  const p = pseudo(name, scope);
  if (p !== undefined) return p;
  const physical = scope.physical(name);
  if (!physical) throw new TemplateError(where.resource, where.property, `Ref to '${name}', which the sandbox does not serve`);
  return physical.ref;
}

function getAtt(target: unknown, scope: ResolveScope, where: { resource: string; property: string }): string {
  const [logicalId, attribute] = Array.isArray(target) ? target as [unknown, unknown] : String(target).split('.', 2);
  const physical = scope.physical(String(logicalId));
  const value = physical?.attributes[String(attribute)];
  if (value === undefined) {
    throw new TemplateError(where.resource, where.property, `Fn::GetAtt ${String(logicalId)}.${String(attribute)} is not supported by the sandbox`);
  }
  return value;
}

function sub(args: unknown, scope: ResolveScope, where: { resource: string; property: string }): string {
  const [template, variables] = Array.isArray(args) ? args as [unknown, Record<string, unknown> | undefined] : [args, undefined];
  if (typeof template !== 'string') throw new TemplateError(where.resource, where.property, 'Fn::Sub needs a string');
  return template.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
    if (variables && Object.hasOwn(variables, name)) return String(resolveValue(variables[name], scope, where));
    if (name.includes('.')) return getAtt(name, scope, where);
    return String(ref(name, scope, where));
  }).replace(/\$\{!/g, '${');
}

function resolveValue(value: unknown, scope: ResolveScope, where: { resource: string; property: string }): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope, where)).filter((v) => v !== NO_VALUE);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [key, arg] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
    switch (key) {
      case 'Ref': return ref(String(arg), scope, where);
      case 'Fn::GetAtt': return getAtt(arg, scope, where);
      case 'Fn::Sub': return sub(arg, scope, where);
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolveValue(parts, scope, where) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolveValue(list, scope, where) as unknown[])[Number(resolveValue(index, scope, where))];
      }
      case 'Fn::Split': {
        const [separator, text] = arg as [string, unknown];
        return String(resolveValue(text, scope, where)).split(separator);
      }
      default:
        throw new TemplateError(where.resource, where.property, `${key} is not supported by the sandbox`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const resolved = resolveValue(v, scope, where);
    if (resolved !== NO_VALUE) out[k] = resolved;
  }
  return out;
}
