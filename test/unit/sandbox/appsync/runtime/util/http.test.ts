// util.http: AppSync's "HTTP helpers in util.http" (restricted headers, ResponseHeaderError).
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

describe('util.http.copyHeaders', () => {
  it('copies the headers but the restricted ones, whatever their case', () => {
    const { http } = createUtil(newEvaluationState());
    const headers = { Host: 'api.example.com', 'content-length': '10', Connection: 'keep-alive', te: 'trailers', authorization: 'Bearer t', 'x-custom': 'a' };

    const copy: unknown = http.copyHeaders(headers);

    expect(copy).toEqual({ authorization: 'Bearer t', 'x-custom': 'a' });
  });

  it('rejects a value that is not an object', () => {
    const { http } = createUtil(newEvaluationState());

    expect(() => {
      http.copyHeaders(null as unknown as object);
    }).toThrow('util.http.copyHeaders: the headers must be an object');
  });
});

describe('util.http.addResponseHeader', () => {
  it('sets a header, numbers and objects as text', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeader('itemsCount', 7);
    http.addResponseHeader('render', 'full');
    http.addResponseHeader('headerObject', { field1: 7 });

    expect(state.responseHeaders).toEqual({ itemsCount: '7', render: 'full', headerObject: '{"field1":7}' });
  });

  it('keeps the latest value of a header set twice', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeader('render', 'full');
    http.addResponseHeader('render', 'lazy');

    expect(state.responseHeaders).toEqual({ render: 'lazy' });
  });

  it('ignores a restricted header and reports a ResponseHeaderError', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeader('Content-Type', 'text/plain');

    expect(state.responseHeaders).toEqual({});
    expect(state.appendedErrors).toEqual([{ message: "Response header 'Content-Type' is restricted", errorType: 'ResponseHeaderError', data: null, errorInfo: null }]);
  });

  it('ignores headers with the x-amz- and x-amzn- prefixes', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeader('X-Amz-Date', '1');
    http.addResponseHeader('x-amzn-trace', '1');

    expect(state.responseHeaders).toEqual({});
    expect(state.appendedErrors.map((error) => error.errorType)).toEqual(['ResponseHeaderError', 'ResponseHeaderError']);
  });

  it('ignores a header with an empty name', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeader(' ', 'x');

    expect(state.appendedErrors[0]?.message).toBe('Response header name must not be empty');
  });

  it('ignores a header with a null value', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeader('render', null);

    expect(state.appendedErrors[0]?.message).toBe("Response header 'render' must have a value");
  });

  it('ignores a header that would take the headers past 4 KB', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeader('big', 'x'.repeat(4000));
    http.addResponseHeader('more', 'x'.repeat(100));

    expect(Object.keys(state.responseHeaders)).toEqual(['big']);
    expect(state.appendedErrors[0]?.message).toBe('Response headers exceed the 4096 bytes limit');
  });
});

describe('util.http.addResponseHeaders', () => {
  it('adds each header of the map', () => {
    const state = newEvaluationState();
    const { http } = createUtil(state);

    http.addResponseHeaders({ headerInt: 12, headerString: 'stringValue', vary: 'x' });

    expect(state.responseHeaders).toEqual({ headerInt: '12', headerString: 'stringValue' });
    expect(state.appendedErrors).toHaveLength(1);
  });

  it('rejects a value that is not an object', () => {
    const { http } = createUtil(newEvaluationState());

    expect(() => http.addResponseHeaders('x' as unknown as Record<string, unknown>)).toThrow('util.http.addResponseHeaders: the headers must be an object');
  });
});
