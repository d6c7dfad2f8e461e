import { join } from 'node:path';
import { requireExecutable } from '../core/binaries.js';
import { ConfigProblems, NAME_PATTERN } from '../core/config-check.js';
import { createServerDir, registryDirOf } from '../core/paths.js';
import { allocatePort, LOOPBACK } from '../core/ports.js';
import { reapOrphans } from '../core/registry.js';
import { startOrDestroy, TestServer } from '../core/test-server.js';
import {
  isOptionalString,
  requireObject,
  resolveServerOptions,
  type ResolvedServerOptions,
  type ServerOptions,
} from '../core/server-options.js';
import { delay } from '../core/server-process.js';
import { IP_PATH } from '../netns/net-namespace.js';

/** Options of {@link startEtcd}. */
export interface EtcdOptions extends ServerOptions {
  /** The etcd program. Default `/usr/bin/etcd` (Debian package etcd-server). */
  etcdPath?: string;
  /** Extra etcd flags, e.g. `['--auto-compaction-retention=1']`. */
  extraArgs?: readonly string[];
  /** The address etcd listens on and advertises. Default `127.0.0.1`. */
  host?: string;
  /** A network namespace (see `createNetNamespace`) to run etcd in, through `ip netns exec`. */
  netns?: string;
}

interface ResolvedEtcdOptions extends ResolvedServerOptions {
  readonly etcdPath: string;
  readonly extraArgs: readonly string[];
  readonly host: string;
  readonly netns: string | null;
}

/** Validates {@link EtcdOptions} and fills defaults; throws `INVALID_CONFIG` listing every problem. */
export function validateEtcdOptions(input: EtcdOptions = {}): ResolvedEtcdOptions {
  const problems = new ConfigProblems('etcd options');
  requireObject(input, problems);
  const common = resolveServerOptions(input, problems, { name: 'etcd', startTimeoutMs: 30_000 });
  problems.check(isOptionalString(input.etcdPath), 'etcdPath', 'must be a non-empty path');
  problems.check(
    input.extraArgs === undefined ||
      (Array.isArray(input.extraArgs) && input.extraArgs.every((a) => typeof a === 'string' && a.startsWith('--'))),
    'extraArgs',
    'must be a list of --flags',
  );
  problems.check(
    input.host === undefined || (typeof input.host === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(input.host)),
    'host',
    'must be an IPv4 address',
  );
  problems.check(
    input.netns === undefined || (typeof input.netns === 'string' && NAME_PATTERN.test(input.netns)),
    'netns',
    `must be a namespace name matching ${NAME_PATTERN}`,
  );
  problems.throwIfAny();
  return {
    ...common,
    etcdPath: input.etcdPath ?? '/usr/bin/etcd',
    extraArgs: [...(input.extraArgs ?? [])],
    host: input.host ?? LOOPBACK,
    netns: input.netns ?? null,
  };
}

/**
 * A single-member etcd on 127.0.0.1 or `host`, maybe inside a network namespace (client and peer ports) with its own data directory.
 * `stop()`/`kill()` keep the data; `start()` serves it again on the same ports.
 */
export class EtcdServer extends TestServer {
  /** etcd's log (stderr). */
  readonly logFile: string;
  #clientPort: number;
  #peerPort: number;

  /** @internal use {@link startEtcd}. */
  constructor(options: ResolvedEtcdOptions, dir: string, clientPort: number, peerPort: number) {
    super(options.name, dir, options.host);
    this.logFile = join(dir, 'etcd.log');
    this.#clientPort = clientPort;
    this.#peerPort = peerPort;
    this.manage(
      {
        kind: 'etcd',
        name: options.name,
        dir,
        registryDir: registryDirOf(options.baseDir),
        logFile: this.logFile,
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
        portTakenPattern: /address already in use/i,
        logger: options.logger,
      },
      {
        spawnSpec: () => {
          const client = `http://${this.host}:${this.#clientPort}`;
          const peer = `http://${this.host}:${this.#peerPort}`;
          // `ip netns exec` enters the namespace and execs etcd: the pid stays etcd's own.
          const prefix = options.netns === null ? [] : ['netns', 'exec', options.netns, options.etcdPath];
          return {
            command: options.netns === null ? options.etcdPath : IP_PATH,
            args: [
              ...prefix,
              `--name=${options.name}`,
              `--data-dir=${join(dir, 'data')}`,
              `--listen-client-urls=${client}`,
              `--advertise-client-urls=${client}`,
              `--listen-peer-urls=${peer}`,
              `--initial-advertise-peer-urls=${peer}`,
              `--initial-cluster=${options.name}=${peer}`,
              '--initial-cluster-state=new',
              `--initial-cluster-token=testenv-${options.name}`,
              // One member never waits for peers: short timers make a restart serve sooner.
              '--heartbeat-interval=50',
              '--election-timeout=250',
              '--logger=zap',
              '--log-outputs=stderr',
              ...options.extraArgs,
            ],
            cwd: dir,
            logFile: this.logFile,
            // etcd reads ETCD_* variables as flags: keep a developer's environment out.
            env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_'))),
          };
        },
        waitReady: (signal) => this.#waitReady(signal),
        ports: () => ({ client: this.#clientPort, peer: this.#peerPort }),
        reallocatePorts: async () => {
          this.#clientPort = await allocatePort();
          this.#peerPort = await allocatePort();
        },
      },
    );
  }

  /** The client port (HTTP/gRPC). */
  get clientPort(): number {
    return this.#clientPort;
  }

  /** The peer (Raft) port. */
  get peerPort(): number {
    return this.#peerPort;
  }

  /** `http://127.0.0.1:<clientPort>`, what etcd clients take. */
  get endpoint(): string {
    return `http://${this.host}:${this.#clientPort}`;
  }

  async #waitReady(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const res = await fetch(`${this.endpoint}/health`, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { health?: string };
        if (res.ok && body.health === 'true') return;
      } catch {
        // not listening yet
      }
      await delay(50);
    }
  }
}

/**
 * Starts a single-member etcd on 127.0.0.1 and waits until it is healthy.
 *
 * @example
 * ```ts
 * const etcd = await startEtcd();
 * try {
 *   const res = await fetch(`${etcd.endpoint}/version`);
 * } finally {
 *   await etcd.destroy();
 * }
 * ```
 */
export async function startEtcd(options: EtcdOptions = {}): Promise<EtcdServer> {
  const o = validateEtcdOptions(options);
  requireExecutable(o.etcdPath, 'etcd-server', 'etcd');
  await reapOrphans(registryDirOf(o.baseDir));
  const dir = createServerDir(o.baseDir, 'etcd', o.name);
  return startOrDestroy(new EtcdServer(o, dir, await allocatePort(), await allocatePort()));
}
