// What a leader knows about each follower's log, and how fast it may send to it (flow control).
//   probe:     one append at a time until the follower's match is found (after a rejection or election)
//   replicate: appends pipelined optimistically, up to maxInflightMsgs unacknowledged messages
//   snapshot:  the follower needs entries the leader compacted; chunks of a snapshot are sent

/** The flow-control state of one follower. */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** A bounded window of unacknowledged append messages, each identified by its last index. */
export class Inflights {
  readonly #capacity: number;
  #ring: number[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get count(): number {
    return this.#ring.length;
  }

  isFull(): boolean {
    return this.#ring.length >= this.#capacity;
  }

  add(lastIndex: number): void {
    this.#ring.push(lastIndex);
  }

  /** Frees every message whose last index is at or below `index` (acknowledged). */
  freeLE(index: number): void {
    let n = 0;
    while (n < this.#ring.length && (this.#ring[n] ?? Infinity) <= index) n++;
    if (n > 0) this.#ring.splice(0, n);
  }

  /** Frees the oldest message (a heartbeat answer shows the follower is alive: let one more through). */
  freeFirst(): void {
    this.#ring.shift();
  }

  reset(): void {
    this.#ring = [];
  }
}

/** The leader's view of one peer. Mutable; owned by the leader's tracker. */
export class Progress {
  /** Highest index known to match the leader's log. */
  match = 0;
  /** Next index to send. */
  next: number;
  state: ProgressState = 'probe';
  /** In probe state: an append was sent and not yet answered (wait before sending another). */
  probeSent = false;
  /** In snapshot state: the snapshot being sent (index and term) and the next byte offset. */
  pendingSnapshot = 0;
  pendingSnapshotTerm = 0;
  snapshotOffset = 0;
  /** Heartbeat rounds since the last snapshot chunk was acknowledged (retransmission). */
  snapshotStall = 0;
  /** Heard from recently (within an election timeout, as of the last check). */
  recentActive = false;
  /** The leader's tick count when this peer was last heard from (check-quorum). */
  lastActiveTick = 0;
  isLearner: boolean;
  readonly inflights: Inflights;

  constructor(next: number, isLearner: boolean, maxInflight: number) {
    this.next = next;
    this.isLearner = isLearner;
    this.inflights = new Inflights(maxInflight);
  }

  #reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.pendingSnapshotTerm = 0;
    this.snapshotOffset = 0;
    this.snapshotStall = 0;
    this.inflights.reset();
  }

  /**
   * Back to probing. Leaving the snapshot state, `snapshotDelivered` says whether the follower
   * now holds the snapshot (probe after it) or the transfer failed (probe after `match`).
   */
  becomeProbe(snapshotDelivered = true): void {
    if (this.state === 'snapshot' && snapshotDelivered) {
      const pending = this.pendingSnapshot;
      this.#reset('probe');
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.#reset('probe');
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.#reset('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(index: number, termAtIndex: number): void {
    this.#reset('snapshot');
    this.pendingSnapshot = index;
    this.pendingSnapshotTerm = termAtIndex;
  }

  /** Records an acknowledgement up to `n`; returns whether match advanced. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /** Records that an append ending at `last` was sent. */
  sentEntries(last: number, count: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        this.next = last + 1;
        this.inflights.add(last);
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /**
   * Handles a rejection of the append at `rejected`, given the index the leader should probe
   * next (`probeAt`, from the follower's hint). Returns false when the rejection is stale.
   */
  maybeDecrTo(rejected: number, probeAt: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    // Rejecting an index it had acknowledged means the follower lost its log (a wiped disk):
    // forget what it acknowledged so that it is brought back, by a snapshot if need be.
    if (rejected <= this.match) this.match = Math.max(0, Math.min(this.match, probeAt));
    this.next = Math.max(Math.min(rejected, probeAt + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  /** Whether the leader must hold off sending appends. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.isFull();
      case 'snapshot':
        return true;
    }
  }
}
