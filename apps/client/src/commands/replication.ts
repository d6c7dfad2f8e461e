// orchestrator-client's commands: replication.
import { elements, field, keyLine, keyText, rawText, uriEncode } from '../format.js';
import { seg, at, details, detailsEchoed, detailsRaw, I, withDestination, type CommandTable } from './spec.js';

/**
 * Adds the replication commands to a table.
 *
 * @example
 * replicationCommands(table);
 */
export function replicationCommands(t: CommandTable): void {
  // Replication.
  const instanceCommands: readonly (readonly [string, string])[] = [
    ['stop-replica', 'STOP SLAVE on an instance'],
    ['stop-replica-nice', 'STOP SLAVE once the SQL thread caught up with the IO thread'],
    ['start-replica', 'START SLAVE on an instance'],
    ['restart-replica', 'STOP then START SLAVE on an instance'],
    ['reset-replica', 'RESET SLAVE on an instance (careful)'],
    ['detach-replica', 'Stop replication and make the primary host unusable, reversibly'],
    ['reattach-replica', 'Undo detach-replica'],
    ['detach-replica-master-host', 'Stop replication and make the primary host unusable, reversibly'],
    ['reattach-replica-master-host', 'Undo detach-replica-master-host'],
    ['skip-query', 'Skip one statement on a replica'],
    ['gtid-errant-reset-master', 'Remove errant GTIDs with RESET MASTER'],
    ['gtid-errant-inject-empty', 'Inject errant GTIDs as empty transactions on the primary'],
    ['enable-semi-sync-master', 'Enable semi-sync on the primary side'],
    ['disable-semi-sync-master', 'Disable semi-sync on the primary side'],
    ['enable-semi-sync-replica', 'Enable semi-sync on the replica side'],
    ['disable-semi-sync-replica', 'Disable semi-sync on the replica side'],
    ['set-read-only', 'SET GLOBAL read_only = 1'],
    ['set-writeable', 'SET GLOBAL read_only = 0'],
    ['flush-binary-logs', 'FLUSH BINARY LOGS on an instance'],
  ];
  for (const [name, summary] of instanceCommands)
    t.add('replication', name, summary, ['instance'], `${name}/:host/:port`, 'host:port', at(name), (b) => [
      keyLine(details(b)),
    ]);
  t.add(
    'replication',
    'which-gtid-errant',
    "Print an instance's errant GTID set (empty when none)",
    ['instance'],
    I,
    'the GTID set',
    at('instance'),
    (b) => [rawText(field(b, 'GtidErrant'))],
  );
  t.add(
    'replication',
    'locate-gtid-errant',
    'List binary logs holding errant GTIDs',
    ['instance'],
    'locate-gtid-errant/:host/:port',
    'one binary log per line',
    at('locate-gtid-errant'),
    (b) => elements(details(b)).map(rawText),
  );
  t.add(
    'replication',
    'restart-replica-statements',
    'Wrap query -q in the STOP/START SLAVE statements it needs',
    ['instance', 'query'],
    'restart-replica-statements/:host/:port?q=',
    'the statements (JSON)',
    (c) => `restart-replica-statements/${c.instancePath}?q=${uriEncode(c.options.query)}`,
    detailsEchoed,
  );
  t.add(
    'replication',
    'delay-replication',
    'CHANGE MASTER TO MASTER_DELAY = -S seconds',
    ['instance', 'seconds'],
    'delay-replication/:host/:port/:seconds',
    "the answer's Details (JSON)",
    (c) => `delay-replication/${c.instancePath}/${seg(c.options.seconds)}`,
    detailsEchoed,
  );
  for (const name of ['can-replicate-from', 'can-replicate-from-gtid'])
    t.add(
      'replication',
      name,
      'Print -i when it could replicate from -d',
      ['instance', 'destination'],
      `${name}/:host/:port/:belowHost/:belowPort`,
      'host:port, or nothing',
      withDestination,
      (b) => (String(field(b, 'Message')).includes('true') ? [keyText(details(b))] : []),
    );
  t.add(
    'replication',
    'is-replicating',
    'Print -i when both replication threads run',
    ['instance'],
    I,
    'host:port, or nothing',
    at('instance'),
    (b) =>
      field(b, 'ReplicationSQLThreadState') === 1 && field(b, 'ReplicationIOThreadState') === 1 ? [keyLine(b)] : [],
  );
  t.add(
    'replication',
    'is-replication-stopped',
    'Print -i when both replication threads are stopped',
    ['instance'],
    I,
    'host:port, or nothing',
    at('instance'),
    (b) =>
      field(b, 'ReplicationSQLThreadState') === 0 && field(b, 'ReplicationIOThreadState') === 0 ? [keyLine(b)] : [],
  );
  t.add(
    'replication',
    'purge-binary-logs',
    'PURGE BINARY LOGS TO -n on an instance',
    ['instance', 'binlog'],
    'purge-binary-logs/:host/:port/:logFile',
    'host:port',
    (c) => `purge-binary-logs/${c.instancePath}/${seg(c.options.binlog)}`,
    (b) => [keyLine(details(b))],
  );
  t.add(
    'replication',
    'last-pseudo-gtid',
    'Print the last Pseudo-GTID entry of an instance',
    ['instance'],
    'last-pseudo-gtid/:host/:port',
    'the entry',
    at('last-pseudo-gtid'),
    detailsRaw,
  );
}
