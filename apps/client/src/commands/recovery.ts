// orchestrator-client's commands: recovery.
import { analysisLines, uriEncode } from '../format.js';
import { seg, at, atHint, details, detailsKeyOrRaw, detailsRaw, successor, type CommandTable } from './spec.js';

/**
 * Adds the recovery commands to a table.
 *
 * @example
 * recoveryCommands(table);
 */
export function recoveryCommands(t: CommandTable): void {
  // Recovery.
  t.add(
    'recovery',
    'recover',
    'Recover a failed instance now (overrides anti-flapping)',
    ['instance'],
    'recover/:host/:port',
    'host:port of the promoted instance',
    at('recover'),
    detailsKeyOrRaw,
  );
  for (const name of ['graceful-master-takeover', 'graceful-master-takeover-auto'])
    t.add(
      'recovery',
      name,
      name.endsWith('auto')
        ? 'Planned primary switch; orc picks the replica (or -d)'
        : 'Planned primary switch to -d (or to the only direct replica)',
      ['instance|alias'],
      `${name}/:clusterHint[/:designatedHost/:designatedPort]`,
      'host:port of the new primary',
      (c) => `${name}/${seg(c.hint)}${c.destinationPath === '' ? '' : `/${c.destinationPath}`}`,
      successor,
    );
  t.add(
    'recovery',
    'force-master-failover',
    'Fail the primary over now, orc picks the replacement',
    ['instance|alias'],
    'force-master-failover/:clusterHint',
    'host:port of the new primary',
    atHint('force-master-failover'),
    successor,
  );
  t.add(
    'recovery',
    'force-master-takeover',
    'Fail the primary over now to -d',
    ['instance|alias', 'destination'],
    'force-master-takeover/:clusterHint/:designatedHost/:designatedPort',
    'host:port of the new primary',
    (c) => `force-master-takeover/${seg(c.hint)}/${c.destinationPath}`,
    successor,
  );
  t.add(
    'recovery',
    'ack-cluster-recoveries',
    "Acknowledge a cluster's recoveries (-r is the comment)",
    ['instance|alias', 'reason'],
    'ack-recovery/cluster/:clusterHint?comment=',
    "the answer's Details",
    (c) => `ack-recovery/cluster/${seg(c.hint)}?comment=${uriEncode(c.options.reason)}`,
    detailsRaw,
  );
  t.add(
    'recovery',
    'ack-all-recoveries',
    'Acknowledge every recovery (-r is the comment)',
    ['reason'],
    'ack-all-recoveries?comment=',
    "the answer's Details",
    (c) => `ack-all-recoveries?comment=${uriEncode(c.options.reason)}`,
    detailsRaw,
  );
  t.add(
    'recovery',
    'disable-global-recoveries',
    'Stop all automated recoveries',
    [],
    'disable-global-recoveries',
    'disabled',
    () => 'disable-global-recoveries',
    detailsRaw,
  );
  t.add(
    'recovery',
    'enable-global-recoveries',
    'Allow automated recoveries again',
    [],
    'enable-global-recoveries',
    'enabled',
    () => 'enable-global-recoveries',
    detailsRaw,
  );
  t.add(
    'recovery',
    'check-global-recoveries',
    'Print whether automated recoveries are enabled',
    [],
    'check-global-recoveries',
    'enabled or disabled',
    () => 'check-global-recoveries',
    detailsRaw,
  );
  t.add(
    'recovery',
    'replication-analysis',
    'Print the current failure analysis of every instance',
    [],
    'replication-analysis',
    'host:port (cluster name): analysis, per line',
    () => 'replication-analysis',
    (b) => analysisLines(details(b)),
  );
}
