import { loadZooKeeperClient, type ZkClient, type ZkException, type ZkModule } from './zk-client.js';
import { KvError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../clock.js';

/** The library's connection internals the stuck-handshake guard reads (not its public API). */
interface ZkConnectionInternals {
  readonly connectionManager?: {
    readonly state?: number;
    readonly socket?: { readonly connecting?: boolean; readonly destroyed?: boolean; destroy?: () => void } | null;
  };
}

/** How long a closing session may take to be acknowledged before its socket is cut. */
const CLOSE_GRACE_MS = 1000;

/** ConnectionManager.STATES in node-zookeeper-client 1.1.3: CONNECTING, CONNECTED, CONNECTED_READ_ONLY. */
const CONNECTION_MANAGER_CONNECTING = 1;
const CONNECTION_MANAGER_CONNECTED = 2;
const CONNECTION_MANAGER_CONNECTED_READ_ONLY = 3;

/** How the session connects. */
export interface ZooKeeperSessionOptions {
  /** `host:port[,host:port...][/chroot]` (orchestrator's ZkAddress; port defaults to 2181). */
  readonly connectString: string;
  readonly sessionTimeoutMs: number;
  /** Bound on waiting for a connection and on each request. */
  readonly requestTimeoutMs: number;
  readonly store: string;
  readonly logger: Logger;
  /** Request, handshake and close-grace timers (ADR 0002's port). */
  readonly clock: Clock;
}

/**
 * Owns the ZooKeeper client across the session's life. node-zookeeper-client reconnects by itself
 * after a dropped connection (same session), but an expired session is final for a client: this
 * class then drops it and the next request opens a new session. Requests are never queued on a
 * disconnected client (they would be sent late, after newer writes were decided): a request
 * waits up to `requestTimeoutMs` for a connection, then fails with UNAVAILABLE.
 */
export class ZooKeeperSession {
  readonly #options: ZooKeeperSessionOptions;
  #client: ZkClient | undefined;
  #closed = false;
  #sessions = 0;

  constructor(options: ZooKeeperSessionOptions) {
    this.#options = options;
  }

  /** How many sessions were opened (1 after the first connection; more after expiries). */
  get sessionsOpened(): number {
    return this.#sessions;
  }

  /** The current client's session id (hex), or undefined before the first connection. */
  get sessionId(): string | undefined {
    return this.#client?.getSessionId().toString('hex');
  }

  /** The current client (for tests that need its session credentials). */
  get client(): ZkClient | undefined {
    return this.#client;
  }

  /**
   * Runs one callback-style request on a connected client, bounded by the request timeout.
   * ZooKeeper's error is passed to `map` so the store can treat NO_NODE and the like as answers.
   */
  async call<T>(
    what: string,
    op: (client: ZkClient, done: (error: ZkException | null | undefined, value?: T) => void, zk: ZkModule) => void,
  ): Promise<T> {
    const zk = await this.#load();
    const client = await this.#connected(what, zk);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = this.#options.clock.setTimer(this.#options.requestTimeoutMs, () => {
        if (settled) return;
        settled = true;
        this.#cutUnresponsive(client, 'request unanswered');
        reject(
          new KvError('TIMEOUT', `zookeeper did not answer within ${this.#options.requestTimeoutMs} ms while ${what}`, {
            store: this.#options.store,
          }),
        );
      });
      op(
        client,
        (error, value) => {
          if (settled) return;
          settled = true;
          timer.cancel();
          if (error) reject(error);
          else resolve(value as T);
        },
        zk,
      );
    });
  }

  /** Closes the current session (ephemeral nodes go; persistent pairs stay). */
  close(): void {
    this.#closed = true;
    this.#drop();
  }

  /** The client library, loaded on the first request (not when @orc/kv is imported). */
  async #load(): Promise<ZkModule> {
    try {
      return await loadZooKeeperClient();
    } catch (err) {
      throw new KvError('STORE_ERROR', `cannot load node-zookeeper-client: ${errorMessage(err)}`, {
        cause: err,
        store: this.#options.store,
        retryable: false,
      });
    }
  }

  #connected(
    what: string,
    zk: ZkModule,
    deadline = this.#options.clock.now() + this.#options.requestTimeoutMs,
  ): Promise<ZkClient> {
    if (this.#closed)
      return Promise.reject(
        new KvError('CLOSED', `store ${this.#options.store} is closed`, { store: this.#options.store }),
      );
    const client = this.#client ?? this.#open(zk);
    if (client.getState() === zk.State.SYNC_CONNECTED) return Promise.resolve(client);
    return new Promise<ZkClient>((resolve, reject) => {
      const onConnected = (): void => {
        cleanup();
        resolve(client);
      };
      // An expired session's client is dropped and never connects again: wait on its successor
      // for the time that is left instead of sitting out the whole bound.
      const onExpired = (): void => {
        cleanup();
        const left = deadline - this.#options.clock.now();
        if (left <= 0 || this.#closed) reject(unavailable());
        else this.#connected(what, zk, deadline).then(resolve, reject);
      };
      const cleanup = (): void => {
        timer.cancel();
        client.removeListener('connected', onConnected);
        client.removeListener('expired', onExpired);
      };
      const unavailable = (): KvError =>
        new KvError(
          'UNAVAILABLE',
          `no connection to zookeeper ${this.#options.connectString} within ${this.#options.requestTimeoutMs} ms while ${what}`,
          { store: this.#options.store },
        );
      const timer = this.#options.clock.setTimer(Math.max(0, deadline - this.#options.clock.now()), () => {
        cleanup();
        this.#cutUnresponsive(client, 'handshake unanswered');
        reject(unavailable());
      });
      client.once('connected', onConnected);
      client.once('expired', onExpired);
    });
  }

  /**
   * node-zookeeper-client bounds neither the handshake nor a connected socket's silence: it stops
   * its connect timer once TCP connects and then waits for the server's ConnectResponse without a
   * bound, and once connected it sends pings but never checks they are answered (ZooKeeper's own
   * client drops a connection that is silent for 2/3 of the session timeout). Both were seen here
   * with ZooKeeper 3.8: a server accepting during its start-up that never answers the handshake,
   * and a connection re-attached to a session in the instant another connection closed it, left
   * open and unanswered for over 30 s. So when a wait for a connection or a request times out,
   * the socket is destroyed; the library reconnects, and the server then either resumes the
   * session or reports it expired (a new session opens). This touches the library's internals
   * (connectionManager.state/socket), guarded for shape.
   */
  #cutUnresponsive(client: ZkClient, why: string): void {
    if (this.#client !== client) return;
    const cm = (client as unknown as ZkConnectionInternals).connectionManager;
    const socket = cm?.socket;
    const state = cm?.state;
    const isTalking =
      state === CONNECTION_MANAGER_CONNECTING ||
      state === CONNECTION_MANAGER_CONNECTED ||
      state === CONNECTION_MANAGER_CONNECTED_READ_ONLY;
    if (!isTalking || socket === undefined || socket === null) return;
    if (socket.connecting === true || socket.destroyed === true || typeof socket.destroy !== 'function') return;
    this.#options.logger.warn('zookeeper connection unresponsive; reconnecting', { store: this.#options.store, why });
    socket.destroy();
  }

  #open(zk: ZkModule): ZkClient {
    const client = zk.createClient(this.#options.connectString, {
      sessionTimeout: this.#options.sessionTimeoutMs,
      spinDelay: 500,
      retries: 0,
    });
    client.setMaxListeners(0);
    client.on('state', (state: { getName(): string }) => {
      this.#options.logger.debug('zookeeper state', { store: this.#options.store, state: state.getName() });
    });
    client.on('connected', () => {
      this.#options.logger.info('zookeeper connected', {
        store: this.#options.store,
        sessionId: client.getSessionId().toString('hex'),
      });
    });
    client.on('expired', () => {
      this.#options.logger.warn('zookeeper session expired; a new session opens on the next request', {
        store: this.#options.store,
      });
      if (this.#client === client) this.#drop();
    });
    client.on('error', (err: unknown) => {
      this.#options.logger.warn('zookeeper client error', { store: this.#options.store, error: errorMessage(err) });
    });
    this.#client = client;
    this.#sessions += 1;
    client.connect();
    return client;
  }

  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    try {
      client.close();
    } catch (err) {
      this.#options.logger.debug('zookeeper close failed', { store: this.#options.store, error: errorMessage(err) });
    }
    // close() sends CLOSE_SESSION and lets the server hang up. A server that never answers (see
    // #cutUnresponsive) would keep the socket, and the process, alive: cut it after a grace.
    this.#options.clock.setTimer(CLOSE_GRACE_MS, () => {
      const socket = (client as unknown as ZkConnectionInternals).connectionManager?.socket;
      if (socket !== undefined && socket !== null && socket.destroyed !== true && typeof socket.destroy === 'function')
        socket.destroy();
    });
  }
}
