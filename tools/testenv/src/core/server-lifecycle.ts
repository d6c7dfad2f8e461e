import { rmdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { TestEnvError } from '../errors.js';
import type { Logger } from '../logger.js';
import { trackForExit } from './exit-hooks.js';
import { removeDirQuietly, shortId } from './paths.js';
import { isPortFree, LOOPBACK } from './ports.js';
import { currentOwner, removeEntry, writeEntry, type RegistryEntry, type ServerKind } from './registry.js';
import { ServerProcess, tailOfFile, type ProcessSpec } from './server-process.js';

/** What a server kind plugs into the shared lifecycle. */
export interface LifecycleHooks {
  /** The command to run, built from the current ports. */
  spawnSpec(): ProcessSpec;
  /** Resolves when the server serves; polls until `signal` aborts (the lifecycle owns the deadline). */
  waitReady(signal: AbortSignal): Promise<void>;
  /** The ports the server binds, by role. */
  ports(): Readonly<Record<string, number>>;
  /** Picks new ports after a bind failure on the first start. */
  reallocatePorts?(): Promise<void>;
  /** Releases clients (connection pools) before the process goes away. */
  beforeStop?(): Promise<void>;
}

/** Fixed settings of one server's lifecycle. */
export interface LifecycleSettings {
  readonly kind: ServerKind;
  readonly name: string;
  readonly dir: string;
  readonly registryDir: string;
  /** The file whose tail explains a failed start. */
  readonly logFile: string;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** Matches the log text a server writes when its port is taken. */
  readonly portTakenPattern: RegExp;
  readonly logger: Logger;
}

type State = 'stopped' | 'starting' | 'running' | 'stopping' | 'destroyed';

const PORT_ATTEMPTS = 5;

/**
 * Start, stop, kill and destroy of one server process, shared by every kind: registry entry,
 * exit hook, port check, readiness with a deadline, and failure messages with the log's tail.
 */
export class ServerLifecycle {
  readonly #s: LifecycleSettings;
  readonly #hooks: LifecycleHooks;
  readonly #id: string;
  readonly #createdAt = new Date().toISOString();
  readonly #untrack: () => void;
  #proc: ServerProcess | null = null;
  #state: State = 'stopped';
  #hasStarted = false;

  constructor(settings: LifecycleSettings, hooks: LifecycleHooks) {
    this.#s = settings;
    this.#hooks = hooks;
    this.#id = `${settings.kind}-${settings.name}-${process.pid}-${shortId()}`;
    this.#record();
    this.#untrack = trackForExit({ reapNowSync: () => this.#reapNowSync() });
  }

  /** The running process's pid, else null. */
  get pid(): number | null {
    const proc = this.#proc;
    return this.#state === 'running' && proc !== null && !proc.hasExited ? proc.pid : null;
  }

  /** Whether the process is up and passed its readiness check (and has not exited since). */
  isRunning(): boolean {
    return this.#state === 'running' && this.#proc !== null && !this.#proc.hasExited;
  }

  /** Starts the process and waits until it is ready. The first start may move to new ports on a bind failure. */
  async start(): Promise<void> {
    if (this.#state === 'destroyed') throw this.#stateError('start', 'it was destroyed');
    if (this.#state === 'running' && this.#proc !== null && !this.#proc.hasExited) {
      throw this.#stateError('start', `it is already running (pid ${this.#proc.pid})`);
    }
    if (this.#state === 'starting' || this.#state === 'stopping')
      throw this.#stateError('start', `it is ${this.#state}`);
    this.#state = 'starting';
    const attempts = !this.#hasStarted && this.#hooks.reallocatePorts !== undefined ? PORT_ATTEMPTS : 1;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.#startOnce();
          if (this.#isDestroyed()) {
            await this.#proc?.killHard();
            throw this.#stateError('start', 'it was destroyed while starting');
          }
          this.#hasStarted = true;
          this.#state = 'running';
          return;
        } catch (err) {
          if (!(err instanceof TestEnvError && err.code === 'PORT_TAKEN') || attempt >= attempts) throw err;
          this.#s.logger.info('port taken, retrying on new ports', { kind: this.#s.kind, name: this.#s.name, attempt });
          await this.#hooks.reallocatePorts?.();
        }
      }
    } catch (err) {
      if (!this.#isDestroyed()) this.#state = 'stopped';
      throw err;
    }
  }

  /** Clean shutdown (SIGTERM, SIGKILL after the stop timeout). Keeps the directory: `start()` brings it back. */
  async stop(): Promise<void> {
    await this.#end('stop');
  }

  /** SIGKILL, like a crash. Keeps the directory: `start()` brings it back. */
  async kill(): Promise<void> {
    await this.#end('kill');
  }

  /** Kills the process if it runs, removes the directory and the registry entry. Idempotent. */
  async destroy(): Promise<void> {
    if (this.#state === 'destroyed') return;
    if (this.#state === 'starting' || this.#state === 'stopping') {
      // Another call is in flight: end the process under it; that call then fails or returns.
      const proc = this.#proc;
      this.#state = 'destroyed';
      await proc?.killHard();
    } else {
      await this.#end('kill');
      this.#state = 'destroyed';
    }
    this.#untrack();
    if (removeDirQuietly(this.#s.dir)) {
      removeEntry(this.#s.registryDir, this.#id);
      removeIfEmpty(dirname(this.#s.dir));
    } else this.#s.logger.warn('could not remove server directory; the registry reaps it later', { dir: this.#s.dir });
  }

  async #end(how: 'stop' | 'kill'): Promise<void> {
    const proc = this.#proc;
    if (proc === null || this.#state === 'destroyed') return;
    if (this.#state === 'starting' || this.#state === 'stopping') throw this.#stateError(how, `it is ${this.#state}`);
    this.#state = 'stopping';
    try {
      await this.#hooks.beforeStop?.();
      if (how === 'stop') await proc.terminate(this.#s.stopTimeoutMs);
      else await proc.killHard();
      this.#s.logger.debug('server ended', { how, kind: this.#s.kind, name: this.#s.name, pid: proc.pid });
    } finally {
      this.#proc = null;
      if (!this.#isDestroyed()) this.#state = 'stopped';
      this.#record();
    }
  }

  async #startOnce(): Promise<void> {
    const ports = this.#hooks.ports();
    for (const [role, port] of Object.entries(ports)) {
      if (!(await isPortFree(port, LOOPBACK))) {
        throw new TestEnvError(
          'PORT_TAKEN',
          `${this.#label()}: ${role} port ${LOOPBACK}:${port} is already in use by another process`,
          {
            context: { kind: this.#s.kind, name: this.#s.name, port, role },
          },
        );
      }
    }
    // From here to the child's creation all is synchronous: a destroy() cannot slip in between.
    if (this.#isDestroyed()) throw this.#stateError('start', 'it was destroyed while starting');
    const spec = this.#hooks.spawnSpec();
    const logOffset = fileSize(this.#s.logFile);
    const startedAt = Date.now();
    const proc = await ServerProcess.spawn(spec);
    this.#proc = proc;
    if (this.#isDestroyed()) {
      // destroy() ran while the process was being spawned and could not see it.
      await proc.killHard();
      throw this.#stateError('start', 'it was destroyed while starting');
    }
    this.#record();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.#hooks.waitReady(abort.signal).then(
        () => ({ kind: 'ready' as const }),
        (error: unknown) => ({ kind: 'error' as const, error }),
      ),
      proc.exited.then(() => ({ kind: 'exited' as const })),
      new Promise<{ kind: 'timeout' }>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'timeout' }), this.#s.startTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    abort.abort();
    if (outcome.kind === 'ready' && !proc.hasExited) {
      this.#s.logger.info('server ready', {
        kind: this.#s.kind,
        name: this.#s.name,
        pid: proc.pid,
        ports,
        ms: Date.now() - startedAt,
      });
      return;
    }
    if (!proc.hasExited) await proc.killHard();
    this.#proc = null;
    if (this.#isDestroyed()) throw this.#stateError('start', 'it was destroyed while starting');
    this.#record();
    const tail = tailOfFile(this.#s.logFile, 25, logOffset);
    if (this.#s.portTakenPattern.test(tail)) {
      throw new TestEnvError(
        'PORT_TAKEN',
        `${this.#label()}: a port (${JSON.stringify(ports)}) was taken by another process:\n${tail}`,
        {
          context: { kind: this.#s.kind, name: this.#s.name, ports },
        },
      );
    }
    if (outcome.kind === 'error') {
      if (outcome.error instanceof TestEnvError) throw outcome.error;
      throw new TestEnvError(
        'START_TIMEOUT',
        `${this.#label()}: readiness check failed: ${String(outcome.error)}\n${tail}`,
        {
          cause: outcome.error,
        },
      );
    }
    const exit = proc.exitInfo;
    if (outcome.kind === 'exited' || outcome.kind === 'ready') {
      throw new TestEnvError(
        'PROCESS_EXITED',
        `${this.#label()}: ${spec.command} exited before it was ready (code ${exit?.code ?? 'none'}, signal ${exit?.signal ?? 'none'}); last lines of ${this.#s.logFile}:\n${tail}`,
        { context: { kind: this.#s.kind, name: this.#s.name, exit, logFile: this.#s.logFile } },
      );
    }
    throw new TestEnvError(
      'START_TIMEOUT',
      `${this.#label()}: not ready within ${this.#s.startTimeoutMs} ms (ports ${JSON.stringify(ports)}); last lines of ${this.#s.logFile}:\n${tail}`,
      { context: { kind: this.#s.kind, name: this.#s.name, ports, logFile: this.#s.logFile } },
    );
  }

  #record(): void {
    if (this.#state === 'destroyed') return;
    const entry: RegistryEntry = {
      id: this.#id,
      kind: this.#s.kind,
      name: this.#s.name,
      pid: this.#proc?.pid ?? null,
      dir: this.#s.dir,
      marker: this.#s.dir,
      ports: this.#hooks.ports(),
      ...currentOwner(),
      createdAt: this.#createdAt,
    };
    writeEntry(this.#s.registryDir, entry);
  }

  #reapNowSync(): void {
    this.#proc?.signal('SIGKILL');
    if (removeDirQuietly(this.#s.dir)) {
      removeEntry(this.#s.registryDir, this.#id);
      removeIfEmpty(dirname(this.#s.dir));
    }
  }

  // A method, not an inline comparison: the state changes across awaits, which narrowing ignores.
  #isDestroyed(): boolean {
    return this.#state === 'destroyed';
  }

  #label(): string {
    return `${this.#s.kind} "${this.#s.name}"`;
  }

  #stateError(what: string, why: string): TestEnvError {
    return new TestEnvError('INVALID_STATE', `cannot ${what} ${this.#label()}: ${why}`, {
      context: { kind: this.#s.kind, name: this.#s.name, state: this.#state },
    });
  }
}

/** Removes the run directory once its last server is gone (rmdir fails on a non-empty one: fine). */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another server of this run) or already gone
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
