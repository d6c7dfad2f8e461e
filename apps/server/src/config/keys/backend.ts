// Rows of orchestrator's backend keys for the one key table, and the builder of @orc/backend's
// BackendConfigInput from the checked values. Names and defaults are orchestrator's; what orc does
// differently is said in the row's doc.
import { join } from 'node:path';
import { BackendError, type BackendConfigInput } from '@orc/backend';
import { readClientCredentials } from '../client-credentials.js';
import { checks, type ConfigIo, type KeySpec, type KeyValues, type ValueCheck } from '../key-spec.js';

/** orchestrator's default for `MySQLConnectTimeoutSeconds`, a key the topology rows own. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 2;

/**
 * A key orc reads but whose `true` it cannot honour: refused at load rather than ignored. Its row
 * sets no field (`field: ''`).
 */
const onlyFalse =
  (why: string): ValueCheck =>
  (v) =>
    v === false ? undefined : v === true ? `true is not supported: ${why}` : checks.boolean(v);

type BackendRow = Omit<KeySpec, 'owner'>;
const row = (r: BackendRow): KeySpec => ({ owner: 'backend', ...r });

/**
 * orchestrator's backend keys: which database orc keeps its state in, and how it connects.
 *
 * @example
 * ```ts
 * backendKeys.find((k) => k.key === 'MySQLOrchestratorMaxPoolConnections')?.default; // 128
 * ```
 */
export const backendKeys: readonly KeySpec[] = [
  row({
    key: 'BackendDB',
    field: 'dialect',
    default: 'mysql',
    check: checks.oneOf('mysql', 'sqlite', 'sqlite3'),
    doc: 'The backend database: "mysql" (MySQL or MariaDB) or "sqlite" ("sqlite3" is the same).',
  }),
  row({
    key: 'SQLite3DataFile',
    field: 'sqlite.file',
    default: '',
    check: checks.string,
    doc: 'The SQLite file (created when missing). Empty: <DataDir>/orc.sqlite3 when DataDir is set.',
  }),
  row({
    key: 'MySQLOrchestratorHost',
    field: 'mysql.host',
    default: '',
    check: checks.string,
    doc: 'Host name or address of the MySQL backend.',
  }),
  row({
    key: 'MySQLOrchestratorPort',
    field: 'mysql.port',
    default: 3306,
    check: checks.port,
    doc: 'Port of the MySQL backend.',
  }),
  row({
    key: 'MySQLOrchestratorDatabase',
    field: 'mysql.database',
    default: '',
    check: checks.string,
    doc: 'Schema orc keeps its tables in; created when missing.',
  }),
  row({
    key: 'MySQLOrchestratorUser',
    field: 'mysql.user',
    default: '',
    check: checks.string,
    doc: 'User orc connects to the MySQL backend as.',
  }),
  row({
    key: 'MySQLOrchestratorPassword',
    field: 'mysql.password',
    default: '',
    check: checks.string,
    secret: true,
    doc: "That user's password.",
  }),
  row({
    key: 'MySQLOrchestratorCredentialsConfigFile',
    field: 'mysql.user, mysql.password',
    default: '',
    check: checks.string,
    doc: 'A my.cnf-style file whose [client] section gives user= and password=; they replace the two keys above.',
  }),
  row({
    key: 'MySQLOrchestratorMaxPoolConnections',
    field: 'mysql.poolSize',
    default: 128,
    check: checks.positiveInteger,
    doc: 'Most connections open to the MySQL backend at once.',
  }),
  row({
    key: 'MySQLOrchestratorReadTimeoutSeconds',
    field: 'mysql.queryTimeoutMs',
    default: 30,
    check: checks.positiveInteger,
    doc: 'Bound on one backend statement; a statement that takes longer fails and its connection is dropped.',
  }),
  row({
    key: 'MySQLConnectionLifetimeSeconds',
    field: 'mysql.connectionLifetimeMs',
    default: 0,
    check: checks.nonNegativeInteger,
    doc: 'A pooled backend connection older than this is closed instead of reused; 0: no limit.',
  }),
  row({
    key: 'SkipOrchestratorDatabaseUpdate',
    field: '',
    default: false,
    check: onlyFalse('orc migrates the backend schema at every start, under a lock (docs/backend.md)'),
    doc: 'orchestrator: do not deploy the schema. orc always migrates at start and refuses a newer schema; only false.',
  }),
  row({
    key: 'PanicIfDifferentDatabaseDeploy',
    field: '',
    default: false,
    check: onlyFalse('orc refuses a schema newer than its own and migrates an older one (docs/backend.md)'),
    doc: 'orchestrator: exit when the schema was deployed by another version. orc refuses newer schemas itself; only false.',
  }),
];

/**
 * @orc/backend's config input from the checked values. `MySQLConnectTimeoutSeconds` (a topology
 * row: orchestrator uses one connect timeout for both) bounds backend connects too; an empty
 * `SQLite3DataFile` falls back to `<DataDir>/orc.sqlite3` when the server's `DataDir` is set.
 *
 * @throws BackendError `INVALID_CONFIG` when the credentials file cannot be read or parsed; its
 *   `details` name `MySQLOrchestratorCredentialsConfigFile`.
 * @example
 * ```ts
 * const input = buildBackendConfig(values, { readFile: (p) => readFileSync(p, 'utf8') });
 * const config = validateBackendConfig(input);
 * ```
 */
export function buildBackendConfig(values: KeyValues, io: ConfigIo): BackendConfigInput {
  const backendDb = values['BackendDB'] ?? 'mysql';
  if (backendDb === 'sqlite' || backendDb === 'sqlite3') {
    const file = typeof values['SQLite3DataFile'] === 'string' ? values['SQLite3DataFile'] : '';
    const dataDir = values['DataDir'];
    const fallback = typeof dataDir === 'string' && dataDir !== '' ? join(dataDir, 'orc.sqlite3') : '';
    return { dialect: 'sqlite', sqlite: { file: file !== '' ? file : fallback } };
  }
  let user = values['MySQLOrchestratorUser'] as string | undefined;
  let password = values['MySQLOrchestratorPassword'] as string | undefined;
  const credentialsFile = values['MySQLOrchestratorCredentialsConfigFile'];
  if (typeof credentialsFile === 'string' && credentialsFile !== '') {
    const credentials = readClientCredentials(credentialsFile, io);
    if ('problem' in credentials) {
      const path = 'MySQLOrchestratorCredentialsConfigFile';
      throw new BackendError('INVALID_CONFIG', `${path}: ${credentials.problem}`, {
        details: [{ path, message: credentials.problem }],
      });
    }
    user = credentials.user;
    password = credentials.password;
  }
  const connectTimeout = values['MySQLConnectTimeoutSeconds'];
  return {
    dialect: 'mysql',
    mysql: {
      host: values['MySQLOrchestratorHost'] as string | undefined,
      port: values['MySQLOrchestratorPort'] as number | undefined,
      user,
      password,
      database: values['MySQLOrchestratorDatabase'] as string | undefined,
      poolSize: values['MySQLOrchestratorMaxPoolConnections'] as number | undefined,
      connectTimeoutMs: seconds(typeof connectTimeout === 'number' ? connectTimeout : DEFAULT_CONNECT_TIMEOUT_SECONDS),
      queryTimeoutMs: seconds(values['MySQLOrchestratorReadTimeoutSeconds']),
      connectionLifetimeMs: seconds(values['MySQLConnectionLifetimeSeconds']),
    },
  };
}

function seconds(value: unknown): number | undefined {
  return typeof value === 'number' ? Math.round(value * 1000) : undefined;
}
