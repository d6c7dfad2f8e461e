// Shared look-ups of the routes: a cluster from a hint, instance JSON with downtime and
// candidate facts joined in.
import { instanceKey, type ClusterInfo, type Instance, type InstanceKey } from '@orc/topology';
import type { OrcView } from '../deps.js';
import { ApiError } from '../errors.js';
import { instanceJson } from '../json/instance-json.js';

/**
 * The cluster a hint names: cluster name, alias, or `host:port` of a member.
 *
 * @example
 * await clusterOf(view, 'shop')
 */
export async function clusterOf(view: OrcView, hint: string, field = 'clusterHint'): Promise<ClusterInfo> {
  const clusters = await view.clusters();
  const found =
    clusters.find((c) => c.clusterName === hint) ??
    liveliest(
      view,
      clusters.filter((c) => c.clusterAlias === hint),
    ) ??
    clusters.find((c) => c.instanceKeys.some((k) => k === hint));
  if (found === undefined)
    throw new ApiError('NOT_FOUND', `no cluster named, aliased or containing ${JSON.stringify(hint)}`, {
      details: [{ path: field, message: 'unknown cluster' }],
    });
  return found;
}

// After a failover the dead primary stays known, alone in a cluster that keeps the alias until it
// is forgotten: an alias then names the cluster whose primary was seen last, the larger on a tie.
function liveliest(view: OrcView, candidates: readonly ClusterInfo[]): ClusterInfo | undefined {
  const seen = (c: ClusterInfo): number => {
    const primary = view.instance(c.masterKey);
    if (primary === undefined || primary.lastSeenAt === null) return 0;
    return (primary.lastCheckedAt ?? 0) > primary.lastSeenAt ? 1 : primary.lastSeenAt;
  };
  return [...candidates].sort((a, b) => seen(b) - seen(a) || b.instanceKeys.length - a.instanceKeys.length)[0];
}

/**
 * A checked key from validated path parameters.
 *
 * @example
 * keyOf({ host: 'db1', port: 3306 }) // 'db1:3306'
 */
export function keyOf(p: { host: string; port: number }): InstanceKey {
  return instanceKey(p.host, p.port);
}

/**
 * An instance orc knows, or a 404 naming it.
 *
 * @example
 * const i = knownInstance(view, key);
 */
export function knownInstance(view: OrcView, key: InstanceKey): Instance {
  const found = view.instance(key);
  if (found === undefined)
    throw new ApiError('NOT_FOUND', `instance ${key} is not known`, {
      details: [{ path: 'host', message: 'unknown instance' }],
    });
  return found;
}

/**
 * A function turning instances into orchestrator's JSON, with downtimes and candidates read once.
 *
 * @example
 * const toJson = await instanceRenderer(view, Date.now());
 * view.instances().map(toJson);
 */
export async function instanceRenderer(view: OrcView, now: number): Promise<(i: Instance) => Record<string, unknown>> {
  const [downtimes, candidates] = await Promise.all([view.downtimes(), view.candidates()]);
  const downtimeOf = new Map(downtimes.filter((d) => d.endsAt === null || d.endsAt > now).map((d) => [d.key, d]));
  const candidateOf = new Map(
    candidates.filter((c) => c.expiresAt === null || c.expiresAt > now).map((c) => [c.key, c]),
  );
  return (i) =>
    instanceJson(i, {
      now,
      pollSeconds: view.pollSeconds,
      downtime: downtimeOf.get(i.key),
      candidate: candidateOf.get(i.key),
    });
}

/** Instances in key order (orchestrator sorts its lists). */
export function sortedInstances(list: readonly Instance[]): Instance[] {
  return [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
