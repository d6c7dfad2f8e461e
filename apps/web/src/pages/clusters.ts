// The clusters page: one row per cluster with its alias, primary, size, current problems, its
// last recovery, and whether each KV store names its primary.
import { seg } from '../api.js';
import type { PageCtx } from '../ctx.js';
import { h } from '../dom.js';
import {
  keyText,
  type AnalysisJson,
  type ClusterInfoJson,
  type InstanceJson,
  type KvStatusJson,
  type RecoveryJson,
} from '../model.js';
import { clusterLink, optional, problemChip, when } from './common.js';
import { kvCell } from './kv.js';

/**
 * Renders the clusters page.
 *
 * @example
 * main.replaceChildren(await clustersPage(ctx));
 */
export async function clustersPage(ctx: PageCtx): Promise<Node> {
  const [clusters, masters, analysis, recoveries, kv] = await Promise.all([
    ctx.api.get<ClusterInfoJson[]>('/api/clusters-info'),
    ctx.api.get<InstanceJson[]>('/api/masters'),
    ctx.api.get<{ Details: AnalysisJson[] }>('/api/replication-analysis'),
    optional(ctx.api.get<RecoveryJson[]>('/api/audit-recovery')),
    optional(ctx.api.get<KvStatusJson>('/api/kv-status')),
  ]);
  // An alias follows a failover (the API resolves it to the cluster whose primary was seen
  // last), so link by alias when exactly one cluster has it.
  const aliasCount = new Map<string, number>();
  for (const c of clusters) aliasCount.set(c.ClusterAlias, (aliasCount.get(c.ClusterAlias) ?? 0) + 1);
  const rows = clusters.map((c) => {
    const byAlias = c.ClusterAlias !== '' && aliasCount.get(c.ClusterAlias) === 1;
    const primary = masters.find((m) => m.ClusterName === c.ClusterName);
    const problems = analysis.Details.filter((a) => a.ClusterDetails?.ClusterName === c.ClusterName);
    const last = recoveries?.find((r) => r.AnalysisEntry?.ClusterDetails?.ClusterName === c.ClusterName);
    return h(
      'tr',
      { 'data-cluster': c.ClusterName },
      h(
        'td',
        {},
        clusterLink(
          byAlias ? c.ClusterAlias : c.ClusterName,
          c.ClusterAlias !== '' ? `${c.ClusterAlias} (${c.ClusterName})` : c.ClusterName,
        ),
      ),
      h('td', {}, keyText(primary?.Key)),
      h('td', { class: 'num' }, c.CountInstances),
      h(
        'td',
        {},
        problems.length === 0 ? h('span', { class: 'muted' }, 'none') : problems.map((p) => problemChip(p.Analysis)),
      ),
      h(
        'td',
        {},
        recoveries === undefined
          ? h('span', { class: 'muted' }, 'not served')
          : last === undefined
            ? h('span', { class: 'muted' }, 'none')
            : h(
                'a',
                { href: '#/recoveries' },
                `${last.AnalysisEntry?.Analysis ?? ''} ${last.IsSuccessful === true ? '→ ' + keyText(last.SuccessorKey) : '(failed)'} ${when(last.RecoveryStartTimestamp)}`,
              ),
      ),
      h(
        'td',
        { class: 'kv' },
        kv === undefined
          ? h('span', { class: 'muted' }, 'not served')
          : kvCell(kv.Clusters.find((k) => k.ClusterName === c.ClusterName)?.Stores ?? []),
      ),
      ctx.who.CanMutate
        ? h(
            'td',
            {},
            h(
              'button',
              {
                class: 'act',
                'data-action': 'submit-kv',
                onclick: () =>
                  void ctx.act('Submit masters to KV', `/api/submit-masters-to-kv-stores/${seg(c.ClusterName)}`),
              },
              'Submit to KV',
            ),
          )
        : null,
    );
  });
  return h(
    'section',
    { 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title' }, 'Clusters'),
    clusters.length === 0
      ? h('p', { class: 'muted' }, 'No cluster known yet: discover one with orc-client -c discover -i host:port.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'clusters' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Cluster'),
                h('th', {}, 'Primary'),
                h('th', {}, 'Instances'),
                h('th', {}, 'Problems'),
                h('th', {}, 'Last recovery'),
                h('th', {}, 'KV stores'),
                ctx.who.CanMutate ? h('th', {}, 'Actions') : null,
              ),
            ),
            h('tbody', {}, rows),
          ),
        ),
  );
}
