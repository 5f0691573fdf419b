// Realms for APPSYNC_JS code: vm contexts holding only the globals AppSync gives. Making one costs
// about a millisecond, so a realm is reused by later runs, but only when nothing a run could reach in it
// changed: a run that wrote a global or touched a built-in leaves its realm dirty, and a dirty realm is
// dropped, never reused. Each run still gets a fresh module instance (see module.ts).
import vm from 'node:vm';

/**
 * Methods AppSync's runtime does not implement, from the no-disallowed-methods rule of AWS's
 * @aws-appsync/eslint-plugin. They are removed from the context, so calling one fails as on AppSync.
 */
const MISSING_METHODS: Record<string, readonly string[]> = {
  'Array': ['from', 'of'],
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
 * Built-ins that code can reach without a global naming them (iterator, generator, arguments, Intl
 * segment and call-site prototypes). Run before the prelude, which deletes Object.getPrototypeOf.
 */
const hiddenRootsScript = new vm.Script(`(() => {
  const roots = [[][Symbol.iterator](), ''[Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](),
    /a/[Symbol.matchAll](''), function* () {}, (function* () {})(), async function () {}, async function* () {},
    (async function* () {})(), (function () { 'use strict'; return arguments; })()];
  if (typeof Intl === 'object' && typeof Intl.Segmenter === 'function') {
    const segments = new Intl.Segmenter().segment('');
    roots.push(segments, segments[Symbol.iterator]());
  }
  const own = Object.hasOwn(Error, 'prepareStackTrace');
  const before = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  const sites = new Error().stack;
  if (own) Error.prepareStackTrace = before;
  else delete Error.prepareStackTrace;
  if (Array.isArray(sites) && sites.length > 0) roots.push(sites[0]);
  return roots;
})()`, { filename: 'appsync-runtime-roots.js' });

/**
 * The legacy RegExp statics (RegExp.$1, lastMatch, input...) are realm state no property shows: a
 * match on an empty string brings them back to a new realm's values (all empty strings).
 */
const resetRegExpStatics = new vm.Script('/(?:)/.exec(\'\'); undefined;', { filename: 'appsync-runtime-reset.js' });

/** The globals each run sets for itself (util, extensions, runtime, console): their values may change between runs. */
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
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Every object reachable from `roots` by own properties (values, getters, setters) and prototypes. */
function snapshot(roots: readonly object[], global: object): ObjectRecord[] {
  const records: ObjectRecord[] = [];
  const seen = new Set<object>();
  const pending: unknown[] = [...roots];
  while (pending.length > 0) {
    const target = pending.pop();
    if (!isObject(target) || seen.has(target)) continue;
    seen.add(target);
    const keys = Reflect.ownKeys(target);
    const record: ObjectRecord = {
      target: target as Record<Key, unknown>, proto: Reflect.getPrototypeOf(target), extensible: Reflect.isExtensible(target), keys, values: [], accessors: [],
    };
    pending.push(record.proto);
    for (const key of keys) {
      // The run globals are the host's objects, set anew by each run: not part of the realm.
      if (target === global && typeof key === 'string' && RUN_GLOBALS.includes(key)) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      if (descriptor === undefined) continue;
      const canChange = descriptor.configurable === true || descriptor.writable === true;
      if ('value' in descriptor) {
        if (canChange) record.values.push({ key, value: descriptor.value });
        pending.push(descriptor.value);
      } else {
        if (canChange) record.accessors.push({ key, get: descriptor.get, set: descriptor.set });
        pending.push(descriptor.get, descriptor.set);
      }
    }
    records.push(record);
  }
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

  constructor() {
    const placeholders = Object.fromEntries(RUN_GLOBALS.map((name) => [name, undefined]));
    this.context = vm.createContext(placeholders, { name: 'APPSYNC_JS', codeGeneration: { strings: false, wasm: false } });
    const hidden = hiddenRootsScript.runInContext(this.context) as object[];
    this.guard = accessorGuardScript.runInContext(this.context) as { used: boolean };
    preludeScript.runInContext(this.context);
    this.parse = parseScript.runInContext(this.context) as (text: string) => unknown;
    const global = vm.runInContext('globalThis', this.context) as object;
    this.records = snapshot([global, ...hidden], global);
  }

  /** Whether the realm is as it was made, apart from the run globals' values. */
  isClean(): boolean {
    return !this.guard.used && unchanged(this.records);
  }

  /** Gets the realm ready for reuse; false when it changed and must be dropped. */
  reset(): boolean {
    if (!this.isClean()) return false;
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

/** Gives a realm back after its run: reused if nothing in it changed, dropped otherwise. */
export function releaseRealm(realm: Realm): void {
  if (!realm.reset()) {
    counts.dropped += 1;
    return;
  }
  if (idle.length < MAX_IDLE) idle.push(realm);
}

/** How many realms were made, reused and dropped as dirty (for tests and diagnostics). */
export function realmCounts(): Readonly<typeof counts> {
  return { ...counts };
}
