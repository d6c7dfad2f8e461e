// A linearizability checker for key-value histories (Wing & Gong's search with Lowe's
// memoisation, as Porcupine does), split per key: a KV store is linearizable when every key,
// seen as a register, is (P-compositionality).

/** One client operation. `response` is Infinity when its outcome is unknown (it may or may not have happened). */
export interface KvOperation {
  readonly kind: 'put' | 'get';
  readonly key: string;
  /** The value written, or the value read (undefined: the key was absent). */
  readonly value: string | undefined;
  /** Logical times; every invoke and response has a distinct time. */
  readonly invoke: number;
  readonly response: number;
  readonly client: number;
}

/** The verdict for a history; `key` and `reason` name what could not be linearized. */
export type LinearizabilityResult =
  { readonly ok: true } | { readonly ok: false; readonly key: string; readonly reason: string };

/**
 * Checks a KV history.
 *
 * @example
 * ```ts
 * const res = checkKvLinearizable(history);
 * if (!res.ok) throw new Error(`key ${res.key}: ${res.reason}`);
 * ```
 */
export function checkKvLinearizable(history: readonly KvOperation[], maxSteps = 2_000_000): LinearizabilityResult {
  const byKey = new Map<string, KvOperation[]>();
  for (const op of history) {
    const list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, [op]);
    else list.push(op);
  }
  for (const [key, ops] of byKey) {
    const verdict = checkRegister(ops, maxSteps);
    if (verdict !== null) return { ok: false, key, reason: verdict };
  }
  return { ok: true };
}

/** Returns null when the register history is linearizable, else why not. */
function checkRegister(ops: readonly KvOperation[], maxSteps: number): string | null {
  const sorted = [...ops].sort((a, b) => a.invoke - b.invoke);
  const n = sorted.length;
  const mustDo = sorted.filter((o) => o.response !== Infinity).length;
  const done = new Uint8Array(n);
  const seen = new Set<string>();
  let steps = 0;
  let doneCount = 0;
  let mustDone = 0;

  const stateKey = (value: string | undefined): string => {
    let s = value === undefined ? '\u0000' : `v${value}`;
    s += '|';
    for (let i = 0; i < n; i++) if (done[i] === 1) s += `${i},`;
    return s;
  };

  // Depth-first search over which operation takes effect next.
  const search = (value: string | undefined): boolean => {
    if (mustDone === mustDo) return true;
    if (++steps > maxSteps) throw new RangeError('linearizability: search budget exhausted');
    const key = stateKey(value);
    if (seen.has(key)) return false;
    seen.add(key);
    // Only an operation invoked before every pending operation's response can go first.
    let minResponse = Infinity;
    for (let i = 0; i < n; i++) {
      const o = sorted[i];
      if (done[i] === 0 && o !== undefined && o.response < minResponse) minResponse = o.response;
    }
    for (let i = 0; i < n; i++) {
      const o = sorted[i];
      if (o === undefined || done[i] === 1) continue;
      if (o.invoke > minResponse) break;
      let next: string | undefined;
      if (o.kind === 'get') {
        if (o.value !== value) continue;
        next = value;
      } else {
        next = o.value;
      }
      done[i] = 1;
      doneCount++;
      if (o.response !== Infinity) mustDone++;
      const ok = search(next);
      done[i] = 0;
      doneCount--;
      if (o.response !== Infinity) mustDone--;
      if (ok) return true;
    }
    return false;
  };

  try {
    if (search(undefined)) return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const gets = sorted.filter((o) => o.kind === 'get' && o.response !== Infinity).length;
  return `no linearization of ${n} operations (${gets} completed reads, ${n - mustDo} with unknown outcome); done ${doneCount}`;
}
