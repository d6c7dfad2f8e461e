// Run by test/lazy-loading.integration.test.ts in a fresh Node process: builds the stores one
// scenario names, uses them once, and prints which third-party packages were resolved (a resolve
// hook sees every import and require, static or dynamic). Usage:
//   node --import tools/scripts/ts-hooks.mjs packages/kv/test/support/lazy-load-probe.ts <scenario> <port>
import { registerHooks } from 'node:module';

const packages = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const at = resolved.url.lastIndexOf('/node_modules/');
    if (at >= 0) {
      const [first = '', second = ''] = resolved.url.slice(at + '/node_modules/'.length).split('/');
      packages.add(first.startsWith('@') ? `${first}/${second}` : first);
    }
    return resolved;
  },
});

const kv = await import('../../src/index.js');
const [scenario, port] = process.argv.slice(2);
const address = `127.0.0.1:${port ?? '1'}`;
let outcome: string;
if (scenario === 'consul-and-internal') {
  const publisher = kv.createKvPublisher(kv.validateKvConfig({ consul: { address, requestTimeoutMs: 1000 } }), {
    table: new kv.MemoryKvTable(),
  });
  const result = await publisher.publishMaster({ alias: 'shop', host: 'db2', port: 3306 });
  outcome = result.outcomes.map((o) => `${o.store}:${o.ok ? 'ok' : o.error.code}`).join(',');
  await publisher.close();
} else if (scenario === 'internal') {
  const publisher = kv.createKvPublisher(kv.validateKvConfig({}), { table: new kv.MemoryKvTable() });
  const result = await publisher.publishMaster({ alias: 'shop', host: 'db2', port: 3306 });
  outcome = result.outcomes.map((o) => `${o.store}:${o.ok ? 'ok' : o.error.code}`).join(',');
  await publisher.close();
} else if (scenario === 'zookeeper' || scenario === 'etcd') {
  const store =
    scenario === 'zookeeper'
      ? new kv.ZooKeeperKvStore({ connectString: address, requestTimeoutMs: 500 })
      : new kv.EtcdKvStore({ endpoints: [`http://${address}`], requestTimeoutMs: 500 });
  outcome = await store.ping().then(
    () => 'ok',
    (err: unknown) => (kv.isKvError(err) ? err.code : String(err)),
  );
  await store.close();
} else {
  throw new Error(`unknown scenario ${String(scenario)}`);
}
process.stdout.write(`${JSON.stringify({ outcome, packages: [...packages].sort() })}\n`);
// A client's reconnect timers must not keep the probe alive once it has answered.
process.exit(0);
