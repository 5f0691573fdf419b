// The load-time check refuses each construct AppSync refuses, at the right place, and lets legal code through.
import { describe, expect, it } from '@jest/globals';
import { checkCode, MAX_CODE_BYTES } from '../../../../../sandbox/appsync/runtime/check.ts';

const refused: [string, string, string, { line: number; column: number }][] = [
  ['try/catch', 'export function request(ctx) {\n  try { return 1; } catch (e) { return 2; }\n}', 'Try statements are not supported.', { line: 2, column: 3 }],
  ['try/finally', 'export function request(ctx) {\n  try { return 1; } finally { }\n}', 'Try statements are not supported.', { line: 2, column: 3 }],
  ['throw', 'export function request(ctx) {\n  throw new Error("x");\n}', 'Throw statements are not supported.', { line: 2, column: 3 }],
  ['while', 'export function request(ctx) {\n  let i = 0;\n  while (i < 3) { i += 1; }\n  return i;\n}', 'While statements are not supported.', { line: 3, column: 3 }],
  ['do-while', 'export function request(ctx) {\n  let i = 0;\n  do { i += 1; } while (i < 3);\n}', 'do...while statements are not supported.', { line: 3, column: 3 }],
  ['a C-style for', 'export function request(ctx) {\n  for (let i = 0; i < 3; i += 1) { }\n}', 'For statements are not supported.', { line: 2, column: 3 }],
  ['continue', 'export function request(ctx) {\n  for (const x of []) { continue; }\n}', 'Continue statements are not supported', { line: 2, column: 25 }],
  ['a label', 'export function request(ctx) {\n  outer: for (const x of []) { break outer; }\n}', 'Labeled statements are not supported.', { line: 2, column: 3 }],
  ['++', 'export function request(ctx) {\n  let i = 0;\n  i++;\n}', 'The operator ++ is not supported', { line: 3, column: 3 }],
  ['--', 'export function request(ctx) {\n  let i = 0;\n  --i;\n}', 'The operator -- is not supported', { line: 3, column: 3 }],
  ['~', 'export function request(ctx) {\n  return ~ctx.args.n;\n}', 'The operator ~ is not supported', { line: 2, column: 10 }],
  ['in', 'export function request(ctx) {\n  return "id" in ctx.args;\n}', 'in operator is not supported. Use Object.hasOwn().', { line: 2, column: 10 }],
  ['instanceof', 'export function request(ctx) {\n  return ctx.args instanceof Object;\n}', 'The operator instanceof is not supported', { line: 2, column: 10 }],
  ['a class', 'class Post {}\nexport function request(ctx) { return {}; }', 'Class declarations are not supported.', { line: 1, column: 1 }],
  ['a class expression', 'const Post = class {};\nexport function request(ctx) { return {}; }', 'Class declarations are not supported.', { line: 1, column: 14 }],
  ['this', 'export function request(ctx) {\n  return this;\n}', 'This expressions are not supported.', { line: 2, column: 10 }],
  ['async', 'export async function request(ctx) {\n  return {};\n}', 'Async functions are not supported.', { line: 1, column: 8 }],
  ['await', 'export function request(ctx) {\n  return await ctx;\n}', 'Parsing error: Cannot use keyword \'await\' outside an async function', { line: 2, column: 10 }],
  ['a generator', 'export function* request(ctx) {\n  yield 1;\n}', 'Generator functions are not supported.', { line: 1, column: 8 }],
  ['a regex literal', 'export function request(ctx) {\n  return /a+/.test(ctx.args.s);\n}', 'Regex literals are not supported.', { line: 2, column: 10 }],
  ['direct recursion', 'function f(n) {\n  return n > 0 ? f(n - 1) : 0;\n}\nexport function request(ctx) { return f(3); }', 'Recursive function calls not supported. Detected cycle in f <-f', { line: 2, column: 18 }],
  ['mutual recursion', 'const a = (n) => b(n);\nconst b = (n) => a(n);\nexport function request(ctx) { return a(1); }', 'Recursive function calls not supported. Detected cycle in a <-b <-a', { line: 1, column: 18 }],
  ['a function passed as a value', 'function twice(f) { return 2; }\nfunction one() { return 1; }\nexport function request(ctx) {\n  return twice(one);\n}', 'Functions can not be passed as an argument', { line: 4, column: 10 }],
  ['an arrow passed to a non-array method', 'export function request(ctx) {\n  return ctx.args.items.sort((a, b) => a - b);\n}', 'Functions can not be passed as an argument', { line: 2, column: 10 }],
  ['a returned function', 'export function request(ctx) {\n  return () => 1;\n}', 'returning a function is not allowed', { line: 2, column: 3 }],
  ['a function assigned to another name', 'function one() { return 1; }\nconst alias = one;\nexport function request(ctx) { return alias(); }', 're-assigning function is not allowed', { line: 2, column: 7 }],
  ['an import of another module', 'import { v4 } from "uuid";\nexport function request(ctx) { return v4(); }', 'Cannot import \'uuid\': only @aws-appsync/utils and @aws-appsync/utils/dynamodb can be imported. Bundle other code into the file.', { line: 1, column: 1 }],
  ['a dynamic import', 'export function request(ctx) {\n  return import("x");\n}', 'Dynamic import() is not supported.', { line: 2, column: 10 }],
  ['a re-export', 'export * from "@aws-appsync/utils";', 'Re-exports (export * from) are not supported.', { line: 1, column: 1 }],
  ['Promise', 'export function request(ctx) {\n  return Promise.resolve(1);\n}', 'Promise is not supported', { line: 2, column: 10 }],
  ['reassigning ctx', 'export function request(ctx) {\n  ctx = {};\n  return ctx;\n}', 'ctx is readonly and re-assignment is not supported.', { line: 2, column: 3 }],
  ['writing a property of ctx', 'export function request(ctx) {\n  ctx.stash = {};\n  return {};\n}', 'ctx is readonly. Adding/Updating stash is not supported.', { line: 2, column: 3 }],
  ['deleting a property of ctx', 'export function response(ctx) {\n  delete ctx["result"];\n  return 1;\n}', 'ctx is readonly. Adding/Updating result is not supported.', { line: 2, column: 10 }],
];

describe('the APPSYNC_JS load-time check', () => {
  it.each(refused)('refuses %s and says where', (_name, code, value, { line, column }) => {
    // Act
    const errors = checkCode(code);

    // Assert
    expect(errors).toContainEqual({ errorType: expect.stringMatching(/^(LINT|PARSER)_ERROR$/), value, location: expect.objectContaining({ line, column }) });
  });

  it('gives each refusal the span of the refused code', () => {
    const [error] = checkCode('export function request(ctx) {\n  let i = 0;\n  i++;\n}');

    expect(error?.location).toEqual({ line: 3, column: 3, span: 3 });
  });

  it('reports a syntax error as PARSER_ERROR at its position', () => {
    const errors = checkCode('export function request(ctx) {\n  return {;\n}');

    expect(errors).toEqual([{ errorType: 'PARSER_ERROR', value: 'Parsing error: Unexpected token', location: { line: 2, column: 11, span: 1 } }]);
  });

  it('refuses code over 32 KB before parsing it', () => {
    const code = `export function request(ctx) { return ${JSON.stringify('x'.repeat(MAX_CODE_BYTES))}; }`;

    const errors = checkCode(code);

    expect(errors).toHaveLength(1);
    expect(errors[0]?.value).toMatch(/at most 32768 bytes \(32 KB\)/);
  });

  it('accepts code of exactly 32 KB', () => {
    const head = 'export function request(ctx) { return "';
    const tail = '"; }';
    const code = head + 'x'.repeat(MAX_CODE_BYTES - head.length - tail.length) + tail;

    expect(Buffer.byteLength(code)).toBe(MAX_CODE_BYTES);
    expect(checkCode(code)).toEqual([]);
  });

  it('accepts every construct AppSync supports', () => {
    const code = `
      import { util } from '@aws-appsync/utils';
      import * as ddb from '@aws-appsync/utils/dynamodb';
      const double = (n) => n * 2;
      function label(item, ...rest) { return \`\${item.name ?? 'none'}-\${rest.length}\`; }
      export function request(ctx) {
        const out = [];
        for (const item of ctx.args.items ?? []) { out.push(double(item.n)); }
        for (const key in ctx.args) { if (key === 'skip') { break; } }
        switch (ctx.args.kind) { case 'a': return { out }; default: break; }
        const merged = { ...ctx.args, extra: ctx.args?.deep?.value, label: label({ name: 'x' }, 1, 2) };
        const sum = out.map((n) => n + 1).filter((n) => n > 2).reduce((a, b) => a + b, 0);
        ctx.stash.sum = sum;
        delete ctx.stash.old;
        return ddb.get({ key: { id: util.autoId() } }) && merged && typeof sum === 'number' && void 0;
      }
      export function response(ctx) { return ctx.result; }
    `;

    expect(checkCode(code)).toEqual([]);
  });
});
