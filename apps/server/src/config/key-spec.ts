// The one table of orchestrator's configuration keys: each row names the key word for word as
// orchestrator spells it, the package whose typed config it feeds, orchestrator's default, and
// the check its value must pass. config/keys/<package>.ts hold the rows of each package and the
// function that turns checked values into that package's camelCase config input. The operator
// guide's key list is generated from these rows.

/** Where a key's value goes. */
export type KeyOwner = 'server' | 'backend' | 'kv' | 'topology' | 'recovery' | 'raft' | 'api';

/** A check: undefined when the value is acceptable, else what is wrong ("must be ..., got ..."). */
export type ValueCheck = (value: unknown) => string | undefined;

export interface KeySpec {
  /** orchestrator's JSON key, word for word (orc's own keys are spelt the same way). */
  readonly key: string;
  readonly owner: KeyOwner;
  /** The dotted camelCase field of the owner's config input it sets (for the docs). */
  readonly field: string;
  /** The value used when the key is absent (orchestrator's default); undefined: unset. */
  readonly default: unknown;
  readonly check: ValueCheck;
  /** One line for the operator guide. */
  readonly doc: string;
  /** Never printed: logs, errors and API output show `<redacted>`. */
  readonly secret?: boolean;
  /** A key orchestrator does not have. */
  readonly orcOnly?: boolean;
}

/** Values after checking and defaults, by orchestrator key. */
export type KeyValues = Readonly<Record<string, unknown>>;

/** What building a package's config may need from outside (only apps/server touches files). */
export interface ConfigIo {
  readFile(path: string): string;
}

/** A problem with one key, reported with all the others at once. */
export interface KeyProblem {
  readonly path: string;
  readonly message: string;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)));

export const checks = {
  boolean: ((v) => (typeof v === 'boolean' ? undefined : `must be true or false, got ${show(v)}`)) as ValueCheck,
  string: ((v) => (typeof v === 'string' ? undefined : `must be a string, got ${show(v)}`)) as ValueCheck,
  nonNegativeInteger: ((v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0
      ? undefined
      : `must be a non-negative integer, got ${show(v)}`) as ValueCheck,
  positiveInteger: ((v) =>
    typeof v === 'number' && Number.isInteger(v) && v > 0
      ? undefined
      : `must be a positive integer, got ${show(v)}`) as ValueCheck,
  positiveNumber: ((v) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0
      ? undefined
      : `must be a positive number, got ${show(v)}`) as ValueCheck,
  stringArray: ((v) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string')
      ? undefined
      : `must be a list of strings, got ${show(v)}`) as ValueCheck,
  /** A list of regular expressions that compile. */
  regexArray: ((v) => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      return `must be a list of regular expressions, got ${show(v)}`;
    for (const pattern of v as string[]) {
      try {
        new RegExp(pattern);
      } catch (err) {
        return `${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`;
      }
    }
    return undefined;
  }) as ValueCheck,
  /** A port number 1-65535. */
  port: ((v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535
      ? undefined
      : `must be a port number 1-65535, got ${show(v)}`) as ValueCheck,
  oneOf:
    (...allowed: readonly string[]): ValueCheck =>
    (v) =>
      typeof v === 'string' && allowed.includes(v) ? undefined : `must be one of ${allowed.join(', ')}, got ${show(v)}`,
  stringMap: ((v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
      ? undefined
      : `must be an object of strings, got ${show(v)}`) as ValueCheck,
} as const;
