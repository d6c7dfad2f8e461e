// The live side of the refactoring operations: sessions with each server's state read now, the
// checks only a live server can answer (GTID in use, can replicate from), and the bounded waits
// and verifications, all on the recovery engine's connector, dialect and polling.
import type { Clock } from '../clock.js';
import { isTopologyError, TopologyError } from '../errors.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import { isOn } from '../probe/probe-dialect.js';
import { positionCovers } from '../recovery/gtid-position.js';
import type { Participant } from '../recovery/promotion-steps.js';
import { StepFailure, verifyFollowing } from '../recovery/promotion-steps.js';
import { DEFAULT_RECOVERY_CONFIG } from '../recovery/recovery-config.js';
import type { ServerConnector } from '../recovery/recovery-ports.js';
import { usesGtid } from '../recovery/recovery-participants.js';
import { readServerState, waitUntil } from '../recovery/server-state.js';
import type { RefactorOperation } from './refactor-plan.js';
import { refusal } from './refactor-plan.js';

/**
 * A verified outcome.
 *
 * @example
 * const done: RefactorResult = await ops.moveUp(key); // { op: 'move-up', key, source: 'db1:3306', changed: [key], message }
 */
export interface RefactorResult {
  readonly op: RefactorOperation;
  readonly key: InstanceKey;
  /** The instance's source afterwards as the server reports it (`host:port`), null when it does not replicate. */
  readonly source: string | null;
  /** Servers whose replication or read_only changed: a caller re-probes them. */
  readonly changed: readonly InstanceKey[];
  /** What was done, for the caller's message and audit. */
  readonly message: string;
}

/**
 * The settings and ports the operation helpers share.
 *
 * @example
 * const ctx: RefactorContext = { connector, clock: systemClock, verifySeconds: 10 };
 */
export interface RefactorContext {
  readonly connector: ServerConnector;
  readonly clock: Clock;
  readonly verifySeconds: number;
}

const POLL_MS = 50;
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Opens a session and reads the server's state; an unreachable server refuses the operation with
 * the connection's own code (`CONNECTION_REFUSED`, `TIMEOUT`, ...), naming the argument.
 *
 * @example
 * const target = await openParticipant(connector, 'relocate', below, 'below');
 */
export async function openParticipant(
  connector: ServerConnector,
  op: RefactorOperation,
  key: InstanceKey,
  path: string,
): Promise<Participant> {
  let session;
  try {
    session = await connector.open(key);
    const { state, dialect } = await readServerState(session);
    return { key, session, dialect, state };
  } catch (error) {
    await session?.close();
    const why = `${key} is unreachable: ${message(error)}`;
    throw new TopologyError(isTopologyError(error) ? error.code : 'CONNECTION_REFUSED', `${op} refused: ${why}`, {
      details: [{ path, message: why }],
      cause: error,
    });
  }
}

/**
 * Runs one statement; a failure is a TopologyError (`QUERY_FAILED` or the driver's code) naming
 * the server and statement.
 *
 * @example
 * await run(replica, replica.dialect.stopReplica);
 */
export async function run(p: Participant, sql: string): Promise<void> {
  try {
    await p.session.query(sql);
  } catch (error) {
    if (isTopologyError(error)) throw error;
    throw new TopologyError('QUERY_FAILED', `${p.key}: ${sql}: ${message(error)}`, { cause: error });
  }
}

/**
 * Re-reads the participant's state (after a statement changed it).
 *
 * @example
 * await refresh(replica); // replica.state.position is current
 */
export async function refresh(p: Participant): Promise<void> {
  p.state = (await readServerState(p.session)).state;
}

/**
 * Whether the replica's source host is orchestrator's reversible `//host` detach mark.
 *
 * @example
 * if (isDetached(p)) throw refusal('start-replica', 'key', 'use reattach-replica');
 */
export function isDetached(p: Participant): boolean {
  return p.state.replication?.masterHost.startsWith('//') === true;
}

/**
 * The replica's source as `host:port` text, for messages; null when it does not replicate.
 *
 * @example
 * sourceOf(replica); // '10.0.0.1:3306'
 */
export function sourceOf(p: Participant): string | null {
  const r = p.state.replication;
  return r === null ? null : `${r.masterHost}:${r.masterPort}`;
}

/**
 * GTID must be in use: a replica must replicate by GTID (MariaDB `Using_Gtid`, MySQL
 * auto-position) and a MySQL server must have `gtid_mode=ON`. MariaDB always writes GTIDs.
 *
 * @example
 * await requireGtid('relocate', replica, 'key');
 */
export async function requireGtid(op: RefactorOperation, p: Participant, path: string): Promise<void> {
  if (!usesGtid(p))
    throw refusal(op, path, `${p.key} replicates by binlog file:pos; this operation needs GTID replication`);
  if (p.dialect.gtidFlavor === 'mysql') {
    const [row] = await p.session.query('SELECT @@GLOBAL.gtid_mode AS gtid_mode');
    if (!isOn(String(row?.['gtid_mode'] ?? '')))
      throw refusal(op, path, `${p.key} has gtid_mode=${String(row?.['gtid_mode'] ?? '')}: GTID is required`);
  }
}

/**
 * orchestrator's can-replicate-from, on live state: the source writes a binlog (and logs what it
 * replicates, when it is itself a replica), has another server_id, the same GTID flavour, and a
 * major version no newer than the replica's.
 *
 * @example
 * requireCanReplicateFrom('relocate', replica, target, 'below');
 */
export function requireCanReplicateFrom(
  op: RefactorOperation,
  replica: Participant,
  source: Participant,
  path: string,
): void {
  const s = source.state;
  const no = (why: string): never => {
    throw refusal(op, path, `${replica.key} cannot replicate from ${source.key}: ${why}`);
  };
  if (!s.hasLogBin) no(`${source.key} has log_bin off`);
  if (s.replication !== null && !s.hasLogReplicaUpdates)
    no(`${source.key} is a replica without log_slave_updates: it would not pass transactions on`);
  if (s.serverId === replica.state.serverId) no(`both have server_id ${s.serverId}`);
  if (source.dialect.gtidFlavor !== replica.dialect.gtidFlavor) no('one is MariaDB, the other MySQL');
  const major = (p: Participant): number => p.state.version.major * 1000 + p.state.version.minor;
  if (major(source) > major(replica))
    no(`${source.key} runs ${s.version.majorVersion}, newer than ${replica.state.version.majorVersion}`);
}

/**
 * Waits until `source`'s binlog holds everything `position` names (a replica at `position`
 * can then continue from it by GTID). False when `deadline` (monotonic) passes first.
 *
 * @example
 * const ok = await waitSourceCovers(clock, clock.now() + 10_000, target, replica.state.position);
 */
export async function waitSourceCovers(
  clock: Clock,
  deadline: number,
  source: Participant,
  position: string,
): Promise<boolean> {
  const ok = await waitUntil(clock, deadline, POLL_MS, async () => {
    await refresh(source);
    return positionCovers(source.dialect.gtidFlavor, source.state.binlogPosition, position) ? true : undefined;
  });
  return ok === true;
}

/**
 * Waits until the replica shows both threads running against `source` and has executed
 * `position` ('' for none). A failure is `VERIFICATION_FAILED`, naming what it last saw.
 *
 * @example
 * await verifyReplicating('relocate', replica, below, target.state.binlogPosition, { clock, verifySeconds: 10 });
 */
export async function verifyReplicating(
  op: RefactorOperation,
  replica: Participant,
  source: InstanceKey,
  position: string,
  o: { readonly clock: Clock; readonly verifySeconds: number },
): Promise<void> {
  try {
    const config = { ...DEFAULT_RECOVERY_CONFIG, replicaRepointVerifySeconds: o.verifySeconds };
    await verifyFollowing(replica, source, position, config, o.clock);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    throw new TopologyError('VERIFICATION_FAILED', `${op}: ${error.message}`, {
      details: [{ path: 'key', message: error.message }],
      cause: error,
    });
  }
}

/**
 * Points the replica at `source` by GTID and starts it.
 *
 * @example
 * await changeSourceAndStart(replica, instanceKey('db2', 3306));
 */
export async function changeSourceAndStart(replica: Participant, source: InstanceKey): Promise<void> {
  const { host, port } = splitInstanceKey(source);
  await run(replica, replica.dialect.stopReplica);
  await run(replica, replica.dialect.changeSource(host, port));
  await run(replica, replica.dialect.startReplica);
}
