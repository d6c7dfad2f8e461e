// etcd's JSON gateway (`/v3/kv/*`, keys and values base64): a test writes and reads etcd the way
// another client of the store would, without orc's own etcd client.
import { expect } from '@jest/globals';

/** Puts and gets over one etcd's HTTP gateway. */
export interface EtcdGateway {
  put(key: string, value: string): Promise<void>;
  /** The value of `key`, undefined when missing. */
  get(key: string): Promise<string | undefined>;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/**
 * A gateway client for the etcd at `endpoint` (`http://127.0.0.1:2379`); a non-200 fails the test.
 *
 * @example
 * const gw = etcdGateway(etcd.endpoint);
 * await gw.put('mysql/master/main', '10.9.9.9:3306');
 */
export function etcdGateway(endpoint: string): EtcdGateway {
  const call = async (op: 'put' | 'range', body: Record<string, string>): Promise<{ kvs?: { value: string }[] }> => {
    const res = await fetch(`${endpoint}/v3/kv/${op}`, { method: 'POST', body: JSON.stringify(body) });
    expect([op, res.status]).toEqual([op, 200]);
    return (await res.json()) as { kvs?: { value: string }[] };
  };
  return {
    put: async (key, value) => {
      await call('put', { key: b64(key), value: b64(value) });
    },
    get: async (key) => {
      const value = (await call('range', { key: b64(key) })).kvs?.[0]?.value;
      return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
    },
  };
}
