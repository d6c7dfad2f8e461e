// The problems page: the current replication analysis across every cluster.
import type { PageCtx } from '../ctx.js';
import { h } from '../dom.js';
import { keyText, type AnalysisJson } from '../model.js';
import { clusterLink, problemChip } from './common.js';

/**
 * Renders the problems page.
 *
 * @example
 * main.replaceChildren(await problemsPage(ctx));
 */
export async function problemsPage(ctx: PageCtx): Promise<Node> {
  const analysis = (await ctx.api.get<{ Details: AnalysisJson[] }>('/api/replication-analysis')).Details;
  return h(
    'section',
    { 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title' }, 'Problems'),
    analysis.length === 0
      ? h('p', { class: 'muted' }, 'No problem found in any cluster.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Analysis'),
                h('th', {}, 'Instance'),
                h('th', {}, 'Cluster'),
                h('th', {}, 'Description'),
              ),
            ),
            h(
              'tbody',
              {},
              analysis.map((a) =>
                h(
                  'tr',
                  { 'data-analysis': a.Analysis },
                  h(
                    'td',
                    {},
                    problemChip(a.Analysis),
                    a.IsDowntimed === true ? h('span', { class: 'badge downtime' }, 'downtimed') : null,
                  ),
                  h('td', {}, keyText(a.AnalyzedInstanceKey)),
                  h(
                    'td',
                    {},
                    a.ClusterDetails === undefined
                      ? ''
                      : clusterLink(
                          a.ClusterDetails.ClusterName,
                          a.ClusterDetails.ClusterAlias || a.ClusterDetails.ClusterName,
                        ),
                  ),
                  h('td', {}, a.Description ?? ''),
                ),
              ),
            ),
          ),
        ),
  );
}
