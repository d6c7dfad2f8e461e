// A replicated key-value state machine for simulations: commands are `put` operations carried
// in log entries; snapshots are the whole map.
import type { Entry } from '../core/types.js';
import { EntryType } from '../core/types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A put command: sets `key` to `value`. `id` identifies the client operation. */
export interface KvPut {
  readonly key: string;
  readonly value: string;
  readonly id: string;
}

/** Encodes a put as entry data. */
export function encodeKvPut(put: KvPut): Uint8Array {
  return enc.encode(JSON.stringify([put.key, put.value, put.id]));
}

/** Decodes entry data written by `encodeKvPut`. */
export function decodeKvPut(data: Uint8Array): KvPut {
  const parsed: unknown = JSON.parse(dec.decode(data));
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((x) => typeof x === 'string')) {
    throw new TypeError('kv: entry data is not a put command');
  }
  const [key, value, id] = parsed as [string, string, string];
  return { key, value, id };
}

/**
 * The state machine: a map from keys to values, plus the index applied up to.
 *
 * @example
 * ```ts
 * const kv = new KvStateMachine();
 * for (const e of ready.committedEntries) kv.apply(e);
 * kv.get('x');
 * ```
 */
export class KvStateMachine {
  #data = new Map<string, string>();
  #applied = 0;

  get applied(): number {
    return this.#applied;
  }

  /** Applies a committed entry (commands change the map; other entries only move `applied`). */
  apply(entry: Entry): KvPut | null {
    if (entry.index !== this.#applied + 1) {
      throw new RangeError(`kv: applying ${entry.index} after ${this.#applied}: entries must be applied in order`);
    }
    this.#applied = entry.index;
    if (entry.type !== EntryType.Command) return null;
    const put = decodeKvPut(entry.data);
    this.#data.set(put.key, put.value);
    return put;
  }

  get(key: string): string | undefined {
    return this.#data.get(key);
  }

  /** The whole state as bytes. */
  snapshot(): Uint8Array {
    return enc.encode(JSON.stringify({ applied: this.#applied, data: [...this.#data.entries()] }));
  }

  /** Replaces the state with a snapshot's. */
  restore(bytes: Uint8Array): void {
    const parsed = JSON.parse(dec.decode(bytes)) as { applied: number; data: [string, string][] };
    this.#applied = parsed.applied;
    this.#data = new Map(parsed.data);
  }
}
