// The slice of node-zookeeper-client 1.1.3 (plain JavaScript, no bundled types) that the
// ZooKeeper store uses, typed here (callback signatures follow its README and lib/ sources). It is
// loaded by a dynamic import() the first time a ZooKeeper store needs it, so that importing
// @orc/kv does not load it for a user who has no ZooKeeper store.
import type { EventEmitter } from 'node:events';

/** A client state (DISCONNECTED, SYNC_CONNECTED, EXPIRED...). */
/** A znode's stat (the fields used). */
export interface ZkState {
  getName(): string;
  getCode(): number;
}

export interface ZkStat {
  readonly version: number;
  readonly dataLength: number;
  readonly numChildren: number;
}

/** A ZooKeeper error with its numeric code (see `Exception`). */
export interface ZkException extends Error {
  getCode(): number;
  getName(): string;
  getPath(): string | undefined;
}

/** An ACL entry (opaque here). */
export type ZkAcl = object;

/** A multi: operations applied all or none by `commit`. */
export interface ZkTransaction {
  create(path: string, data?: Buffer, acls?: ZkAcl[], mode?: number): ZkTransaction;
  setData(path: string, data: Buffer, version?: number): ZkTransaction;
  check(path: string, version?: number): ZkTransaction;
  remove(path: string, version?: number): ZkTransaction;
  commit(callback: (error: ZkException | null | undefined, results: unknown[]) => void): void;
}

/** One client, i.e. one session; reconnects by itself until the session expires. */
export interface ZkClient extends EventEmitter {
  connect(): void;
  close(): void;
  getState(): ZkState;
  getSessionId(): Buffer;
  getSessionPassword(): Buffer;
  getSessionTimeout(): number;
  addAuthInfo(scheme: string, auth: Buffer): void;
  create(
    path: string,
    data: Buffer | undefined,
    acls: ZkAcl[],
    mode: number,
    callback: (error: ZkException | null, path: string) => void,
  ): void;
  setData(
    path: string,
    data: Buffer,
    version: number,
    callback: (error: ZkException | null, stat: ZkStat) => void,
  ): void;
  getData(path: string, callback: (error: ZkException | null, data: Buffer | undefined, stat: ZkStat) => void): void;
  exists(path: string, callback: (error: ZkException | null, stat: ZkStat | null) => void): void;
  getChildren(path: string, callback: (error: ZkException | null, children: string[], stat: ZkStat) => void): void;
  remove(path: string, version: number, callback: (error: ZkException | null) => void): void;
  transaction(): ZkTransaction;
}

/** Options of `createClient`. */
export interface ZkClientOptions {
  sessionTimeout?: number;
  spinDelay?: number;
  retries?: number;
  sessionId?: Buffer;
  sessionPassword?: Buffer;
}

/** The module's exports that are used. */
export interface ZkModule {
  createClient(connectionString: string, options?: ZkClientOptions): ZkClient;
  readonly ACL: { readonly OPEN_ACL_UNSAFE: ZkAcl[] };
  readonly CreateMode: { readonly PERSISTENT: number; readonly EPHEMERAL: number };
  readonly State: {
    readonly DISCONNECTED: ZkState;
    readonly SYNC_CONNECTED: ZkState;
    readonly AUTH_FAILED: ZkState;
    readonly CONNECTED_READ_ONLY: ZkState;
    readonly EXPIRED: ZkState;
  };
  readonly Exception: {
    readonly OK: number;
    readonly CONNECTION_LOSS: number;
    readonly OPERATION_TIMEOUT: number;
    readonly NO_NODE: number;
    readonly NO_AUTH: number;
    readonly BAD_VERSION: number;
    readonly NODE_EXISTS: number;
    readonly NOT_EMPTY: number;
    readonly SESSION_EXPIRED: number;
    readonly AUTH_FAILED: number;
  };
}

/**
 * ZooKeeper's error codes (KeeperException.Code in its protocol), as node-zookeeper-client's
 * `Exception` reports them: mapping an error needs no loaded client.
 */
export const ZK_ERROR = Object.freeze({
  CONNECTION_LOSS: -4,
  OPERATION_TIMEOUT: -7,
  NO_NODE: -101,
  NO_AUTH: -102,
  BAD_VERSION: -103,
  NODE_EXISTS: -110,
  NOT_EMPTY: -111,
  SESSION_EXPIRED: -112,
  AUTH_FAILED: -115,
});

let loading: Promise<ZkModule> | undefined;

/**
 * node-zookeeper-client, loaded once on first use. A failed load is not cached: the next call
 * tries again (and fails again, saying why).
 *
 * @example
 * ```ts
 * const zk = await loadZooKeeperClient();
 * const client = zk.createClient('127.0.0.1:2181');
 * ```
 */
export function loadZooKeeperClient(): Promise<ZkModule> {
  // The specifier is cast so that TypeScript does not look for the package's (missing) types;
  // bundlers still see a literal import('node-zookeeper-client').
  loading ??= import('node-zookeeper-client' as string).then(
    (mod: { default?: ZkModule } & Partial<ZkModule>) => (mod.default ?? mod) as ZkModule,
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
