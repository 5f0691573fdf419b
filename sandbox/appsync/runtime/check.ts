// Load-time check of APPSYNC_JS code: refuses what AppSync refuses, before anything runs.
// Rules and messages follow "Supported runtime features" (AWS AppSync developer guide) and the
// rules of AWS's own @aws-appsync/eslint-plugin, which states the same limits as lint errors.
import { parse, type AnyNode, type Expression, type Function as FunctionNode, type Node, type Options, type Pattern, type Program, type SpreadElement, type Super } from 'acorn';
import { ancestor } from 'acorn-walk';

/** One entry of EvaluateCode's `error.codeErrors` (API reference: CodeError, CodeErrorLocation). */
export interface CodeError {
  errorType: 'PARSER_ERROR' | 'LINT_ERROR' | 'RUNTIME_ERROR';
  value: string;
  location: { line: number; column: number; span: number };
}

/** AppSync's limit on a resolver's or function's code ("AWS AppSync endpoints and quotas"). */
export const MAX_CODE_BYTES = 32 * 1024;

export const ALLOWED_IMPORTS: readonly string[] = ['@aws-appsync/utils', '@aws-appsync/utils/dynamodb'];

/** Array methods that may take a callback (no-function-passing in @aws-appsync/eslint-plugin). */
const CALLBACK_METHODS = new Set([
  'map', 'find', 'filter', 'findIndex', 'findLast', 'findLastIndex', 'forEach', 'reduce',
  'reduceRight', 'every', 'some', 'flatMap',
]);

export const PARSE_OPTIONS: Options = { ecmaVersion: 'latest', sourceType: 'module', locations: true };

type Operand = Expression | Pattern | SpreadElement | Super | null | undefined;

function locate(node: Node): CodeError['location'] {
  const start = node.loc?.start ?? { line: 0, column: -1 };
  return { line: start.line, column: start.column + 1, span: node.end - node.start };
}

function lint(node: Node, value: string): CodeError {
  return { errorType: 'LINT_ERROR', value, location: locate(node) };
}

function isFunction(node: AnyNode | Operand): node is FunctionNode & AnyNode {
  const type = node?.type;
  return type === 'FunctionExpression' || type === 'ArrowFunctionExpression' || type === 'FunctionDeclaration';
}

/** Parses `code` into an ES module AST, or returns the PARSER_ERROR AppSync would report. */
export function parseModule(code: string): Program | CodeError {
  try {
    return parse(code, PARSE_OPTIONS);
  } catch (error) {
    const { loc, raisedAt, pos } = error as { loc?: { line: number; column: number }; raisedAt?: number; pos?: number };
    return {
      errorType: 'PARSER_ERROR',
      value: `Parsing error: ${(error as Error).message.replace(/ \(\d+:\d+\)$/, '')}`,
      location: { line: loc?.line ?? 0, column: (loc?.column ?? -1) + 1, span: Math.max(1, (raisedAt ?? 0) - (pos ?? 0)) },
    };
  }
}

/** Every construct in `code` that AppSync would refuse; an empty list means the code loads. */
export function checkCode(code: string): CodeError[] {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > MAX_CODE_BYTES) {
    return [{
      errorType: 'LINT_ERROR',
      value: `The code is ${bytes} bytes; AppSync accepts at most ${MAX_CODE_BYTES} bytes (32 KB) per resolver or function.`,
      location: { line: 0, column: 0, span: -1 },
    }];
  }
  const program = parseModule(code);
  return 'errorType' in program ? [program] : checkProgram(program);
}

export function checkProgram(program: Program): CodeError[] {
  const errors: CodeError[] = [];
  const functions = namedFunctions(program);
  const namesFunction = (node: Operand): boolean =>
    isFunction(node) || (node?.type === 'Identifier' && functions.has(node.name));
  ancestor(program, { ...unsupportedSyntax(errors), ...functionValueRules(errors, namesFunction) });
  errors.push(...recursionErrors(functions), ...contextWrites(program));
  return errors.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

type Visitors = Parameters<typeof ancestor>[1];

/** Statements, operators and literals the APPSYNC_JS runtime refuses, with its messages. */
function unsupportedSyntax(errors: CodeError[]): Visitors {
  return {
    TryStatement: (node) => errors.push(lint(node, 'Try statements are not supported.')),
    ThrowStatement: (node) => errors.push(lint(node, 'Throw statements are not supported.')),
    WhileStatement: (node) => errors.push(lint(node, 'While statements are not supported.')),
    DoWhileStatement: (node) => errors.push(lint(node, 'do...while statements are not supported.')),
    ForStatement: (node) => errors.push(lint(node, 'For statements are not supported.')),
    ContinueStatement: (node) => errors.push(lint(node, 'Continue statements are not supported')),
    LabeledStatement: (node) => errors.push(lint(node, 'Labeled statements are not supported.')),
    ClassDeclaration: (node) => errors.push(lint(node, 'Class declarations are not supported.')),
    ClassExpression: (node) => errors.push(lint(node, 'Class declarations are not supported.')),
    ThisExpression: (node) => errors.push(lint(node, 'This expressions are not supported.')),
    AwaitExpression: (node) => errors.push(lint(node, 'The `await` keyword is not supported')),
    YieldExpression: (node) => errors.push(lint(node, 'Yield statements are not supported')),
    ImportExpression: (node) => errors.push(lint(node, 'Dynamic import() is not supported.')),
    UpdateExpression: (node) => errors.push(lint(node, `The operator ${node.operator} is not supported`)),
    UnaryExpression: (node) => {
      if (node.operator === '~') errors.push(lint(node, 'The operator ~ is not supported'));
    },
    BinaryExpression: (node) => {
      if (node.operator === 'in') errors.push(lint(node, 'in operator is not supported. Use Object.hasOwn().'));
      if (node.operator === 'instanceof') errors.push(lint(node, 'The operator instanceof is not supported'));
    },
    Literal: (node) => {
      if (node.regex) errors.push(lint(node, 'Regex literals are not supported.'));
    },
    Identifier: (node) => {
      if (node.name === 'Promise') errors.push(lint(node, 'Promise is not supported'));
    },
    ImportDeclaration: (node) => {
      const source = String(node.source.value);
      if (!ALLOWED_IMPORTS.includes(source)) {
        errors.push(lint(node, `Cannot import '${source}': only ${ALLOWED_IMPORTS.join(' and ')} can be imported. Bundle other code into the file.`));
      }
    },
    ExportAllDeclaration: (node) => errors.push(lint(node, 'Re-exports (export * from) are not supported.')),
    ExportNamedDeclaration: (node) => {
      if (node.source) errors.push(lint(node, 'Re-exports (export ... from) are not supported.'));
    },
  };
}

/** Functions are not values in APPSYNC_JS: they cannot be returned, re-assigned or passed (bar the array callbacks). */
function functionValueRules(errors: CodeError[], namesFunction: (node: Operand) => boolean): Visitors {
  return {
    Function: (node) => {
      if (node.async) errors.push(lint(node, 'Async functions are not supported.'));
      if (node.generator) errors.push(lint(node, 'Generator functions are not supported.'));
      if (node.body.type !== 'BlockStatement' && namesFunction(node.body)) {
        errors.push(lint(node, 'returning a function is not allowed'));
      }
    },
    ReturnStatement: (node) => {
      if (namesFunction(node.argument)) errors.push(lint(node, 'returning a function is not allowed'));
    },
    VariableDeclarator: (node) => {
      if (node.init?.type === 'Identifier' && namesFunction(node.init)) errors.push(lint(node, 're-assigning function is not allowed'));
    },
    AssignmentExpression: (node) => {
      if (node.operator === '=' && node.right.type === 'Identifier' && namesFunction(node.right)) {
        errors.push(lint(node, 're-assigning function is not allowed'));
      }
    },
    CallExpression: (node) => {
      const callee = node.callee;
      const method = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : null;
      if (passesFunction(node.arguments, namesFunction) && !(method !== null && CALLBACK_METHODS.has(method))) {
        errors.push(lint(node, 'Functions can not be passed as an argument'));
      }
    },
    NewExpression: (node) => {
      if (passesFunction(node.arguments, namesFunction)) errors.push(lint(node, 'Functions can not be passed as an argument'));
    },
  };
}

function passesFunction(args: (Expression | SpreadElement)[], namesFunction: (node: Operand) => boolean): boolean {
  return args.some((arg) => namesFunction(arg.type === 'SpreadElement' ? arg.argument : arg));
}

/** Functions a name refers to: declarations and `const f = () => ...` / `function` expressions. */
function namedFunctions(program: Program): Map<string, FunctionNode> {
  const found = new Map<string, FunctionNode>();
  ancestor(program, {
    FunctionDeclaration: (node) => {
      if (node.id) found.set(node.id.name, node);
    },
    VariableDeclarator: (node) => {
      if (node.id.type === 'Identifier' && isFunction(node.init)) found.set(node.id.name, node.init);
    },
  });
  return found;
}

interface Call { callee: FunctionNode; site: Node }

/** Direct and mutual recursion between named functions (no-recursion in AWS's plugin). */
function recursionErrors(functions: Map<string, FunctionNode>): CodeError[] {
  const calls = new Map<FunctionNode, Call[]>();
  for (const fn of functions.values()) {
    const out: Call[] = [];
    ancestor(fn.body, {
      CallExpression: (node, _state, ancestors) => {
        // A call inside a nested callback belongs to that callback, as in AWS's rule.
        if (ancestors.slice(0, -1).some((a) => isFunction(a))) return;
        const target = node.callee.type === 'Identifier' ? functions.get(node.callee.name) : undefined;
        if (target) out.push({ callee: target, site: node });
      },
    });
    calls.set(fn, out);
  }
  const names = new Map([...functions].map(([name, fn]) => [fn, name]));
  const errors: CodeError[] = [];
  for (const [fn, out] of calls) {
    for (const { callee, site } of out) {
      const path = cyclePath(callee, fn, calls);
      if (path) {
        const cycle = [fn, ...path].map((f) => names.get(f) ?? 'Anonymous Function').join(' <-');
        errors.push(lint(site, `Recursive function calls not supported. Detected cycle in ${cycle}`));
      }
    }
  }
  return errors;
}

/** The shortest chain of calls from `from` back to `to`, if there is one. */
function cyclePath(from: FunctionNode, to: FunctionNode, calls: Map<FunctionNode, Call[]>): FunctionNode[] | null {
  const queue: FunctionNode[][] = [[from]];
  const seen = new Set<FunctionNode>([from]);
  for (let path = queue.shift(); path; path = queue.shift()) {
    const last = path[path.length - 1];
    if (last === to) return path;
    for (const { callee } of (last && calls.get(last)) ?? []) {
      if (!seen.has(callee)) {
        seen.add(callee);
        queue.push([...path, callee]);
      }
    }
  }
  return null;
}

/** `ctx = ...` and `ctx.prop = ...` inside request/response (no-disallowed-re-assignment). */
function contextWrites(program: Program): CodeError[] {
  const errors: CodeError[] = [];
  ancestor(program, {
    FunctionDeclaration: (fn) => {
      const param = fn.params[0];
      if ((fn.id?.name !== 'request' && fn.id?.name !== 'response') || param?.type !== 'Identifier') return;
      const ctx = param.name;
      const report = (target: Operand): void => {
        if (target?.type === 'Identifier' && target.name === ctx) {
          errors.push(lint(target, `${ctx} is readonly and re-assignment is not supported.`));
        } else if (target?.type === 'MemberExpression' && target.object.type === 'Identifier' && target.object.name === ctx) {
          const { property } = target;
          const name = property.type === 'Identifier' && !target.computed ? property.name
            : property.type === 'Literal' ? String(property.value) : null;
          errors.push(lint(target, name === null
            ? `${ctx} is readonly adding/modifying properties is not supported.`
            : `${ctx} is readonly. Adding/Updating ${name} is not supported.`));
        }
      };
      ancestor(fn.body, {
        AssignmentExpression: (node) => report(node.left),
        UnaryExpression: (node) => {
          if (node.operator === 'delete') report(node.argument);
        },
      });
    },
  });
  return errors;
}
