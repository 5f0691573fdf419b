// Realms for APPSYNC_JS code: vm contexts holding only the globals AppSync gives. Making one costs
// a few milliseconds, so a realm is reused by later runs, but only when nothing a run could reach in it
// changed: a run that wrote a global or touched a built-in leaves its realm dirty, and a dirty realm is
// dropped, never reused. What a run could reach is what syntax makes (literals, functions, arguments) and, once
// its code names a global (reach.ts), that global and the built-ins no global holds: only those are checked after it.
// Each run still gets a fresh module instance (see module.ts).
import vm from 'node:vm';

/**
 * Methods AppSync's runtime does not implement, from the no-disallowed-methods rule of AWS's
 * @aws-appsync/eslint-plugin. They are removed from the context, so calling one fails as on AppSync.
 */
const MISSING_METHODS: Record<string, readonly string[]> = {
  // fromAsync too: it makes a promise (the runtime has no Promise) and reads its input after the run has ended.
  'Array': ['from', 'of', 'fromAsync'],
  'Array.prototype': ['copyWithin', 'entries', 'group', 'groupToMap', 'keys', 'toLocaleString', 'values'],
  'Object': ['create', 'defineProperties', 'defineProperty', 'freeze', 'getOwnPropertyDescriptor',
    'getOwnPropertyDescriptors', 'getOwnPropertyNames', 'getOwnPropertySymbols', 'getPrototypeOf', 'is',
    'isExtensible', 'isFrozen', 'isSealed', 'preventExtensions', 'seal', 'setPrototypeOf'],
  'String': ['fromCharCode', 'fromCodePoint', 'raw'],
  'String.prototype': ['charCodeAt', 'localeCompare', 'matchAll', 'padEnd', 'padStart', 'repeat', 'search',
    'toLocaleLowerCase', 'toLocaleUpperCase'],
  'Date.prototype': ['setDate', 'setFullYear', 'setHours', 'setMilliseconds', 'setMinutes', 'setMonth',
    'setSeconds', 'setTime', 'setUTCDate', 'setUTCFullYear', 'setUTCHours', 'setUTCMilliseconds',
    'setUTCMinutes', 'setUTCMonth', 'setUTCSeconds', 'setYear', 'toGMTString', 'toLocaleDateString',
    'toLocaleString', 'toLocaleTimeString'],
};

/** Globals of a plain V8 context that AppSync's runtime does not have. */
const MISSING_GLOBALS = ['eval', 'Function', 'Promise', 'Proxy', 'Reflect', 'WebAssembly', 'SharedArrayBuffer',
  'Atomics', 'WeakRef', 'FinalizationRegistry', 'AsyncFunction', 'escape', 'unescape'];

const PRELUDE = [
  ...Object.entries(MISSING_METHODS).flatMap(([owner, names]) => names.map((name) => `delete ${owner}.${name};`)),
  ...MISSING_GLOBALS.map((name) => `delete globalThis.${name};`),
].join('\n');
const preludeScript = new vm.Script(PRELUDE, { filename: 'appsync-runtime-prelude.js' });

/**
 * Built-ins that code can reach without a global naming them, in two groups. `syntax`: the prototypes of literals
 * and functions, and an arguments object: every run reaches them. `hidden`: the prototypes no global holds
 * (iterators, iterator helpers, generators, async functions, promises, Intl segments, call sites) and Symbol's. Code
 * that names no global has no way to them: it can't get a symbol (the prelude takes away every method that lists
 * symbols: Object.getOwnPropertySymbols, Object.getOwnPropertyDescriptors, Reflect), so no Symbol.iterator method,
 * and the other methods that hand out such objects are gone too (Array.prototype.keys, values and entries,
 * String.prototype.matchAll, Array.fromAsync), as is the syntax that makes them (check.ts refuses generators, async
 * functions and regular expression literals; reach.ts counts the first two as reaching everything, the last as
 * naming RegExp). Code that names any global is taken to reach them all. Run before the prelude, which deletes
 * Object.getPrototypeOf.
 */
const rootsScript = new vm.Script(`(() => {
  const syntax = [{}, [], '', 0, true, 0n, () => 0].map((value) => Object.getPrototypeOf(value));
  syntax.push((function () { 'use strict'; return arguments; })());
  const hidden = [Symbol.prototype, [][Symbol.iterator](), ''[Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](),
    /a/[Symbol.matchAll](''), function* () {}, (function* () {})(), async function () {}, async function* () {},
    (async function* () {})(), Promise.prototype];
  const helper = [][Symbol.iterator]().map;
  if (typeof helper === 'function') hidden.push(helper.call([][Symbol.iterator](), (x) => x));
  if (typeof Iterator === 'function' && typeof Iterator.from === 'function') hidden.push(Iterator.from({ next: () => ({ done: true }) }));
  if (typeof Intl === 'object' && typeof Intl.Segmenter === 'function') {
    const segments = new Intl.Segmenter().segment('');
    hidden.push(segments, segments[Symbol.iterator]());
  }
  const own = Object.hasOwn(Error, 'prepareStackTrace');
  const before = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  const sites = new Error().stack;
  if (own) Error.prepareStackTrace = before;
  else delete Error.prepareStackTrace;
  if (Array.isArray(sites) && sites.length > 0) hidden.push(sites[0]);
  return { syntax, hidden };
})()`, { filename: 'appsync-runtime-roots.js' });

/**
 * The legacy RegExp statics (RegExp.$1, lastMatch, input...) are realm state no property shows: a
 * match on an empty string brings them back to a new realm's values (all empty strings).
 */
const resetRegExpStatics = new vm.Script('/(?:)/.exec(\'\'); undefined;', { filename: 'appsync-runtime-reset.js' });

/**
 * The globals each run sets for itself (util, extensions, runtime, console): realm-made stand-ins new for each run
 * (stand-ins.ts), so their values change between runs and what a run writes on them no later run reaches.
 */
export const RUN_GLOBALS: readonly string[] = ['util', 'extensions', 'runtime', 'console'];

/**
 * __defineGetter__ and __defineSetter__ are the only ways left (after the prelude) to turn a property into
 * an accessor in place. Each realm's pair is wrapped to record that it was called: the check below can
 * then read data properties directly, without a getter ever running. Run before the prelude (Reflect).
 */
const accessorGuardScript = new vm.Script(`(() => {
  'use strict';
  const record = { used: false };
  const apply = Reflect.apply;
  const proto = Object.prototype;
  const defineGetter = proto.__defineGetter__;
  const defineSetter = proto.__defineSetter__;
  const guarded = {
    __defineGetter__(key, getter) { record.used = true; return apply(defineGetter, this, [key, getter]); },
    __defineSetter__(key, setter) { record.used = true; return apply(defineSetter, this, [key, setter]); },
  };
  for (const name of ['__defineGetter__', '__defineSetter__']) {
    Object.defineProperty(proto, name, { value: guarded[name], writable: true, enumerable: false, configurable: true });
  }
  return record;
})()`, { filename: 'appsync-runtime-guard.js' });

type Key = string | symbol;

/**
 * One object of the realm as it was made: prototype, extensibility, own keys in order, and the
 * properties that could change (a non-configurable read-only or accessor property cannot).
 */
interface ObjectRecord {
  target: Record<Key, unknown>;
  proto: object | null;
  extensible: boolean;
  keys: Key[];
  values: { key: Key; value: unknown }[];
  accessors: { key: Key; get: unknown; set: unknown }[];
  /** The records of the objects this one holds (property values, getters, setters, prototype). */
  children: number[];
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * Whether an object is this process's, not the realm's: read from here, a strict arguments object's
 * Symbol.iterator is this process's Array.prototype.values (V8 answers with the reader's own), which is no
 * part of the realm and no code in it can reach.
 */
function isHostObject(value: object): boolean {
  for (let at: object | null = value; at !== null; at = Reflect.getPrototypeOf(at)) if (at === Object.prototype) return true;
  return false;
}

/** Every object reachable from `roots` by own properties (values, getters, setters) and prototypes, the realm's only. */
function snapshot(roots: readonly object[], global: object): ObjectRecord[] {
  const records: ObjectRecord[] = [];
  const held: unknown[][] = [];
  const index = new Map<object, number>();
  const pending: unknown[] = [...roots];
  while (pending.length > 0) {
    const target = pending.pop();
    if (!isObject(target) || index.has(target) || isHostObject(target)) continue;
    index.set(target, records.length);
    const keys = Reflect.ownKeys(target);
    const record: ObjectRecord = {
      target: target as Record<Key, unknown>, proto: Reflect.getPrototypeOf(target), extensible: Reflect.isExtensible(target), keys, values: [], accessors: [], children: [],
    };
    const refs: unknown[] = [record.proto];
    for (const key of keys) {
      // The run globals' values are set anew by each run (fresh stand-ins): not part of the realm.
      if (target === global && typeof key === 'string' && RUN_GLOBALS.includes(key)) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      if (descriptor === undefined) continue;
      const canChange = descriptor.configurable === true || descriptor.writable === true;
      if ('value' in descriptor) {
        if (canChange) record.values.push({ key, value: descriptor.value });
        refs.push(descriptor.value);
      } else {
        if (canChange) record.accessors.push({ key, get: descriptor.get, set: descriptor.set });
        refs.push(descriptor.get, descriptor.set);
      }
    }
    pending.push(...refs);
    records.push(record);
    held.push(refs);
  }
  records.forEach((record, i) => {
    for (const ref of held[i] ?? []) {
      const child = isObject(ref) ? index.get(ref) : undefined;
      if (child !== undefined) record.children.push(child);
    }
  });
  return records;
}

/**
 * True when every recorded object still has its prototype, extensibility, keys (in order) and property
 * values. Values are read directly: with the accessor guard unused, a data property is still one.
 */
function unchanged(records: readonly ObjectRecord[]): boolean {
  for (const record of records) {
    const { target } = record;
    if (Reflect.getPrototypeOf(target) !== record.proto || Reflect.isExtensible(target) !== record.extensible) return false;
    const keys = Reflect.ownKeys(target);
    if (keys.length !== record.keys.length) return false;
    for (let i = 0; i < keys.length; i += 1) if (keys[i] !== record.keys[i]) return false;
    for (const { key, value } of record.values) if (!Object.is(target[key], value)) return false;
    for (const { key, get, set } of record.accessors) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      if (descriptor?.get !== get || descriptor?.set !== set) return false;
    }
  }
  return true;
}

// Bound now: a resolver that later replaces JSON.parse dirties the realm, and it is dropped before another run.
const parseScript = new vm.Script('JSON.parse.bind(JSON)', { filename: 'appsync-realm-parse.js' });

/** A vm context with AppSync's globals, and what it held when it was made. */
export class Realm {
  readonly context: vm.Context;
  /** JSON.parse of the realm: the values it makes are the realm's own objects, with the realm's prototypes. */
  readonly parse: (text: string) => unknown;
  private readonly records: ObjectRecord[];
  private readonly guard: { used: boolean };
  /** The records of the roots every run reaches, of those only code naming a global reaches, of the global object and of each global's value. */
  private readonly syntaxRoots: number[];
  private readonly hiddenRoots: number[];
  private readonly globalRecord: number;
  private readonly globalValues = new Map<string, number>();
  /** The records a run of code naming these globals can reach, by the names joined. */
  private readonly plans = new Map<string, readonly ObjectRecord[]>();

  constructor() {
    const placeholders = Object.fromEntries(RUN_GLOBALS.map((name) => [name, undefined]));
    this.context = vm.createContext(placeholders, { name: 'APPSYNC_JS', codeGeneration: { strings: false, wasm: false } });
    const roots = rootsScript.runInContext(this.context) as { syntax: object[]; hidden: object[] };
    this.guard = accessorGuardScript.runInContext(this.context) as { used: boolean };
    preludeScript.runInContext(this.context);
    this.parse = parseScript.runInContext(this.context) as (text: string) => unknown;
    const global = vm.runInContext('globalThis', this.context) as Record<string, unknown>;
    this.records = snapshot([global, ...roots.syntax, ...roots.hidden], global);
    const indexOf = new Map(this.records.map((record, i) => [record.target as object, i]));
    this.syntaxRoots = roots.syntax.map((root) => indexOf.get(root)).filter((i) => i !== undefined);
    this.hiddenRoots = roots.hidden.map((root) => indexOf.get(root)).filter((i) => i !== undefined);
    this.globalRecord = indexOf.get(global) ?? -1;
    for (const { key, value } of this.records[this.globalRecord]?.values ?? []) {
      const at = typeof key === 'string' && isObject(value) ? indexOf.get(value) : undefined;
      if (at !== undefined) this.globalValues.set(key as string, at);
    }
  }

  /**
   * The records a run of code that names `globals` (null: could reach anything) can have changed: everything
   * reachable from the syntax roots, and when it names a global, from the hidden roots, those globals' values and
   * the global object itself (it may assign it). If that reaches the global object by another way, or Error, the
   * whole realm.
   */
  private reachable(globals: readonly string[] | null): readonly ObjectRecord[] {
    if (globals === null) return this.records;
    const key = globals.join(',');
    let plan = this.plans.get(key);
    if (plan) return plan;
    const included = new Uint8Array(this.records.length);
    const pending = globals.length > 0 ? [...this.syntaxRoots, ...this.hiddenRoots] : [...this.syntaxRoots];
    for (const name of globals) {
      const at = this.globalValues.get(name);
      if (at !== undefined) pending.push(at);
    }
    let all = false;
    for (let at = pending.pop(); at !== undefined && !all; at = pending.pop()) {
      if (included[at] === 1) continue;
      if (at === this.globalRecord) all = true;
      included[at] = 1;
      pending.push(...(this.records[at]?.children ?? []));
    }
    // Error.prepareStackTrace hands code the call sites of the stack, whose getThis and getFunction reach objects no
    // name does: code that can reach Error (by any name: TypeError's prototype is Error too) gets the whole check.
    const error = this.globalValues.get('Error');
    if (error !== undefined && included[error] === 1) all = true;
    if (globals.length > 0 && this.globalRecord >= 0) included[this.globalRecord] = 1;
    plan = all ? this.records : this.records.filter((_record, i) => included[i] === 1);
    this.plans.set(key, plan);
    return plan;
  }

  /**
   * Whether the realm is as it was made, apart from the run globals' values, after a run of code naming
   * `globals` (see reach.ts; null, the default, checks every object of the realm).
   */
  isClean(globals: readonly string[] | null = null): boolean {
    return !this.guard.used && unchanged(this.reachable(globals));
  }

  /** Gets the realm ready for reuse after a run of code naming `globals`; false when it changed and must be dropped. */
  reset(globals: readonly string[] | null = null): boolean {
    if (!this.isClean(globals)) return false;
    resetRegExpStatics.runInContext(this.context);
    return true;
  }
}

/** Idle realms kept for reuse (about 0.5 MB of heap each): enough for the resolvers of ten concurrent pipelines. */
const MAX_IDLE = 32;
const idle: Realm[] = [];
const counts = { created: 0, reused: 0, dropped: 0 };

/** A clean realm for one run, reused when one is idle. */
export function acquireRealm(): Realm {
  const realm = idle.pop();
  if (realm) {
    counts.reused += 1;
    return realm;
  }
  counts.created += 1;
  return new Realm();
}

/** Gives a realm back after a run of code naming `globals` (reach.ts): reused if nothing in it changed, dropped otherwise. */
export function releaseRealm(realm: Realm, globals: readonly string[] | null = null): void {
  if (!realm.reset(globals)) {
    counts.dropped += 1;
    return;
  }
  if (idle.length < MAX_IDLE) idle.push(realm);
}

let globalNames: ReadonlySet<string> | undefined;

/** The names of a new context's globals, before the prelude takes some away: the names code can give a global. */
export function realmGlobalNames(): ReadonlySet<string> {
  globalNames ??= new Set(vm.runInContext('Object.getOwnPropertyNames(globalThis)', vm.createContext()) as string[]);
  return globalNames;
}

/** How many realms were made, reused and dropped as dirty (for tests and diagnostics). */
export function realmCounts(): Readonly<typeof counts> {
  return { ...counts };
}
