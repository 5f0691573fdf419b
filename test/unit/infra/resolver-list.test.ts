// The one resolver list against schema.graphql and the files on disk (CONTRIBUTING.md, "Where a change goes").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Kind, parse } from 'graphql';
import { ROOT } from '../../../infra/config.ts';
import { RESOLVERS } from '../../../infra/resolver-list.ts';
import { filesOf } from '../../../infra/resolvers.ts';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/** `Type.field` for every field of the root types, extensions included. */
function schemaFields(): string[] {
  const document = parse(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
  return document.definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) return [];
    if (!ROOT_TYPES.includes(definition.name.value)) return [];
    return (definition.fields ?? []).map((field) => `${definition.name.value}.${field.name.value}`);
  });
}

const listed = RESOLVERS.map((spec) => `${spec.typeName}.${spec.fieldName}`);

describe('the resolver list', () => {
  it('gives every Query, Mutation and Subscription field exactly one resolver', () => {
    const fields = schemaFields();

    const counts = fields.map((field) => [field, listed.filter((l) => l === field).length]);

    expect(counts.filter(([, count]) => count !== 1)).toEqual([]);
  });

  it('names only fields the schema has', () => {
    const fields = new Set(schemaFields());

    expect(listed.filter((field) => !fields.has(field))).toEqual([]);
  });

  it('names only resolver and step files that exist', () => {
    const files = filesOf(RESOLVERS);

    expect(files.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });
});
