// Every entry of the SQLite log carries a checksum verified when it is read: a changed byte in a
// stopped node's log file is found, named by its index, and stops the node from starting on it.
// A log file written by an earlier version (no checksums) still opens and gains them.
import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryTransport, RaftError } from '@orc/raft';
import {
  EntryType,
  MemorySnapshotStore,
  MemoryNetwork,
  Raft,
  isRaftError,
  SqliteLogStore,
  logIndex,
  nodeId,
  term,
  type Entry,
  type StateMachine,
} from '@orc/raft';
import { rejectionOf, waitFor } from '@orc/testkit';

interface RawDb {
  exec(sql: string): void;
  prepare(sql: string): { run(...a: unknown[]): unknown; get(...a: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => RawDb;

const root = mkdtempSync(join(tmpdir(), 'orc-raft-crc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `d${++n}`);

const entry = (i: number, text: string): Entry => ({
  index: logIndex(i),
  term: term(1),
  type: EntryType.Command,
  data: Buffer.from(text),
});

/** Writes a log file exactly as versions before checksums did (format 1). */
function writeFormat1(dir: string, texts: string[]): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'raft-log.db'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`CREATE TABLE raft_log (idx INTEGER PRIMARY KEY, term INTEGER NOT NULL, type INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE raft_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);`);
  const ins = db.prepare('INSERT INTO raft_log (idx, term, type, data) VALUES (?, ?, ?, ?)');
  texts.forEach((t, i) => ins.run(i + 1, 1, EntryType.Command, Buffer.from(t)));
  db.prepare('INSERT INTO raft_meta (k, v) VALUES (?, ?)').run(
    'hardState',
    JSON.stringify({ term: 1, vote: null, commit: texts.length }),
  );
  db.close();
}

/** Changes one character of the stored data of entry `index`, as an editor or a bad disk would. */
function changeOneByte(dir: string, index: number): void {
  const db = new Database(join(dir, 'raft-log.db'));
  const row = db.prepare('SELECT data FROM raft_log WHERE idx = ?').get(index) as { data: Buffer };
  const data = Buffer.from(row.data);
  data[0] = data[0]! ^ 0x01;
  db.prepare('UPDATE raft_log SET data = ? WHERE idx = ?').run(data, index);
  db.close();
}

const rejection = (p: Promise<unknown>): Promise<RaftError> => rejectionOf(p, isRaftError);

describe('SqliteLogStore checksums', () => {
  it('refuses an entry whose bytes changed on disk, naming its index', async () => {
    const dir = freshDir();
    const store = SqliteLogStore.open({ dir });
    await store.append([entry(1, 'set x=1'), entry(2, 'set x=2'), entry(3, 'set x=3')]);
    await store.close();
    changeOneByte(dir, 2);

    const reopened = SqliteLogStore.open({ dir });
    const err = await rejection(reopened.entries(logIndex(1), logIndex(4)));
    expect(err.code).toBe('CORRUPTED');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('log entry 2');
    expect(err.details).toEqual([expect.objectContaining({ path: 'log.2' })]);
    expect(await reopened.entries(logIndex(1), logIndex(2))).toHaveLength(1);
    expect((await rejection(reopened.term(logIndex(2)))).code).toBe('CORRUPTED');
    await reopened.close();
  });

  it('opens a log written before checksums (format 1), adds them, and then detects a change', async () => {
    const dir = freshDir();
    writeFormat1(dir, ['one', 'two', 'three']);
    const store = SqliteLogStore.open({ dir });
    expect((await store.entries(logIndex(1), logIndex(4))).map((e) => Buffer.from(e.data).toString())).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect((await store.load())?.hardState.commit).toBe(3);
    await store.append([entry(4, 'four')]);
    await store.close();

    const db = new Database(join(dir, 'raft-log.db'));
    expect((db.prepare("SELECT v FROM raft_meta WHERE k = 'format'").get() as { v: string }).v).toBe('2');
    db.close();
    changeOneByte(dir, 3);
    const reopened = SqliteLogStore.open({ dir });
    expect((await rejection(reopened.entries(logIndex(1), logIndex(5)))).message).toContain('log entry 3');
    await reopened.close();
  });

  it('a node whose log is damaged does not start, and says which entry', async () => {
    const dir = freshDir();
    const sm: StateMachine = {
      apply: () => null,
      snapshot: () => ({ persist: async () => undefined }),
      restore: async () => undefined,
    };
    const start = (store: SqliteLogStore, t: MemoryTransport): Promise<Raft> =>
      Raft.create({
        config: { id: 'a', snapshotThreshold: 0 },
        stateMachine: sm,
        logStore: store,
        stableStore: store,
        snapshotStore: new MemorySnapshotStore(),
        transport: t,
      });
    const store = SqliteLogStore.open({ dir });
    const raft = await start(store, new MemoryNetwork().transport(nodeId('a')));
    await waitFor('a leader', () => raft.state === 'leader', { timeoutMs: 5000 });
    await raft.apply(Buffer.from('acknowledged value'));
    await raft.stop();
    await store.close();
    const last = (
      new Database(join(dir, 'raft-log.db')).prepare('SELECT MAX(idx) AS m FROM raft_log').get() as { m: number }
    ).m;
    changeOneByte(dir, last);

    const again = SqliteLogStore.open({ dir });
    const err = await rejection(start(again, new MemoryNetwork().transport(nodeId('a'))));
    expect(err.code).toBe('CORRUPTED');
    expect(err.message).toContain(`log entry ${last}`);
    await again.close();
  });
});
