// The one table: every orchestrator key orc reads, composed from each owner's rows. To add a
// package's rows, import its `*Keys` array and append it to OWNED_KEYS.
import type { KeySpec } from './key-spec.js';
import { apiKeys } from './keys/api.js';
import { backendKeys } from './keys/backend.js';
import { kvKeys } from './keys/kv.js';
import { raftKeys } from './keys/raft.js';
import { recoveryKeys } from './keys/recovery.js';
import { serverKeys } from './keys/server.js';
import { topologyKeys } from './keys/topology.js';

const OWNED_KEYS: readonly (readonly KeySpec[])[] = [
  serverKeys,
  apiKeys,
  backendKeys,
  topologyKeys,
  recoveryKeys,
  kvKeys,
  raftKeys,
];

function compose(): readonly KeySpec[] {
  return Object.freeze(OWNED_KEYS.flat());
}

/**
 * Every key orc reads, in table order.
 *
 * @example
 * orchestratorKeys.find((r) => r.key === 'InstancePollSeconds')?.default // 5
 */
export const orchestratorKeys: readonly KeySpec[] = compose();

/**
 * The table by key.
 *
 * @example
 * keyByName.get('ListenAddress')?.owner // 'server'
 */
export const keyByName: ReadonlyMap<string, KeySpec> = new Map(orchestratorKeys.map((r) => [r.key, r]));

/** Keys that appear twice (must be none; a unit test says which). */
export function duplicateKeys(rows: readonly KeySpec[] = orchestratorKeys): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const r of rows) {
    if (seen.has(r.key)) dups.push(r.key);
    seen.add(r.key);
  }
  return dups;
}
