// Simulated KV clients: each runs one operation at a time against a random (or the last known
// leader) node, and records what it saw for the linearizability checker. A write whose fate is
// unknown (its node crashed, or it timed out) is recorded with an infinite response time.
import type { ReadState } from '../core/ready-types.js';
import type { Entry, NodeId } from '../core/types.js';
import { EntryType } from '../core/types.js';
import { decodeKvPut, encodeKvPut } from './kv-state-machine.js';
import type { KvOperation } from './linearizability.js';
import type { Prng } from './prng.js';
import type { SimNode } from './sim-node.js';

type Pending =
  | {
      kind: 'put';
      key: string;
      value: string;
      node: NodeId;
      index: number;
      term: number;
      invoke: number;
      deadline: number;
    }
  | { kind: 'get'; key: string; node: NodeId; ctx: string; invoke: number; readIndex: number | null; deadline: number };

interface Client {
  readonly id: number;
  busy: Pending | null;
  leaderHint: NodeId | null;
}

const keys = ['a', 'b', 'c'];
const enc = new TextEncoder();
const dec = new TextDecoder();
/** Steps after which a client stops waiting. */
const timeout = 150;

/** A set of clients driving a simulated cluster. */
export class SimClients {
  readonly #rng: Prng;
  readonly #rate: number;
  readonly #clients: Client[];
  readonly #ops: KvOperation[] = [];
  #time = 0;
  #counter = 0;
  #paused = false;

  constructor(rng: Prng, count: number, rate: number) {
    this.#rng = rng;
    this.#rate = rate;
    this.#clients = Array.from({ length: count }, (_, id) => ({ id, busy: null, leaderHint: null }));
  }

  /** Stops starting new operations (those in flight still complete). */
  pause(): void {
    this.#paused = true;
  }

  /** Starts operations on idle clients and gives up on overdue ones. */
  step(now: number, nodes: readonly SimNode[]): void {
    const up = nodes.filter((n) => n.isUp);
    for (const c of this.#clients) {
      if (c.busy !== null) {
        if (now > c.busy.deadline) this.#giveUp(c);
        continue;
      }
      if (this.#paused || up.length === 0 || !this.#rng.chance(this.#rate)) continue;
      const key = this.#rng.pick(keys);
      if (this.#rng.chance(0.5)) {
        const hinted = up.find((n) => n.id === c.leaderHint);
        const node = hinted ?? this.#rng.pick(up);
        const value = `${c.id}.${++this.#counter}`;
        const res = node.raw.propose(encodeKvPut({ key, value, id: value }));
        if (!res.ok) {
          c.leaderHint = res.leader;
          continue;
        }
        c.busy = {
          kind: 'put',
          key,
          value,
          node: node.id,
          index: res.index,
          term: res.term,
          invoke: ++this.#time,
          deadline: now + timeout,
        };
      } else {
        const node = this.#rng.pick(up);
        const ctx = `${c.id}/${++this.#counter}`;
        c.busy = {
          kind: 'get',
          key,
          node: node.id,
          ctx,
          invoke: ++this.#time,
          readIndex: null,
          deadline: now + timeout,
        };
        node.raw.readIndex(enc.encode(ctx));
      }
    }
  }

  onApplied(node: SimNode, entry: Entry, _now: number): void {
    for (const c of this.#clients) {
      const p = c.busy;
      if (p?.kind !== 'put' || p.node !== node.id || p.index !== entry.index) continue;
      if (entry.term === p.term && entry.type === EntryType.Command && decodeKvPut(entry.data).id === p.value) {
        this.#ops.push({
          kind: 'put',
          key: p.key,
          value: p.value,
          invoke: p.invoke,
          response: ++this.#time,
          client: c.id,
        });
      }
      // Otherwise another entry took its index: the write never happened.
      c.busy = null;
    }
  }

  onRead(node: SimNode, rs: ReadState): void {
    const ctx = dec.decode(rs.context);
    for (const c of this.#clients) {
      const p = c.busy;
      if (p?.kind !== 'get' || p.node !== node.id || p.ctx !== ctx) continue;
      if (rs.index === null) c.busy = null;
      else p.readIndex = rs.index;
    }
  }

  /** Completes reads whose index the node has applied. */
  afterProcess(node: SimNode, _now: number): void {
    for (const c of this.#clients) {
      const p = c.busy;
      if (p?.kind !== 'get' || p.node !== node.id || p.readIndex === null) continue;
      if (node.kv.applied < p.readIndex) continue;
      this.#ops.push({
        kind: 'get',
        key: p.key,
        value: node.kv.get(p.key),
        invoke: p.invoke,
        response: ++this.#time,
        client: c.id,
      });
      c.busy = null;
    }
  }

  onCrash(node: SimNode): void {
    for (const c of this.#clients) if (c.busy?.node === node.id) this.#giveUp(c);
  }

  #giveUp(c: Client): void {
    const p = c.busy;
    if (p?.kind === 'put') {
      this.#ops.push({ kind: 'put', key: p.key, value: p.value, invoke: p.invoke, response: Infinity, client: c.id });
    }
    c.busy = null;
  }

  /** Every operation so far; writes still in flight count as unknown. */
  history(): KvOperation[] {
    const out = [...this.#ops];
    for (const c of this.#clients) {
      const p = c.busy;
      if (p?.kind === 'put')
        out.push({ kind: 'put', key: p.key, value: p.value, invoke: p.invoke, response: Infinity, client: c.id });
    }
    return out;
  }
}
