// Snapshot files carry a checksum per block, checked whenever a block is read: a byte changed
// after the snapshot was opened (a leader reads chunks to send for as long as a transfer takes)
// is refused as CORRUPTED naming the offset. Snapshots written before block checksums open.
import { describe, it, expect, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSnapshotStore, RaftError, logIndex, nodeId, term, type SnapshotMeta } from '@orc/raft';

const root = mkdtempSync(join(tmpdir(), 'orc-raft-snapcrc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const meta: SnapshotMeta = {
  index: logIndex(42),
  term: term(3),
  conf: { voters: [nodeId('a')], learners: [], votersOutgoing: [] },
};
const content = Buffer.alloc(200 * 1024);
for (let i = 0; i < content.length; i++) content[i] = (i * 31) & 0xff;

describe('FileSnapshotStore block checksums', () => {
  it('refuses a block whose bytes changed after the snapshot was opened, naming its offset', async () => {
    const dir = join(root, 'a');
    const store = new FileSnapshotStore({ dir });
    const sink = await store.create(meta);
    await sink.write(content.subarray(0, 100_000));
    await sink.write(content.subarray(100_000));
    await sink.commit();
    const source = await store.latest();
    expect(source).not.toBeNull();

    const [name] = readdirSync(dir);
    const fd = openSync(join(dir, name!, 'state.bin'), 'r+');
    writeSync(fd, Buffer.from([content[70_000]! ^ 0xff]), 0, 1, 70_000);
    closeSync(fd);

    expect(Buffer.from(await source!.read(0, 65_536)).equals(content.subarray(0, 65_536))).toBe(true);
    expect(Buffer.from(await source!.read(140_000, 10)).equals(content.subarray(140_000, 140_010))).toBe(true);
    let err: unknown;
    try {
      await source!.read(60_000, 20_000);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RaftError);
    expect((err as RaftError).code).toBe('CORRUPTED');
    expect((err as RaftError).message).toContain('offset 65536');
    await source!.close();
    // Opened again, the whole-file check skips it: there is no valid snapshot left.
    expect(await store.latest()).toBeNull();
  });

  it('opens a snapshot written before block checksums (metadata version 1)', async () => {
    const dir = join(root, 'v1');
    const snap = join(dir, 'snapshot-0000000000000042-0000000003');
    mkdirSync(snap, { recursive: true });
    writeFileSync(join(snap, 'state.bin'), content);
    writeFileSync(
      join(snap, 'meta.json'),
      JSON.stringify({
        version: 1,
        meta,
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
      }),
    );
    const source = await new FileSnapshotStore({ dir }).latest();
    expect(source?.meta.index).toBe(42);
    expect(Buffer.from(await source!.read(0, content.length)).equals(content)).toBe(true);
    await source!.close();
  });
});
