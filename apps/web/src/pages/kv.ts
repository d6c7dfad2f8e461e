// What the KV stores hold, from `/api/kv-status`: one line per store in a cluster's row of the
// clusters page, and a table of the stores' health on the health page.
import { h } from '../dom.js';
import { kvStateText, type KvClusterStoreJson, type KvStoreStatusJson } from '../model.js';
import { when } from './common.js';

const whenOrNever = (iso: string | null): string => (iso === null ? 'never' : when(iso));

/**
 * A cluster's KV status: each store, whether it names the primary, when it was last written and
 * read (in the line's title and its text for screen readers alike).
 *
 * @example
 * h('td', {}, kvCell(status.Clusters[0].Stores))
 */
export function kvCell(stores: readonly KvClusterStoreJson[]): HTMLElement {
  if (stores.length === 0) return h('span', { class: 'muted' }, 'no store');
  return h(
    'ul',
    { class: 'kv-stores' },
    stores.map((s) => {
      const detail = [
        `${s.Key} = ${s.Value ?? '(missing)'}`,
        `last written by this node: ${whenOrNever(s.LastWriteAt)}`,
        `checked: ${whenOrNever(s.CheckedAt)}`,
        s.Error === null ? '' : `error: ${s.Error}`,
      ]
        .filter((t) => t !== '')
        .join('\n');
      return h(
        'li',
        {
          class: `kv-store ${s.InSync ? 'in-sync' : 'out-of-sync'}`,
          'data-store': s.Store,
          'data-in-sync': String(s.InSync),
          title: detail,
        },
        h('span', { class: 'kv-mark', 'aria-hidden': 'true' }, s.InSync ? '✓' : '✗'),
        h('strong', {}, s.Store),
        ` ${kvStateText(s)}`,
        h(
          'span',
          { class: 'kv-when muted' },
          s.LastWriteAt === null ? '' : ` · written ${when(s.LastWriteAt)}`,
          s.Error === null ? '' : ` · ${s.Error}`,
        ),
      );
    }),
  );
}

/**
 * The stores' health: role, the reconciler's state and its last check.
 *
 * @example
 * section.append(kvStoresTable(status.Stores));
 */
export function kvStoresTable(stores: readonly KvStoreStatusJson[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'kv-health' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Store', 'Kind', 'Role', 'State', 'Last check', 'Repaired', 'Failures', 'Error'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        stores.map((s) =>
          h(
            'tr',
            { 'data-store': s.Store, 'data-state': s.State },
            h('td', {}, s.Store),
            h('td', {}, s.Kind),
            h('td', {}, s.Role === 'desired' ? 'desired state' : 'reconciled'),
            h(
              'td',
              {},
              h(
                'span',
                { class: `chip ${s.State === 'down' ? 'sev-critical' : s.State === 'healthy' ? 'kv-ok' : 'sev-info'}` },
                s.State,
              ),
            ),
            h(
              'td',
              {},
              s.Role === 'desired'
                ? '-'
                : s.LastCheckAt === null
                  ? 'not yet'
                  : `${when(s.LastCheckAt)} (${s.LastCheckOk === true ? 'ok' : 'failed'})`,
            ),
            h('td', { class: 'num' }, s.LastRepairWritten),
            h('td', { class: 'num' }, s.Failures),
            h('td', {}, s.Error ?? ''),
          ),
        ),
      ),
    ),
  );
}
