import { describe, expect, it } from '@jest/globals';
import type { Backend } from '@orc/backend';
import { logIndex, term, type SnapshotSource } from '@orc/raft';
import type { OrcTopology } from '@orc/topology';
import type { CommandTargets } from '../commands/apply-command.js';
import { OrcStateMachine } from './orc-state-machine.js';
import { encodeOp, type GroupOp } from './replicated-op.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function fixture(known: string[]) {
  const writes: string[] = [];
  const probed: string[] = [];
  const groupOps: GroupOp[] = [];
  let imported: Uint8Array | undefined;
  const backend = {
    downtime: {
      begin: async (d: { key: { hostname: string; port: number } }) => {
        writes.push(`downtime ${d.key.hostname}:${d.key.port}`);
      },
    },
    audit: { append: async (a: { auditType: string }) => void writes.push(`audit ${a.auditType}`) },
    exportSnapshot: async () => Buffer.from('{"instances":{"rows":[["db1",3306]]}}'),
    importSnapshot: async (bytes: Uint8Array) => {
      imported = bytes;
    },
  } as unknown as Backend;
  const topology = {
    instances: () => known.map((key) => ({ key })),
    discover: async (key: string) => {
      probed.push(key);
      return { key };
    },
  } as unknown as OrcTopology;
  const targets = {
    backend,
    topology,
    kv: {},
    kvPrefix: 'mysql/master',
    node: { hostname: 'orc1', token: 't' },
    logger,
  };
  const sm = new OrcStateMachine({
    targets: targets as unknown as CommandTargets & { backend: Backend; topology: OrcTopology },
    hooks: { onGroupOp: (op) => groupOps.push(op) },
    logger,
  });
  return { sm, writes, probed, groupOps, imported: () => imported };
}

const entry = (index: number, data: Uint8Array) => ({ index: logIndex(index), term: term(1), data });
const source = (bytes: Uint8Array): SnapshotSource =>
  ({
    size: bytes.length,
    read: async (offset: number, length: number) => bytes.subarray(offset, offset + length),
    close: async () => undefined,
  }) as unknown as SnapshotSource;

describe('OrcStateMachine', () => {
  it("applies a committed command to this node's backend and returns its outcome", async () => {
    const f = fixture([]);
    const op = encodeOp({
      op: 'command',
      value: { kind: 'begin-downtime', key: 'db1:3306' as never, owner: 'a', reason: 'r', durationSeconds: 60 },
    });
    expect(await f.sm.apply(entry(7, op))).toEqual({});
    expect(f.writes).toEqual(['downtime db1:3306', 'audit begin-downtime']);
    expect(f.sm.appliedIndex).toBe(7);
  });

  it('hands group ops to the hooks and skips entries it does not know', async () => {
    const f = fixture([]);
    await f.sm.apply(entry(1, encodeOp({ op: 'leader-uri', value: 'http://orc2:3000', by: 'orc2:10008' })));
    expect(await f.sm.apply(entry(2, Buffer.from('{"Op":"from-the-future"}')))).toBeUndefined();
    expect(f.groupOps).toEqual([{ op: 'leader-uri', value: 'http://orc2:3000', by: 'orc2:10008' }]);
    expect(f.writes).toEqual([]);
  });

  it('snapshots the backend and, on restore, probes instances it knew that the snapshot lacks and the new ones', async () => {
    const f = fixture(['db1:3306', 'db9:3306']);
    const snap = await f.sm.snapshot();
    const chunks: Uint8Array[] = [];
    await snap.persist({ write: async (c) => void chunks.push(c) });
    expect(Buffer.concat(chunks).toString()).toContain('db1');
    const bytes = Buffer.from('{"instances":{"rows":[["db1",3306],["db2",3306]]}}');
    await f.sm.restore(source(bytes));
    expect(f.imported()).toEqual(bytes);
    expect(f.probed.sort()).toEqual(['db2:3306', 'db9:3306']);
  });
});

describe('OrcStateMachine recovery ops', () => {
  it('applies a recovery step to the backend and reports a KV write to the hook with its id', async () => {
    const steps: string[] = [];
    const kvOutcomes: unknown[] = [];
    const backend = {
      recoveries: { appendStep: async (uid: string, message: string) => void steps.push(`${uid} ${message}`) },
    } as unknown as Backend;
    const internal = { name: 'internal', delete: async () => undefined };
    const kv = {
      publishMaster: async () => ({ ok: true, outcomes: [{ store: 'internal', ok: true, durationMs: 1 }] }),
      internal,
      external: [],
    };
    const sm = new OrcStateMachine({
      targets: {
        backend,
        topology: {} as OrcTopology,
        kv,
        kvPrefix: 'mysql/master/',
        node: { hostname: 'orc2', token: 't' },
        logger,
      } as unknown as CommandTargets & { backend: Backend; topology: OrcTopology },
      hooks: { onGroupOp: () => undefined, onKvOutcome: (id, stores) => void kvOutcomes.push({ id, stores }) },
      logger,
    });
    await sm.apply(
      entry(
        1,
        encodeOp({
          op: 'write-recovery-step',
          value: { args: ['u1', { at: 1, elapsedMs: 12.4, name: 'promote', message: 'db2 promoted' }] },
        }),
      ),
    );
    expect(steps).toEqual(['u1 [promote +12ms] db2 promoted']);
    const put = await sm.apply(
      entry(
        2,
        encodeOp({ op: 'put-key-value', value: { id: 'w1', master: { alias: 'main', host: 'db2', port: 3306 } } }),
      ),
    );
    expect(put).toMatchObject({ ok: true, stores: [{ store: 'internal', ok: true }] });
    expect(kvOutcomes).toEqual([{ id: 'w1', stores: [{ store: 'internal', ok: true }] }]);
  });
});
