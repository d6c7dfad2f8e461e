// Rows of the daemon's own keys: where it listens, where it keeps its data, how it logs, how long
// it waits for a backend. ListenAddress keeps orchestrator's default (":3000", every interface)
// when a config file is given; with no file at all orc binds 127.0.0.1:3000 (see load.ts), so a
// first run on a laptop does not open an unauthenticated API to the network.
import { checks, type KeySpec, type KeyValues, type ValueCheck } from '../key-spec.js';

const listenAddress: ValueCheck = (v) => {
  if (typeof v !== 'string') return `must be "host:port" or ":port", got ${JSON.stringify(v)}`;
  const m = /^(.*):(\d+)$/.exec(v);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || !Number.isInteger(port) || port < 1 || port > 65535)
    return `must be "host:port" or ":port" with a port 1-65535, got ${JSON.stringify(v)}`;
  return undefined;
};

const advertise: ValueCheck = (v) =>
  v === '' || (typeof v === 'string' && /^https?:\/\/[^/\s]+$/.test(v))
    ? undefined
    : `must be "scheme://host:port" without a path, got ${JSON.stringify(v)}`;

/** The daemon's own keys (owner `server`). */
export const serverKeys: readonly KeySpec[] = [
  {
    key: 'ListenAddress',
    owner: 'server',
    field: 'listen',
    default: ':3000',
    check: listenAddress,
    doc: 'HTTP address, "host:port" or ":port" (every interface). With no config file at all orc binds 127.0.0.1:3000.',
  },
  {
    key: 'HTTPAdvertise',
    owner: 'server',
    field: 'advertise',
    default: '',
    check: advertise,
    doc: 'The URL other nodes and clients reach this node at ("http://orc1:3000"); default: derived from ListenAddress.',
  },
  {
    key: 'UseSSL',
    owner: 'server',
    field: 'tls.enabled',
    default: false,
    check: checks.boolean,
    doc: 'Serve HTTPS: not supported yet, true is refused at start (terminate TLS in a proxy).',
  },
  {
    key: 'SSLCertFile',
    owner: 'server',
    field: 'tls.certFile',
    default: '',
    check: checks.string,
    doc: 'PEM certificate chain for UseSSL (reserved).',
  },
  {
    key: 'SSLPrivateKeyFile',
    owner: 'server',
    field: 'tls.keyFile',
    default: '',
    check: checks.string,
    doc: 'PEM private key for UseSSL (reserved).',
  },
  {
    key: 'DataDir',
    owner: 'server',
    field: 'dataDir',
    default: 'orc-data',
    check: checks.string,
    orcOnly: true,
    doc: "Directory for orc's own files; the default SQLite backend is <DataDir>/orc.sqlite3. Relative to the working directory.",
  },
  {
    key: 'Debug',
    owner: 'server',
    field: 'logLevel',
    default: false,
    check: checks.boolean,
    doc: 'Log at debug level (same as LogLevel "debug").',
  },
  {
    key: 'LogLevel',
    owner: 'server',
    field: 'logLevel',
    default: 'info',
    check: checks.oneOf('debug', 'info', 'warn', 'error'),
    orcOnly: true,
    doc: 'Lowest level written to the JSON log on standard output.',
  },
  {
    key: 'ActiveNodeExpireSeconds',
    owner: 'server',
    field: 'leaseMs',
    default: 5,
    check: checks.positiveInteger,
    orcOnly: true,
    doc: "Shared-backend mode: how long the active node's lease lasts after its last renewal (a constant in orchestrator).",
  },
  {
    key: 'BackendUnreachableSeconds',
    owner: 'server',
    field: 'backendBailOutMs',
    default: 30,
    check: checks.positiveInteger,
    orcOnly: true,
    doc: 'At start, how long orc retries an unreachable backend before it exits non-zero naming it.',
  },
];

/** The daemon's typed settings. */
export interface ServerConfig {
  readonly listenHost: string;
  readonly listenPort: number;
  readonly advertise: string;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly dataDir: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly leaseMs: number;
  readonly backendBailOutMs: number;
}

/**
 * The daemon's settings from checked values.
 *
 * @example
 * buildServerConfig({ ListenAddress: ':3000', ... }).listenHost // '0.0.0.0'
 */
export function buildServerConfig(v: KeyValues): ServerConfig {
  const listen = v['ListenAddress'] as string;
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(listen.slice(i + 1));
  const level = v['Debug'] === true ? 'debug' : (v['LogLevel'] as ServerConfig['logLevel']);
  return {
    listenHost: host === '' ? '0.0.0.0' : host,
    listenPort: port,
    advertise: (v['HTTPAdvertise'] as string) || `http://${host === '' ? 'localhost' : host}:${port}`,
    tls:
      v['UseSSL'] === true
        ? { certFile: v['SSLCertFile'] as string, keyFile: v['SSLPrivateKeyFile'] as string }
        : undefined,
    dataDir: v['DataDir'] as string,
    logLevel: level,
    leaseMs: (v['ActiveNodeExpireSeconds'] as number) * 1000,
    backendBailOutMs: (v['BackendUnreachableSeconds'] as number) * 1000,
  };
}
