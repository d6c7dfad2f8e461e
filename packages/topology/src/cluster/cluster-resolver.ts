import type { Instance } from '../instance/instance.js';
import { isMasterInstance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';

/** Where an instance sits in its topology, as derived from the snapshot. */
export interface InstancePlacement {
  /** The topology primary's key (`host:port`): the cluster's name. */
  readonly clusterName: string;
  /** 0 for the primary (and for co-primaries), +1 per hop below it. */
  readonly replicationDepth: number;
  /** The instance replicates from a server that replicates from it (a two-server ring). */
  readonly isCoMaster: boolean;
}

/** A cluster: its name, alias, primary and members. */
export interface ClusterInfo {
  readonly clusterName: string;
  /** The alias, or the cluster name when there is none (orchestrator's API fallback). */
  readonly clusterAlias: string;
  readonly clusterDomain: string;
  /** Key of the row the cluster is named after. */
  readonly masterKey: InstanceKey;
  readonly instanceKeys: readonly InstanceKey[];
}

/** How aliases are found, in orchestrator's order of precedence (override first). */
export interface ClusterAliasRules {
  /** Manual overrides (`set-cluster-alias`), by cluster name. */
  readonly aliasOverrides?: Readonly<Record<string, string>>;
  /** orchestrator's `ClusterNameToAlias`: regular expression on the cluster name -> alias, first match wins. */
  readonly clusterNameToAlias?: Readonly<Record<string, string>>;
}

/** The result of {@link resolveClusters}. */
export interface ClusterResolution {
  readonly placements: ReadonlyMap<InstanceKey, InstancePlacement>;
  readonly clusters: ReadonlyMap<string, ClusterInfo>;
}

/**
 * Names every instance's cluster from a snapshot, without I/O: the cluster name is the key of the
 * topology primary reached by following each instance's source upwards. A source orc has no row
 * for ends the walk at the last known instance (orchestrator names such an instance's cluster
 * after the instance itself). A replication ring (co-primaries) is named after its writable member
 * when exactly one is writable, otherwise after its smallest key, so the walk always ends.
 */
export function resolveClusters(instances: readonly Instance[], rules: ClusterAliasRules = {}): ClusterResolution {
  const byKey = new Map<InstanceKey, Instance>();
  for (const i of instances) byKey.set(i.key, i);
  const placements = new Map<InstanceKey, InstancePlacement>();

  const resolve = (start: Instance): InstancePlacement => {
    const known = placements.get(start.key);
    if (known) return known;
    // Walk up until a primary, an unknown source, a resolved ancestor, or a cycle.
    const path: Instance[] = [];
    const onPath = new Map<InstanceKey, number>();
    let cur: Instance | undefined = start;
    let top: InstancePlacement | null = null;
    while (cur !== undefined) {
      const done = placements.get(cur.key);
      if (done) {
        top = done;
        break;
      }
      const seenAt = onPath.get(cur.key);
      if (seenAt !== undefined) {
        const ring = path.slice(seenAt);
        const name = ringName(ring);
        for (const member of ring) {
          const master = member.masterKey === null ? undefined : byKey.get(member.masterKey);
          placements.set(member.key, {
            clusterName: name,
            replicationDepth: 0,
            isCoMaster: master !== undefined && master.masterKey === member.key,
          });
        }
        path.length = seenAt;
        top = placements.get(ring[0]!.key) ?? null;
        break;
      }
      onPath.set(cur.key, path.length);
      path.push(cur);
      if (isMasterInstance(cur) || cur.masterKey === null) break;
      cur = byKey.get(cur.masterKey);
    }
    // Assign from the top of the path downwards.
    for (let i = path.length - 1; i >= 0; i--) {
      const inst = path[i]!;
      if (placements.has(inst.key)) continue;
      const parent = i + 1 < path.length ? placements.get(path[i + 1]!.key) : top;
      const placement: InstancePlacement =
        parent === null || parent === undefined || (i === path.length - 1 && top === null)
          ? { clusterName: inst.key, replicationDepth: 0, isCoMaster: false }
          : { clusterName: parent.clusterName, replicationDepth: parent.replicationDepth + 1, isCoMaster: false };
      placements.set(inst.key, placement);
    }
    return placements.get(start.key)!;
  };

  for (const i of instances) resolve(i);

  const members = new Map<string, InstanceKey[]>();
  for (const [key, p] of placements) {
    const list = members.get(p.clusterName) ?? [];
    list.push(key);
    members.set(p.clusterName, list);
  }
  const clusters = new Map<string, ClusterInfo>();
  for (const [name, keys] of members) {
    keys.sort();
    const masterKey = (byKey.has(name as InstanceKey) ? name : keys[0]) as InstanceKey;
    const master = byKey.get(masterKey);
    const suggested =
      (master?.suggestedClusterAlias ?? '') ||
      keys.map((k) => byKey.get(k)?.suggestedClusterAlias ?? '').find((a) => a !== '') ||
      '';
    const alias = rules.aliasOverrides?.[name] || suggested || mappedClusterNameToAlias(name, rules) || name;
    const domain = master?.clusterDomain ?? '';
    clusters.set(name, {
      clusterName: name,
      clusterAlias: alias,
      clusterDomain: domain,
      masterKey,
      instanceKeys: keys,
    });
  }
  return { placements, clusters };
}

function ringName(ring: readonly Instance[]): string {
  const writable = ring.filter((i) => !i.isReadOnly);
  if (writable.length === 1) return writable[0]!.key;
  // orchestrator's tie-break: the smaller key, by host then by port number.
  const keys = ring.map((i) => ({ key: i.key as string, ...splitInstanceKey(i.key) }));
  keys.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port));
  return keys[0]!.key;
}

/** orchestrator's `ClusterNameToAlias` lookup: the first pattern (a regular expression) matching the name. */
export function mappedClusterNameToAlias(clusterName: string, rules: ClusterAliasRules): string {
  for (const [pattern, alias] of Object.entries(rules.clusterNameToAlias ?? {})) {
    if (pattern === '') continue;
    if (new RegExp(pattern).test(clusterName)) return alias;
  }
  return '';
}

/** Hostname patterns for placement (orchestrator's `DataCenterPattern`, `RegionPattern`, `PhysicalEnvironmentPattern`). */
export interface PlacementPatterns {
  readonly dataCenterPattern?: string;
  readonly regionPattern?: string;
  readonly physicalEnvironmentPattern?: string;
}

/**
 * Data center, region and environment from the hostname: each pattern's first capture group
 * (orchestrator's convention), '' when a pattern is unset or does not match.
 */
export function placementFromHostname(
  hostname: string,
  patterns: PlacementPatterns,
): { dataCenter: string; region: string; physicalEnvironment: string } {
  const pick = (pattern: string | undefined): string => {
    if (pattern === undefined || pattern === '') return '';
    const m = new RegExp(pattern).exec(hostname);
    return m?.[1] ?? '';
  };
  return {
    dataCenter: pick(patterns.dataCenterPattern),
    region: pick(patterns.regionPattern),
    physicalEnvironment: pick(patterns.physicalEnvironmentPattern),
  };
}
