import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireExecutable } from '../core/binaries.js';
import { ConfigProblems, NAME_PATTERN } from '../core/config-check.js';
import { createServerDir, registryDirOf } from '../core/paths.js';
import { allocatePort, canConnect, LOOPBACK } from '../core/ports.js';
import { reapOrphans } from '../core/registry.js';
import { TestServer } from '../core/test-server.js';
import {
  isOptionalString,
  requireObject,
  resolveServerOptions,
  type ResolvedServerOptions,
  type ServerOptions,
} from '../core/server-options.js';
import { delay } from '../core/server-process.js';
import { TestEnvError } from '../errors.js';

const execFileAsync = promisify(execFile);

/** What a config function gets: the ports allocated for it. */
export interface HaproxyConfigContext {
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The frontend port (`ports.frontend`). */
  readonly port: number;
  /** Every allocated port by name: `frontend` plus the `portNames` asked for. */
  readonly ports: Readonly<Record<string, number>>;
  /** The proxy's directory (for files a config refers to). */
  readonly dir: string;
}

/** Options of {@link startHaproxy}. */
export interface HaproxyOptions extends ServerOptions {
  /**
   * The configuration (without `global`: testenv writes one with an admin stats socket), as text or
   * built from the allocated ports. Bind frontends to `ctx.host:ctx.port` (and `ctx.ports.<name>`).
   */
  config: string | ((ctx: HaproxyConfigContext) => string);
  /** More ports to allocate besides `frontend`, e.g. `['stats']`. */
  portNames?: readonly string[];
  /** The haproxy program. Default `/usr/sbin/haproxy` (Debian package haproxy). */
  haproxyPath?: string;
}

interface ResolvedHaproxyOptions extends ResolvedServerOptions {
  readonly config: string | ((ctx: HaproxyConfigContext) => string);
  readonly portNames: readonly string[];
  readonly haproxyPath: string;
}

/** One row of `show stat`: a frontend, backend or server and its state. */
export interface HaproxyStat {
  /** Proxy (listen/frontend/backend) name. */
  readonly proxy: string;
  /** Server name, or FRONTEND/BACKEND. */
  readonly server: string;
  /** UP, DOWN, OPEN, `UP 1/2`, MAINT, ... */
  readonly status: string;
  /** Last health check result, e.g. L7OK, L7STS, L4CON. */
  readonly checkStatus: string;
}

/** Validates {@link HaproxyOptions} and fills defaults; throws `INVALID_CONFIG` listing every problem. */
export function validateHaproxyOptions(input: HaproxyOptions): ResolvedHaproxyOptions {
  const problems = new ConfigProblems('HAProxy options');
  requireObject(input, problems);
  const common = resolveServerOptions(input, problems, { name: 'haproxy', startTimeoutMs: 15_000 });
  problems.check(
    typeof input.config === 'string' || typeof input.config === 'function',
    'config',
    'must be a string or a function of the ports',
  );
  problems.check(
    input.portNames === undefined ||
      (Array.isArray(input.portNames) &&
        input.portNames.every((n) => typeof n === 'string' && NAME_PATTERN.test(n) && n !== 'frontend')),
    'portNames',
    `must be names matching ${NAME_PATTERN} other than "frontend"`,
  );
  problems.check(isOptionalString(input.haproxyPath), 'haproxyPath', 'must be a non-empty path');
  problems.throwIfAny();
  return {
    ...common,
    config: input.config,
    portNames: [...(input.portNames ?? [])],
    haproxyPath: input.haproxyPath ?? '/usr/sbin/haproxy',
  };
}

/**
 * HAProxy in the foreground (`-db`) on 127.0.0.1 with an admin stats socket in its directory.
 * `stop()`/`kill()` then `start()` runs it again on the same ports.
 */
export class HaproxyServer extends TestServer {
  /** The admin stats socket (unix). */
  readonly statsSocket: string;
  /** The configuration file written from `config`. */
  readonly configFile: string;
  /** HAProxy's output. */
  readonly logFile: string;
  readonly #o: ResolvedHaproxyOptions;
  #ports: Record<string, number>;

  /** @internal use {@link startHaproxy}. */
  constructor(options: ResolvedHaproxyOptions, dir: string, ports: Record<string, number>) {
    super(options.name, dir);
    this.#o = options;
    this.statsSocket = join(dir, 'admin.sock');
    this.configFile = join(dir, 'haproxy.cfg');
    this.logFile = join(dir, 'haproxy.log');
    this.#ports = ports;
    this.manage(
      {
        kind: 'haproxy',
        name: options.name,
        dir,
        registryDir: registryDirOf(options.baseDir),
        logFile: this.logFile,
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
        portTakenPattern: /cannot bind socket|Address already in use/i,
        logger: options.logger,
      },
      {
        spawnSpec: () => ({
          command: options.haproxyPath,
          args: ['-db', '-f', this.configFile],
          cwd: dir,
          logFile: this.logFile,
        }),
        waitReady: (signal) => this.#waitReady(signal),
        ports: () => ({ ...this.#ports }),
        reallocatePorts: async () => {
          this.#ports = await allocatePorts(options.portNames);
          await this.writeConfig();
        },
      },
    );
  }

  /** The frontend port. */
  get port(): number {
    return this.#ports.frontend ?? 0;
  }

  /** The port allocated as `stats` (ask with `portNames: ['stats']` and bind `stats enable` there), else null. */
  get statsPort(): number | null {
    return this.#ports.stats ?? null;
  }

  /** Every allocated port by name. */
  get ports(): Readonly<Record<string, number>> {
    return { ...this.#ports };
  }

  /** Sends one command to the admin stats socket (e.g. `show stat`, `disable server b/s`) and returns the answer. */
  command(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.statsSocket);
      const chunks: Buffer[] = [];
      socket.setTimeout(2000, () => {
        socket.destroy();
        reject(new Error(`no answer on ${this.statsSocket} within 2000 ms`));
      });
      socket.once('error', reject);
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.once('connect', () => socket.write(`${command}\n`));
    });
  }

  /** Every frontend, backend and server with its status, from `show stat`. */
  async stats(): Promise<HaproxyStat[]> {
    const text = await this.command('show stat');
    const [header, ...rows] = text.trim().split('\n');
    const columns = (header ?? '').replace(/^# /, '').split(',');
    const at = (name: string): number => columns.indexOf(name);
    return rows
      .filter((r) => r.trim() !== '')
      .map((row) => {
        const cells = row.split(',');
        return {
          proxy: cells[at('pxname')] ?? '',
          server: cells[at('svname')] ?? '',
          status: cells[at('status')] ?? '',
          checkStatus: cells[at('check_status')] ?? '',
        };
      });
  }

  /** Writes the configuration file from `config` and the current ports; checks it with `haproxy -c`. */
  async writeConfig(): Promise<void> {
    const ctx: HaproxyConfigContext = { host: LOOPBACK, port: this.port, ports: this.ports, dir: this.dir };
    const body = typeof this.#o.config === 'function' ? this.#o.config(ctx) : this.#o.config;
    const global = ['global', `    stats socket ${this.statsSocket} mode 600 level admin`, '    maxconn 1000', ''].join(
      '\n',
    );
    writeFileSync(this.configFile, `${global}\n${body}\n`);
    try {
      await execFileAsync(this.#o.haproxyPath, ['-c', '-f', this.configFile]);
    } catch (cause) {
      const output =
        `${(cause as { stdout?: string }).stdout ?? ''}${(cause as { stderr?: string }).stderr ?? ''}`.trim();
      throw new TestEnvError('INVALID_CONFIG', `HAProxy rejects the configuration ${this.configFile}:\n${output}`, {
        cause,
        context: { configFile: this.configFile },
      });
    }
  }

  async #waitReady(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if ((await this.command('show info')).includes('Name: HAProxy') && (await canConnect(this.port, LOOPBACK, 500)))
          return;
      } catch {
        // socket not there yet
      }
      await delay(50);
    }
  }
}

async function allocatePorts(names: readonly string[]): Promise<Record<string, number>> {
  const ports: Record<string, number> = { frontend: await allocatePort() };
  for (const name of names) ports[name] = await allocatePort();
  return ports;
}

/**
 * Starts HAProxy with the given configuration on ports allocated for it, and waits until it serves.
 * A configuration HAProxy rejects fails with `INVALID_CONFIG` and HAProxy's own message.
 *
 * @example
 * ```ts
 * const hap = await startHaproxy({
 *   config: ({ host, port }) => `defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\nlisten l\n  bind ${host}:${port}\n  server s1 127.0.0.1:3306\n`,
 * });
 * await hap.destroy();
 * ```
 */
export async function startHaproxy(options: HaproxyOptions): Promise<HaproxyServer> {
  const o = validateHaproxyOptions(options);
  requireExecutable(o.haproxyPath, 'haproxy', 'haproxy');
  await reapOrphans(registryDirOf(o.baseDir));
  const dir = createServerDir(o.baseDir, 'haproxy', o.name);
  const server = new HaproxyServer(o, dir, await allocatePorts(o.portNames));
  try {
    await server.writeConfig();
    await server.start();
  } catch (err) {
    await server.destroy();
    throw err;
  }
  return server;
}
