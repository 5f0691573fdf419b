// package.json against the code: what the shipped code imports at run time is a dependency (so `npm ci --omit=dev`
// still synthesizes and starts), and every declared package is used somewhere, so the manifest says what runs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from '@jest/globals';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' }).split('\n').filter(Boolean);
/** Code that runs outside the tests: the CDK app, the sandbox (and the page it bundles), the functions, the CLI. */
const RUNTIME = /^(infra|sandbox|functions|resolvers|bin)\/.*\.(ts|js|mjs)$/;
const SPECIFIER = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`); null for relative paths and built-ins. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? null);
}

/** Packages no file names by their package name, and what uses them. */
const USED_INDIRECTLY: Record<string, string> = {
  '@graphql-codegen/cli': 'the graphql-codegen command of npm run codegen',
  '@graphql-codegen/typescript': 'codegen.yml\'s typescript plugin',
  '@graphql-codegen/add': 'codegen.yml\'s add plugin',
  '@graphql-codegen/typescript-operations': 'codegen.yml\'s typescript-operations plugin (the kit\'s documents)',
  '@graphql-codegen/typed-document-node': 'codegen.yml\'s typed-document-node plugin (the kit\'s documents)',
  '@swc/core': '@swc/jest\'s compiler',
  rxjs: 'a peer dependency of @apollo/client and aws-appsync-subscription-link',
};

function imports(file: string): { name: string; typeOnly: boolean }[] {
  const out: { name: string; typeOnly: boolean }[] = [];
  for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const name = packageOf(match[3] ?? match[4] ?? '');
    if (name !== null) out.push({ name, typeOnly: match[2] !== undefined });
  }
  return out;
}

describe('package.json', () => {
  it('declares every package the shipped code imports at run time as a dependency, not a devDependency', () => {
    // Arrange
    const runtimeImports = tracked.filter((file) => RUNTIME.test(file)).flatMap((file) => imports(file).map((i) => ({ ...i, file })));

    // Act
    const undeclared = runtimeImports
      .filter(({ name, typeOnly }) => (typeOnly
        ? !(name in manifest.dependencies || name in manifest.devDependencies || `@types/${name}` in manifest.devDependencies)
        : !(name in manifest.dependencies)))
      .map(({ name, file }) => `${name} (${file})`);

    // Assert
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it('uses every package it declares', () => {
    // Arrange: any mention outside the manifest counts (imports, configs, scripts, docs of a tool's use).
    const text = tracked
      .filter((file) => !/^package(-lock)?\.json$/.test(file) && /\.(ts|js|mjs|json|yml|md|sh)$|(^|\/)run$/.test(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n') + Object.values((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts).join('\n');
    const declared = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];

    // Act
    const unused = declared.filter((name) => !(name in USED_INDIRECTLY) && !text.includes(name.startsWith('@types/') ? name.slice('@types/'.length) : name));

    // Assert
    expect(unused).toEqual([]);
  });
});
