import type { Clock } from '../clock.js';
import type { InstanceKey } from '../instance/instance-key.js';
import type { RecoveryConfig } from './recovery-config.js';
import { recoveryDialect } from './recovery-dialect.js';
import type { ServerConnector } from './recovery-ports.js';
import { readServerState, waitUntil } from './server-state.js';
import type { StepLog } from './step-log.js';

const RETRY_MS = 250;

/**
 * Keeps trying, for `oldPrimaryFenceWindowSeconds`, to reach the failed primary; once it answers
 * it is set read_only (super_read_only on MySQL) and left outside the cluster: orc never makes it
 * replicate again by itself. Resolves true once fenced, false when the window passed or `handle`
 * was cancelled. Runs in the background, off the failover's critical path.
 *
 * @example
 * const fenced = fenceOldPrimary(failedKey, { connector, clock, config, log, handle: { cancelled: false } });
 */
export async function fenceOldPrimary(
  key: InstanceKey,
  o: {
    connector: ServerConnector;
    clock: Clock;
    config: RecoveryConfig;
    log: StepLog;
    handle: { cancelled: boolean };
    /** A dead co-primary replicates from its successor: its replication is detached (`//host`) too. */
    detachReplication?: boolean;
  },
): Promise<boolean> {
  const deadline = o.clock.now() + o.config.oldPrimaryFenceWindowSeconds * 1000;
  let attempts = 0;
  const done = await waitUntil(o.clock, deadline, RETRY_MS, async () => {
    if (o.handle.cancelled) return false;
    attempts++;
    let session;
    try {
      session = await o.connector.open(key);
    } catch {
      // Expected while the old primary is down: the next attempt follows after RETRY_MS.
      return undefined;
    }
    try {
      const { state } = await readServerState(session);
      const dialect = recoveryDialect(state.version);
      for (const sql of dialect.setReadOnly(true)) await session.query(sql);
      const source = state.replication?.masterHost ?? '';
      if (o.detachReplication === true && source !== '' && !source.startsWith('//')) {
        await session.query(dialect.stopReplica);
        await session.query(dialect.detachSource(source));
      }
      o.log.step(
        'fence',
        `${key} answered again (attempt ${attempts}); set read_only${o.detachReplication === true && source !== '' ? `, replication from ${source} detached` : ''}, left outside the cluster`,
      );
      return true;
    } catch (error) {
      o.log.step(
        'fence',
        `${key} answered but could not be fenced: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    } finally {
      await session.close();
    }
  });
  if (done !== true && !o.handle.cancelled)
    o.log.step('fence', `${key} did not answer within ${o.config.oldPrimaryFenceWindowSeconds} s; not fenced`);
  return done === true;
}
