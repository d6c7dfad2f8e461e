// @orc/kv on its own: publish a cluster's primary to orc's layout in any mix of stores, see each
// store's outcome, and let the reconciler repair a store that missed the write.
//
//   pnpm --filter @orc/kv build
//   node packages/kv/examples/publish-primary.ts --alias shop --host db2.example --port 3306 \
//        [--zookeeper 127.0.0.1:2181] [--etcd http://127.0.0.1:2379] [--consul 127.0.0.1:8500]
import { MemoryKvTable, createKvPublisher, validateKvConfig, type KvConfigInput, type KvFanoutResult } from '@orc/kv';

/** Publishes one primary with the stores named in `argv`; returns the fan-out's result. */
export async function publishPrimary(argv: readonly string[]): Promise<KvFanoutResult> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i < 0 ? undefined : argv[i + 1];
  };
  const input: KvConfigInput = {
    ...(arg('zookeeper') === undefined ? {} : { zookeeper: { connectString: arg('zookeeper') ?? '' } }),
    ...(arg('etcd') === undefined ? {} : { etcd: { endpoints: (arg('etcd') ?? '').split(',') } }),
    ...(arg('consul') === undefined ? {} : { consul: { address: arg('consul') ?? '' } }),
  };
  // A MemoryKvTable stands in for orc's database; any object with put/get/list/delete will do.
  const kv = createKvPublisher(validateKvConfig(input), { table: new MemoryKvTable() });
  try {
    const result = await kv.publishMaster({
      alias: arg('alias') ?? 'shop',
      host: arg('host') ?? 'db2.example',
      port: Number(arg('port') ?? 3306),
    });
    for (const o of result.outcomes) {
      console.log(
        o.ok ? `${o.store}: ok in ${Math.round(o.durationMs)} ms` : `${o.store}: ${o.error.code} ${o.error.message}`,
      );
    }
    // A store that failed is repaired as soon as it answers; here we simply ask once.
    for (const report of await kv.reconciler.reconcileAll())
      console.log(`reconcile ${report.store}: ok=${report.ok} wrote ${report.written}`);
    console.log(await kv.internal.list('mysql/master/'));
    return result;
  } finally {
    await kv.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await publishPrimary(process.argv.slice(2));
}
