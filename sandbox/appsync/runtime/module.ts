// Loads an APPSYNC_JS bundle (an ES module) into an isolated vm context with only the globals
// AppSync gives: ES built-ins (minus what AppSync lacks), util, extensions, runtime and console.
import vm from 'node:vm';
import type { ImportDeclaration, Program } from 'acorn';
import { checkProgram, parseModule, MAX_CODE_BYTES, type CodeError } from './check.ts';
import { namedGlobals } from './reach.ts';
import { acquireRealm, realmGlobalNames, releaseRealm } from './realm.ts';
import { buildStandIns, type HostRoots } from './stand-ins.ts';
import type { EvaluationState } from './state.ts';

/** What the code may import, by module name (the only two AppSync resolves): host objects, reached through stand-ins. */
export type ModuleBindings = Record<string, Record<string, unknown>>;

/** The globals of the context besides ES built-ins: host objects, which the code only reaches through stand-ins (stand-ins.ts). */
export interface RuntimeGlobals {
  util: object;
  extensions: object;
  runtime: object;
  console: object;
}

/** A checked bundle, compiled once, instantiated afresh (in a clean realm) for each resolver run. */
export interface CompiledCode {
  readonly filename: string;
  readonly script: vm.Script;
  readonly exportNames: readonly string[];
  /** The realm's globals the code names (null: it may reach anything); what is checked after each run (realm.ts). */
  readonly globals: readonly string[] | null;
}

export class CodeLoadError extends Error {
  override readonly name = 'CodeLoadError';
  constructor(
    readonly filename: string,
    readonly codeErrors: CodeError[],
  ) {
    const first = codeErrors[0];
    super(first ? `${filename}:${first.location.line}:${first.location.column}: ${first.value}` : `${filename}: the code could not be loaded`);
  }
}

/** Checks and compiles `code`; throws CodeLoadError with AppSync's codeErrors when it is refused. */
export function compileCode(code: string, filename: string): CompiledCode {
  if (Buffer.byteLength(code, 'utf8') > MAX_CODE_BYTES) {
    // checkProgram does not look at size; parseModule would still succeed on big code.
    throw new CodeLoadError(filename, [{
      errorType: 'LINT_ERROR',
      value: `The code is ${Buffer.byteLength(code, 'utf8')} bytes; AppSync accepts at most ${MAX_CODE_BYTES} bytes (32 KB) per resolver or function.`,
      location: { line: 0, column: 0, span: -1 },
    }]);
  }
  const program = parseModule(code);
  if ('errorType' in program) throw new CodeLoadError(filename, [program]);
  const errors = checkProgram(program);
  if (errors.length > 0) throw new CodeLoadError(filename, errors);
  const { source, exportNames } = toScript(code, program);
  // The wrapper's first line is not part of the user's code: lineOffset -1 keeps line numbers true.
  const script = new vm.Script(source, { filename, lineOffset: -1 });
  return { filename, script, exportNames, globals: namedGlobals(program, realmGlobalNames()) };
}

/** A module instance: its exports, and `release` to give its realm back once the run is over. */
export interface ModuleInstance {
  readonly exports: Record<string, unknown>;
  /** After this, the exports must not be called: the realm may serve another run. */
  readonly release: () => void;
  /** A JSON copy of `value` made of the realm's own objects: what the code may touch without reaching this process. */
  readonly adopt: (value: unknown) => unknown;
}

/**
 * Runs the compiled module in a clean realm and returns its exports (request, response, ...). Module-level
 * state is new for each instance: the module's code runs again, whatever realm it runs in.
 */
export function instantiate(compiled: CompiledCode, globals: RuntimeGlobals, modules: ModuleBindings): ModuleInstance {
  const realm = acquireRealm();
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    releaseRealm(realm, compiled.globals);
  };
  try {
    // The code gets realm-made stand-ins, never this process's objects (see stand-ins.ts).
    const standIns = buildStandIns(realm, globals as unknown as HostRoots, modules);
    Object.assign(realm.context, standIns.globals);
    const factory = compiled.script.runInContext(realm.context) as (importModule: (name: string) => unknown) => Record<string, unknown>;
    const adopt = (value: unknown): unknown => {
      const json = JSON.stringify(value);
      return json === undefined ? undefined : realm.parse(json);
    };
    return { exports: factory(standIns.importModule), release, adopt };
  } catch (error) {
    release();
    throw error;
  }
}

/** Rewrites the ES module into a function body: imports read the bindings, exports are returned. */
function toScript(code: string, program: Program): { source: string; exportNames: string[] } {
  const edits: { start: number; end: number; text: string }[] = [];
  const exported: [string, string][] = [];
  const keepLines = (start: number, end: number): string => '\n'.repeat(code.slice(start, end).split('\n').length - 1);
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration') {
      edits.push({ start: node.start, end: node.end, text: importStatement(node) + keepLines(node.start, node.end) });
    } else if (node.type === 'ExportNamedDeclaration' && node.declaration) {
      const declaration = node.declaration;
      edits.push({ start: node.start, end: declaration.start, text: '' });
      if (declaration.type === 'VariableDeclaration') {
        for (const d of declaration.declarations) if (d.id.type === 'Identifier') exported.push([d.id.name, d.id.name]);
      } else if (declaration.id) {
        exported.push([declaration.id.name, declaration.id.name]);
      }
    } else if (node.type === 'ExportNamedDeclaration') {
      for (const s of node.specifiers) {
        const name = (n: typeof s.local): string => (n.type === 'Identifier' ? n.name : String(n.value));
        exported.push([name(s.exported), name(s.local)]);
      }
      edits.push({ start: node.start, end: node.end, text: keepLines(node.start, node.end) });
    } else if (node.type === 'ExportDefaultDeclaration') {
      const declaration = node.declaration;
      const named = (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id;
      edits.push({ start: node.start, end: declaration.start, text: named ? '' : 'const __appsync_default = ' });
      exported.push(['default', named ? named.name : '__appsync_default']);
    }
  }
  let body = '';
  let at = 0;
  for (const edit of edits) {
    body += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  body += code.slice(at);
  const returned = exported.map(([outer, local]) => `${JSON.stringify(outer)}: ${local}`).join(', ');
  const source = `(function (__appsync_import) {"use strict";\n${body}\n;return { ${returned} };\n})`;
  return { source, exportNames: exported.map(([outer]) => outer) };
}

function importStatement(node: ImportDeclaration): string {
  const from = `__appsync_import(${JSON.stringify(node.source.value)})`;
  const named: string[] = [];
  const statements: string[] = [];
  for (const s of node.specifiers) {
    if (s.type === 'ImportNamespaceSpecifier') statements.push(`const ${s.local.name} = ${from};`);
    else if (s.type === 'ImportDefaultSpecifier') named.push(`default: ${s.local.name}`);
    else named.push(`${JSON.stringify(s.imported.type === 'Identifier' ? s.imported.name : s.imported.value)}: ${s.local.name}`);
  }
  if (named.length > 0) statements.push(`const { ${named.join(', ')} } = ${from};`);
  return statements.join(' ');
}

/** console inside the runtime: each call becomes one line of the evaluation's logs. */
export function runtimeConsole(state: () => EvaluationState, filename: string): Record<string, (...args: unknown[]) => void> {
  const write = (level: string) => (...args: unknown[]): void => {
    const text = args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ');
    state().logs.push(`${level} - ${filename}: ${text}`);
  };
  return { log: write('INFO'), info: write('INFO'), debug: write('DEBUG'), warn: write('WARN'), error: write('ERROR') };
}

function safeJson(value: unknown): string {
  if (typeof value === 'function') return '[Function]';
  return JSON.stringify(value) ?? 'undefined';
}
