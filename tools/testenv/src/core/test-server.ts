import { TestEnvError } from '../errors.js';
import { LOOPBACK } from './ports.js';
import { ServerLifecycle, type LifecycleHooks, type LifecycleSettings } from './server-lifecycle.js';

/**
 * What every test server object offers: its name, host and directory, and the lifecycle calls
 * (`start`, `stop`, `kill`, `destroy`, `isRunning`, `pid`), all served by one
 * {@link ServerLifecycle}. A server kind extends it and adds its ports and clients.
 *
 * @example
 * ```ts
 * const zk = await startZooKeeper(); // a TestServer
 * await zk.kill(); // like a crash: the data stays
 * await zk.start(); // same port, same data
 * await zk.destroy();
 * ```
 */
export abstract class TestServer {
  /** Name given at creation. */
  readonly name: string;
  /** The address it serves on: `127.0.0.1` unless the server runs in a network namespace. */
  readonly host: string;
  /** The server's own directory (removed by `destroy()`). */
  readonly dir: string;
  #life: ServerLifecycle | undefined;

  protected constructor(name: string, dir: string, host: string = LOOPBACK) {
    this.name = name;
    this.dir = dir;
    this.host = host;
  }

  /**
   * Creates the lifecycle, which records the server in the registry at once and so asks for its
   * ports: the subclass calls this last in its constructor, once its own fields are set.
   */
  protected manage(settings: LifecycleSettings, hooks: LifecycleHooks): void {
    this.#life = new ServerLifecycle(settings, hooks);
  }

  get #managed(): ServerLifecycle {
    if (this.#life === undefined) {
      throw new TestEnvError(
        'INVALID_STATE',
        `server ${this.name} has no lifecycle: its constructor did not call manage()`,
      );
    }
    return this.#life;
  }

  /** The server's pid while running, else null. */
  get pid(): number | null {
    return this.#managed.pid;
  }

  /** Whether the server runs and passed its readiness check. */
  isRunning(): boolean {
    return this.#managed.isRunning();
  }

  /** Starts (or restarts on the same ports with its data) and waits until it serves. */
  async start(): Promise<void> {
    await this.#managed.start();
  }

  /** Clean shutdown (SIGTERM); keeps the data. */
  async stop(): Promise<void> {
    await this.#managed.stop();
  }

  /** SIGKILL, like a crash; keeps the data. */
  async kill(): Promise<void> {
    await this.#managed.kill();
  }

  /** Kills the server if running and removes its directory. Idempotent. */
  async destroy(): Promise<void> {
    await this.#managed.destroy();
  }
}

/**
 * Starts a new server and resolves with it; a server that fails to start is destroyed (its
 * process, directory and registry entry gone) before the error goes on to the caller.
 *
 * @example
 * ```ts
 * return startOrDestroy(new EtcdServer(options, dir, clientPort, peerPort));
 * ```
 */
export async function startOrDestroy<S extends TestServer>(server: S): Promise<S> {
  try {
    await server.start();
  } catch (err) {
    await server.destroy();
    throw err;
  }
  return server;
}
