// A tool's input against its JSON Schema: what the model is told when its input is wrong.
import { describe, expect, it } from '@jest/globals';
import { describeInputProblems, inputCheck } from '../../../../../functions/chat/tools/input-schema.ts';
import type { InputSchema } from '../../../../../functions/chat/tools/types.ts';

const schema: InputSchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 20 },
    zone: { type: 'string', enum: ['UTC', 'Europe/Paris'] },
    tags: { type: 'array', items: { type: 'string' } },
    filter: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
  },
  required: ['limit'],
  additionalProperties: false,
};
const check = inputCheck(schema);

describe('a tool input checked against its schema', () => {
  it('accepts an input that matches', () => {
    expect(check({ limit: 3, zone: 'UTC', tags: ['a'], filter: { title: 'x' } })).toEqual([]);
  });

  it('names a missing required property', () => {
    expect(check({})).toEqual(['limit is required']);
  });

  it('names a property the tool does not take', () => {
    expect(check({ limit: 1, colour: 'red' })).toEqual(['colour is not an input this tool takes']);
  });

  it('says which type a property must have', () => {
    expect(check({ limit: 'five' })).toEqual(['limit must be integer, not string']);
  });

  it('gives the bound a number breaks', () => {
    expect(check({ limit: 0 })).toEqual(['limit: 0 is less than 1']);
  });

  it('points into arrays and nested objects', () => {
    expect(check({ limit: 1, tags: ['a', 2], filter: {} })).toEqual(['tags[1] must be string, not number', 'filter.title is required']);
  });

  it('lists the allowed values of an enum', () => {
    expect(check({ limit: 1, zone: 'Mars' })).toEqual(['zone: does not match any of ["UTC","Europe/Paris"]']);
  });

  it('refuses an input that is not an object', () => {
    expect(check(['limit'])).toEqual(['input must be object, not array']);
    expect(check(null)).toEqual(['input must be object, not null']);
  });

  it('reports every problem at once', () => {
    expect(check({ limit: 2.5, colour: 'red' })).toEqual(['limit must be integer, not number', 'colour is not an input this tool takes']);
  });

  it('puts the problems in one sentence that says the tool was not run', () => {
    expect(describeInputProblems('list_recent_conversations', ['limit is required', 'colour is not an input this tool takes']))
      .toBe('The input to list_recent_conversations is not valid, so the tool was not run: limit is required; colour is not an input this tool takes.');
  });
});
