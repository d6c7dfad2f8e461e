// The recoveries page: orc's recovery audit, each recovery's steps on demand, an acknowledgement
// button for users who may mutate; below it the general audit log.
import { seg } from '../api.js';
import type { PageCtx } from '../ctx.js';
import { h } from '../dom.js';
import { keyText, recoveryOutcome, type RecoveryJson, type RecoveryStepJson } from '../model.js';
import { clusterLink, optional, problemChip, when } from './common.js';

interface AuditJson {
  readonly AuditTimestamp: string;
  readonly AuditType: string;
  readonly AuditInstanceKey: { Hostname: string; Port: number };
  readonly Message: string;
}

function recoveryItem(ctx: PageCtx, r: RecoveryJson): HTMLElement {
  const isOpen = ctx.openRecoveries.has(r.UID);
  const steps = ctx.steps.get(r.UID);
  const outcome = recoveryOutcome(r);
  const details = h(
    'details',
    { class: `recovery ${outcome}`, 'data-recovery': r.UID, open: isOpen },
    h(
      'summary',
      { 'data-focus': `recovery:${r.UID}` },
      problemChip(r.AnalysisEntry?.Analysis ?? 'recovery'),
      ' ',
      keyText(r.AnalysisEntry?.AnalyzedInstanceKey),
      ' ',
      h('span', { class: `badge ${outcome}` }, outcome),
      r.SuccessorKey !== undefined && r.SuccessorKey !== null && keyText(r.SuccessorKey) !== ''
        ? h('span', { class: 'successor' }, ` → ${keyText(r.SuccessorKey)}`)
        : null,
      ' ',
      h('span', { class: 'muted' }, when(r.RecoveryStartTimestamp)),
      r.Acknowledged === true ? h('span', { class: 'badge acked' }, `acknowledged by ${r.AcknowledgedBy ?? ''}`) : null,
    ),
    r.AnalysisEntry?.ClusterDetails !== undefined
      ? h(
          'p',
          {},
          'Cluster ',
          clusterLink(r.AnalysisEntry.ClusterDetails.ClusterAlias || r.AnalysisEntry.ClusterDetails.ClusterName),
        )
      : null,
    (r.AllErrors ?? []).length > 0
      ? h('p', { class: outcome === 'failed' ? 'error-text' : 'muted' }, (r.AllErrors ?? []).join('; '))
      : null,
    steps === undefined
      ? h('p', { class: 'muted' }, 'Loading steps…')
      : h(
          'ol',
          { class: 'steps' },
          steps.map((s) => h('li', {}, h('span', { class: 'muted' }, when(s.AuditAt)), ' ', s.Message)),
        ),
    ctx.who.CanMutate && r.Acknowledged !== true
      ? h(
          'button',
          {
            class: 'act',
            'data-action': 'ack-recovery',
            onclick: () =>
              void ctx.act(
                `Acknowledge recovery ${r.Id}`,
                `/api/ack-recovery/${seg(r.Id)}?comment=${seg(`acknowledged in the web page by ${ctx.who.User || 'web'}`)}`,
              ),
          },
          'Acknowledge',
        )
      : null,
  );
  details.addEventListener('toggle', () => {
    if (details.open === ctx.openRecoveries.has(r.UID)) return;
    if (details.open) ctx.openRecoveries.add(r.UID);
    else ctx.openRecoveries.delete(r.UID);
    ctx.refresh();
  });
  return details;
}

/**
 * Renders the recoveries page.
 *
 * @example
 * main.replaceChildren(await recoveriesPage(ctx));
 */
export async function recoveriesPage(ctx: PageCtx): Promise<Node> {
  const [recoveries, audit] = await Promise.all([
    optional(ctx.api.get<RecoveryJson[]>('/api/audit-recovery')),
    ctx.api.get<AuditJson[]>('/api/audit'),
  ]);
  await Promise.all(
    [...ctx.openRecoveries].map(async (uid) =>
      ctx.steps.set(
        uid,
        (await optional(ctx.api.get<RecoveryStepJson[]>(`/api/audit-recovery-steps/${seg(uid)}`))) ?? [],
      ),
    ),
  );
  return h(
    'section',
    { 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title' }, 'Recoveries'),
    recoveries === undefined
      ? h('p', { class: 'muted' }, 'This daemon does not serve /api/audit-recovery.')
      : recoveries.length === 0
        ? h('p', { class: 'muted' }, 'No recovery so far.')
        : h(
            'div',
            { class: 'recoveries' },
            recoveries.map((r) => recoveryItem(ctx, r)),
          ),
    h('h2', {}, 'Audit log'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'audit' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Type'), h('th', {}, 'Instance'), h('th', {}, 'Message')),
        ),
        h(
          'tbody',
          {},
          audit.map((a) =>
            h(
              'tr',
              {},
              h('td', {}, when(a.AuditTimestamp)),
              h('td', {}, a.AuditType),
              h('td', {}, keyText(a.AuditInstanceKey)),
              h('td', {}, a.Message),
            ),
          ),
        ),
      ),
    ),
  );
}
