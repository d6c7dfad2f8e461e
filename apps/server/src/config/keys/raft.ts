// Rows of the Raft mode's keys: orchestrator's (RaftEnabled, RaftBind, RaftAdvertise, RaftDataDir,
// DefaultRaftPort, RaftNodes, ExpectFailureAnalysisConcensus) and orc's own for what orchestrator
// lacks: an authenticated transport (its Raft port accepts anyone who reaches it), election
// timing and the quorum bail-out bound. RaftNodes entries stay host names: the transport resolves
// them at each connect, so a pod restarted with a new IP under the same name is found again.
import { checks, type KeyProblem, type KeySpec, type KeyValues, type ValueCheck } from '../key-spec.js';

const hostPort: ValueCheck = (v) =>
  typeof v === 'string' && /^[^\s:]+:\d{1,5}$/.test(v) && Number(v.split(':')[1]) <= 65535
    ? undefined
    : `must be "host:port", got ${JSON.stringify(v)}`;

const nodeList: ValueCheck = (v) => {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && /^[^\s:]+(:\d{1,5})?$/.test(x)))
    return `must be a list of "host" or "host:port", got ${JSON.stringify(v)}`;
  return undefined;
};

const row = (
  key: string,
  field: string,
  def: unknown,
  check: ValueCheck,
  doc: string,
  extra: { orcOnly?: boolean; secret?: boolean } = {},
): KeySpec => ({ key, owner: 'raft', field, default: def, check, doc, ...extra });

/** The Raft mode's keys (owner `raft`). */
export const raftKeys: readonly KeySpec[] = [
  row(
    'RaftEnabled',
    'enabled',
    false,
    checks.boolean,
    'Run as one node of a Raft group; every other Raft key is ignored when false.',
  ),
  row('RaftBind', 'bind', '127.0.0.1:10008', hostPort, 'Address the Raft transport listens on, "host:port".'),
  row(
    'RaftAdvertise',
    'advertise',
    '',
    checks.string,
    'Address the other nodes know this one by (an entry of RaftNodes); default: RaftBind.',
  ),
  row(
    'RaftDataDir',
    'dataDir',
    '',
    checks.string,
    'Directory of the Raft log (raft-log.db) and snapshots; required with RaftEnabled. Never the backend.',
  ),
  row('DefaultRaftPort', 'defaultPort', 10008, checks.port, 'Port appended to a RaftNodes entry without one.'),
  row(
    'RaftNodes',
    'nodes',
    [],
    nodeList,
    'The members, 3 or 5 "host[:port]" entries including this node; names are resolved at each connect.',
  ),
  row(
    'ExpectFailureAnalysisConcensus',
    'expectConsensus',
    true,
    checks.boolean,
    'Raft mode: the leader recovers a dead primary only when a majority of nodes saw it dead within a short window.',
  ),
  row(
    'RaftClusterId',
    'clusterId',
    'orc',
    checks.string,
    'Name of the group; a node with another name is refused at the handshake.',
    { orcOnly: true },
  ),
  row(
    'RaftSharedSecret',
    'secret',
    '',
    checks.string,
    'Secret (16+ characters) every member proves with HMAC at each connect; never sent. orchestrator has none: its Raft port is open to anyone who reaches it.',
    { orcOnly: true, secret: true },
  ),
  row(
    'RaftSSLCertFile',
    'tls.certFile',
    '',
    checks.string,
    "Mutual TLS on the Raft port: this node's PEM certificate.",
    { orcOnly: true },
  ),
  row('RaftSSLPrivateKeyFile', 'tls.keyFile', '', checks.string, 'Mutual TLS on the Raft port: its PEM private key.', {
    orcOnly: true,
  }),
  row(
    'RaftSSLCAFile',
    'tls.caFile',
    '',
    checks.string,
    "Mutual TLS on the Raft port: the CA every member's certificate is signed by.",
    { orcOnly: true },
  ),
  row(
    'RaftHeartbeatMillis',
    'heartbeatMs',
    100,
    checks.positiveInteger,
    'Leader heartbeat interval, a multiple of 10.',
    { orcOnly: true },
  ),
  row(
    'RaftElectionTimeoutMillis',
    'electionTimeoutMs',
    500,
    checks.positiveInteger,
    'A follower that hears no leader for 1-2 times this starts an election; a multiple of 10 above RaftHeartbeatMillis.',
    { orcOnly: true },
  ),
  row(
    'RaftQuorumBailOutSeconds',
    'quorumBailOutMs',
    60,
    checks.positiveInteger,
    'At start, how long a node waits to join a quorum before it exits non-zero naming the peers it could not reach.',
    { orcOnly: true },
  ),
  row(
    'RaftHostsFile',
    'hostsFile',
    '',
    checks.string,
    'A file in /etc/hosts format consulted before DNS for the names in RaftNodes and RaftBind, reread at each connect.',
    { orcOnly: true },
  ),
];

/** A member: its id is the address the others know it by. */
export interface RaftMember {
  readonly id: string;
  readonly address: string;
}

/** The Raft mode's typed settings (`enabled: false`: everything else unused). */
export interface RaftSettings {
  readonly enabled: boolean;
  readonly bind: { readonly host: string; readonly port: number };
  /** This node's id and address among `members`. */
  readonly self: string;
  readonly members: readonly RaftMember[];
  readonly dataDir: string;
  readonly clusterId: string;
  readonly secret: string | undefined;
  readonly tls: { readonly certFile: string; readonly keyFile: string; readonly caFile: string } | undefined;
  readonly heartbeatMs: number;
  readonly electionTimeoutMs: number;
  readonly quorumBailOutMs: number;
  readonly expectConsensus: boolean;
  /** RaftHostsFile: names looked up here first, at each connect; undefined: DNS only. */
  readonly hostsFile: string | undefined;
}

/** "host" → "host:DefaultRaftPort"; "host:port" kept. */
export function normalizeRaftNode(entry: string, defaultPort: number): string {
  return /:\d+$/.test(entry) ? entry : `${entry}:${defaultPort}`;
}

/**
 * The Raft settings from checked values, or every problem with its key.
 *
 * @example
 * const built = buildRaftConfig({ ...values, RaftEnabled: true, RaftNodes: ['orc1', 'orc2', 'orc3'] });
 * if ('problems' in built) report(built.problems);
 */
export function buildRaftConfig(v: KeyValues): RaftSettings | { problems: KeyProblem[] } {
  const problems: KeyProblem[] = [];
  const enabled = v['RaftEnabled'] === true;
  const defaultPort = v['DefaultRaftPort'] as number;
  const bindText = v['RaftBind'] as string;
  const i = bindText.lastIndexOf(':');
  const bind = { host: bindText.slice(0, i), port: Number(bindText.slice(i + 1)) };
  const self = normalizeRaftNode((v['RaftAdvertise'] as string) || bindText, defaultPort);
  const nodes = (v['RaftNodes'] as string[]).map((n) => normalizeRaftNode(n, defaultPort));
  const members = (nodes.length === 0 ? [self] : nodes).map((a) => ({ id: a, address: a }));
  const secret = (v['RaftSharedSecret'] as string) || undefined;
  const cert = v['RaftSSLCertFile'] as string;
  const key = v['RaftSSLPrivateKeyFile'] as string;
  const ca = v['RaftSSLCAFile'] as string;
  const heartbeatMs = v['RaftHeartbeatMillis'] as number;
  const electionTimeoutMs = v['RaftElectionTimeoutMillis'] as number;
  if (enabled) {
    if (v['RaftDataDir'] === '') problems.push({ path: 'RaftDataDir', message: 'required with RaftEnabled' });
    if (nodes.length > 0 && !nodes.includes(self))
      problems.push({
        path: 'RaftNodes',
        message: `must include this node (RaftAdvertise, else RaftBind): ${self} is not among ${nodes.join(', ')}`,
      });
    if (new Set(nodes).size !== nodes.length) problems.push({ path: 'RaftNodes', message: 'lists a node twice' });
    if (secret !== undefined && secret.length < 16)
      problems.push({ path: 'RaftSharedSecret', message: 'must be at least 16 characters' });
    const tlsSet = [cert, key, ca].filter((f) => f !== '').length;
    if (tlsSet !== 0 && tlsSet !== 3)
      problems.push({
        path: 'RaftSSLCertFile',
        message: 'RaftSSLCertFile, RaftSSLPrivateKeyFile and RaftSSLCAFile go together',
      });
    if (heartbeatMs % 10 !== 0)
      problems.push({ path: 'RaftHeartbeatMillis', message: `must be a multiple of 10, got ${heartbeatMs}` });
    if (electionTimeoutMs % 10 !== 0 || electionTimeoutMs <= heartbeatMs)
      problems.push({
        path: 'RaftElectionTimeoutMillis',
        message: `must be a multiple of 10 above RaftHeartbeatMillis (${heartbeatMs}), got ${electionTimeoutMs}`,
      });
  }
  if (problems.length > 0) return { problems };
  return {
    enabled,
    bind,
    self,
    members,
    dataDir: v['RaftDataDir'] as string,
    clusterId: v['RaftClusterId'] as string,
    secret,
    tls: cert === '' ? undefined : { certFile: cert, keyFile: key, caFile: ca },
    heartbeatMs,
    electionTimeoutMs,
    quorumBailOutMs: (v['RaftQuorumBailOutSeconds'] as number) * 1000,
    expectConsensus: v['ExpectFailureAnalysisConcensus'] === true,
    hostsFile: (v['RaftHostsFile'] as string) || undefined,
  };
}
