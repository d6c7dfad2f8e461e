// The health page: this node, the active node, the nodes sharing the backend, Raft's leader
// and healthy members when orc runs as a Raft group, and the health of this node's KV stores.
import type { PageCtx } from '../ctx.js';
import { h } from '../dom.js';
import type { KvStatusJson } from '../model.js';
import { optional } from './common.js';
import { kvStoresTable } from './kv.js';

interface HealthJson {
  readonly Healthy: boolean;
  readonly Hostname: string;
  readonly Token: string;
  readonly IsActiveNode: boolean;
  readonly ActiveNode: { Hostname: string; Token: string } | null;
  readonly Error: string | null;
  readonly AvailableNodes: readonly { Hostname: string; Token: string }[] | null;
  readonly RaftLeader: string;
  readonly IsRaftLeader: boolean;
  readonly RaftHealthyMembers: readonly string[] | null;
}

/**
 * Renders the health page.
 *
 * @example
 * main.replaceChildren(await healthPage(ctx));
 */
export async function healthPage(ctx: PageCtx): Promise<Node> {
  // Fetched side by side: an unhealthy node (500 on /api/health) still says what its stores hold.
  const [got, kv] = await Promise.allSettled([
    ctx.api.get<{ Details: HealthJson }>('/api/health'),
    optional(ctx.api.get<KvStatusJson>('/api/kv-status')),
  ]);
  const kvSection = [
    h('h2', {}, 'KV stores'),
    kv.status === 'rejected'
      ? h('p', { class: 'error-text', role: 'alert' }, `KV status unavailable: ${String(kv.reason)}`)
      : kv.value === undefined
        ? h('p', { class: 'muted' }, 'This daemon does not serve /api/kv-status.')
        : kvStoresTable(kv.value.Stores),
  ];
  if (got.status === 'rejected')
    return h(
      'section',
      {},
      h('h1', {}, 'Health'),
      h('p', { class: 'error-text', role: 'alert' }, `Unhealthy: ${String(got.reason)}`),
      kvSection,
    );
  const health = got.value.Details;
  const rows: [string, string][] = [
    ['This node', health.Hostname],
    ['Healthy', health.Healthy ? 'yes' : `no: ${health.Error ?? ''}`],
    ['Active node', health.ActiveNode === null ? '(none)' : health.ActiveNode.Hostname],
    ['This node is active', health.IsActiveNode ? 'yes' : 'no'],
    ['Raft leader', health.RaftLeader === '' ? '(not a Raft group)' : health.RaftLeader],
  ];
  const members = health.RaftHealthyMembers ?? [];
  return h(
    'section',
    { 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title' }, 'Health'),
    h(
      'dl',
      { class: health.Healthy ? 'healthy' : 'unhealthy' },
      rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    h('h2', {}, 'Nodes'),
    h(
      'ul',
      { class: 'nodes' },
      (health.AvailableNodes ?? []).map((n) =>
        h(
          'li',
          {},
          n.Hostname,
          n.Hostname === health.ActiveNode?.Hostname ? h('span', { class: 'badge primary-badge' }, 'active') : null,
        ),
      ),
    ),
    members.length > 0
      ? [
          h('h2', {}, 'Raft members'),
          h(
            'ul',
            {},
            members.map((m) =>
              h('li', {}, m, m === health.RaftLeader ? h('span', { class: 'badge primary-badge' }, 'leader') : null),
            ),
          ),
        ]
      : null,
    kvSection,
  );
}
