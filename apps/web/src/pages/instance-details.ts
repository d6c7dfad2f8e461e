// The details of one instance, and the actions a user who may mutate can take on it.
import { seg } from '../api.js';
import type { PageCtx } from '../ctx.js';
import { h } from '../dom.js';
import { gtidText, keyText, lagText, type InstanceJson } from '../model.js';
import { when } from './common.js';

const keyPath = (k: { Hostname: string; Port: number }): string => `${seg(k.Hostname)}/${seg(k.Port)}`;
const RULES = ['prefer', 'neutral', 'prefer_not', 'must_not'] as const;

function field(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  return el?.value.trim() ?? '';
}

function actions(
  ctx: PageCtx,
  i: InstanceJson,
  all: readonly InstanceJson[],
  primary: InstanceJson | undefined,
  cluster: string,
): Node[] {
  const key = keyText(i.Key);
  const isPrimary = primary !== undefined && keyText(primary.Key) === key;
  const downtime = i.IsDowntimed
    ? h(
        'button',
        {
          class: 'act',
          'data-action': 'end-downtime',
          onclick: () => void ctx.act(`End downtime of ${key}`, `/api/end-downtime/${keyPath(i.Key)}`),
        },
        'End downtime',
      )
    : h(
        'form',
        {
          class: 'inline-form',
          'data-action': 'begin-downtime',
          onsubmit: (e: Event) => {
            e.preventDefault();
            const f = e.currentTarget as HTMLFormElement;
            const owner = field(f, 'owner') || ctx.who.User || 'web';
            const path = `/api/begin-downtime/${keyPath(i.Key)}/${seg(owner)}/${seg(field(f, 'reason') || 'web')}/${seg(field(f, 'duration') || '30m')}`;
            void ctx.act(`Begin downtime of ${key}`, path);
          },
        },
        h('label', {}, 'Owner ', h('input', { name: 'owner', value: ctx.who.User || 'web', size: 8 })),
        h('label', {}, 'Reason ', h('input', { name: 'reason', value: 'maintenance', size: 12 })),
        h('label', {}, 'Duration ', h('input', { name: 'duration', value: '30m', size: 5 })),
        h('button', { class: 'act', type: 'submit' }, 'Begin downtime'),
      );
  const candidate = h(
    'form',
    {
      class: 'inline-form',
      'data-action': 'register-candidate',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const rule = field(e.currentTarget as HTMLFormElement, 'rule');
        void ctx.act(`Register ${key} as ${rule}`, `/api/register-candidate/${keyPath(i.Key)}/${seg(rule)}`);
      },
    },
    h(
      'label',
      {},
      'Promotion rule ',
      h(
        'select',
        { name: 'rule' },
        RULES.map((r) => h('option', { value: r, selected: r === i.PromotionRule }, r)),
      ),
    ),
    h('button', { class: 'act', type: 'submit' }, 'Register candidate'),
  );
  const others = all.filter((o) => keyText(o.Key) !== key && keyText(o.Key) !== keyText(i.MasterKey));
  const move =
    isPrimary || others.length === 0
      ? null
      : h(
          'form',
          {
            class: 'inline-form',
            'data-action': 'relocate',
            onsubmit: (e: Event) => {
              e.preventDefault();
              const target = all.find((o) => keyText(o.Key) === field(e.currentTarget as HTMLFormElement, 'below'));
              if (target === undefined) return;
              const path = `/api/relocate/${keyPath(i.Key)}/${keyPath(target.Key)}`;
              void ctx.act(`Relocate ${key}`, path, `Relocate ${key} below ${keyText(target.Key)}?`);
            },
          },
          h(
            'label',
            {},
            'Below ',
            h(
              'select',
              { name: 'below' },
              others.map((o) => h('option', { value: keyText(o.Key) }, keyText(o.Key))),
            ),
          ),
          h('button', { class: 'act', type: 'submit' }, 'Relocate…'),
        );
  const takeover =
    !isPrimary && primary !== undefined && keyText(i.MasterKey) === keyText(primary.Key)
      ? h(
          'button',
          {
            class: 'act danger',
            'data-action': 'graceful-takeover',
            onclick: () =>
              void ctx.act(
                `Graceful takeover by ${key}`,
                `/api/graceful-master-takeover/${seg(cluster)}/${keyPath(i.Key)}`,
                `Make ${key} the new primary of ${cluster}, demoting ${keyText(primary.Key)}?`,
              ),
          },
          'Graceful takeover…',
        )
      : null;
  return [downtime, candidate, move, takeover].filter((n) => n !== null);
}

/**
 * The details panel of instance `i` on the cluster page.
 *
 * @example
 * detailsPanel(ctx, instance, instances, primary, 'db1:3306')
 */
export function detailsPanel(
  ctx: PageCtx,
  i: InstanceJson,
  all: readonly InstanceJson[],
  primary: InstanceJson | undefined,
  cluster: string,
): HTMLElement {
  const key = keyText(i.Key);
  const isReplica = keyText(i.MasterKey) !== '';
  const rows: [string, string][] = [
    ['Primary', keyText(i.MasterKey) || '(none)'],
    ['Version', i.Version],
    ['Server ID', String(i.ServerID ?? '')],
    ['read_only', String(i.ReadOnly)],
    ['Lag', lagText(i.SecondsBehindMaster, isReplica)],
    ['GTID', gtidText(i)],
    [
      'Replication threads',
      isReplica
        ? `IO ${i.Slave_IO_Running === true ? 'yes' : 'no'}, SQL ${i.Slave_SQL_Running === true ? 'yes' : 'no'}`
        : '-',
    ],
    ['Last error', [i.LastIOError, i.LastSQLError].filter((e) => e !== undefined && e !== '').join('; ') || '-'],
    ['Executed GTID set', i.ExecutedGtidSet ?? ''],
    ['Promotion rule', i.PromotionRule],
    [
      'Downtime',
      i.IsDowntimed
        ? `${i.DowntimeOwner ?? ''}: ${i.DowntimeReason ?? ''} until ${when(i.DowntimeEndTimestamp)}`
        : 'no',
    ],
    ['Last seen', when(i.LastSeenTimestamp)],
  ];
  return h(
    'aside',
    { class: 'details', 'aria-label': `details of ${key}`, 'data-details': key },
    h(
      'div',
      { class: 'page-head' },
      h('h2', {}, key),
      h(
        'button',
        {
          class: 'secondary',
          'data-focus': 'close-details',
          onclick: () => ((ctx.selected = undefined), ctx.refresh()),
        },
        'Close',
      ),
    ),
    h(
      'dl',
      {},
      rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    ctx.who.CanMutate ? h('div', { class: 'actions' }, actions(ctx, i, all, primary, cluster)) : null,
  );
}
