/**
 * orchestrator's cluster filter match (`RecoverMasterClusterFilters` and friends): a filter
 * matches on the exact cluster name or alias, `alias=<name>`, `alias~=<regex>`, `*`, or as a
 * regular expression on the cluster name.
 */
export function matchesClusterFilters(
  filters: readonly string[],
  cluster: { readonly ClusterName: string; readonly ClusterAlias: string },
): boolean {
  for (const filter of filters) {
    if (filter === cluster.ClusterName || filter === cluster.ClusterAlias) return true;
    if (filter.startsWith('alias=')) {
      if (filter.slice('alias='.length) === cluster.ClusterAlias) return true;
    } else if (filter.startsWith('alias~=')) {
      if (new RegExp(filter.slice('alias~='.length)).test(cluster.ClusterAlias)) return true;
    } else if (filter === '*') {
      return true;
    } else if (filter !== '' && new RegExp(filter).test(cluster.ClusterName)) {
      return true;
    }
  }
  return false;
}
