// One fake daemon for the route tests: a read view over fixed instances and clusters, a command
// bus that records what it is given, this node's status and the route options. Each test states
// only what it changes, so a reader sees at once which part of the world the test depends on.
// Test-only: it lives under test/, outside the published `dist` and `src`.
import { instanceKey, unseenInstance, type ClusterInfo, type Instance, type InstanceKey } from '@orc/topology';
import { buildApi } from '../../src/app.js';
import type { CommandBus, OrcCommand } from '../../src/commands.js';
import type { ApiDeps, ApiOptions, AuthSettings, HealthStatus, NodeStatus, OrcView, RaftView } from '../../src/deps.js';

/** The instance keys the route tests talk about: `db1:3306` is the default world's primary. */
export const db1 = instanceKey('db1', 3306);
export const db2 = instanceKey('db2', 3306);
export const db3 = instanceKey('db3', 3306);

/**
 * An instance as discovery leaves it, in `clusterName` (default: its own key) under `masterKey`.
 *
 * @example
 * const replica = member(db2, { masterKey: db1, clusterName: 'db1:3306', isReadOnly: true });
 */
export function member(key: InstanceKey, over: Partial<Instance> = {}): Instance {
  return { ...unseenInstance(key), masterKey: null, clusterName: key, ...over };
}

/**
 * A cluster named after its primary.
 *
 * @example
 * const shop = clusterInfo('shop', db1, [db1, db2]); // clusterName 'db1:3306'
 */
export function clusterInfo(alias: string, masterKey: InstanceKey, instanceKeys = [masterKey]): ClusterInfo {
  return { clusterName: masterKey, clusterAlias: alias, clusterDomain: '', masterKey, instanceKeys };
}

/** The default world: db1:3306 alone, primary of cluster `shop`. */
const loneDb1: readonly Instance[] = [member(db1, { clusterName: 'db1:3306' })];

/** No authentication: every caller is a power user (orchestrator's empty `AuthenticationMethod`). */
export const openAuth: AuthSettings = {
  method: '',
  user: '',
  password: '',
  userHeader: 'X-Forwarded-User',
  powerUsers: ['*'],
};

/** `multi` with user admin/pw, no power users by header: `readonly` may read, admin may mutate. */
export const multiAuth: AuthSettings = {
  method: 'multi',
  user: 'admin',
  password: 'pw',
  userHeader: 'X-Forwarded-User',
  powerUsers: [],
};

/**
 * An `authorization` header value for HTTP basic auth.
 *
 * @example
 * await app.inject({ url: '/api/clusters', headers: { authorization: basic('readonly', 'x') } });
 */
export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * A complete {@link OrcView} over `instances` and `clusters`: every list empty, every switch on,
 * `defaultPort` 3306, `pollSeconds` 5; `over` replaces any member.
 *
 * @example
 * const view = fakeView([member(db1)], [clusterInfo('shop', db1)], { analysis: async () => entries });
 */
export function fakeView(
  instances: readonly Instance[] = loneDb1,
  clusters: readonly ClusterInfo[] = [
    clusterInfo(
      'shop',
      db1,
      instances.map((i) => i.key),
    ),
  ],
  over: Partial<OrcView> = {},
): OrcView {
  return {
    instances: () => instances,
    instance: (k) => instances.find((i) => i.key === k),
    clusters: async () => clusters,
    analysis: async () => [],
    downtimes: async () => [],
    maintenance: async () => [],
    candidates: async () => [],
    audit: async () => [],
    globalRecoveriesDisabled: async () => false,
    clusterRecoveriesDisabled: async () => false,
    instanceTags: async () => [],
    taggedInstances: async () => [],
    recoveries: async () => [],
    recoverySteps: async () => [],
    defaultPort: 3306,
    pollSeconds: 5,
    ...over,
  };
}

/**
 * orchestrator's health of node orc1 (token t1), the active node, outside Raft; `over` replaces fields.
 *
 * @example
 * const standby = fakeHealth({ Hostname: 'orc2', IsActiveNode: false });
 */
export function fakeHealth(over: Partial<HealthStatus> = {}): HealthStatus {
  return {
    Healthy: true,
    Hostname: 'orc1',
    Token: 't1',
    IsActiveNode: true,
    ActiveNode: { Hostname: 'orc1', Token: 't1' },
    Error: null,
    AvailableNodes: [],
    RaftLeader: '',
    IsRaftLeader: false,
    RaftLeaderURI: '',
    RaftAdvertise: '',
    RaftHealthyMembers: null,
    ...over,
  };
}

/**
 * This node (orc2) as a healthy Raft follower of orc1, in a group of three; `over` replaces members.
 *
 * @example
 * const raft = fakeRaft({ role: () => 'Leader' });
 */
export function fakeRaft(over: Partial<RaftView> = {}): RaftView {
  return {
    role: () => 'Follower',
    isHealthy: () => true,
    leader: () => '10.0.0.1:10008',
    leaderUri: () => 'http://orc1:3000',
    selfUri: 'http://orc2:3000',
    bind: '0.0.0.0:10008',
    advertise: '10.0.0.2:10008',
    peers: () => ['10.0.0.1:10008', '10.0.0.2:10008', '10.0.0.3:10008'],
    snapshot: async () => undefined,
    yieldTo: async () => undefined,
    yieldHint: async () => undefined,
    addPeer: async () => undefined,
    removePeer: async () => undefined,
    ...over,
  };
}

/**
 * A `fetch` standing for the leader: records each request in `forwarded` and answers
 * `{Code: 'OK', Message: 'from the leader'}`.
 *
 * @example
 * const forwarded: { url: string; init: RequestInit }[] = [];
 * const { app } = routeFixture({ deps: { raft: fakeRaft(), proxyFetch: leaderFetch(forwarded) } });
 */
export function leaderFetch(forwarded: { url: string; init: RequestInit }[]): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    forwarded.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify({ Code: 'OK', Message: 'from the leader', Details: null }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
}

/** What a route test may change; everything else is the default world of {@link fakeView}. */
export interface RouteFixtureOptions {
  readonly instances?: readonly Instance[];
  readonly clusters?: readonly ClusterInfo[];
  /** Members of the view to replace (a tag source, a recovery list, ...). */
  readonly view?: Partial<OrcView>;
  /** The bus's outcome for a command (after it is recorded); default `{}`. */
  readonly answer?: (command: OrcCommand) => unknown;
  /** Whether this node starts as the active one (default true); `setActive` changes it. */
  readonly active?: boolean;
  readonly health?: Partial<HealthStatus>;
  readonly node?: Partial<NodeStatus>;
  readonly auth?: AuthSettings;
  readonly options?: Partial<ApiOptions>;
  /** The optional parts: raft, proxyFetch, recovery, kvStatus, refactor, scrub, ... */
  readonly deps?: Partial<Omit<ApiDeps, 'view' | 'commands' | 'node' | 'options'>>;
}

/** The app under test and what it handed to its fakes. */
export interface RouteFixture {
  readonly app: ReturnType<typeof buildApi>;
  readonly deps: ApiDeps;
  /** Every command the routes submitted, in order. */
  readonly submitted: OrcCommand[];
  setActive(active: boolean): void;
}

/**
 * Builds the API over fakes; the test names only what differs from the default world.
 *
 * @example
 * const { app, submitted } = routeFixture({ auth: multiAuth });
 * await app.inject({ url: '/api/forget/db1/3306', headers: { authorization: basic('admin', 'pw') } });
 * expect(submitted).toEqual([{ kind: 'forget', key: db1 }]);
 */
export function routeFixture(o: RouteFixtureOptions = {}): RouteFixture {
  const submitted: OrcCommand[] = [];
  let active = o.active ?? true;
  const commands: CommandBus = {
    submit: async (c) => {
      submitted.push(c);
      return (o.answer?.(c) ?? {}) as never;
    },
  };
  const node: NodeStatus = {
    isLive: () => true,
    isReady: () => true,
    isActive: () => active,
    health: async () => fakeHealth({ IsActiveNode: active, ...o.health }),
    ...o.node,
  };
  const deps: ApiDeps = {
    view: fakeView(o.instances, o.clusters, o.view),
    commands,
    node,
    options: {
      urlPrefix: '',
      auth: o.auth ?? openAuth,
      readOnly: false,
      statusEndpoint: '/api/status',
      ...o.options,
    },
    ...o.deps,
  };
  return {
    app: buildApi(deps),
    deps,
    submitted,
    setActive: (a) => {
      active = a;
    },
  };
}
