import { TopologyError } from '../errors.js';

declare const instanceKeyBrand: unique symbol;

/**
 * A server's identity as `host:port` (IPv6 hosts in brackets: `[::1]:3306`). Branded so that a
 * plain string cannot be passed where a checked key is expected: build one with
 * {@link instanceKey} or {@link parseInstanceKey}.
 */
export type InstanceKey = string & { readonly [instanceKeyBrand]: true };

/** The parts of an {@link InstanceKey}. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** orchestrator's JSON shape of an instance key, as its API serves it. */
export interface OrchestratorInstanceKey {
  readonly Hostname: string;
  readonly Port: number;
}

function checkPort(port: number, input: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TopologyError('INVALID_ARGUMENT', `instance key ${JSON.stringify(input)}: port must be 1..65535`);
  }
}

/** Builds a key from a host and a port. Throws `INVALID_ARGUMENT` on an empty host or a bad port. */
export function instanceKey(host: string, port: number): InstanceKey {
  const h = host.trim();
  if (h === '' || /\s/.test(h)) {
    throw new TopologyError('INVALID_ARGUMENT', `instance key host ${JSON.stringify(host)} is empty or has spaces`);
  }
  checkPort(port, `${host}:${port}`);
  const bare = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  return (bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`) as InstanceKey;
}

/**
 * Parses `host:port`, `[v6]:port`, or a bare host (then `defaultPort`, 3306 unless given).
 * Throws `INVALID_ARGUMENT` naming the input when it cannot be parsed.
 */
export function parseInstanceKey(input: string, defaultPort = 3306): InstanceKey {
  const s = input.trim();
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(s);
  if (v6) return instanceKey(v6[1] ?? '', v6[2] === undefined ? defaultPort : Number(v6[2]));
  const hp = /^([^:\s]+):(\d+)$/.exec(s);
  if (hp) return instanceKey(hp[1] ?? '', Number(hp[2]));
  if (/^[^:\s]+$/.test(s)) return instanceKey(s, defaultPort);
  throw new TopologyError('INVALID_ARGUMENT', `cannot parse instance key ${JSON.stringify(input)}: expected host:port`);
}

/** Splits a key back into host and port. */
export function splitInstanceKey(key: InstanceKey): HostPort {
  const i = key.lastIndexOf(':');
  const host = key.slice(0, i);
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(key.slice(i + 1)) };
}

/** The key as orchestrator's API serializes it: `{ Hostname, Port }`. */
export function toOrchestratorKey(key: InstanceKey | null): OrchestratorInstanceKey {
  if (key === null) return { Hostname: '', Port: 0 };
  const { host, port } = splitInstanceKey(key);
  return { Hostname: host, Port: port };
}
