// Node-to-node messages that must not go through the Raft log (ADR 0651): a follower's report of
// the servers its analysis calls dead, and a follower's KV outcome of a committed entry. They ride
// the HTTP API, signed with the group's RaftSharedSecret (HMAC-SHA256 over the body, which carries
// the sender's id and the time it was sent), so only a member can vote or report.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging.js';

/** The header that carries the body's signature. */
export const PEER_SIGNATURE_HEADER = 'x-orc-peer-signature';

/** The peer routes, under the API's URL prefix. */
export const PEER_PATHS = { analysis: '/api/raft-peer/analysis', kvOutcome: '/api/raft-peer/kv-outcome' } as const;

// A signed message older (or newer) than this is refused: a captured one cannot be replayed later.
const MAX_SKEW_MS = 30_000;

/** The envelope every peer message has. */
export interface PeerMessage<T> {
  readonly from: string;
  /** Epoch ms at the sender. */
  readonly sentAt: number;
  readonly body: T;
}

const sign = (secret: string, text: string): string => createHmac('sha256', secret).update(text).digest('hex');

/**
 * Why a peer message is refused, or undefined when it is accepted.
 *
 * @example
 * const why = checkPeerMessage(text, signature, { secret, members, clock });
 */
export function checkPeerMessage(
  text: string,
  signature: string | undefined,
  opts: { readonly secret: string | undefined; readonly members: () => readonly string[]; readonly clock: Clock },
): { message: PeerMessage<unknown> } | { refused: string } {
  if (opts.secret !== undefined) {
    const want = Buffer.from(sign(opts.secret, text), 'hex');
    const got = Buffer.from(signature ?? '', 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return { refused: 'bad signature' };
  }
  let message: PeerMessage<unknown>;
  try {
    message = JSON.parse(text) as PeerMessage<unknown>;
  } catch {
    return { refused: 'not JSON' };
  }
  if (typeof message.from !== 'string' || typeof message.sentAt !== 'number') return { refused: 'no sender or time' };
  if (!opts.members().includes(message.from)) return { refused: `${message.from} is not a member` };
  if (Math.abs(opts.clock.wallNow() - message.sentAt) > MAX_SKEW_MS) return { refused: 'too old or from the future' };
  return { message };
}

/** What {@link PeerChannel} takes. */
export interface PeerChannelParts {
  readonly self: string;
  readonly secret: string | undefined;
  readonly members: () => readonly string[];
  /** The leader's HTTP URL ('' when unknown). */
  readonly leaderUri: () => string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * Sends signed messages to the leader and serves the peer routes.
 *
 * @example
 * const channel = new PeerChannel({ self, secret, members, leaderUri, clock, logger });
 * channel.serve(app, '', { analysis: (m) => agreement.report(...), kvOutcome: (m) => outcomes.add(...) });
 * await channel.send(PEER_PATHS.analysis, { entries });
 */
export class PeerChannel {
  readonly #p: PeerChannelParts;

  constructor(parts: PeerChannelParts) {
    this.#p = parts;
  }

  /** Posts `body` to the leader; false when no leader is known or it did not take it. */
  async send(path: string, body: unknown): Promise<boolean> {
    const leader = this.#p.leaderUri();
    if (leader === '') return false;
    const text = JSON.stringify({ from: this.#p.self, sentAt: this.#p.clock.wallNow(), body });
    // text/plain: the route gets the exact bytes that were signed, not a re-serialized object.
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (this.#p.secret !== undefined) headers[PEER_SIGNATURE_HEADER] = sign(this.#p.secret, text);
    try {
      const res = await (this.#p.fetch ?? fetch)(`${leader}${path}`, {
        method: 'POST',
        headers,
        body: text,
        signal: AbortSignal.timeout(this.#p.timeoutMs ?? 2000),
      });
      await res.arrayBuffer();
      if (res.ok) return true;
      this.#p.logger.warn('peer message refused by the leader', { path, leader, status: res.status });
      return false;
    } catch (err) {
      this.#p.logger.warn('peer message not delivered', { path, leader, error: String(err) });
      return false;
    }
  }

  /** Adds the peer routes: open to the API's auth (a node has no user), checked by signature instead. */
  serve(
    app: FastifyInstance,
    prefix: string,
    handlers: { readonly [K in keyof typeof PEER_PATHS]: (m: PeerMessage<unknown>) => void },
  ): void {
    for (const name of Object.keys(PEER_PATHS) as (keyof typeof PEER_PATHS)[]) {
      app.post(
        `${prefix}${PEER_PATHS[name]}`,
        { config: { open: true, mutates: false, proxy: false } },
        async (request, reply) => {
          const text = typeof request.body === 'string' ? request.body : '';
          const sig = request.headers[PEER_SIGNATURE_HEADER];
          const checked = checkPeerMessage(text, typeof sig === 'string' ? sig : undefined, {
            secret: this.#p.secret,
            members: this.#p.members,
            clock: this.#p.clock,
          });
          if ('refused' in checked) {
            this.#p.logger.warn('peer message refused', { path: PEER_PATHS[name], reason: checked.refused });
            return reply.code(403).send({ Code: 'ERROR', Message: `peer message refused: ${checked.refused}` });
          }
          handlers[name](checked.message);
          return reply.send({ Code: 'OK', Message: 'taken' });
        },
      );
    }
  }
}
