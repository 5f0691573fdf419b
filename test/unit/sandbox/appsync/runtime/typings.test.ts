// Reads the typings of @aws-appsync/utils (the package ships no implementation) and fails when the
// runtime lacks any function they declare on util, extensions, runtime or the dynamodb module.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import * as dynamodbModule from '../../../../../sandbox/appsync/runtime/module-utils-dynamodb.ts';
import { createExtensions, runtimeUtil } from '../../../../../sandbox/appsync/runtime/extensions.ts';
import { newEvaluationState } from '../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../sandbox/appsync/runtime/util/index.ts';

const lib = join(dirname(createRequire(import.meta.url).resolve('@aws-appsync/utils/package.json')), 'lib');
const program = ts.createProgram([join(lib, 'index.d.ts'), join(lib, 'dynamodb-helpers.d.ts')], { noEmit: true });
const checker = program.getTypeChecker();

/** Paths of every callable member of `type`, descending into nested objects (util.time.*, ...). */
function declaredFunctions(type: ts.Type, prefix: string): string[] {
  const paths: string[] = [];
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (!declaration) continue;
    const memberType = checker.getTypeOfSymbolAtLocation(property, declaration);
    const path = `${prefix}.${property.name}`;
    if (memberType.getCallSignatures().length > 0) paths.push(path);
    else if (memberType.getProperties().length > 0) paths.push(...declaredFunctions(memberType, path));
  }
  return paths;
}

function typeAlias(file: string, name: string): ts.Type {
  const source = program.getSourceFile(join(lib, file));
  const alias = source?.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
  if (!alias) throw new Error(`type ${name} not found in ${file}: the typings changed, update this test`);
  return checker.getTypeAtLocation(alias);
}

function moduleFunctions(file: string): string[] {
  const source = program.getSourceFile(join(lib, file));
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`${file} not found`);
  return checker.getExportsOfModule(symbol).flatMap((exported) => {
    const declaration = exported.valueDeclaration;
    if (!declaration) return [];
    const type = checker.getTypeOfSymbolAtLocation(exported, declaration);
    return type.getCallSignatures().length > 0 ? [`dynamodb.${exported.name}`] : declaredFunctions(type, `dynamodb.${exported.name}`);
  });
}

function lookup(root: Record<string, unknown>, path: string): unknown {
  return path.split('.').slice(1).reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root);
}

const state = newEvaluationState();
const implementations: [string, ts.Type | string, Record<string, unknown>][] = [
  ['util', typeAlias('index.d.ts', 'Util'), createUtil(state)],
  ['extensions', typeAlias('index.d.ts', 'Extensions'), createExtensions(state)],
  ['runtime', typeAlias('index.d.ts', 'Runtime'), runtimeUtil as unknown as Record<string, unknown>],
  ['dynamodb', 'dynamodb-helpers.d.ts', dynamodbModule],
];

describe('the runtime against the typings of @aws-appsync/utils', () => {
  it.each(implementations)('implements every function %s declares', (name, declared, implementation) => {
    // Arrange
    const paths = typeof declared === 'string' ? moduleFunctions(declared) : declaredFunctions(declared, name);

    // Act
    const missing = paths.filter((path) => typeof lookup(implementation, path) !== 'function');

    // Assert
    expect(paths.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('finds the nested helper groups of util in the typings', () => {
    const paths = declaredFunctions(typeAlias('index.d.ts', 'Util'), 'util');

    expect(paths).toEqual(expect.arrayContaining(['util.time.nowISO8601', 'util.dynamodb.toMapValues', 'util.transform.toSubscriptionFilter', 'util.str.normalize', 'util.math.roundNum']));
  });
});
