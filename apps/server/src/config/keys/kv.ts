// orchestrator's KV keys (and orc's own Etcd* and *CACertFile keys) -> @orc/kv's typed config.
// Defaults are orchestrator's (reference: go/config/config.go); a store is configured when its
// address key is non-empty, as in orchestrator.
import { KvError, type KvConfigInput, type KvErrorDetail } from '@orc/kv';
import { checks, type ConfigIo, type KeySpec, type KeyValues, type ValueCheck } from '../key-spec.js';

/** A comma-separated list of URLs, or a JSON list of them (EtcdEndpoints). */
const stringOrList: ValueCheck = (v) =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))
    ? undefined
    : `must be a comma-separated string or a list of strings, got ${JSON.stringify(v)}`;

/**
 * The rows of the KV keys in orc's one key table.
 *
 * @example
 * ```ts
 * const spec = kvKeys.find((k) => k.key === 'ConsulAddress'); // { field: 'consul.address', default: '', ... }
 * ```
 */
export const kvKeys: readonly KeySpec[] = Object.freeze([
  {
    key: 'KVClusterMasterPrefix',
    owner: 'kv',
    field: 'masterPrefix',
    default: 'mysql/master',
    check: checks.string,
    doc: 'Prefix of every primary key written (`<prefix>/<alias>`, `/hostname`, `/port`, `/ipv4`, `/ipv6`).',
  },
  {
    key: 'ConsulAddress',
    owner: 'kv',
    field: 'consul.address',
    default: '',
    check: checks.string,
    doc: '`host:port` of the local Consul agent; Consul is written when set.',
  },
  {
    key: 'ConsulScheme',
    owner: 'kv',
    field: 'consul.scheme',
    default: 'http',
    check: checks.oneOf('http', 'https'),
    doc: '`http` or `https` to reach the Consul agent.',
  },
  {
    key: 'ConsulAclToken',
    owner: 'kv',
    field: 'consul.aclToken',
    default: '',
    check: checks.string,
    doc: 'Consul ACL token, sent as `X-Consul-Token`.',
    secret: true,
  },
  {
    key: 'ConsulCrossDataCenterDistribution',
    owner: 'kv',
    field: 'consul.crossDataCenterDistribution',
    default: false,
    check: checks.boolean,
    doc: 'Also write every data center the agent lists, only the keys whose value differs there.',
  },
  {
    key: 'ConsulKVStoreProvider',
    owner: 'kv',
    field: 'consul.provider',
    default: 'consul',
    check: checks.oneOf('consul', 'consul-txn', 'consul_txn'),
    doc: '`consul` or `consul-txn` (also `consul_txn`); orc writes through `/v1/txn` with either (ADR 0402).',
  },
  {
    key: 'ConsulMaxKVsPerTransaction',
    owner: 'kv',
    field: 'consul.maxKvsPerTransaction',
    default: 5,
    check: checks.nonNegativeInteger,
    doc: 'Keys per Consul transaction, clamped to 5..64; whole clusters are packed together.',
  },
  {
    key: 'ConsulCACertFile',
    owner: 'kv',
    field: 'consul.caCert',
    default: '',
    check: checks.string,
    doc: 'PEM CA bundle trusted for https Consul (read at start); empty: Node’s bundled CAs.',
    orcOnly: true,
  },
  {
    key: 'ZkAddress',
    owner: 'kv',
    field: 'zookeeper.connectString',
    default: '',
    check: checks.string,
    doc: '`srv1[:port][,srv2[:port]...]`, port 2181 when omitted; ZooKeeper is written when set.',
  },
  {
    key: 'EtcdEndpoints',
    owner: 'kv',
    field: 'etcd.endpoints',
    default: '',
    check: stringOrList,
    doc: 'etcd v3 client URLs, comma separated or a list (`http://10.0.0.1:2379`); etcd is written when set.',
    orcOnly: true,
  },
  {
    key: 'EtcdUsername',
    owner: 'kv',
    field: 'etcd.username',
    default: '',
    check: checks.string,
    doc: 'etcd user (with EtcdPassword; both or neither).',
    orcOnly: true,
  },
  {
    key: 'EtcdPassword',
    owner: 'kv',
    field: 'etcd.password',
    default: '',
    check: checks.string,
    doc: 'etcd password (with EtcdUsername).',
    secret: true,
    orcOnly: true,
  },
  {
    key: 'EtcdCACertFile',
    owner: 'kv',
    field: 'etcd.caCert',
    default: '',
    check: checks.string,
    doc: 'PEM CA bundle for `https://` etcd endpoints (read at start).',
    orcOnly: true,
  },
] satisfies KeySpec[]);

/**
 * Turns checked values of `kvKeys` (defaults filled) into `validateKvConfig`'s input. CA files
 * are read through `io`; every file that cannot be read is reported at once as an
 * INVALID_CONFIG `KvError` whose detail paths are the keys naming the files.
 *
 * @example
 * ```ts
 * const kv = validateKvConfig(buildKvConfig(values, { readFile: (p) => readFileSync(p, 'utf8') }));
 * ```
 */
export function buildKvConfig(values: KeyValues, io: ConfigIo): KvConfigInput {
  const text = (key: string): string => {
    const v = values[key];
    return typeof v === 'string' ? v.trim() : '';
  };
  const problems: KvErrorDetail[] = [];
  const read = (key: string): string | undefined => {
    const path = text(key);
    if (path === '') return undefined;
    try {
      return io.readFile(path);
    } catch (err) {
      problems.push({ path: key, message: `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}` });
      return undefined;
    }
  };
  const consulCa = text('ConsulAddress') === '' ? undefined : read('ConsulCACertFile');
  const rawEndpoints = values['EtcdEndpoints'];
  const endpoints = (
    typeof rawEndpoints === 'string' ? rawEndpoints.split(',') : Array.isArray(rawEndpoints) ? rawEndpoints : []
  )
    .map((e: unknown) => (typeof e === 'string' ? e.trim() : ''))
    .filter((e) => e !== '');
  const etcdCa = endpoints.length === 0 ? undefined : read('EtcdCACertFile');
  if (problems.length > 0)
    throw new KvError(
      'INVALID_CONFIG',
      `invalid KV config: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      {
        details: problems,
      },
    );

  const provider = text('ConsulKVStoreProvider');
  const maxKvs = values['ConsulMaxKVsPerTransaction'];
  const prefix = values['KVClusterMasterPrefix'];
  // Secrets are taken as written: a space may belong to a token or a password.
  const secret = (key: string): string => (typeof values[key] === 'string' ? (values[key] as string) : '');
  return {
    ...(typeof prefix === 'string' ? { masterPrefix: prefix } : {}),
    ...(text('ConsulAddress') === ''
      ? {}
      : {
          consul: {
            address: text('ConsulAddress'),
            ...(text('ConsulScheme') === '' ? {} : { scheme: text('ConsulScheme') }),
            ...(secret('ConsulAclToken') === '' ? {} : { aclToken: secret('ConsulAclToken') }),
            ...(consulCa === undefined ? {} : { caCert: consulCa }),
            crossDataCenterDistribution: values['ConsulCrossDataCenterDistribution'] === true,
            // orchestrator accepts both spellings of the transactional provider.
            ...(provider === '' ? {} : { provider: provider === 'consul_txn' ? 'consul-txn' : provider }),
            ...(typeof maxKvs === 'number' ? { maxKvsPerTransaction: maxKvs } : {}),
          },
        }),
    ...(text('ZkAddress') === '' ? {} : { zookeeper: { connectString: text('ZkAddress') } }),
    ...(endpoints.length === 0
      ? {}
      : {
          etcd: {
            endpoints,
            ...(text('EtcdUsername') === '' ? {} : { username: text('EtcdUsername') }),
            ...(secret('EtcdPassword') === '' ? {} : { password: secret('EtcdPassword') }),
            ...(etcdCa === undefined ? {} : { caCert: etcdCa }),
          },
        }),
  };
}
