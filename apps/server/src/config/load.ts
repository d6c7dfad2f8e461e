// Where the config comes from: `--config FILE`, else orchestrator's search paths, else nothing
// (a working default). Then `ORC_<Key>` environment variables override single keys: the key is
// spelt exactly as in the file (ORC_InstancePollSeconds=1, ORC_DiscoverySeeds='["db1:3306"]'),
// so one name serves the file, the docs and the environment. UPPER_SNAKE variables such as
// ORC_SKIP_SERVICES are not config and are left alone.
import type { KeyProblem, KeySpec, KeyValues } from './key-spec.js';
import { keyByName, orchestratorKeys } from './orchestrator-keys.js';
import { checkValue, unknownKeyWarning } from './problems.js';

/** orchestrator's search order when no `--config` is given. */
export const CONFIG_SEARCH_PATHS: readonly string[] = [
  '/etc/orchestrator.conf.json',
  'conf/orchestrator.conf.json',
  'orchestrator.conf.json',
];

/** The bind address used when no config file exists at all. */
export const NO_FILE_LISTEN_ADDRESS = '127.0.0.1:3000';

/**
 * Defaults that differ from orchestrator's when no config file exists at all: loopback HTTP and
 * the embedded SQLite backend, so that `orc` alone runs (orchestrator's BackendDB default,
 * "mysql", needs a server to be named).
 */
export const NO_FILE_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  ListenAddress: NO_FILE_LISTEN_ADDRESS,
  BackendDB: 'sqlite',
});

/** The file system as config loading sees it (tests pass a map). */
export interface ConfigFiles {
  exists(path: string): boolean;
  readFile(path: string): string;
}

/** What {@link loadConfig} reads. */
export interface LoadConfigInput {
  /** `--config FILE`; must exist when given. */
  readonly configPath?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly files: ConfigFiles;
  /** Default: the composed table. */
  readonly rows?: readonly KeySpec[];
}

/** Checked values (every key, defaults filled), or the problems that stop the start. */
export interface LoadedConfig {
  readonly values: KeyValues;
  /** The file read, or undefined when none was found. */
  readonly file: string | undefined;
  readonly warnings: readonly string[];
  readonly problems: readonly KeyProblem[];
}

const ENV_KEY = /^ORC_([A-Z][A-Za-z0-9]*)$/;

/**
 * Reads, overlays and checks the configuration; never throws for a user mistake: every problem
 * comes back in `problems` with its key.
 *
 * @example
 * const loaded = loadConfig({ configPath: 'orc.conf.json', env: process.env, files: nodeFiles });
 * if (loaded.problems.length > 0) { console.error(formatProblems(loaded.problems)); process.exit(2); }
 */
export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const rows = input.rows ?? orchestratorKeys;
  const byName = input.rows === undefined ? keyByName : new Map(rows.map((r) => [r.key, r]));
  const known = [...byName.keys()];
  const problems: KeyProblem[] = [];
  const warnings: string[] = [];
  const values: Record<string, unknown> = Object.fromEntries(rows.map((r) => [r.key, r.default]));

  const file = findFile(input, problems);
  if (file === undefined && input.configPath === undefined) {
    for (const [key, value] of Object.entries(NO_FILE_DEFAULTS)) if (byName.has(key)) values[key] = value;
  }
  if (file !== undefined) {
    const parsed = parseFile(file, input.files, problems);
    for (const [key, value] of Object.entries(parsed)) {
      const spec = byName.get(key);
      if (spec === undefined) {
        warnings.push(unknownKeyWarning(key, known, file));
        continue;
      }
      const problem = checkValue(spec, value);
      if (problem !== undefined) problems.push(problem);
      else values[key] = value;
    }
  }

  for (const [name, raw] of Object.entries(input.env)) {
    const m = ENV_KEY.exec(name);
    if (m === null || raw === undefined || !/[a-z]/.test(m[1] ?? '')) continue;
    const key = m[1] ?? '';
    const spec = byName.get(key);
    if (spec === undefined) {
      warnings.push(unknownKeyWarning(key, known, `environment variable ${name}`));
      continue;
    }
    const value = envValue(spec, raw);
    const problem = checkValue(spec, value, `environment variable ${name}`);
    if (problem !== undefined) problems.push(problem);
    else values[key] = value;
  }
  return { values: Object.freeze(values), file, warnings, problems };
}

function findFile(input: LoadConfigInput, problems: KeyProblem[]): string | undefined {
  if (input.configPath !== undefined) {
    if (input.files.exists(input.configPath)) return input.configPath;
    problems.push({ path: '--config', message: `no such file: ${input.configPath}` });
    return undefined;
  }
  return CONFIG_SEARCH_PATHS.find((p) => input.files.exists(p));
}

function parseFile(file: string, files: ConfigFiles, problems: KeyProblem[]): Record<string, unknown> {
  let text: string;
  try {
    text = files.readFile(file);
  } catch (err) {
    problems.push({ path: file, message: `cannot be read: ${(err as Error).message}` });
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    problems.push({ path: file, message: `is not valid JSON: ${(err as Error).message}` });
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push({ path: file, message: 'must hold one JSON object of keys' });
    return {};
  }
  return parsed as Record<string, unknown>;
}

// An environment value is text; a key that wants a number, boolean or list gets the JSON reading
// of it, a string key keeps the text as written (so ORC_MySQLTopologyPassword=123 stays "123").
function envValue(spec: KeySpec, raw: string): unknown {
  if (spec.check(raw) === undefined) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
