// Typed events instead of log scraping: a node tells its embedder what changed.
import type { ConfState, LogIndex, NodeId, Term } from '../core/types.js';
import { errorField, type Logger } from '../logger.js';

/** A node's role, as the public API names it. */
export type RaftState = 'follower' | 'candidate' | 'leader' | 'shutdown';

/** Every event a `Raft` emits, with its payload. */
export interface RaftEvents {
  /** The known leader changed (null: none known, e.g. during an election). */
  leaderChanged: { readonly leaderId: NodeId | null; readonly leaderAddress: string | null; readonly term: Term };
  /** This node's own role changed. */
  stateChanged: { readonly state: RaftState; readonly term: Term };
  /** A peer could not be reached, or a message to it was dropped; Raft retries. */
  peerUnreachable: { readonly peer: NodeId; readonly reason: string };
  /** This node wrote a snapshot of its state machine and compacted its log. */
  snapshotTaken: { readonly index: LogIndex; readonly term: Term; readonly compactedTo: LogIndex };
  /** This node installed a snapshot received from the leader. */
  snapshotInstalled: { readonly index: LogIndex; readonly term: Term };
  /** A membership change was applied. */
  membershipChanged: {
    readonly index: LogIndex;
    readonly conf: ConfState;
    readonly change: { readonly type: string; readonly node: NodeId; readonly address: string | null };
  };
}

export type RaftEventName = keyof RaftEvents;
type Listener<K extends RaftEventName> = (payload: RaftEvents[K]) => void;

/** A minimal typed emitter; a throwing listener is logged and does not disturb the node. */
export class RaftEventEmitter {
  readonly #listeners = new Map<RaftEventName, Set<Listener<RaftEventName>>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<K extends RaftEventName>(event: K, fn: Listener<K>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) this.#listeners.set(event, (set = new Set()));
    set.add(fn as Listener<RaftEventName>);
    return () => set.delete(fn as Listener<RaftEventName>);
  }

  emit<K extends RaftEventName>(event: K, payload: RaftEvents[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const fn of set) {
      try {
        fn(payload);
      } catch (err) {
        this.#logger.warn('raft event listener threw', { event, reason: errorField(err) });
      }
    }
  }
}
