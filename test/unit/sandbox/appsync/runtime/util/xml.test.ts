// util.xml against the examples of AppSync's "XML helpers in util.xml".
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { xml } = createUtil(newEvaluationState());

const ONE_POST = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
  <id>1</id>
  <title>Getting started with GraphQL</title>
</post>
</posts>`;

const TWO_POSTS = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
  <id>1</id>
  <title>Getting started with GraphQL</title>
</post>
<post>
  <id>2</id>
  <title>Getting started with AppSync</title>
</post>
</posts>`;

describe('util.xml.toMap', () => {
  it('maps the documented single-post example', () => {
    expect(xml.toMap(ONE_POST)).toEqual({ posts: { post: { id: 1, title: 'Getting started with GraphQL' } } });
  });

  it('maps repeated elements to a list, as in the documented two-post example', () => {
    expect(xml.toMap(TWO_POSTS)).toEqual({
      posts: { post: [{ id: 1, title: 'Getting started with GraphQL' }, { id: 2, title: 'Getting started with AppSync' }] },
    });
  });

  it('maps attributes to keys and the text beside them to content', () => {
    expect(xml.toMap('<t lang="en" n="2">hi</t>')).toEqual({ t: { lang: 'en', n: 2, content: 'hi' } });
  });

  it('types booleans, keeps numbers with leading zeros as text and empty elements as empty strings', () => {
    expect(xml.toMap('<a><b>true</b><c>007</c><d/></a>')).toEqual({ a: { b: true, c: '007', d: '' } });
  });

  it('gives null for an empty document', () => {
    expect(xml.toMap('  ')).toBeNull();
  });

  it('rejects malformed XML with the line of the fault', () => {
    expect(() => xml.toMap('<a><b></a>')).toThrow("util.xml: invalid XML at line 1: Expected closing tag 'b' (opened in line 1, col 4) instead of closing tag 'a'.");
  });

  it('rejects a value that is not a string', () => {
    expect(() => xml.toMap(3 as unknown as string)).toThrow('util.xml.toMap: the argument must be a string');
  });
});

describe('util.xml.toJsonString', () => {
  it('gives the map as JSON', () => {
    expect(xml.toJsonString(ONE_POST)).toBe('{"posts":{"post":{"id":1,"title":"Getting started with GraphQL"}}}');
  });

  it('string-encodes the JSON when asked', () => {
    expect(xml.toJsonString('<a>1</a>', true)).toBe('"{\\"a\\":1}"');
  });
});
