// Interprets golden scenario commands against a cluster of simulated nodes and renders what
// happened as text. Deterministic: node randomness comes from a fixed seed.
import type { Message } from '../src/core/messages.js';
import type { ConfChangeType } from '../src/core/conf-change.js';
import { decodeConfChange } from '../src/core/conf-change.js';
import type { Entry, NodeId } from '../src/core/types.js';
import { EntryType, nodeId } from '../src/core/types.js';
import { createPrng } from '../src/testing/prng.js';
import { decodeKvPut, encodeKvPut } from '../src/testing/kv-state-machine.js';
import type { SimEvent } from '../src/testing/sim-node.js';
import { SimNode } from '../src/testing/sim-node.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function describeEntry(e: Entry): string {
  if (e.type === EntryType.Noop) return `${e.index}/${e.term} noop`;
  if (e.type === EntryType.ConfChange) {
    const cc = decodeConfChange(e.data);
    return `${e.index}/${e.term} ${cc.type} ${cc.node}`;
  }
  const put = decodeKvPut(e.data);
  return `${e.index}/${e.term} ${put.key}=${put.value}`;
}

export function describeMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} t${m.term}`;
  switch (m.type) {
    case 'vote':
    case 'preVote':
      return `${head} last=${m.lastIndex}/${m.lastTerm}${m.isTransfer ? ' transfer' : ''}`;
    case 'voteResp':
    case 'preVoteResp':
      return `${head} ${m.granted ? 'granted' : 'rejected'}`;
    case 'append':
      return `${head} prev=${m.prevIndex}/${m.prevTerm} commit=${m.commit} [${m.entries.map(describeEntry).join(', ')}]`;
    case 'appendResp':
      return m.reject ? `${head} reject ${m.index} hint=${m.hintIndex}/${m.hintTerm}` : `${head} ok ${m.index}`;
    case 'heartbeat':
      return `${head} commit=${m.commit} round=${m.readSeq}`;
    case 'heartbeatResp':
      return `${head} round=${m.readSeq}`;
    case 'snapshot':
      return `${head} snap=${m.meta.index}/${m.meta.term} offset=${m.offset} bytes=${m.data.length}${m.done ? ' done' : ''}`;
    case 'snapshotResp':
      return `${head} snap=${m.index} next=${m.nextOffset}${m.reject ? ' reject' : ''}`;
    case 'timeoutNow':
      return head;
    case 'readIndex':
      return `${head} ctx=${dec.decode(m.context)}`;
    case 'readIndexResp':
      return `${head} ctx=${dec.decode(m.context)} ${m.reject ? 'reject' : `index=${m.index}`}`;
  }
}

const boolOpt = (args: string[], name: string, dflt: boolean): boolean => {
  const a = args.find((x) => x.startsWith(`${name}=`));
  return a === undefined ? dflt : a.slice(name.length + 1) === 'true';
};

/** A scenario's state: nodes, in-flight messages, cut links. */
export class GoldenEnv {
  readonly nodes = new Map<NodeId, SimNode>();
  #inflight: Message[] = [];
  #cut = new Set<string>();
  #rng = createPrng(1);
  #config: { preVote: boolean; checkQuorum: boolean; leaseRead: boolean } = {
    preVote: true,
    checkQuorum: true,
    leaseRead: false,
  };
  #out: string[] = [];

  run(cmd: string, args: string[]): string {
    this.#out = [];
    try {
      this.#exec(cmd, args);
    } catch (err) {
      this.#out.push(`error: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.#out.length === 0 ? 'ok' : this.#out.join('\n');
  }

  #node(id: string | undefined): SimNode {
    const n = id === undefined ? undefined : this.nodes.get(nodeId(id));
    if (n === undefined) throw new Error(`no node ${String(id)}`);
    return n;
  }

  #times(args: string[]): number {
    const x = args.find((a) => /^x\d+$/.test(a));
    return x === undefined ? 1 : Number(x.slice(1));
  }

  #targets(spec: string | undefined): SimNode[] {
    if (spec === 'all') return [...this.nodes.values()].filter((n) => n.isUp);
    return (spec ?? '').split(',').map((s) => this.#node(s));
  }

  #exec(cmd: string, args: string[]): void {
    switch (cmd) {
      case 'nodes': {
        const ids = args.filter((a) => !a.includes('=')).map(nodeId);
        this.#config = {
          preVote: boolOpt(args, 'pre-vote', true),
          checkQuorum: boolOpt(args, 'check-quorum', true),
          leaseRead: boolOpt(args, 'lease-read', false),
        };
        for (const id of ids) this.#addNode(id, ids);
        return;
      }
      case 'add-node':
        this.#addNode(nodeId(args[0] ?? ''), []);
        return;
      case 'campaign':
        this.#node(args[0]).raw.campaign();
        this.#process();
        return;
      case 'tick': {
        const nodes = this.#targets(args[0]);
        for (let i = 0; i < this.#times(args); i++) {
          for (const n of nodes) if (n.isUp) n.raw.tick();
          this.#process();
        }
        return;
      }
      case 'deliver':
        this.#deliver();
        return;
      case 'run': {
        // Ticks every live node, then delivers until quiet, N times; prints state changes only.
        for (let i = 0; i < this.#times(args); i++) {
          for (const n of this.nodes.values()) if (n.isUp) n.raw.tick();
          for (let round = 0; round < 50; round++) {
            this.#process();
            if (this.#inflight.length === 0) break;
            this.#deliver(true);
          }
        }
        return;
      }
      case 'stabilize':
        for (let round = 0; round < 50; round++) {
          this.#process();
          if (this.#inflight.length === 0) return;
          this.#deliver();
        }
        throw new Error('stabilize: did not settle in 50 rounds');
      case 'isolate':
        for (const other of this.nodes.keys()) {
          this.#cut.add(`${args[0]}>${other}`);
          this.#cut.add(`${other}>${args[0]}`);
        }
        return;
      case 'cut':
        this.#cut.add(`${args[0]}>${args[1]}`);
        this.#cut.add(`${args[1]}>${args[0]}`);
        return;
      case 'cut-one-way':
        this.#cut.add(`${args[0]}>${args[1]}`);
        return;
      case 'heal':
        this.#cut.clear();
        return;
      case 'drop':
        this.#inflight = [];
        return;
      case 'propose': {
        const [key, value] = (args[1] ?? '').split('=');
        const res = this.#node(args[0]).raw.propose(encodeKvPut({ key: key ?? '', value: value ?? '', id: 'g' }));
        this.#out.push(res.ok ? `proposed at ${res.index}/${res.term}` : `refused: ${res.reason}`);
        this.#process();
        return;
      }
      case 'conf': {
        const type = (
          { 'add-voter': 'addVoter', 'add-learner': 'addLearner', remove: 'removeNode' } as Record<
            string,
            ConfChangeType
          >
        )[args[1] ?? ''];
        if (type === undefined) throw new Error(`conf: unknown change ${String(args[1])}`);
        const res = this.#node(args[0]).raw.proposeConfChange({
          type,
          node: nodeId(args[2] ?? ''),
          context: new Uint8Array(0),
        });
        this.#out.push(res.ok ? `proposed at ${res.index}/${res.term}` : `refused: ${res.reason} (${res.detail})`);
        this.#process();
        return;
      }
      case 'transfer': {
        const res = this.#node(args[0]).raw.transferLeader(nodeId(args[1] ?? ''));
        if (!res.ok) this.#out.push(`refused: ${res.reason}`);
        this.#process();
        return;
      }
      case 'read':
        this.#node(args[0]).raw.readIndex(enc.encode(args[1] ?? 'r'));
        this.#process();
        return;
      case 'snapshot': {
        const keep = Number(args.find((a) => a.startsWith('keep='))?.slice(5) ?? 0);
        const meta = this.#node(args[0]).takeSnapshot(keep);
        const n = this.#node(args[0]);
        this.#out.push(
          meta === null
            ? 'nothing to snapshot'
            : `snapshot at ${meta.index}/${meta.term}, log from ${n.disk.storage.firstIndex()}`,
        );
        return;
      }
      case 'crash':
        this.#node(args[0]).crash();
        return;
      case 'restart':
        this.#node(args[0]).start();
        this.#process();
        return;
      case 'wipe':
        this.#node(args[0]).wipe();
        this.#node(args[0]).start();
        return;
      case 'status':
        for (const n of args.length > 0 ? this.#targets(args[0]) : [...this.nodes.values()])
          this.#out.push(this.#status(n));
        return;
      case 'kv': {
        for (const n of this.nodes.values())
          if (n.isUp) this.#out.push(`${n.id}: ${args.map((k) => `${k}=${n.kv.get(k) ?? '-'}`).join(' ')}`);
        return;
      }
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  }

  #addNode(id: NodeId, voters: NodeId[]): void {
    const conf = { voters, learners: [], votersOutgoing: [] };
    const node = new SimNode({
      id,
      initialConf: conf,
      rng: this.#rng.fork(),
      snapshotChunkSize: 32,
      config: { electionTickMin: 10, electionTickMax: 20, heartbeatTick: 1, ...this.#config },
    });
    this.nodes.set(id, node);
  }

  #status(n: SimNode): string {
    if (!n.isUp) return `${n.id}: down`;
    const s = n.raw.status();
    const conf = `voters=${s.conf.voters.join(',')}${s.conf.learners.length > 0 ? ` learners=${s.conf.learners.join(',')}` : ''}`;
    return `${n.id}: ${s.role} term=${s.term} lead=${s.lead ?? '-'} commit=${s.commit} applied=${s.applied} last=${s.lastIndex} ${conf}`;
  }

  #process(): void {
    for (const n of this.nodes.values()) {
      const { messages, events } = n.processReady();
      this.#render(n.id, events);
      this.#inflight.push(...messages);
    }
  }

  #render(id: NodeId, events: SimEvent[]): void {
    const applied: string[] = [];
    for (const ev of events) {
      switch (ev.kind) {
        case 'softState':
          this.#out.push(`${id}: ${ev.soft.role} term=${ev.soft.term} lead=${ev.soft.lead ?? '-'}`);
          break;
        case 'applied':
          applied.push(describeEntry(ev.entry));
          break;
        case 'read':
          this.#out.push(
            `${id}: read ${dec.decode(ev.read.context)} ${ev.read.index === null ? 'refused' : `at ${ev.read.index}`}`,
          );
          break;
        case 'snapshotInstalled':
          this.#out.push(`${id}: installed snapshot ${ev.meta.index}/${ev.meta.term}`);
          break;
        case 'conf':
          this.#out.push(`${id}: conf voters=${ev.conf.voters.join(',')} learners=${ev.conf.learners.join(',')}`);
          break;
        case 'persisted':
          break;
      }
    }
    if (applied.length > 0) this.#out.push(`${id}: applied ${applied.join(', ')}`);
  }

  #deliver(quiet = false): void {
    const batch = this.#inflight;
    this.#inflight = [];
    for (const m of batch) {
      const target = this.nodes.get(m.to);
      if (this.#cut.has(`${m.from}>${m.to}`) || target === undefined || !target.isUp) {
        if (!quiet) this.#out.push(`${describeMessage(m)} (dropped)`);
        continue;
      }
      if (!quiet) this.#out.push(describeMessage(m));
      target.raw.step(m);
    }
    this.#process();
  }
}
