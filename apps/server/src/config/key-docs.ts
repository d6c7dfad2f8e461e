// The operator guide's key list, generated from the one table so that it cannot drift:
// `pnpm --filter @orc/server docs:config` rewrites docs/configuration.md, and a unit test fails
// when the file differs from what the table says.
import type { KeyOwner, KeySpec } from './key-spec.js';

const SECTIONS: readonly [KeyOwner, string][] = [
  ['server', 'The daemon'],
  ['api', 'HTTP API and authentication'],
  ['backend', 'Backend database'],
  ['topology', 'Discovery and analysis'],
  ['recovery', 'Recovery'],
  ['kv', 'KV stores'],
  ['raft', 'Raft'],
];

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const shown = (r: KeySpec): string => {
  if (r.default === undefined) return '(unset)';
  const json = JSON.stringify(r.default);
  return `\`${cell(json)}\``;
};

/**
 * docs/configuration.md's text for the given rows.
 *
 * @example
 * writeFileSync('docs/configuration.md', configurationMarkdown(orchestratorKeys));
 */
export function configurationMarkdown(rows: readonly KeySpec[]): string {
  const out: string[] = [
    '# Configuration keys',
    '',
    '<!-- Generated from apps/server/src/config (the key table) by `pnpm --filter @orc/server docs:config`; do not edit by hand. -->',
    '',
    "orc reads orchestrator's JSON configuration keys, word for word, with orchestrator's defaults.",
    "Keys marked *orc* are orc's own. A secret is never printed: logs, errors and API output show",
    '`<redacted>`. Any key can be set from the environment as `ORC_<Key>` (for example',
    '`ORC_InstancePollSeconds=1`, `ORC_DiscoverySeeds=\'["db1:3306"]\'`); the environment wins over the',
    'file. See the [operator guide](operator-guide.md) for how the file is found.',
    '',
  ];
  for (const [owner, title] of SECTIONS) {
    const mine = rows.filter((r) => r.owner === owner);
    if (mine.length === 0) continue;
    out.push(`## ${title}`, '', '| key | default | what |', '| --- | --- | --- |');
    for (const r of mine) {
      const marks = [r.orcOnly === true ? '*orc*' : '', r.secret === true ? '*secret*' : '']
        .filter((m) => m !== '')
        .join(', ');
      out.push(`| \`${r.key}\` | ${shown(r)} | ${cell(r.doc)}${marks === '' ? '' : ` (${marks})`} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}`;
}
