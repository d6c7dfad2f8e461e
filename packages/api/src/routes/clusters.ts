// Cluster and topology routes: clusters, clusters-info, cluster, cluster-info, master(s),
// topology, problems, downtimed, replication-analysis, set-cluster-alias.
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { asciiTopology, clusterInfoJson } from '../json/instance-json.js';
import { ok } from '../response.js';
import type { Register } from '../route.js';
import { ClusterHint, ClusterHintParams, HostPort } from '../schemas.js';
import { clusterOf, instanceRenderer, keyOf, knownInstance, sortedInstances } from './lookup.js';

/**
 * Registers the cluster routes.
 *
 * @example
 * clusterRoutes(register, deps);
 */
export function clusterRoutes(register: Register, deps: ApiDeps): void {
  const { view, commands } = deps;
  const members = async (hint: string, field: string): Promise<unknown> => {
    const cluster = await clusterOf(view, hint, field);
    const keys = new Set<string>(cluster.instanceKeys);
    const render = await instanceRenderer(view, Date.now());
    return sortedInstances(view.instances().filter((i) => keys.has(i.key))).map(render);
  };
  const info = async (hint: string, field: string): Promise<unknown> =>
    clusterInfoJson(await clusterOf(view, hint, field));
  const AliasParams = Type.Object({ clusterAlias: ClusterHint });

  register({ paths: ['/api/clusters'], handler: async () => (await view.clusters()).map((c) => c.clusterName) });
  register({ paths: ['/api/clusters-info'], handler: async () => (await view.clusters()).map(clusterInfoJson) });
  register({
    paths: ['/api/cluster/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => members(params.clusterHint, 'clusterHint'),
  });
  register({
    paths: ['/api/cluster/alias/:clusterAlias'],
    params: AliasParams,
    handler: async ({ params }) => members(params.clusterAlias, 'clusterAlias'),
  });
  register({
    paths: ['/api/cluster/instance/:host/:port'],
    params: HostPort,
    handler: async ({ params }) => members(knownInstance(view, keyOf(params)).key, 'host'),
  });
  register({
    paths: ['/api/cluster-info/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => info(params.clusterHint, 'clusterHint'),
  });
  register({
    paths: ['/api/cluster-info/alias/:clusterAlias'],
    params: AliasParams,
    handler: async ({ params }) => info(params.clusterAlias, 'clusterAlias'),
  });
  register({
    paths: ['/api/master/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => {
      const cluster = await clusterOf(view, params.clusterHint);
      return (await instanceRenderer(view, Date.now()))(knownInstance(view, cluster.masterKey));
    },
  });
  register({
    paths: ['/api/masters'],
    handler: async () => {
      const render = await instanceRenderer(view, Date.now());
      const masters = (await view.clusters()).map((c) => view.instance(c.masterKey));
      return sortedInstances(masters.filter((i) => i !== undefined)).map(render);
    },
  });
  const topology = async (hint: string, field: string): Promise<unknown> => {
    const cluster = await clusterOf(view, hint, field);
    return ok(`Topology for cluster ${cluster.clusterName}`, asciiTopology(cluster, view.instances()));
  };
  register({
    paths: ['/api/topology/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => topology(params.clusterHint, 'clusterHint'),
  });
  register({
    paths: ['/api/topology/:host/:port'],
    params: HostPort,
    handler: async ({ params }) => topology(keyOf(params), 'host'),
  });
  const problems = async (clusterName: string | undefined): Promise<unknown> => {
    const now = Date.now();
    const render = await instanceRenderer(view, now);
    const rendered = sortedInstances(view.instances())
      .filter((i) => clusterName === undefined || i.clusterName === clusterName)
      .map(render);
    return rendered.filter((j) => Array.isArray(j['Problems']) && (j['Problems'] as unknown[]).length > 0);
  };
  register({ paths: ['/api/problems'], handler: async () => problems(undefined) });
  register({
    paths: ['/api/problems/:clusterName'],
    params: Type.Object({ clusterName: ClusterHint }),
    handler: async ({ params }) => problems((await clusterOf(view, params.clusterName, 'clusterName')).clusterName),
  });
  const downtimed = async (hint: string | undefined): Promise<unknown> => {
    const cluster = hint === undefined ? undefined : await clusterOf(view, hint);
    const render = await instanceRenderer(view, Date.now());
    return sortedInstances(view.instances())
      .filter((i) => cluster === undefined || cluster.instanceKeys.includes(i.key))
      .map(render)
      .filter((j) => j['IsDowntimed'] === true);
  };
  register({ paths: ['/api/downtimed'], handler: async () => downtimed(undefined) });
  register({
    paths: ['/api/downtimed/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => downtimed(params.clusterHint),
  });
  register({ paths: ['/api/replication-analysis'], handler: async () => ok('Analysis', await view.analysis()) });
  register({
    paths: ['/api/replication-analysis/:clusterName'],
    params: Type.Object({ clusterName: ClusterHint }),
    handler: async ({ params }) => {
      const cluster = await clusterOf(view, params.clusterName, 'clusterName');
      const entries = (await view.analysis()).filter((a) => a.ClusterDetails.ClusterName === cluster.clusterName);
      return ok('Analysis', entries);
    },
  });
  register({
    paths: ['/api/set-cluster-alias/:clusterName'],
    params: Type.Object({ clusterName: ClusterHint }),
    query: Type.Object({ alias: Type.Optional(ClusterHint) }),
    mutates: true,
    handler: async ({ params, query }) => {
      if (query.alias === undefined)
        throw new ApiError('BAD_REQUEST', 'alias: required', { details: [{ path: 'alias', message: 'required' }] });
      const cluster = await clusterOf(view, params.clusterName, 'clusterName');
      await commands.submit({ kind: 'set-cluster-alias', cluster: cluster.clusterName, alias: query.alias });
      return ok(`Cluster ${cluster.clusterName} now has alias '${query.alias}'`, query.alias);
    },
  });
}
