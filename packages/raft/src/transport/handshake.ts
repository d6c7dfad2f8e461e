// The connection handshake: the dialer says who it is and which cluster it belongs to; the
// listener refuses another cluster. With a shared secret both sides prove they hold it through
// HMAC-SHA256 over fresh nonces (the secret itself never crosses the wire).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RaftError } from '../errors.js';

/** Protocol version spoken in HELLO. */
export const PROTOCOL_VERSION = 1;

/** The dialer's first frame. */
export interface Hello {
  readonly v: number;
  readonly cluster: string;
  readonly from: string;
  readonly nonce: string;
  /** The dialer's own listening address, so the listener can answer a peer it did not know. */
  readonly addr?: string;
}
/** The listener's answer when a secret is configured. */
export interface Challenge {
  readonly nonce: string;
  /** Proves the listener holds the secret: HMAC over the dialer's nonce. */
  readonly proof: string;
}
export interface Auth {
  readonly proof: string;
}
export interface Refuse {
  readonly reason: string;
}

export const newNonce = (): string => randomBytes(16).toString('hex');

/** The HMAC each side computes; `role` keeps a listener's proof from being replayed as a dialer's. */
export function proof(
  secret: string | Uint8Array,
  role: 'dialer' | 'listener',
  cluster: string,
  from: string,
  nonce: string,
): string {
  return createHmac('sha256', secret).update(`orc-raft/1\0${role}\0${cluster}\0${from}\0${nonce}`).digest('hex');
}

export function proofMatches(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string' || actual.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
}

export const encodeJson = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

/** Parses a handshake frame's JSON, checking that each named field is a string. */
export function decodeJson<T>(payload: Buffer, stringFields: readonly string[], what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new RaftError('PROTOCOL', `${what}: not valid JSON`);
  }
  if (typeof value !== 'object' || value === null) throw new RaftError('PROTOCOL', `${what}: not an object`);
  for (const f of stringFields) {
    if (typeof (value as Record<string, unknown>)[f] !== 'string') {
      throw new RaftError('PROTOCOL', `${what}: field ${f} missing or not a string`, {
        details: [{ path: f, message: 'must be a string' }],
      });
    }
  }
  return value as T;
}
