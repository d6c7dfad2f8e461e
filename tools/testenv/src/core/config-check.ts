import { TestEnvError, type TestEnvErrorDetail } from '../errors.js';

/**
 * Collects every problem of one options object, then throws them together as `INVALID_CONFIG`,
 * each in `details` with its path, so a caller fixes all of them in one go.
 */
export class ConfigProblems {
  readonly #what: string;
  readonly #problems: TestEnvErrorDetail[] = [];

  constructor(what: string) {
    this.#what = what;
  }

  /** Records a problem at `path` unless `ok`. */
  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.#problems.push({ path, message });
  }

  /** Records a problem at `path`. */
  add(path: string, message: string): void {
    this.#problems.push({ path, message });
  }

  /** Throws when any problem was recorded. */
  throwIfAny(): void {
    if (this.#problems.length === 0) return;
    const lines = this.#problems.map((p) => `${p.path}: ${p.message}`);
    throw new TestEnvError('INVALID_CONFIG', `invalid ${this.#what}:\n  - ${lines.join('\n  - ')}`, {
      details: this.#problems,
    });
  }
}

/** Whether `value` is undefined or a positive integer. */
export function isOptionalPositiveInt(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isInteger(value) && value > 0);
}

/** Whether `value` is undefined or a TCP port number. */
export function isOptionalPort(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536);
}

/** Whether `value` is undefined or a non-empty string. */
export function isOptionalString(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.length > 0);
}

/** Server names become directory names: letters, digits, `_` and `-`, up to 32. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
