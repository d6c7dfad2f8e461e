// orchestrator-client's command line: its getopts letters, its long names (accepted with one or
// two dashes), and the environment variables it reads. Pure: the caller hands in argv and env.
import { ClientError } from './errors.js';
import { closest } from './closest.js';

/** Everything a command may read, after flags and environment are merged. */
export interface ClientOptions {
  readonly command: string;
  readonly instance: string;
  readonly destination: string;
  readonly alias: string;
  readonly owner: string;
  readonly reason: string;
  readonly duration: string;
  readonly promotionRule: string;
  readonly tag: string;
  readonly pool: string;
  readonly hostname: string;
  readonly defaultPort: string;
  /** One URL or a space-separated list (ORCHESTRATOR_API, or -U). */
  readonly api: string;
  readonly path: string;
  readonly query: string;
  /** `user:password`; `:` means none. */
  readonly auth: string;
  /** `Header-Name: value`; empty means none. Takes precedence over `auth`, as in the original. */
  readonly headersAuth: string;
  readonly binlog: string;
  readonly seconds: string;
  readonly json: boolean;
  readonly help: boolean;
}

type ValueField = Exclude<keyof ClientOptions, 'json' | 'help'>;

interface FlagSpec {
  readonly letter: string;
  readonly names: readonly string[];
  readonly field: ValueField;
  readonly value: string;
}

/** The value flags: letter, long names (the first is orchestrator-client's), field, value name. */
export const VALUE_FLAGS: readonly FlagSpec[] = [
  { letter: 'c', names: ['command'], field: 'command', value: 'command' },
  { letter: 'i', names: ['instance'], field: 'instance', value: 'host[:port]' },
  { letter: 'd', names: ['destination'], field: 'destination', value: 'host[:port]' },
  { letter: 's', names: [], field: 'destination', value: 'host[:port]' },
  { letter: 'a', names: ['alias'], field: 'alias', value: 'alias' },
  { letter: 'D', names: ['default-port'], field: 'defaultPort', value: 'port' },
  { letter: 'U', names: ['api'], field: 'api', value: 'url' },
  { letter: 'o', names: ['owner'], field: 'owner', value: 'owner' },
  { letter: 'r', names: ['reason'], field: 'reason', value: 'reason' },
  { letter: 'u', names: ['duration'], field: 'duration', value: 'duration' },
  { letter: 'R', names: ['promotion-rule'], field: 'promotionRule', value: 'rule' },
  { letter: 't', names: ['tag'], field: 'tag', value: 'tag' },
  { letter: 'l', names: ['pool'], field: 'pool', value: 'pool' },
  { letter: 'H', names: ['hostname'], field: 'hostname', value: 'hostname' },
  { letter: 'P', names: ['path'], field: 'path', value: 'api path' },
  { letter: 'q', names: ['query'], field: 'query', value: 'query' },
  { letter: 'b', names: ['auth'], field: 'auth', value: 'user:password' },
  { letter: 'e', names: ['headers-auth'], field: 'headersAuth', value: 'header:user' },
  { letter: 'n', names: ['binlog'], field: 'binlog', value: 'binlog' },
  { letter: 'S', names: ['seconds'], field: 'seconds', value: 'seconds' },
];

const BOOLEAN_FLAGS: Readonly<Record<string, 'json' | 'help'>> = { json: 'json', help: 'help' };

const byLetter = new Map(VALUE_FLAGS.map((f) => [f.letter, f]));
const byName = new Map(VALUE_FLAGS.flatMap((f) => f.names.map((n) => [n, f] as const)));
const allNames = [...byName.keys(), ...Object.keys(BOOLEAN_FLAGS)];

/** What the environment supplies: ORCHESTRATOR_API, _INSTANCE, _AUTH_USER, _AUTH_PASSWORD, _AUTH_USER_HEADER. */
export type ClientEnv = Readonly<Record<string, string | undefined>>;

function badFlag(message: string, flag: string): ClientError {
  return new ClientError('BAD_FLAG', message, { details: [{ path: flag, message }] });
}

/**
 * Parses orchestrator-client's arguments. Throws a `BAD_FLAG` ClientError (exit 2) for an
 * unknown option, a missing value or a stray argument.
 *
 * @example
 * parseFlags(['-c', 'which-master', '-i', 'db1'], {}, 'ops').instance // 'db1'
 */
export function parseFlags(argv: readonly string[], env: ClientEnv, user: string): ClientOptions {
  const values: Record<ValueField, string> = {
    command: '',
    instance: env['ORCHESTRATOR_INSTANCE'] ?? '',
    destination: '',
    alias: '',
    owner: user,
    reason: '',
    duration: '10m',
    promotionRule: '',
    tag: '',
    pool: '',
    hostname: '',
    defaultPort: '3306',
    api: env['ORCHESTRATOR_API'] || 'http://localhost:3000',
    path: '',
    query: '',
    auth: `${env['ORCHESTRATOR_AUTH_USER'] ?? ''}:${env['ORCHESTRATOR_AUTH_PASSWORD'] ?? ''}`,
    headersAuth: env['ORCHESTRATOR_AUTH_USER_HEADER'] ?? '',
    binlog: '',
    seconds: '',
  };
  const flags = { json: false, help: false };
  const set = (spec: FlagSpec, value: string): void => {
    // As the original: an empty -U keeps the environment's API.
    if (spec.field === 'api' && value === '') return;
    values[spec.field] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const takeNext = (flag: string, spec: FlagSpec): string => {
      const next = argv[i + 1];
      if (next === undefined) throw badFlag(`option ${flag} needs a value (${spec.value})`, flag);
      i++;
      return next;
    };
    const long = /^--?([a-z][a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (long !== null && (byName.has(long[1] ?? '') || (long[1] ?? '') in BOOLEAN_FLAGS)) {
      const name = long[1] ?? '';
      const boolean = BOOLEAN_FLAGS[name];
      if (boolean !== undefined) {
        if (long[2] !== undefined) throw badFlag(`option --${name} takes no value`, arg);
        flags[boolean] = true;
        continue;
      }
      const spec = byName.get(name) as FlagSpec;
      set(spec, long[2] ?? takeNext(arg, spec));
      continue;
    }
    if (arg === '-h') {
      flags.help = true;
      continue;
    }
    const short = /^-([A-Za-z])(.*)$/s.exec(arg);
    if (short !== null && byLetter.has(short[1] ?? '')) {
      const spec = byLetter.get(short[1] ?? '') as FlagSpec;
      const attached = short[2] ?? '';
      set(spec, attached !== '' ? attached.replace(/^=/, '') : takeNext(`-${spec.letter}`, spec));
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const name = arg.replace(/^--?/, '').split('=')[0] ?? '';
      const near = closest(name, allNames);
      throw badFlag(`unknown option ${arg}${near === undefined ? '' : ` (did you mean --${near}?)`}`, arg);
    }
    throw badFlag(`unexpected argument ${JSON.stringify(arg)}: values follow their flag, as in -i host:port`, arg);
  }
  return { ...values, ...flags };
}

/**
 * orchestrator-client's `to_hostport`: `host:port` becomes `host/port`, a bare host gets the
 * default port, empty stays empty.
 *
 * @example
 * toHostPort('db1', '3306') // 'db1/3306'
 */
export function toHostPort(instance: string, defaultPort: string): string {
  if (instance === '') return '';
  return instance.includes(':') ? instance.replaceAll(':', '/') : `${instance}/${defaultPort}`;
}
