// The slice of node-zookeeper-client 1.1.3 (plain JavaScript, no bundled types) that the
// ZooKeeper store uses. Callback signatures follow the library's README and lib/ sources.
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';

  export interface ZkState {
    getName(): string;
    getCode(): number;
  }

  export interface ZkStat {
    readonly version: number;
    readonly dataLength: number;
    readonly numChildren: number;
  }

  export interface ZkException extends Error {
    getCode(): number;
    getName(): string;
    getPath(): string | undefined;
  }

  export type ZkAcl = object;

  export interface ZkTransaction {
    create(path: string, data?: Buffer, acls?: ZkAcl[], mode?: number): ZkTransaction;
    setData(path: string, data: Buffer, version?: number): ZkTransaction;
    check(path: string, version?: number): ZkTransaction;
    remove(path: string, version?: number): ZkTransaction;
    commit(callback: (error: ZkException | null | undefined, results: unknown[]) => void): void;
  }

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

  export interface ZkClientOptions {
    sessionTimeout?: number;
    spinDelay?: number;
    retries?: number;
    sessionId?: Buffer;
    sessionPassword?: Buffer;
  }

  export function createClient(connectionString: string, options?: ZkClientOptions): ZkClient;

  export const ACL: { readonly OPEN_ACL_UNSAFE: ZkAcl[] };
  export const CreateMode: { readonly PERSISTENT: number };
  export const State: {
    readonly DISCONNECTED: ZkState;
    readonly SYNC_CONNECTED: ZkState;
    readonly AUTH_FAILED: ZkState;
    readonly CONNECTED_READ_ONLY: ZkState;
    readonly EXPIRED: ZkState;
  };
  export const Exception: {
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

  const zookeeper: {
    createClient: typeof createClient;
    ACL: typeof ACL;
    CreateMode: typeof CreateMode;
    State: typeof State;
    Exception: typeof Exception;
  };
  export default zookeeper;
}
