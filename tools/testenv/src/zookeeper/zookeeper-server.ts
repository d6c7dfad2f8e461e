import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireExecutable, requireReadable } from '../core/binaries.js';
import { ConfigProblems } from '../core/config-check.js';
import { createServerDir, registryDirOf } from '../core/paths.js';
import { allocatePort, LOOPBACK, tcpExchange } from '../core/ports.js';
import { reapOrphans } from '../core/registry.js';
import { startOrDestroy, TestServer } from '../core/test-server.js';
import {
  isOptionalPort,
  isOptionalPositiveInt,
  isOptionalString,
  requireObject,
  resolveServerOptions,
  type ResolvedServerOptions,
  type ServerOptions,
} from '../core/server-options.js';
import { delay } from '../core/server-process.js';

/** Options of {@link startZooKeeper}. */
export interface ZooKeeperOptions extends ServerOptions {
  /** A fixed client port instead of a free one. */
  port?: number;
  /** ZooKeeper's tickTime (session timeouts are 2 to 20 ticks). Default 2000 ms. */
  tickTimeMs?: number;
  /** The Java runtime. Default `/usr/bin/java` (Debian package default-jre-headless, a dependency of zookeeper). */
  javaPath?: string;
  /** ZooKeeper's jar; its manifest names the libraries it needs. Default `/usr/share/java/zookeeper.jar` (package zookeeper). */
  zookeeperJar?: string;
  /** An SLF4J binding so the server logs to its log file. Default `/usr/share/java/slf4j-simple.jar` (package libslf4j-java). */
  slf4jJar?: string;
  /** JVM heap limit. Default `128m`. */
  heap?: string;
}

interface ResolvedZooKeeperOptions extends ResolvedServerOptions {
  readonly port: number | undefined;
  readonly tickTimeMs: number;
  readonly javaPath: string;
  readonly zookeeperJar: string;
  readonly slf4jJar: string;
  readonly heap: string;
}

/** Validates {@link ZooKeeperOptions} and fills defaults; throws `INVALID_CONFIG` listing every problem. */
export function validateZooKeeperOptions(input: ZooKeeperOptions = {}): ResolvedZooKeeperOptions {
  const problems = new ConfigProblems('ZooKeeper options');
  requireObject(input, problems);
  const common = resolveServerOptions(input, problems, { name: 'zookeeper', startTimeoutMs: 60_000 });
  problems.check(isOptionalPort(input.port), 'port', 'must be an integer from 1 to 65535');
  problems.check(isOptionalPositiveInt(input.tickTimeMs), 'tickTimeMs', 'must be a positive integer');
  problems.check(isOptionalString(input.javaPath), 'javaPath', 'must be a non-empty path');
  problems.check(isOptionalString(input.zookeeperJar), 'zookeeperJar', 'must be a non-empty path');
  problems.check(isOptionalString(input.slf4jJar), 'slf4jJar', 'must be a non-empty path');
  problems.check(
    input.heap === undefined || (typeof input.heap === 'string' && /^\d+[kmg]$/i.test(input.heap)),
    'heap',
    'must look like 128m',
  );
  problems.throwIfAny();
  return {
    ...common,
    port: input.port,
    tickTimeMs: input.tickTimeMs ?? 2000,
    javaPath: input.javaPath ?? '/usr/bin/java',
    zookeeperJar: input.zookeeperJar ?? '/usr/share/java/zookeeper.jar',
    slf4jJar: input.slf4jJar ?? '/usr/share/java/slf4j-simple.jar',
    heap: input.heap ?? '128m',
  };
}

/**
 * A standalone ZooKeeper (ZooKeeperServerMain) on 127.0.0.1 with its own data directory.
 * `stop()`/`kill()` keep the data; `start()` serves it again on the same port.
 */
export class ZooKeeperServer extends TestServer {
  /** stdout/stderr of the JVM (the server's log). */
  readonly logFile: string;
  readonly #o: ResolvedZooKeeperOptions;
  #port: number;

  /** @internal use {@link startZooKeeper}. */
  constructor(options: ResolvedZooKeeperOptions, dir: string, port: number) {
    super(options.name, dir);
    this.#o = options;
    this.logFile = join(dir, 'zookeeper.log');
    this.#port = port;
    this.manage(
      {
        kind: 'zookeeper',
        name: options.name,
        dir,
        registryDir: registryDirOf(options.baseDir),
        logFile: this.logFile,
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
        portTakenPattern: /Address already in use/,
        logger: options.logger,
      },
      {
        spawnSpec: () => {
          const cfg = this.#writeConfig();
          return {
            command: options.javaPath,
            args: [
              `-Xmx${options.heap}`,
              '-XX:+UseSerialGC',
              // The JIT's first tier is enough for a test server and starts faster.
              '-XX:TieredStopAtLevel=1',
              '-Dorg.slf4j.simpleLogger.showDateTime=true',
              `-Dzookeeper.log.dir=${dir}`,
              '-cp',
              `${options.zookeeperJar}:${options.slf4jJar}`,
              'org.apache.zookeeper.server.ZooKeeperServerMain',
              cfg,
            ],
            cwd: dir,
            logFile: this.logFile,
          };
        },
        waitReady: (signal) => this.#waitReady(signal),
        ports: () => ({ client: this.#port }),
        ...(options.port === undefined
          ? {
              reallocatePorts: async () => {
                this.#port = await allocatePort();
              },
            }
          : {}),
      },
    );
  }

  /** The client port. */
  get port(): number {
    return this.#port;
  }

  /** `127.0.0.1:<port>`, what ZooKeeper clients take. */
  get connectString(): string {
    return `${this.host}:${this.#port}`;
  }

  /** Sends a four-letter word (`ruok`, `srvr`, `mntr`, ...) and returns the answer. */
  fourLetterWord(word: string): Promise<string> {
    return tcpExchange(this.#port, word);
  }

  #writeConfig(): string {
    const data = join(this.dir, 'data');
    mkdirSync(data, { recursive: true });
    const file = join(this.dir, 'zoo.cfg');
    writeFileSync(
      file,
      [
        `tickTime=${this.#o.tickTimeMs}`,
        `dataDir=${data}`,
        `clientPort=${this.#port}`,
        `clientPortAddress=${LOOPBACK}`,
        'admin.enableServer=false',
        '4lw.commands.whitelist=*',
        'maxClientCnxns=0',
        // Keep snapshots few: tests write little, and the directory is removed anyway.
        'autopurge.snapRetainCount=3',
        '',
      ].join('\n'),
    );
    return file;
  }

  async #waitReady(signal: AbortSignal): Promise<void> {
    // `ruok` answers before the server serves; `srvr` reports the mode only once it does.
    while (!signal.aborted) {
      try {
        if ((await tcpExchange(this.#port, 'srvr', LOOPBACK, 1000)).includes('Mode: standalone')) return;
      } catch {
        // not listening yet
      }
      await delay(50);
    }
  }
}

/**
 * Starts a standalone ZooKeeper on 127.0.0.1 and waits until it serves requests.
 *
 * @example
 * ```ts
 * const zk = await startZooKeeper();
 * try {
 *   console.log(zk.connectString); // 127.0.0.1:PORT
 * } finally {
 *   await zk.destroy();
 * }
 * ```
 */
export async function startZooKeeper(options: ZooKeeperOptions = {}): Promise<ZooKeeperServer> {
  const o = validateZooKeeperOptions(options);
  requireExecutable(o.javaPath, 'default-jre-headless', 'java (needed by ZooKeeper)');
  requireReadable(o.zookeeperJar, 'zookeeper', 'ZooKeeper');
  requireReadable(o.slf4jJar, 'libslf4j-java', 'the SLF4J simple binding');
  await reapOrphans(registryDirOf(o.baseDir));
  const dir = createServerDir(o.baseDir, 'zookeeper', o.name);
  return startOrDestroy(new ZooKeeperServer(o, dir, o.port ?? (await allocatePort())));
}
