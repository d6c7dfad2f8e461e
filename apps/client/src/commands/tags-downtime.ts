// orchestrator-client's commands: tags, pools, downtime, maintenance, candidates and host names.
import { elements, keyText, rawText, uriEncode } from '../format.js';
import { at, details, detailsKeyOrRaw, detailsKeys, detailsRaw, seg, type CommandTable } from './spec.js';

/**
 * Adds the tags, pools, downtime, maintenance, candidates and host names commands to a table.
 *
 * @example
 * tagAndDowntimeCommands(table);
 */
export function tagAndDowntimeCommands(t: CommandTable): void {
  // Tags and pools.
  t.add(
    'tags',
    'tags',
    'List the tags of an instance',
    ['instance'],
    'tags/:host/:port',
    'one tag per line',
    at('tags'),
    (b) => elements(b).map(rawText),
  );
  t.add(
    'tags',
    'tag-value',
    'Print the value of tag -t on an instance',
    ['instance', 'tag'],
    'tag-value/:host/:port?tag=',
    'the value',
    (c) => `tag-value/${c.instancePath}?tag=${uriEncode(c.options.tag)}`,
    (b) => [rawText(b)],
  );
  t.add(
    'tags',
    'tag',
    'Tag an instance (-t name or name=value)',
    ['instance', 'tag'],
    'tag/:host/:port?tag=',
    'host:port',
    (c) => `tag/${c.instancePath}?tag=${uriEncode(c.options.tag)}`,
    (b) => [keyText(details(b))],
  );
  t.add(
    'tags',
    'untag',
    'Remove tag -t from an instance',
    ['instance', 'tag'],
    'untag/:host/:port?tag=',
    'host:port per line',
    (c) => `untag/${c.instancePath}?tag=${uriEncode(c.options.tag)}`,
    (b) => elements(details(b)).map(keyText),
  );
  t.add(
    'tags',
    'untag-all',
    'Remove tag -t from every instance',
    ['tag'],
    'untag-all?tag=',
    'host:port per line',
    (c) => `untag-all?tag=${uriEncode(c.options.tag)}`,
    (b) => elements(details(b)).map(keyText),
  );
  t.add(
    'tags',
    'tagged',
    'List instances tagged -t (name, name=value, or a comma list)',
    ['tag'],
    'tagged?tag=',
    'host:port per line',
    (c) => `tagged/${c.instancePath}?tag=${uriEncode(c.options.tag)}`.replace('tagged/?', 'tagged?'),
    (b) => elements(b).map(keyText),
  );
  t.add(
    'tags',
    'submit-pool-instances',
    'Set the instances (-i, comma list) of pool -l',
    ['instance', 'pool'],
    'submit-pool-instances/:pool?instances=',
    "the answer's Details",
    (c) => `submit-pool-instances/${seg(c.options.pool)}?instances=${uriEncode(c.options.instance)}`,
    detailsRaw,
  );
  t.add(
    'tags',
    'which-heuristic-cluster-pool-instances',
    'List the pool instances (-l optional) of a cluster',
    ['instance|alias'],
    'heuristic-cluster-pool-instances/:clusterHint[/:pool]',
    'host:port per line',
    (c) => `heuristic-cluster-pool-instances/${seg(c.hint)}${c.options.pool === '' ? '' : `/${seg(c.options.pool)}`}`,
    detailsKeys,
  );

  // Downtime, maintenance, candidates, hostnames.
  t.add(
    'downtime',
    'begin-downtime',
    'Downtime an instance (-o owner, -r reason, -u duration, default 10m)',
    ['instance', 'owner', 'reason', 'duration'],
    'begin-downtime/:host/:port/:owner/:reason/:duration',
    'host:port',
    (c) =>
      `begin-downtime/${c.instancePath}/${uriEncode(c.options.owner)}/${uriEncode(c.options.reason)}/${uriEncode(c.options.duration)}`,
    detailsKeyOrRaw,
  );
  t.add(
    'downtime',
    'end-downtime',
    "End an instance's downtime",
    ['instance'],
    'end-downtime/:host/:port',
    'host:port',
    at('end-downtime'),
    detailsKeyOrRaw,
  );
  t.add(
    'downtime',
    'begin-maintenance',
    'Take a maintenance lock on an instance (-o, -r)',
    ['instance', 'owner', 'reason'],
    'begin-maintenance/:host/:port/:owner/:reason',
    'host:port (orc: the maintenance id)',
    (c) => `begin-maintenance/${c.instancePath}/${uriEncode(c.options.owner)}/${uriEncode(c.options.reason)}`,
    detailsKeyOrRaw,
  );
  t.add(
    'downtime',
    'end-maintenance',
    "Release an instance's maintenance lock",
    ['instance'],
    'end-maintenance/:host/:port',
    'host:port',
    at('end-maintenance'),
    detailsKeyOrRaw,
  );
  t.add(
    'downtime',
    'register-candidate',
    "Set an instance's promotion rule (-R prefer|neutral|prefer_not|must_not)",
    ['instance', 'promotion-rule'],
    'register-candidate/:host/:port/:promotionRule',
    'host:port',
    (c) => `register-candidate/${c.instancePath}/${seg(c.options.promotionRule)}`,
    detailsKeyOrRaw,
  );
  t.add(
    'downtime',
    'register-hostname-unresolve',
    'Give an instance a virtual name (-H)',
    ['instance', 'hostname'],
    'register-hostname-unresolve/:host/:port/:virtualname',
    'host:port',
    (c) => `register-hostname-unresolve/${c.instancePath}/${seg(c.options.hostname)}`,
    detailsKeyOrRaw,
  );
  t.add(
    'downtime',
    'deregister-hostname-unresolve',
    "Remove an instance's virtual name",
    ['instance'],
    'deregister-hostname-unresolve/:host/:port',
    'host:port',
    at('deregister-hostname-unresolve'),
    detailsKeyOrRaw,
  );
}
