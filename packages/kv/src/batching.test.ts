import { describe, it, expect } from '@jest/globals';
import { kvErrorOf } from '../test/support/kv-error-of.js';
import { forEachConcurrently, groupByParent, transactionBatches } from './batching.js';
import { KvError } from './errors.js';
import { clusterMasterPairs } from './layout/master-pairs.js';

const cluster = (alias: string) =>
  clusterMasterPairs({ alias, host: `${alias}-db`, port: 3306, ipv4: '10.0.0.1', ipv6: '::1' });
const size = (p: { key: string; value: string }) => p.key.length + p.value.length;

describe('transactionBatches', () => {
  it('keeps each cluster in one transaction', () => {
    const pairs = ['a', 'b', 'c'].flatMap(cluster);
    expect(groupByParent(pairs).map((g) => g.length)).toEqual([5, 5, 5]);
    const batches = transactionBatches(
      pairs,
      { maxTransactionOps: 12, maxRequestBytes: 10_000, maxValueBytes: 100 },
      size,
    );
    expect(batches.map((b) => b.length)).toEqual([10, 5]);
    for (const b of batches) expect(new Set(b.map((p) => p.key.split('/')[2])).size).toBeLessThanOrEqual(2);
  });

  it('packs by bytes too', () => {
    const pairs = ['a', 'b', 'c'].flatMap(cluster);
    const oneCluster = cluster('a').reduce((s, p) => s + size(p), 0);
    expect(
      transactionBatches(
        pairs,
        { maxTransactionOps: 64, maxRequestBytes: oneCluster + 1, maxValueBytes: 100 },
        size,
      ).map((b) => b.length),
    ).toEqual([5, 5, 5]);
  });

  it('refuses a cluster that cannot fit one transaction, before anything is written', () => {
    expect(() =>
      transactionBatches(
        cluster('a'),
        { maxTransactionOps: 4, maxRequestBytes: 10_000, maxValueBytes: 100 },
        size,
        'consul',
      ),
    ).toThrow(KvError);
    const err = kvErrorOf(() =>
      transactionBatches(
        cluster('a'),
        { maxTransactionOps: 4, maxRequestBytes: 10_000, maxValueBytes: 100 },
        size,
        'consul',
      ),
    );
    expect(err).toMatchObject({ code: 'INVALID_BATCH', key: 'mysql/master/a', store: 'consul' });
  });

  it('lets a lone big pair have its own batch', () => {
    const pairs = [{ key: 'x', value: 'v'.repeat(50) }, ...cluster('a')];
    expect(
      transactionBatches(pairs, { maxTransactionOps: 64, maxRequestBytes: 130, maxValueBytes: 100 }, (p) =>
        p.key === 'x' ? 200 : size(p),
      ).map((b) => b.length),
    ).toEqual([1, 5]);
  });
});

describe('forEachConcurrently', () => {
  it('bounds concurrency and reports the first error after all started tasks settle', async () => {
    let running = 0;
    let max = 0;
    const done: number[] = [];
    await expect(
      forEachConcurrently([1, 2, 3, 4, 5, 6], 2, async (n) => {
        running++;
        max = Math.max(max, running);
        await Promise.resolve();
        running--;
        if (n === 3) throw new Error('three');
        done.push(n);
      }),
    ).rejects.toThrow('three');
    expect(max).toBe(2);
    expect(running).toBe(0);
    expect(done).toContain(4);
  });
});
