import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { allocatePort } from '@orc/testenv';
import { ManualClock, waitFor } from '@orc/testkit';
import { createConnection } from 'mysql2/promise';
import { Backend, BackendError, currentSchemaVersion, validateBackendConfig } from '../src/index.js';
import type { Migration } from '../src/migrations/migration.js';
import { migrations as builtin } from '../src/migrations/migrations.js';
import { int, table, text } from '../src/schema/column.js';
import { DIALECTS, DialectHarness } from './support/backends.js';

const extraTable = table('orc_test_extra', { id: int(), note: text(32) }, { primaryKey: ['id'] });

// The test migrations come right after the built-in ones.
const next = currentSchemaVersion + 1;

/** A next version that makes a table, a column and an index, then fails. */
const failingNext: Migration = {
  version: next,
  name: 'fails halfway',
  steps: [
    { kind: 'create-table', table: extraTable },
    { kind: 'add-column', table: 'kv_store', column: 'extra', def: int(), defaultValue: 0 },
    { kind: 'create-index', table: 'kv_store', index: { name: 'kv_extra_idx', columns: ['extra'] } },
    {
      kind: 'run',
      description: 'fails',
      run: () => Promise.reject(new Error('boom')),
    },
  ],
};
const goodNext: Migration = {
  version: next,
  name: 'extra table',
  steps: [{ kind: 'create-table', table: extraTable }],
};

describe.each(DIALECTS)('schema, migrations and lifecycle on %s', (dialect) => {
  const h = new DialectHarness(dialect);
  beforeAll(() => h.start(), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('migrates a new database once and records the version', async () => {
    const config = h.sharedConfig();
    const first = await h.open({}, config);
    expect(first.schemaVersion).toBe(currentSchemaVersion);
    await first.kv.put([{ key: 'k', value: 'v' }]);
    const again = await h.open({}, config);
    expect(again.schemaVersion).toBe(currentSchemaVersion);
    expect(await again.kv.get('k')).toBe('v');
    const tables = await h.inspect(config);
    for (const name of ['database_instance', 'topology_recovery', 'active_node', 'kv_store', 'orc_schema_migrations'])
      expect(tables.has(name)).toBe(true);
    expect(tables.get('database_instance')).toEqual(
      expect.arrayContaining([
        'gtid_current_pos',
        'gtid_slave_pos',
        'semi_sync_master_status',
        'suggested_cluster_alias',
        'last_attempted_check',
      ]),
    );
  });

  it('keeps the previous schema and data when a migration fails', async () => {
    const config = h.sharedConfig();
    const b = await h.open({}, config);
    await b.kv.put([{ key: 'kept', value: 'yes' }]);
    const before = await h.inspect(config);

    const failing = new Backend(config, { migrations: [...builtin, failingNext] });
    const err = await failing.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ code: 'MIGRATION_FAILED', retryable: false, message: expect.stringContaining('boom') });
    expect(await h.inspect(config)).toEqual(before);

    const reopened = await h.open({}, config);
    expect(reopened.schemaVersion).toBe(currentSchemaVersion);
    expect(await reopened.kv.get('kept')).toBe('yes');

    // The fixed migration then applies.
    const upgraded = await h.open({ migrations: [...builtin, goodNext] }, config);
    expect(upgraded.schemaVersion).toBe(next);
    expect((await h.inspect(config)).get('orc_test_extra')).toEqual(['id', 'note']);
  });

  it('refuses a database written by a newer version', async () => {
    const config = h.sharedConfig();
    await h.open({ migrations: [...builtin, goodNext] }, config);
    const older = new Backend(config);
    await expect(older.open()).rejects.toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      message: expect.stringContaining('newer'),
    });
  });

  it('opens once, and refuses use before open and after close', async () => {
    const b = new Backend(h.config());
    await expect(b.kv.get('k')).rejects.toMatchObject({ code: 'CLOSED' });
    await b.open();
    await expect(b.open()).rejects.toMatchObject({ code: 'CLOSED' });
    await b.close();
    await b.close();
    await expect(b.kv.get('k')).rejects.toMatchObject({ code: 'CLOSED', message: expect.stringContaining('closed') });
    expect(() => b.election({ hostname: 'h', token: 't' }).isLeader()).not.toThrow();
    await expect(b.exportSnapshot()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  if (dialect === 'mariadb') {
    it('reports an unreachable server as a retryable error, ended by the connect timeout', async () => {
      const closedPort = await allocatePort();
      const refused = new Backend(
        validateBackendConfig({
          dialect: 'mysql',
          mysql: { host: '127.0.0.1', port: closedPort, user: 'root', database: 'orc', connectTimeoutMs: 500 },
        }),
      );
      await expect(refused.open()).rejects.toMatchObject({ code: 'UNREACHABLE', retryable: true });

      // A server that accepts TCP and never speaks: bounded by the connect timeout, not a hang.
      const silent = await silentServer();
      try {
        const hung = new Backend(
          validateBackendConfig({
            dialect: 'mysql',
            mysql: { host: '127.0.0.1', port: silent.port, user: 'root', database: 'orc', connectTimeoutMs: 500 },
          }),
        );
        // The error names the timeout that ended the wait (mysql2's handshake bound or ours).
        await expect(hung.open()).rejects.toMatchObject({
          code: 'UNREACHABLE',
          retryable: true,
          message: expect.stringMatching(/ETIMEDOUT|no answer within 500 ms/),
        });
        // A failed open may be retried.
        await expect(hung.open()).rejects.toMatchObject({ code: 'UNREACHABLE' });
      } finally {
        await silent.close();
      }
    });

    it('bounds a stuck statement by the query timeout, then keeps working', async () => {
      const base = h.config();
      if (base.dialect !== 'mysql') throw new Error('expected a MySQL config');
      const b = await h.open({}, { dialect: 'mysql', mysql: { ...base.mysql, queryTimeoutMs: 500 } });
      await b.kv.put([{ key: 'k', value: '1' }]);
      const { server } = h;
      const locker = await createConnection({
        host: server.host,
        port: server.port,
        user: server.rootUser.user,
        password: server.rootUser.password,
        database: base.mysql.database,
      });
      try {
        await locker.query('begin');
        await locker.query("select * from kv_store where store_key = 'k' for update");
        // Ended by the 500 ms statement timeout, not by InnoDB's lock wait (50 s, which is BUSY).
        await expect(b.kv.put([{ key: 'k', value: '2' }])).rejects.toMatchObject({
          code: 'UNREACHABLE',
          retryable: true,
          cause: expect.objectContaining({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' }),
        });
      } finally {
        await locker.query('rollback');
        await locker.end();
      }
      await b.kv.put([{ key: 'k', value: '3' }]);
      expect(await b.kv.get('k')).toBe('3');
    });

    it('replaces a pooled connection once it is older than connectionLifetimeMs, by the injected clock', async () => {
      const base = h.config();
      if (base.dialect !== 'mysql') throw new Error('expected a MySQL config');
      const clock = new ManualClock();
      const mysql = { ...base.mysql, poolSize: 1, connectionLifetimeMs: 60_000 };
      const b = await h.open({ clock }, { dialect: 'mysql', mysql });
      const sessions = async () =>
        (
          (await h.mysqlQuery(
            'information_schema',
            `select id from processlist where db = '${mysql.database}' order by id`,
          )) as { id: number }[]
        ).map((r) => Number(r.id));

      await b.kv.put([{ key: 'k', value: 'v' }]);
      const [first] = await sessions();
      clock.advance(59_999);
      expect(await b.kv.get('k')).toBe('v');
      expect(await sessions()).toEqual([first]);

      clock.advance(1);
      expect(await b.kv.get('k')).toBe('v');
      // The old session ends (the server notices the closed socket) and one new one serves.
      const after = await waitFor('the aged connection to be replaced', async () => {
        const now = await sessions();
        return now.length === 1 && now[0] !== first ? now : undefined;
      });
      expect(after).toHaveLength(1);
    });

    it('turns a server that goes away into retryable errors, and recovers when it is back', async () => {
      const b = await h.open();
      await b.kv.put([{ key: 'k', value: 'v' }]);
      await h.server.stop();
      try {
        await expect(b.kv.get('k')).rejects.toMatchObject({ code: 'UNREACHABLE', retryable: true });
      } finally {
        await h.server.start();
      }
      // The pool drops the broken connections and opens new ones: no reopen needed.
      expect(await waitFor('the backend to answer again', () => b.kv.get('k'))).toBe('v');
    });
  }
});

async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
