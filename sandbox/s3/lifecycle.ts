// Lifecycle expiration of the template's buckets ("Expiring objects" and "Lifecycle configuration elements" in the
// Amazon S3 user guide): an object matching an enabled rule's prefix (and size bounds) expires at the midnight UTC that
// follows its creation time plus ExpirationInDays, or on ExpirationDate. S3 removes expired objects asynchronously; so
// does the sandbox, by sweeping on an interval (as sandbox/dynamodb-local/ttl-sweeper.ts does for TTL), with a clock a
// test can move. A rule with TagFilters never matches: the sandbox keeps no object tags.
import type { Logger } from '../log.ts';
import type { ObjectStore, StoredObject } from './store.ts';

export interface ExpirationRule {
  prefix: string;
  days?: number;
  date?: number;
  sizeGreaterThan?: number;
  sizeLessThan?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The enabled expiration rules of a template's LifecycleConfiguration (`{ Rules: [...] }`). */
export function expirationRules(configuration: unknown): ExpirationRule[] {
  const rules = (configuration as { Rules?: unknown } | undefined)?.Rules;
  if (!Array.isArray(rules)) return [];
  return rules
    .filter((rule: Record<string, unknown>) => rule.Status === 'Enabled' && rule.TagFilters === undefined && (rule.ExpirationInDays !== undefined || rule.ExpirationDate !== undefined))
    .map((rule: Record<string, unknown>) => ({
      prefix: typeof rule.Prefix === 'string' ? rule.Prefix : '',
      ...(rule.ExpirationInDays === undefined ? {} : { days: Number(rule.ExpirationInDays) }),
      ...(typeof rule.ExpirationDate === 'string' ? { date: Date.parse(rule.ExpirationDate) } : {}),
      ...(rule.ObjectSizeGreaterThan === undefined ? {} : { sizeGreaterThan: Number(rule.ObjectSizeGreaterThan) }),
      ...(rule.ObjectSizeLessThan === undefined ? {} : { sizeLessThan: Number(rule.ObjectSizeLessThan) }),
    }));
}

/** When `object` expires under `rule`, or undefined when the rule does not apply to it. */
export function expiresAt(rule: ExpirationRule, object: Pick<StoredObject, 'key' | 'lastModified' | 'body'>): number | undefined {
  if (!object.key.startsWith(rule.prefix)) return undefined;
  if (rule.sizeGreaterThan !== undefined && !(object.body.length > rule.sizeGreaterThan)) return undefined;
  if (rule.sizeLessThan !== undefined && !(object.body.length < rule.sizeLessThan)) return undefined;
  if (rule.days !== undefined) return Math.ceil((object.lastModified + rule.days * DAY_MS) / DAY_MS) * DAY_MS;
  return rule.date;
}

export interface LifecycleSweeperOptions {
  store: ObjectStore;
  rules: ReadonlyMap<string, readonly ExpirationRule[]>;
  intervalMs: number;
  now: () => number;
  log: Logger;
}

export interface LifecycleSweeper {
  /** Removes every object expired by now; returns how many. */
  sweepNow(): number;
  stop(): void;
}

export function startLifecycleSweeper(options: LifecycleSweeperOptions): LifecycleSweeper {
  const { store, rules, log } = options;
  const sweepNow = (): number => {
    const now = options.now();
    let removed = 0;
    for (const [bucket, bucketRules] of rules) {
      for (const object of store.objects(bucket)) {
        if (bucketRules.some((rule) => (expiresAt(rule, object) ?? Number.POSITIVE_INFINITY) <= now)) {
          store.delete(bucket, object.key);
          removed += 1;
        }
      }
    }
    if (removed > 0) log.debug(`lifecycle expired ${removed} object${removed === 1 ? '' : 's'}`);
    return removed;
  };
  const timer = setInterval(sweepNow, options.intervalMs);
  timer.unref();
  return { sweepNow, stop: () => clearInterval(timer) };
}
