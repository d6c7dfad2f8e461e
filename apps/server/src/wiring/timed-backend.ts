// Backend latency for /metrics without a hook in @orc/backend: the daemon's one Backend is wrapped
// where it is opened, so every part that reads or writes through it (discovery's instance store,
// the analysis state, recovery records, the internal KV table, the API's reads) is timed. A
// repository call is the unit: one statement or one short transaction, named by what it does.
import type { Backend } from '@orc/backend';

/** The repositories of a {@link Backend}, each timed under its property name. */
export const TIMED_REPOSITORIES = [
  'instances',
  'clusters',
  'downtime',
  'candidates',
  'failureDetections',
  'recoveries',
  'audit',
  'kv',
  'nodeHealth',
] as const;

/** One finished repository call. */
export interface BackendCall {
  readonly repository: (typeof TIMED_REPOSITORIES)[number];
  readonly operation: string;
  readonly ok: boolean;
  readonly seconds: number;
}

type Repository = Record<string | symbol, unknown>;

function timedRepository(
  repo: Repository,
  repository: BackendCall['repository'],
  now: () => number,
  observe: (call: BackendCall) => void,
): Repository {
  const wrapped = new Map<string | symbol, unknown>();
  return new Proxy(repo, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
      let fn = wrapped.get(prop);
      if (fn === undefined) {
        const method = value as (...args: unknown[]) => unknown;
        fn = (...args: unknown[]): unknown => {
          const started = now();
          const done = (ok: boolean): void =>
            observe({ repository, operation: prop, ok, seconds: (now() - started) / 1000 });
          let result: unknown;
          try {
            // The target, not the proxy: repositories keep their state in #private fields.
            result = method.apply(target, args);
          } catch (err) {
            done(false);
            throw err;
          }
          if (result instanceof Promise) {
            return result.then(
              (v: unknown) => {
                done(true);
                return v;
              },
              (err: unknown) => {
                done(false);
                throw err;
              },
            );
          }
          done(true);
          return result;
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}

/**
 * The same backend, with each repository call reported to `observe` (its duration, whether it
 * threw). Everything else (open, close, election, snapshots) passes through untouched.
 *
 * @example
 * const backend = timedBackend(await openBackend(config.backend, parts), performance.now.bind(performance), (c) =>
 *   metrics.backendQueries.observe({ repository: c.repository, operation: c.operation, outcome: c.ok ? 'ok' : 'error' }, c.seconds),
 * );
 */
export function timedBackend(backend: Backend, now: () => number, observe: (call: BackendCall) => void): Backend {
  const repositories = new Map<string | symbol, Repository>(
    TIMED_REPOSITORIES.map((name) => [
      name,
      timedRepository(backend[name] as unknown as Repository, name, now, observe),
    ]),
  );
  const bound = new Map<string | symbol, unknown>();
  return new Proxy(backend, {
    get(target, prop) {
      const repo = repositories.get(prop);
      if (repo !== undefined) return repo;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      // Backend's methods use #private fields: they must run on the Backend itself.
      let fn = bound.get(prop);
      if (fn === undefined) bound.set(prop, (fn = (value as (...a: unknown[]) => unknown).bind(target)));
      return fn;
    },
  });
}
