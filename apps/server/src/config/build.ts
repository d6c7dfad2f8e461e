// Checked values -> each package's typed config. A package validator's complaint (a camelCase
// path) is mapped back to the orchestrator key whose row names that field, so the operator sees
// the key they wrote.
import { validateBackendConfig, type BackendConfig } from '@orc/backend';
import { validateKvConfig, type KvConfig } from '@orc/kv';
import {
  validateRecoveryConfig,
  validateTopologyConfig,
  type RecoveryConfig,
  type TopologyConfig,
} from '@orc/topology';
import { buildBackendConfig } from './keys/backend.js';
import { buildKvConfig } from './keys/kv.js';
import { buildRecoveryConfig } from './keys/recovery.js';
import { buildTopologyConfig } from './keys/topology.js';
import type { ConfigIo, KeyOwner, KeyProblem, KeyValues } from './key-spec.js';
import { buildApiConfig, type ApiSettings } from './keys/api.js';
import { buildRaftConfig, type RaftSettings } from './keys/raft.js';
import { buildServerConfig, type ServerConfig } from './keys/server.js';
import { orchestratorKeys } from './orchestrator-keys.js';

/** Every package's config, built and validated. */
export interface DaemonConfig {
  readonly server: ServerConfig;
  readonly api: ApiSettings;
  readonly backend: BackendConfig;
  readonly kv: KvConfig;
  readonly topology: TopologyConfig;
  readonly recovery: RecoveryConfig;
  readonly raft: RaftSettings;
  /** The checked key values (for reload and for the redacted dump). */
  readonly values: KeyValues;
}

/**
 * Builds every package's config; returns the problems instead when a validator refuses.
 *
 * @example
 * const built = buildDaemonConfig(loaded.values, { readFile: (p) => readFileSync(p, 'utf8') });
 * if ('problems' in built) exitWith(built.problems);
 */
export function buildDaemonConfig(values: KeyValues, io: ConfigIo): DaemonConfig | { problems: KeyProblem[] } {
  const problems: KeyProblem[] = [];
  const server = buildServerConfig(values);
  const api = buildApiConfig(values);
  if (api.auth.method === 'basic' || api.auth.method === 'multi') {
    if (api.auth.user === '')
      problems.push({ path: 'HTTPAuthUser', message: `required with AuthenticationMethod "${api.auth.method}"` });
  }
  // Refused rather than ignored: an operator who asked for TLS must not get plain HTTP.
  if (server.tls !== undefined)
    problems.push({
      path: 'UseSSL',
      message: 'HTTPS is not served by orc yet; terminate TLS in a proxy in front of it',
    });
  const raft = buildRaftConfig(values);
  if ('problems' in raft) problems.push(...raft.problems);
  const backend = attempt('backend', problems, () => validateBackendConfig(buildBackendConfig(values, io)));
  const kv = attempt('kv', problems, () => validateKvConfig(buildKvConfig(values, io)));
  const topology = attempt('topology', problems, () => validateTopologyConfig(buildTopologyConfig(values, io)));
  const recovery = attempt('recovery', problems, () => validateRecoveryConfig(buildRecoveryConfig(values, io)));
  if (
    problems.length > 0 ||
    backend === undefined ||
    kv === undefined ||
    topology === undefined ||
    recovery === undefined ||
    'problems' in raft
  )
    return { problems };
  return { server, api, backend, kv, topology, recovery, raft, values };
}

function attempt<T>(owner: KeyOwner, problems: KeyProblem[], build: () => T): T | undefined {
  try {
    return build();
  } catch (err) {
    const details = locatedDetails(err);
    if (details.length === 0) problems.push({ path: owner, message: (err as Error).message });
    for (const d of details) problems.push({ path: keyOfField(owner, d.path), message: d.message });
    return undefined;
  }
}

function locatedDetails(err: unknown): { path: string; message: string }[] {
  if (typeof err !== 'object' || err === null) return [];
  const e = err as { details?: unknown; problems?: unknown };
  const list = Array.isArray(e.details) && e.details.length > 0 ? e.details : e.problems;
  return Array.isArray(list) ? (list as { path: string; message: string }[]) : [];
}

function keyOfField(owner: KeyOwner, path: string): string {
  const row = orchestratorKeys.find((r) => r.owner === owner && (r.field === path || r.key === path.split(/[.[]/)[0]));
  return row === undefined ? `${owner}.${path}` : row.key;
}
