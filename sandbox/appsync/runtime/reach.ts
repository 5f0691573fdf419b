// Which of its realm's globals a bundle names: with the objects syntax itself makes (literals, functions, arguments),
// what its runs can reach in the realm, so what the realm checks after each run (realm.ts).
import type { Node, Program } from 'acorn';

/**
 * Syntax that could reach the global object or objects no global holds (async functions' promises, generators,
 * dynamic import, `this`). check.ts refuses all of it, as AppSync does; if some ever loads, its runs are checked
 * against the whole realm.
 */
const REACHES_ALL = new Set(['ThisExpression', 'AwaitExpression', 'YieldExpression', 'ImportExpression', 'MetaProperty', 'ClassDeclaration', 'ClassExpression']);

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * The names among `globals` that appear as an identifier anywhere in the program (a property name too: more than
 * needed, never less), or null when the code names `globalThis` or uses syntax that could reach anything. A global's
 * value is only reachable by its name: code runs in strict mode, without `this`, eval or the Function constructor.
 */
export function namedGlobals(program: Program, globals: ReadonlySet<string>): string[] | null {
  const named = new Set<string>();
  const pending: unknown[] = [program];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...(node as unknown[]));
      continue;
    }
    if (!isNode(node)) continue;
    if (REACHES_ALL.has(node.type)) return null;
    if (node.type === 'Identifier') {
      const { name } = node as Node & { name: string };
      if (name === 'globalThis') return null;
      if (globals.has(name)) named.add(name);
    } else if (node.type === 'Literal' && 'regex' in node && node.regex) {
      named.add('RegExp');
    } else if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')
      && ((node as Node & { async: boolean; generator: boolean }).async || (node as Node & { generator: boolean }).generator)) {
      return null;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'loc' && typeof value === 'object' && value !== null) pending.push(value);
    }
  }
  return [...named].sort();
}
