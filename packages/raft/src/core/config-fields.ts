// Reading optional config fields the same way in the core's and the node's validators: a missing
// field takes its default, a wrong one is reported (path and message) and also takes its default,
// so validation goes on and every problem is reported at once.

/**
 * Readers over `raw` that report a bad field through `bad`.
 * @example
 * const { num, bool } = fieldReader(raw, bad);
 * const tickMs = num('tickMs', 10, isPosInt, 'a positive integer');
 * const preVote = bool('preVote', true);
 */
export function fieldReader<K extends string>(
  raw: Partial<Record<K, unknown>>,
  bad: (path: string, message: string) => void,
): {
  num(key: K, dflt: number, check: (v: unknown) => v is number, what: string): number;
  bool(key: K, dflt: boolean): boolean;
} {
  const read = <T>(key: K, dflt: T, check: (v: unknown) => v is T, what: string): T => {
    const v = raw[key];
    if (v === undefined) return dflt;
    if (!check(v)) {
      bad(key, `must be ${what}, got ${JSON.stringify(v)}`);
      return dflt;
    }
    return v;
  };
  const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
  return {
    num: (key, dflt, check, what) => read(key, dflt, check, what),
    bool: (key, dflt) => read(key, dflt, isBool, 'a boolean'),
  };
}
