// Discovery and instance routes: discover, forget, instance, replicas, all-instances, search.
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.js';
import { ok } from '../response.js';
import type { Register } from '../route.js';
import { ClusterHintParams, HostPort } from '../schemas.js';
import { instanceRenderer, keyOf, knownInstance, sortedInstances } from './lookup.js';
import { toOrchestratorKey } from '@orc/topology';

/**
 * Registers the discovery and instance routes.
 *
 * @example
 * instanceRoutes(register, deps);
 */
export function instanceRoutes(register: Register, deps: ApiDeps): void {
  const { view, commands } = deps;
  register({
    paths: ['/api/discover/:host/:port'],
    params: HostPort,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      await commands.submit({ kind: 'discover', key });
      const render = await instanceRenderer(view, Date.now());
      return ok(`Instance discovered: ${key}`, render(knownInstance(view, key)));
    },
  });
  register({
    paths: ['/api/async-discover/:host/:port'],
    params: HostPort,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      // orchestrator answers before the probe ends; a failure shows on the instance later.
      commands.submit({ kind: 'discover', key }).then(
        () => undefined,
        (err: unknown) => deps.logger?.warn('async discover failed', { key, error: String(err) }),
      );
      return ok(`Asynchronous discovery initiated for Instance: ${key}`, toOrchestratorKey(key));
    },
  });
  register({
    paths: ['/api/forget/:host/:port'],
    params: HostPort,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      await commands.submit({ kind: 'forget', key });
      return ok(`Instance forgotten: ${key}`, toOrchestratorKey(key));
    },
  });
  register({
    paths: ['/api/forget-cluster/:clusterHint'],
    params: ClusterHintParams,
    mutates: true,
    handler: async ({ params }) => {
      const { forgotten } = await commands.submit({ kind: 'forget-cluster', cluster: params.clusterHint });
      return ok(
        `Cluster forgotten: ${params.clusterHint}`,
        forgotten.map((k) => toOrchestratorKey(k)),
      );
    },
  });
  register({
    paths: ['/api/instance/:host/:port'],
    params: HostPort,
    handler: async ({ params }) => (await instanceRenderer(view, Date.now()))(knownInstance(view, keyOf(params))),
  });
  register({
    paths: ['/api/instance-replicas/:host/:port', '/api/instance-slaves/:host/:port'],
    params: HostPort,
    handler: async ({ params }) => {
      const key = keyOf(params);
      knownInstance(view, key);
      const render = await instanceRenderer(view, Date.now());
      return sortedInstances(view.instances().filter((i) => i.masterKey === key)).map(render);
    },
  });
  register({
    paths: ['/api/all-instances'],
    handler: async () => sortedInstances(view.instances()).map(await instanceRenderer(view, Date.now())),
  });
  const search = async (text: string): Promise<unknown> => {
    const needle = text.toLowerCase();
    const render = await instanceRenderer(view, Date.now());
    return sortedInstances(
      view
        .instances()
        .filter((i) =>
          [i.key, i.hostname, i.instanceAlias, i.clusterName, i.version].some((s) => s.toLowerCase().includes(needle)),
        ),
    ).map(render);
  };
  const SearchText = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });
  register({
    paths: ['/api/search/:searchString'],
    params: Type.Object({ searchString: SearchText }),
    handler: async ({ params }) => search(params.searchString),
  });
  register({
    paths: ['/api/search'],
    query: Type.Object({ s: Type.Optional(SearchText) }),
    handler: async ({ query }) => search(query.s ?? ''),
  });
}
