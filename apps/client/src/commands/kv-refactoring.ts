// orchestrator-client's commands: kv and refactoring.
import { elements, field, rawText } from '../format.js';
import { seg, details, detailsKeys, relocation, withDestination, type CommandTable } from './spec.js';

/**
 * Adds the kv and refactoring commands to a table.
 *
 * @example
 * kvAndRefactoringCommands(table);
 */
export function kvAndRefactoringCommands(t: CommandTable): void {
  // KV.
  t.add(
    'kv',
    'submit-masters-to-kv-stores',
    "Write every cluster's primary (or -alias's) to the KV stores",
    [],
    'submit-masters-to-kv-stores[/:clusterHint]',
    'key:value per line',
    (c) =>
      c.options.alias === '' ? 'submit-masters-to-kv-stores' : `submit-masters-to-kv-stores/${seg(c.options.alias)}`,
    (b) => elements(details(b)).map((p) => `${rawText(field(p, 'Key'))}:${rawText(field(p, 'Value'))}`),
  );

  // Refactoring.
  t.add(
    'refactoring',
    ['relocate', 'match', 'move-below', 'move-equivalent', 'move-gtid', 'repoint'],
    'Move -i below -d (relocate: any way; match: Pseudo-GTID; move-below: below a sibling; move-equivalent: by recorded coordinates; move-gtid: by GTID; repoint: same coordinates)',
    ['instance', 'destination'],
    '$name/:host/:port/:belowHost/:belowPort',
    'instance<master',
    withDestination,
    relocation,
  );
  t.add(
    'refactoring',
    ['relocate-replicas', 'move-replicas-gtid'],
    'Move the replicas of -i below -d',
    ['instance', 'destination'],
    '$name/:host/:port/:belowHost/:belowPort',
    'host:port per moved replica',
    withDestination,
    detailsKeys,
  );
  t.add(
    'refactoring',
    ['match-up', 'move-up', 'make-co-master', 'take-master', 'take-siblings'],
    "Change -i's place relative to its primary (move-up: below its grandparent; take-master: swap with its primary; take-siblings: siblings below it; make-co-master: co-primary)",
    ['instance'],
    '$name/:host/:port',
    'instance<master',
    (c, name) => `${name}/${c.instancePath}`,
    relocation,
  );
  t.add(
    'refactoring',
    ['match-up-replicas', 'move-up-replicas', 'repoint-replicas'],
    'Move or repoint the replicas of -i',
    ['instance'],
    '$name/:host/:port',
    'host:port per replica',
    withDestination,
    detailsKeys,
  );
}
