// Rows of orchestrator's backend keys for the one key table, and the builder of @orc/backend's
// BackendConfigInput from the checked values. Names and defaults are orchestrator's; what orc does
// differently is said in the row's doc.
import { join } from 'node:path';
import { BackendError, type BackendConfigInput } from '@orc/backend';
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
    const credentials = readCredentials(credentialsFile, io);
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

/** `user` and `password` from the `[client]` section of a my.cnf-style file, as orchestrator reads it. */
function readCredentials(path: string, io: ConfigIo): { user: string; password: string } {
  const fail = (message: string): never => {
    throw new BackendError('INVALID_CONFIG', `MySQLOrchestratorCredentialsConfigFile: ${message}`, {
      details: [{ path: 'MySQLOrchestratorCredentialsConfigFile', message }],
    });
  };
  let text: string;
  try {
    text = io.readFile(path);
  } catch (err) {
    return fail(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let parsed: ReadonlyMap<string, string>;
  try {
    parsed = parseClientSection(text);
  } catch (err) {
    return fail(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const user = parsed.get('user');
  if (user === undefined || user === '') return fail(`${path} has no user= in its [client] section`);
  return { user, password: parsed.get('password') ?? '' };
}

/**
 * The variables of the `[client]` section (names lower-cased; the last assignment wins) of an
 * INI-style file in the git-config syntax orchestrator's parser (gcfg) reads: `;` and `#` start
 * comments, names are case-insensitive, values may be double-quoted with `\"`, `\\`, `\n`, `\t`
 * escapes. Other sections are skipped.
 */
function parseClientSection(text: string): ReadonlyMap<string, string> {
  const vars = new Map<string, string>();
  let section: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]\s*(?:[;#].*)?$/.exec(line);
    if (header !== null) {
      section = (header[1] ?? '').toLowerCase();
      continue;
    }
    const assignment = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (assignment === null) throw new Error(`line ${i + 1}: expected [section] or name = value`);
    if (section === undefined) throw new Error(`line ${i + 1}: a variable before any [section]`);
    if (section !== 'client') continue;
    // A name without "=" is a boolean in gcfg; for user and password it means an empty value.
    vars.set((assignment[1] ?? '').toLowerCase(), unquote(assignment[2] ?? '', i + 1));
  }
  return vars;
}

function unquote(raw: string, lineNo: number): string {
  let out = '';
  let quoted = false;
  let pendingSpace = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (!quoted && (c === ';' || c === '#')) break;
    if (c === '"') {
      out += pendingSpace;
      pendingSpace = '';
      quoted = !quoted;
      continue;
    }
    if (c === '\\') {
      const next = raw[++i];
      const escaped = next === 'n' ? '\n' : next === 't' ? '\t' : next === '"' || next === '\\' ? next : undefined;
      if (escaped === undefined) throw new Error(`line ${lineNo}: unknown escape \\${next ?? ''}`);
      out += pendingSpace + escaped;
      pendingSpace = '';
      continue;
    }
    if (!quoted && (c === ' ' || c === '\t')) {
      // Unquoted whitespace counts only between words: trailing blanks are dropped.
      if (out !== '') pendingSpace += c;
      continue;
    }
    out += pendingSpace + c;
    pendingSpace = '';
  }
  if (quoted) throw new Error(`line ${lineNo}: unterminated quote`);
  return out;
}
