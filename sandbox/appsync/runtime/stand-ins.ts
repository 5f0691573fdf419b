// Stand-ins for the objects a run hands its code (util, extensions, runtime, console, the module bindings): objects and
// functions made inside the run's realm, so every prototype and constructor path from them leads to the realm's
// built-ins, where code generation from strings is disabled, never to this process's. Each function calls the host
// function it stands for through a closure the code can't reach, with the host object that holds it as `this`, passes
// the arguments on (as copies made of this process's values: see toHost), and hands back primitives as they
// are and objects as the realm's JSON copy (as module.ts's `adopt` does). What a host function throws (util.error,
// runtime.earlyReturn...) ends the run as before: it passes through unchanged. The stand-ins are new for each run, so
// what one run writes on them no later run sees; only the builder, which holds no run's values, is kept per realm.
import vm from 'node:vm';

/** Host objects to stand in for, by name: the run globals, or the modules the code may import. */
export type HostRoots = Record<string, object>;

/** The stand-ins of one run: its globals, and the function the code's imports call (a module it can't import is `{}`). */
export interface StandIns {
  readonly globals: Record<string, unknown>;
  readonly importModule: (name: string) => unknown;
}

/** What a build needs of the realm: its JSON.parse (values made of the realm's own objects) and its context. */
export interface StandInRealm {
  readonly context: vm.Context;
  readonly parse: (text: string) => unknown;
}

type Builder = (fns: readonly unknown[], holders: readonly object[]) => StandIns;

/** A host tree laid out as the builder's source, and the functions its stand-ins call, in source order. */
interface Layout {
  source: string;
  fns: unknown[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Reflect.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The source of a stand-in for host function number `at`, as the value of the property `key`. */
function functionSource(key: string, fn: (...args: unknown[]) => unknown, at: number): string {
  const params = Array.from({ length: fn.length }, (_unused, i) => `a${i}`).join(', ');
  const body = `{ return r(A(f[${at}], h[${at}], arguments)); }`;
  const name = typeof fn.name === 'string' ? fn.name : '';
  // Functions with a prototype (declarations, function expressions) stay constructible; methods and arrows do not.
  // Either takes its name from the key it is made under: when the host function's name differs, a key of that name.
  const made = (keyText: string): string => (Object.hasOwn(fn, 'prototype') ? `${keyText}: function (${params}) ${body}` : `${keyText}(${params}) ${body}`);
  if (name === key) return made(propertyKey(key));
  const literal = JSON.stringify(name);
  return `${propertyKey(key)}: ({ ${made(`[${literal}]`)} })[${literal}]`;
}

/** A key of an object literal: `__proto__` would set the prototype, so it is computed. */
function propertyKey(key: string): string {
  if (key === '__proto__') return '["__proto__"]';
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/**
 * Lays out the host trees: each plain object once (a shared one, such as `util` in the global and in the module
 * '@aws-appsync/utils', is one stand-in in both), before the objects that hold it.
 */
function layout(globals: HostRoots, modules: HostRoots): Layout {
  const statements: string[] = [];
  const names = new Map<object, string>();
  const fns: unknown[] = [];
  const visit = (object: Record<string, unknown>): string => {
    const known = names.get(object);
    if (known !== undefined) return known;
    const properties: string[] = [];
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (typeof value === 'function') {
        properties.push(functionSource(key, value as (...args: unknown[]) => unknown, fns.length));
        fns.push(value);
      } else if (isPlain(value)) {
        properties.push(`${propertyKey(key)}: ${visit(value)}`);
      } else if (typeof value === 'object' && value !== null) {
        throw new TypeError(`stand-ins: ${key} is neither a plain object nor a function`);
      } else {
        properties.push(`${propertyKey(key)}: ${value === undefined ? 'undefined' : literalOf(value)}`);
      }
    }
    const name = `o${names.size}`;
    names.set(object, name);
    statements.push(`const ${name} = { ${properties.join(', ')} };`);
    return name;
  };
  const returned = Object.entries(globals).map(([key, root]) => `${propertyKey(key)}: ${visit(root as Record<string, unknown>)}`);
  const imports = Object.entries(modules).map(([key, root]) => `n === ${JSON.stringify(key)} ? ${visit(root as Record<string, unknown>)} : `);
  const importModule = `importModule: (n) => (${imports.join('')}{})`;
  const source = `(function (A, r) {\n'use strict';\nreturn function (f, h) {\n${statements.join('\n')}\nreturn { globals: { ${returned.join(', ')} }, ${importModule} };\n};\n})`;
  return { source, fns };
}

/** Marks of a shape, beside the keys, names, lengths and values it lists. */
const OPEN = Symbol('open');
const CLOSE = Symbol('close');
const SEEN = Symbol('seen');
const FUNCTION = Symbol('function');
const VALUE = Symbol('value');
const MODULES = Symbol('modules');

/** The host trees' shape (what the builder's source depends on) and their functions and holders, in `layout`'s order. */
interface Traced {
  shape: unknown[];
  fns: unknown[];
  holders: object[];
}

/** Walks the host trees as `layout` does, without making source: what each run does to find its builder. */
function trace(globals: HostRoots, modules: HostRoots): Traced {
  const shape: unknown[] = [];
  const fns: unknown[] = [];
  const holders: object[] = [];
  const seen = new Map<object, number>();
  const visit = (object: Record<string, unknown>): void => {
    const known = seen.get(object);
    if (known !== undefined) {
      shape.push(SEEN, known);
      return;
    }
    shape.push(OPEN);
    for (const key of Object.keys(object)) {
      const value = object[key];
      shape.push(key);
      if (typeof value === 'function') {
        shape.push(FUNCTION, value);
        fns.push(value);
        holders.push(object);
      } else if (isPlain(value)) {
        visit(value);
      } else {
        shape.push(VALUE, value);
      }
    }
    seen.set(object, seen.size);
    shape.push(CLOSE);
  };
  for (const key of Object.keys(globals)) {
    shape.push(key);
    visit(globals[key] as Record<string, unknown>);
  }
  shape.push(MODULES);
  for (const key of Object.keys(modules)) {
    shape.push(key);
    visit(modules[key] as Record<string, unknown>);
  }
  return { shape, fns, holders };
}

/** What a function's stand-in is made from besides its key: its name, length and whether it has a prototype. */
function sameSignature(a: unknown, b: unknown): boolean {
  if (typeof a !== 'function' || typeof b !== 'function') return false;
  return a.name === b.name && a.length === b.length && Object.hasOwn(a, 'prototype') === Object.hasOwn(b, 'prototype');
}

/** Whether two shapes make the same builder: equal, but for functions (each run makes some anew) of one signature. */
function sameShape(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    if (Object.is(a[i], b[i])) continue;
    if (a[i - 1] !== FUNCTION || b[i - 1] !== FUNCTION || !sameSignature(a[i], b[i])) return false;
  }
  return true;
}

function literalOf(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  throw new TypeError(`stand-ins: a ${typeof value} can't be laid out`);
}

/**
 * The shapes met so far and their builders' source: the host trees have the same shape in every run, so there are few.
 * A shape holds the functions of the run that first had it (the functions of later runs are compared by signature).
 */
const layouts: { shape: readonly unknown[]; source: string; script: vm.Script }[] = [];
const MAX_LAYOUTS = 16;
/** Each realm's builders, by source. */
const builders = new WeakMap<vm.Context, Map<string, Builder>>();

/** The compiled builder for trees of this shape: found among the known shapes, else laid out and compiled. */
function scriptFor(globals: HostRoots, modules: HostRoots, traced: Traced): { source: string; script: vm.Script } {
  const known = layouts.find((entry) => sameShape(entry.shape, traced.shape));
  if (known !== undefined) return known;
  const { source, fns } = layout(globals, modules);
  // The two walks must list the functions in one order: the builder's f[i] is the trace's.
  if (fns.length !== traced.fns.length || fns.some((fn, i) => fn !== traced.fns[i])) throw new Error('stand-ins: the layout and the trace disagree');
  const entry = { shape: traced.shape, source, script: new vm.Script(source, { filename: 'appsync-runtime-stand-ins.js' }) };
  if (layouts.length < MAX_LAYOUTS) layouts.push(entry);
  return entry;
}

/** What a function the code passed becomes in the copy: still a function (host code may reject it by its type), inert. */
const inert = function inert(): undefined {
  return undefined;
};

/** A Date's time value, or null for any other object (the internal slot is checked, whatever the object's realm). */
function timeOf(value: object): number | null {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return null;
  }
}

/**
 * The copy a host function gets of an argument: made of this process's values only. Host code calls an argument's
 * methods with its own functions (`items.every(check)`, a toJSON with the object as `this`); those of the code's
 * objects are the code's to replace, which would hand it a host function or object, a way into this process. So
 * arrays and objects are copied (own enumerable keys, as host code reads them; a Date as a Date), functions become
 * an inert one, primitives stay. Reading a property may run the code's getters, which get only the code's own
 * objects. An object met twice is copied once, so a cycle stays one.
 */
function toHost(value: unknown, realmObject: object, copies: Map<object, unknown>): unknown {
  if (typeof value === 'function') return inert;
  if (typeof value !== 'object' || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    const { length } = value as unknown[];
    for (let i = 0; i < length; i += 1) copy.push(toHost((value as unknown[])[i], realmObject, copies));
    return copy;
  }
  const proto = Reflect.getPrototypeOf(value);
  const time = proto === realmObject || proto === null ? null : timeOf(value);
  if (time !== null) {
    const date = new Date(time);
    copies.set(value, date);
    return date;
  }
  const copy: Record<string, unknown> = proto === null ? Object.create(null) as Record<string, unknown> : {};
  copies.set(value, copy);
  for (const key of Object.keys(value)) {
    // Defined, not assigned: a key `__proto__` stays a property.
    Object.defineProperty(copy, key, { value: toHost((value as Record<string, unknown>)[key], realmObject, copies), writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

/** The frames a call through a stand-in adds to a host error's stack: the stand-in's and `apply`'s (Reflect.apply shows none). */
const STAND_IN_FRAMES = 2;

function builderFor(realm: StandInRealm, source: string, script: vm.Script): Builder {
  let own = builders.get(realm.context);
  if (own === undefined) {
    own = new Map();
    builders.set(realm.context, own);
  }
  let builder = own.get(source);
  if (builder !== undefined) return builder;
  const setup = script.runInContext(realm.context) as (apply: (fn: (...args: unknown[]) => unknown, holder: object, args: ArrayLike<unknown>) => unknown, toRealm: (value: unknown) => unknown) => Builder;
  const { parse } = realm;
  const stringify = JSON.stringify;
  // Results the realm may hold: primitives as they are, objects as the realm's JSON copy, functions not at all.
  const toRealm = (value: unknown): unknown => {
    if (typeof value === 'function') return undefined;
    if (typeof value !== 'object' || value === null) return value;
    const json = stringify(value);
    return json === undefined ? undefined : parse(json);
  };
  const realmObject = Reflect.getPrototypeOf(parse('{}') as object) as object;
  const apply = (fn: (...args: unknown[]) => unknown, holder: object, args: ArrayLike<unknown>): unknown => {
    let copies: Map<object, unknown> | undefined;
    const own: unknown[] = [];
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i];
      if (typeof arg !== 'object' || arg === null) own.push(typeof arg === 'function' ? inert : arg);
      else own.push(toHost(arg, realmObject, copies ??= new Map<object, unknown>()));
    }
    // The stand-in and this function are frames between the host function and the code: a stack as deep as before
    // still reaches the code's frame, where execute.ts finds the line and column of an error.
    const limit = Error.stackTraceLimit;
    if (typeof limit === 'number') Error.stackTraceLimit = limit + STAND_IN_FRAMES;
    try {
      return Reflect.apply(fn, holder, own);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  builder = setup(apply, toRealm);
  own.set(source, builder);
  return builder;
}

/** Realm-made stand-ins for the run's globals and modules (plain objects of functions, plain objects and primitives). */
export function buildStandIns(realm: StandInRealm, globals: HostRoots, modules: HostRoots): StandIns {
  const traced = trace(globals, modules);
  const { source, script } = scriptFor(globals, modules, traced);
  return builderFor(realm, source, script)(traced.fns, traced.holders);
}
