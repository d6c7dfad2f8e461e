// The SQLite log store's background checkpoint runs on a worker thread, in real time: an
// integration test (unit tests use no real time), polling its counter with a deadline.
import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@orc/testkit';
import { EntryType, logIndex, term, type Entry } from '../src/core/types.js';
import { SqliteLogStore } from '../src/storage/sqlite-log-store.js';

const dir = mkdtempSync(join(tmpdir(), 'raft-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (index: number): Entry => ({
  index: logIndex(index),
  term: term(1),
  type: EntryType.Command,
  data: new TextEncoder().encode(`e${index}`),
});
const texts = (es: Entry[]): string[] => es.map((e) => new TextDecoder().decode(e.data));

describe('SqliteLogStore background checkpoint', () => {
  it('checkpoints the WAL on a worker thread, keeping every entry', async () => {
    const s = SqliteLogStore.open({ dir, backgroundCheckpoint: true });
    for (let i = 1; i <= 600; i++) await s.append([entry(i)]);
    await waitFor('a checkpoint on the worker thread', () => s.checkpointStats.background > 0, {
      diagnose: () => s.checkpointStats,
    });
    expect(s.checkpointStats.inline).toBe(0);
    await s.close();
    const again = SqliteLogStore.open({ dir });
    expect(await again.lastIndex()).toBe(600);
    expect(texts(await again.entries(logIndex(599), logIndex(601)))).toEqual(['e599', 'e600']);
    await again.close();
  });
});
