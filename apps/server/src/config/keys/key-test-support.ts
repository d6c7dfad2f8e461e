// What the key-table tests (backend.test.ts, topology.test.ts, kv.test.ts) share: defaults as
// the loader hands them over, fake file access, and catching a package's refusal by its class.
import type { ConfigIo, KeySpec, KeyValues } from '../key-spec.js';

/**
 * Every key of a table at its default, then `overrides`: what the loader passes after checking.
 *
 * @example
 * const v = defaultsWith(backendKeys, { BackendDB: 'sqlite' });
 */
export function defaultsWith(keys: readonly KeySpec[], overrides: KeyValues = {}): KeyValues {
  return { ...Object.fromEntries(keys.map((k) => [k.key, k.default])), ...overrides };
}

/**
 * File access that fails the test on any read.
 *
 * @example
 * buildBackendConfig(values, noFiles);
 */
export const noFiles: ConfigIo = {
  readFile: (path) => {
    throw new Error(`unexpected read of ${path}`);
  },
};

/**
 * File access over an in-memory map; a path not in it reads like a missing file.
 *
 * @example
 * buildBackendConfig(values, files({ '/etc/orc.cnf': '[client]\nuser=orc\n' }));
 */
export const files = (content: Record<string, string>): ConfigIo => ({
  readFile: (path) => {
    const text = content[path];
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return text;
  },
});

/**
 * Runs `run` and returns the error of class `type` it throws; anything else fails the test.
 *
 * @example
 * const err = refusal(BackendError, () => buildBackendConfig(values, noFiles));
 */
export function refusal<E extends Error>(type: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}`);
}
