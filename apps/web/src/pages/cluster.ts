// The cluster page: the replication tree drawn left to right (a primary, then a column of its
// replicas, and so on), badges for downtime and candidates, problems coloured by analysis code;
// a node opens its details, where a user who may mutate finds the actions. Dragging a node onto
// another asks to relocate it there.
import { seg } from '../api.js';
import type { PageCtx } from '../ctx.js';
import { h } from '../dom.js';
import {
  buildForest,
  gtidText,
  keyText,
  lagText,
  recoveryOutcome,
  type AnalysisJson,
  type InstanceJson,
  type RecoveryJson,
  type TreeNode,
} from '../model.js';
import { optional, problemChip, when } from './common.js';
import { detailsPanel } from './instance-details.js';

/** Path segments of a key: `host/port`. */
export const keyPath = (k: { Hostname: string; Port: number }): string => `${seg(k.Hostname)}/${seg(k.Port)}`;

function nodeCard(ctx: PageCtx, i: InstanceJson, codes: readonly string[], isPrimary: boolean): HTMLElement {
  const key = keyText(i.Key);
  const problems = [...new Set([...codes, ...(i.Problems ?? [])])];
  const card = h(
    'button',
    {
      class: `node${ctx.selected === key ? ' selected' : ''}${problems.length > 0 ? ' has-problems' : ''}${i.IsLastCheckValid ? '' : ' unreachable'}`,
      'data-key': key,
      'data-focus': `node:${key}`,
      'aria-pressed': ctx.selected === key ? 'true' : 'false',
      draggable: ctx.who.CanMutate && !isPrimary ? 'true' : false,
      onclick: () => {
        ctx.selected = ctx.selected === key ? undefined : key;
        ctx.refresh();
      },
    },
    h('span', { class: 'key' }, key),
    h(
      'span',
      { class: 'facts' },
      h('span', { class: 'version' }, i.Version),
      h('span', { class: i.ReadOnly ? 'ro' : 'rw' }, i.ReadOnly ? 'read_only' : 'writable'),
      h('span', { class: 'lag', title: 'replication lag' }, `lag ${lagText(i.SecondsBehindMaster, !isPrimary)}`),
      h('span', { class: 'gtid' }, gtidText(i)),
    ),
    h(
      'span',
      { class: 'badges' },
      isPrimary ? h('span', { class: 'badge primary-badge' }, 'primary') : null,
      i.IsDowntimed ? h('span', { class: 'badge downtime', title: i.DowntimeReason ?? '' }, 'downtimed') : null,
      i.IsCandidate || i.PromotionRule === 'prefer' || i.PromotionRule === 'must'
        ? h('span', { class: 'badge candidate' }, `candidate: ${i.PromotionRule}`)
        : null,
      !i.IsLastCheckValid ? h('span', { class: 'badge down' }, 'unreachable') : null,
    ),
    problems.length > 0 ? h('span', { class: 'problems' }, problems.map(problemChip)) : null,
  );
  if (ctx.who.CanMutate) {
    card.addEventListener('dragstart', (e) => {
      ctx.busy = true;
      e.dataTransfer?.setData('text/plain', key);
    });
    card.addEventListener('dragend', () => (ctx.busy = false));
    card.addEventListener('dragover', (e) => e.preventDefault());
    card.addEventListener('drop', (e) => {
      e.preventDefault();
      const moving = e.dataTransfer?.getData('text/plain') ?? '';
      ctx.busy = false;
      if (moving !== '' && moving !== key) void relocate(ctx, moving, i);
    });
  }
  return card;
}

/**
 * Asks to relocate `moving` (`host:port`) below `target`, then runs it.
 *
 * @example
 * await relocate(ctx, 'db3:3306', db2);
 */
export async function relocate(ctx: PageCtx, moving: string, target: InstanceJson): Promise<boolean> {
  const at = moving.lastIndexOf(':');
  const path = `/api/relocate/${seg(moving.slice(0, at))}/${seg(moving.slice(at + 1))}/${keyPath(target.Key)}`;
  return ctx.act(`Relocate ${moving}`, path, `Relocate ${moving} below ${keyText(target.Key)}?`);
}

function drawTree(ctx: PageCtx, node: TreeNode, codesOf: Map<string, string[]>, depth: number): HTMLElement {
  const key = keyText(node.instance.Key);
  return h(
    'li',
    {
      class: 'branch',
      role: 'treeitem',
      'aria-level': depth + 1,
      'aria-expanded': node.children.length > 0 ? 'true' : false,
    },
    nodeCard(ctx, node.instance, codesOf.get(key) ?? [], depth === 0),
    node.children.length > 0
      ? h(
          'ul',
          { class: 'children', role: 'group' },
          node.children.map((c) => drawTree(ctx, c, codesOf, depth + 1)),
        )
      : null,
  );
}

/**
 * Renders the cluster page for `clusterName`.
 *
 * @example
 * main.replaceChildren(await clusterPage(ctx, 'db1:3306'));
 */
export async function clusterPage(ctx: PageCtx, clusterName: string): Promise<Node> {
  const [instances, analysis, recoveries] = await Promise.all([
    ctx.api.get<InstanceJson[]>(`/api/cluster/${seg(clusterName)}`),
    ctx.api.get<{ Details: AnalysisJson[] }>(`/api/replication-analysis/${seg(clusterName)}`),
    optional(ctx.api.get<RecoveryJson[]>(`/api/audit-recovery/cluster/${seg(clusterName)}`)),
  ]);
  const last = recoveries?.[0];
  const codesOf = new Map<string, string[]>();
  for (const a of analysis.Details) {
    const k = keyText(a.AnalyzedInstanceKey);
    codesOf.set(k, [...(codesOf.get(k) ?? []), a.Analysis]);
  }
  const forest = buildForest(instances);
  const selected = instances.find((i) => keyText(i.Key) === ctx.selected);
  const primary = forest[0]?.instance;
  return h(
    'section',
    { 'aria-labelledby': 'page-title', class: 'cluster-page' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'page-title' }, `Cluster ${clusterName}`),
      h('span', { class: 'muted', 'data-count': instances.length }, `${instances.length} instances`),
      ctx.who.CanMutate
        ? h(
            'button',
            {
              class: 'act',
              'data-action': 'submit-kv',
              onclick: () =>
                void ctx.act('Submit masters to KV', `/api/submit-masters-to-kv-stores/${seg(clusterName)}`),
            },
            'Submit to KV',
          )
        : null,
    ),
    last === undefined
      ? null
      : h(
          'p',
          { class: 'last-recovery', 'data-recovery': last.UID },
          'Last recovery: ',
          problemChip(last.AnalysisEntry?.Analysis ?? 'recovery'),
          ` of ${keyText(last.AnalysisEntry?.AnalyzedInstanceKey)} `,
          recoveryOutcome(last) === 'succeeded' ? `promoted ${keyText(last.SuccessorKey)}` : recoveryOutcome(last),
          ` at ${when(last.RecoveryStartTimestamp)} `,
          h('a', { href: '#/recoveries' }, 'details'),
        ),
    ctx.who.CanMutate ? h('p', { class: 'hint muted' }, 'Drag an instance onto another to relocate it there.') : null,
    h(
      'div',
      { class: 'tree-wrap' },
      h(
        'ul',
        { class: 'tree', role: 'tree', 'aria-label': `replication tree of ${clusterName}` },
        forest.map((n) => drawTree(ctx, n, codesOf, 0)),
      ),
    ),
    selected === undefined ? null : detailsPanel(ctx, selected, instances, primary, clusterName),
  );
}
