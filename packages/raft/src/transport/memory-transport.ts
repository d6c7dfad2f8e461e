// An in-process transport for tests and examples: payloads are copied and delivered on a later
// event-loop turn, in order per pair of nodes. Nodes can be cut off to simulate a partition.
import type { NodeId } from '../core/types.js';
import type { Transport, TransportHandlers } from '../ports.js';
import { RaftError } from '../errors.js';
import { errorField, noopLogger, type Logger } from '../logger.js';

/**
 * The wire that `MemoryTransport`s of one test share.
 *
 * @example
 * ```ts
 * const net = new MemoryNetwork();
 * const a = net.transport(nodeId('a')), b = net.transport(nodeId('b'));
 * ```
 */
export class MemoryNetwork {
  readonly #nodes = new Map<NodeId, MemoryTransport>();
  readonly #cut = new Set<NodeId>();
  readonly #logger: Logger;

  constructor(options: { readonly logger?: Logger } = {}) {
    this.#logger = options.logger ?? noopLogger;
  }

  /** A transport for `id` on this network (address `mem://id`). */
  transport(id: NodeId): MemoryTransport {
    return new MemoryTransport(this, id);
  }

  /** Drops every payload to and from `id` until `heal(id)`. */
  isolate(id: NodeId): void {
    this.#cut.add(id);
  }

  heal(id: NodeId): void {
    this.#cut.delete(id);
  }

  /** @internal */
  register(t: MemoryTransport): void {
    this.#nodes.set(t.localId, t);
  }

  /** @internal */
  unregister(t: MemoryTransport): void {
    if (this.#nodes.get(t.localId) === t) this.#nodes.delete(t.localId);
  }

  /** @internal Returns false when the payload cannot be delivered. */
  deliver(from: NodeId, to: NodeId, payload: Uint8Array): boolean {
    if (this.#cut.has(from) || this.#cut.has(to)) return false;
    const target = this.#nodes.get(to);
    if (target === undefined) return false;
    const copy = payload.slice();
    setImmediate(() => {
      if (this.#cut.has(from) || this.#cut.has(to) || this.#nodes.get(to) !== target) return;
      try {
        target.receive(from, copy);
      } catch (err) {
        this.#logger.warn('raft memory transport: payload refused', { from, to, reason: errorField(err) });
      }
    });
    return true;
  }
}

/** A `Transport` on a {@link MemoryNetwork}. */
export class MemoryTransport implements Transport {
  readonly localId: NodeId;
  readonly localAddress: string;
  readonly #net: MemoryNetwork;
  #handlers: TransportHandlers | null = null;
  #closed = false;

  constructor(net: MemoryNetwork, id: NodeId) {
    this.#net = net;
    this.localId = id;
    this.localAddress = `mem://${id}`;
  }

  async listen(handlers: TransportHandlers): Promise<void> {
    if (this.#closed) throw new RaftError('SHUTDOWN', 'MemoryTransport is closed');
    this.#handlers = handlers;
    this.#net.register(this);
  }

  send(to: NodeId, payload: Uint8Array): void {
    if (this.#closed) return;
    if (!this.#net.deliver(this.localId, to, payload))
      this.#handlers?.onPeerUnreachable?.(to, 'peer not reachable on the memory network');
  }

  setPeer(): void {}
  removePeer(): void {}

  /** @internal */
  receive(from: NodeId, payload: Uint8Array): void {
    if (!this.#closed) this.#handlers?.onFrame(from, payload);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#net.unregister(this);
  }
}
