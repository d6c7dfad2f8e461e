import { KvError, type KvErrorDetail } from '../errors.js';
import { DEFAULT_MASTER_PREFIX, normalizeMasterPrefix } from '../layout/master-pairs.js';

/** The reconciler's tunables, all filled in. */
export interface KvReconcilerSettings {
  /** Key prefixes compared (default: the normalized master prefix, `mysql/master/`). */
  readonly prefixes: readonly string[];
  /** Time between comparisons of a healthy store. Default 60,000 ms. */
  readonly intervalMs: number;
  /** Repair chunks written at once per store. Default 4. */
  readonly concurrency: number;
  /** Pairs per repair write (a cluster's pairs are never split). Default 500. */
  readonly chunkPairs: number;
  /** Bound on each store call. Default 30,000 ms. */
  readonly timeoutMs: number;
  /** Probe/retry delay after failures: initialMs doubling up to maxMs (with jitter). Default 1,000 → 30,000 ms. */
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
}

/** Reconciler defaults. */
export const DEFAULT_RECONCILER_SETTINGS: KvReconcilerSettings = Object.freeze({
  prefixes: Object.freeze([normalizeMasterPrefix(DEFAULT_MASTER_PREFIX)]),
  intervalMs: 60_000,
  concurrency: 4,
  chunkPairs: 500,
  timeoutMs: 30_000,
  backoff: Object.freeze({ initialMs: 1_000, maxMs: 30_000 }),
});

/**
 * Fills the reconciler's defaults and checks every field, reporting all problems at once
 * (INVALID_CONFIG with `details`, each with its path).
 */
export function validateReconcilerOptions(
  input: Partial<KvReconcilerSettings> | undefined,
  path = '',
): KvReconcilerSettings {
  const problems: KvErrorDetail[] = [];
  const src = input ?? {};
  const at = (f: string): string => (path === '' ? f : `${path}.${f}`);
  const positive = (f: 'intervalMs' | 'concurrency' | 'chunkPairs' | 'timeoutMs', integer: boolean): number => {
    const v = src[f] ?? DEFAULT_RECONCILER_SETTINGS[f];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
      problems.push({
        path: at(f),
        message: `must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`,
      });
    }
    return v;
  };
  const intervalMs = positive('intervalMs', false);
  const concurrency = positive('concurrency', true);
  const chunkPairs = positive('chunkPairs', true);
  const timeoutMs = positive('timeoutMs', false);
  const backoffIn = src.backoff ?? DEFAULT_RECONCILER_SETTINGS.backoff;
  const initialMs = backoffIn.initialMs ?? DEFAULT_RECONCILER_SETTINGS.backoff.initialMs;
  const maxMs = backoffIn.maxMs ?? DEFAULT_RECONCILER_SETTINGS.backoff.maxMs;
  if (typeof initialMs !== 'number' || !(initialMs > 0))
    problems.push({
      path: at('backoff.initialMs'),
      message: `must be a positive number, got ${JSON.stringify(initialMs)}`,
    });
  if (typeof maxMs !== 'number' || !(maxMs > 0))
    problems.push({ path: at('backoff.maxMs'), message: `must be a positive number, got ${JSON.stringify(maxMs)}` });
  else if (typeof initialMs === 'number' && maxMs < initialMs)
    problems.push({ path: at('backoff.maxMs'), message: `must be at least backoff.initialMs (${initialMs})` });
  let prefixes: string[] = [...DEFAULT_RECONCILER_SETTINGS.prefixes];
  if (src.prefixes !== undefined) {
    if (!Array.isArray(src.prefixes) || src.prefixes.length === 0)
      problems.push({ path: at('prefixes'), message: 'must be a non-empty array of key prefixes' });
    else {
      prefixes = [];
      src.prefixes.forEach((p, i) => {
        try {
          prefixes.push(normalizeMasterPrefix(p));
        } catch (err) {
          problems.push({ path: at(`prefixes.${i}`), message: err instanceof Error ? err.message : String(err) });
        }
      });
    }
  }
  if (problems.length > 0) {
    throw new KvError(
      'INVALID_CONFIG',
      `invalid reconciler options: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { details: problems },
    );
  }
  return Object.freeze({
    prefixes: Object.freeze(prefixes),
    intervalMs,
    concurrency,
    chunkPairs,
    timeoutMs,
    backoff: Object.freeze({ initialMs, maxMs }),
  });
}
