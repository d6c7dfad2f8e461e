// Admission of inbound connections that have not authenticated yet. Until a peer has proven the
// cluster id and the secret (or its TLS certificate), all it can cost a node is a socket, a
// small decoder buffer and a timer: this bounds how many such connections exist at once, in
// total and per source address, so a flood of half-open handshakes cannot exhaust memory or
// descriptors. Authenticated connections do not count.

/** Limits of a {@link HandshakeGate}. */
export interface HandshakeLimits {
  /** Connections still handshaking, from all sources together. */
  readonly total: number;
  /** Connections still handshaking from one source address. */
  readonly perAddress: number;
}

/** Why a connection was not admitted. */
export type GateRefusal = 'too many handshaking connections' | 'too many handshaking connections from this address';

/**
 * Counts handshaking connections by source address. Pure bookkeeping: the transport admits a
 * connection when it is accepted and releases it once it authenticated or closed.
 *
 * @example
 * ```ts
 * const gate = new HandshakeGate({ total: 64, perAddress: 16 });
 * const refusal = gate.admit('10.0.0.7');
 * if (refusal !== null) socket.destroy(); // else gate.release('10.0.0.7') later, exactly once
 * ```
 */
export class HandshakeGate {
  readonly #limits: HandshakeLimits;
  readonly #byAddress = new Map<string, number>();
  #total = 0;

  constructor(limits: HandshakeLimits) {
    this.#limits = limits;
  }

  /** Connections currently admitted and not yet released. */
  get size(): number {
    return this.#total;
  }

  /** Admits one connection from `address`, or says why not (nothing is counted then). */
  admit(address: string): GateRefusal | null {
    if (this.#total >= this.#limits.total) return 'too many handshaking connections';
    const n = this.#byAddress.get(address) ?? 0;
    if (n >= this.#limits.perAddress) return 'too many handshaking connections from this address';
    this.#byAddress.set(address, n + 1);
    this.#total++;
    return null;
  }

  /** Releases one admitted connection from `address`. */
  release(address: string): void {
    const n = this.#byAddress.get(address);
    if (n === undefined) return;
    if (n <= 1) this.#byAddress.delete(address);
    else this.#byAddress.set(address, n - 1);
    this.#total--;
  }
}
