// Turning config mistakes into named problems and unknown keys into warnings with a suggestion.
// Secrets never leave through here: a secret key's value is replaced before a message is built.
import type { KeyProblem, KeySpec, KeyValues } from './key-spec.js';

/** How a redacted secret is shown. */
export const REDACTED = '<redacted>';

/**
 * The problem with one value, or undefined. A secret's value is never quoted.
 *
 * @example
 * checkValue(row, '5s') // { path: 'InstancePollSeconds', message: 'must be a positive integer, got "5s"' }
 */
export function checkValue(spec: KeySpec, value: unknown, where = ''): KeyProblem | undefined {
  const message = spec.check(value);
  if (message === undefined) return undefined;
  const shown = spec.secret === true ? redactIn(message, value) : message;
  return { path: spec.key, message: where === '' ? shown : `${shown} (from ${where})` };
}

function redactIn(message: string, value: unknown): string {
  const quoted = JSON.stringify(value) ?? String(value);
  return message.split(quoted).join(REDACTED);
}

/**
 * Levenshtein distance, case-insensitive (operators mistype case as often as letters).
 *
 * @example
 * editDistance('InstancePollSecond', 'InstancePollSeconds') // 1
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[t.length] ?? 0;
}

/**
 * The known key closest to an unknown one, when close enough to be a typo.
 *
 * @example
 * closestKey('InstancePolSeconds', ['InstancePollSeconds']) // 'InstancePollSeconds'
 */
export function closestKey(unknown: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(unknown, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(unknown.length / 4)) ? best : undefined;
}

/**
 * The warning for a key orc does not read.
 *
 * @example
 * unknownKeyWarning('InstancePolSeconds', keys) // 'unknown key "InstancePolSeconds" ignored; did you mean "InstancePollSeconds"?'
 */
export function unknownKeyWarning(key: string, known: Iterable<string>, where = ''): string {
  const suggestion = closestKey(key, known);
  const from = where === '' ? '' : ` in ${where}`;
  return suggestion === undefined
    ? `unknown key ${JSON.stringify(key)}${from} ignored (orc does not read it)`
    : `unknown key ${JSON.stringify(key)}${from} ignored; did you mean ${JSON.stringify(suggestion)}?`;
}

/**
 * The lines printed for a config that cannot be used, one per problem.
 *
 * @example
 * formatProblems([{ path: 'InstancePollSeconds', message: 'must be a positive integer, got "5s"' }])
 * // 'orc: the configuration has 1 problem:\n  InstancePollSeconds: must be a positive integer, got "5s"'
 */
export function formatProblems(problems: readonly KeyProblem[]): string {
  const head = `orc: the configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`;
  return [head, ...problems.map((p) => `  ${p.path}: ${p.message}`)].join('\n');
}

/**
 * A copy of the values with every non-empty secret replaced by {@link REDACTED}: for logs and
 * API output.
 *
 * @example
 * redactValues({ HTTPAuthPassword: 'x' }, rows).HTTPAuthPassword // '<redacted>'
 */
export function redactValues(values: KeyValues, rows: readonly KeySpec[]): Record<string, unknown> {
  const secret = new Set(rows.filter((r) => r.secret === true).map((r) => r.key));
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, secret.has(k) && v !== '' && v !== undefined ? REDACTED : v]),
  );
}

/**
 * Every secret value that is set, so a text (an error from a library) can be scrubbed of them.
 *
 * @example
 * scrubSecrets('auth failed for s3cret', values, rows) // 'auth failed for <redacted>'
 */
export function scrubSecrets(text: string, values: KeyValues, rows: readonly KeySpec[]): string {
  let out = text;
  for (const r of rows) {
    const v = values[r.key];
    if (r.secret === true && typeof v === 'string' && v.length >= 3) out = out.split(v).join(REDACTED);
  }
  return out;
}
