// `cdk synth` output as the loader reads it: the template's resources with their intrinsics resolved against the
// sandbox's physical names, and asset object keys mapped to files and folders in cdk.out.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolve, resolveString, TemplateError, type Resource, type ResolveScope } from './intrinsics.ts';
import type { CodeSource } from './model.ts';
import { physicalNames, type NamingScope } from './physical-names.ts';

export interface LoadOptions {
  cdkOut: string;
  stackName: string;
  region?: string;
  accountId?: string;
  graphqlUrl: string;
  realtimeUrl: string;
}

/** What every loading step reads: resources by type, resolved properties, physical names and asset files. */
export interface SynthOutput {
  stackName: string;
  region: string;
  accountId: string;
  resources: Record<string, Resource>;
  outputs: Record<string, { Value: unknown }>;
  scope: ResolveScope;
  /** The sandbox's name (Ref) and attributes (Fn::GetAtt) of a resource. */
  physical(id: string): ReturnType<ResolveScope['physical']>;
  /** The resources of one type, as [logicalId, resource]. */
  of(type: string): [string, Resource][];
  /** One property, resolved; undefined when absent. */
  prop(id: string, resource: Resource, name: string): unknown;
  /** A resource's whole Properties, resolved. */
  properties(id: string, resource: Resource): Record<string, unknown>;
  /** The file or folder an asset object key (`<hash>.js`, `<hash>.zip`) stands for. */
  asset(key: string): string | undefined;
  /** A resolver's or function's code: inline `Code`, or the asset `CodeS3Location` names; null when neither. */
  codeOf(id: string, resource: Resource): CodeSource | null;
}

/** A resolved scalar property as text (numbers and booleans as written). */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`expected a string, got ${JSON.stringify(value)}`);
}

export function readSynthOutput(options: LoadOptions): SynthOutput {
  const templatePath = join(options.cdkOut, `${options.stackName}.template.json`);
  if (!existsSync(templatePath)) throw new Error(`${templatePath} not found: run 'npm run synth' (or let 'npm start' synthesize) first`);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };
  const assets = readAssets(options.cdkOut, options.stackName);
  const resources = template.Resources ?? {};
  const naming: NamingScope = { stackName: options.stackName, region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012', graphqlUrl: options.graphqlUrl, realtimeUrl: options.realtimeUrl };
  const names = physicalNames(resources, naming);
  const scope: ResolveScope = { region: naming.region, accountId: naming.accountId, stackName: options.stackName, physical: (id) => names.get(id) };
  const prop = (id: string, r: Resource, name: string): unknown => resolve(r.Properties?.[name], scope, { resource: id, property: name });
  return {
    stackName: options.stackName,
    region: naming.region,
    accountId: naming.accountId,
    resources,
    outputs: template.Outputs ?? {},
    scope,
    physical: scope.physical,
    of: (type) => Object.entries(resources).filter(([, r]) => r.Type === type),
    prop,
    properties: (id, r) => resolve(r.Properties ?? {}, scope, { resource: id, property: 'Properties' }) as Record<string, unknown>,
    asset: (key) => assets.get(key),
    codeOf: (id, r) => {
      if (typeof r.Properties?.Code === 'string') return { code: r.Properties.Code, path: `${id}.js` };
      if (r.Properties?.CodeS3Location === undefined) return null;
      const key = resolveString(r.Properties.CodeS3Location, scope, { resource: id, property: 'CodeS3Location' }).replace(/^s3:\/\/[^/]+\//, '');
      const path = assets.get(key);
      if (!path) throw new TemplateError(id, 'CodeS3Location', `asset ${key} is not in ${options.stackName}.assets.json`);
      return { code: readFileSync(path, 'utf8'), path };
    },
  };
}

/** Maps asset object keys (`<hash>.js`, `<hash>.zip`) to files and folders in cdk.out. */
function readAssets(cdkOut: string, stackName: string): Map<string, string> {
  const map = new Map<string, string>();
  const path = join(cdkOut, `${stackName}.assets.json`);
  if (!existsSync(path)) return map;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files?: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }> };
  for (const file of Object.values(manifest.files ?? {})) {
    for (const destination of Object.values(file.destinations)) map.set(destination.objectKey, join(cdkOut, file.source.path));
  }
  return map;
}
