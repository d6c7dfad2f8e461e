import { describe, it, expect } from '@jest/globals';
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logIndex, nodeId, term, type SnapshotMeta } from '../core/types.js';
import type { SnapshotStore } from '../ports.js';
import type { LogFields, Logger } from '../logger.js';
import { FileSnapshotStore } from './file-snapshot-store.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const tempDir = tempDirs('raft-snap-');

const meta = (index: number, t = 1): SnapshotMeta => ({
  index: logIndex(index),
  term: term(t),
  conf: { voters: [nodeId('a'), nodeId('b')], learners: [], votersOutgoing: [] },
});

async function save(store: SnapshotStore, m: SnapshotMeta, text: string): Promise<void> {
  const sink = await store.create(m);
  const bytes = new TextEncoder().encode(text);
  await sink.write(bytes.subarray(0, 3));
  await sink.write(bytes.subarray(3));
  await sink.commit();
}

async function readAll(store: SnapshotStore): Promise<string | null> {
  const src = await store.latest();
  if (src === null) return null;
  const data = await src.read(0, src.size + 10);
  await src.close();
  return new TextDecoder().decode(data);
}

function recordingLogger(): Logger & { lines: { msg: string; fields?: LogFields }[] } {
  const lines: { msg: string; fields?: LogFields }[] = [];
  const rec = (msg: string, fields?: LogFields): void => {
    lines.push(fields === undefined ? { msg } : { msg, fields });
  };
  return { lines, debug: rec, info: rec, warn: rec, error: rec };
}

describe.each([
  ['file', () => new FileSnapshotStore({ dir: tempDir(), retain: 2 })],
  ['memory', () => new MemorySnapshotStore({ retain: 2 })],
] as const)('%s snapshot store', (_name, make) => {
  it('returns null when empty', async () => {
    expect(await make().latest()).toBeNull();
  });

  it('stores snapshots, returns the newest and keeps only the newest N', async () => {
    const store = make();
    await save(store, meta(10), 'state at 10');
    await save(store, meta(20), 'state at 20');
    await save(store, meta(30, 2), 'state at 30');
    expect(await readAll(store)).toBe('state at 30');
    expect((await store.list()).map((m) => m.index)).toEqual([30, 20]);
    const src = await store.latest();
    expect(src?.meta).toEqual(meta(30, 2));
    expect(new TextDecoder().decode(await src!.read(6, 2))).toBe('at');
    await src!.close();
  });

  it('drops an aborted snapshot', async () => {
    const store = make();
    await save(store, meta(5), 'five');
    const sink = await store.create(meta(6));
    await sink.write(new Uint8Array([1, 2, 3]));
    await sink.abort();
    expect(await readAll(store)).toBe('five');
  });
});

describe('FileSnapshotStore', () => {
  it('skips a snapshot that fails its checksum, with a logged reason', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const store = new FileSnapshotStore({ dir, retain: 3, logger });
    await save(store, meta(10), 'good state');
    await save(store, meta(20), 'newer state');
    const newest = readdirSync(dir).sort().at(-1)!;
    const file = join(dir, newest, 'state.bin');
    const bytes = readFileSync(file);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(file, bytes);
    expect(await readAll(store)).toBe('good state');
    expect(logger.lines.find((l) => l.msg === 'raft snapshot skipped: checksum mismatch')?.fields?.['snapshot']).toBe(
      newest,
    );
  });

  it('skips a truncated snapshot and one with damaged metadata', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const store = new FileSnapshotStore({ dir, retain: 3, logger });
    await save(store, meta(1), 'oldest');
    await save(store, meta(2), 'middle');
    await save(store, meta(3), 'newest');
    const [n3, n2] = readdirSync(dir).sort().reverse();
    writeFileSync(join(dir, n3!, 'state.bin'), 'new');
    writeFileSync(join(dir, n2!, 'meta.json'), '{not json');
    expect(await readAll(store)).toBe('oldest');
    expect(logger.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['raft snapshot skipped: size mismatch', 'raft snapshot skipped: metadata unreadable']),
    );
  });

  it('survives reopening and ignores a half-written temporary snapshot', async () => {
    const dir = tempDir();
    await save(new FileSnapshotStore({ dir }), meta(7), 'seven');
    const reopened = new FileSnapshotStore({ dir });
    const sink = await reopened.create(meta(8));
    await sink.write(new Uint8Array([9]));
    // No commit: as if the process died here.
    expect(await readAll(new FileSnapshotStore({ dir }))).toBe('seven');
  });

  it('refuses a bad retain count', () => {
    expect(() => new FileSnapshotStore({ dir: tempDir(), retain: 0 })).toThrow(/retain/);
  });
});
