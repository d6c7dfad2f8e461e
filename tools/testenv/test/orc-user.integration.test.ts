import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createConnection, type Connection } from 'mysql2/promise';
import { startMariaDbTopology, type MariaDbInstance, type MariaDbTopology } from '../src/index.js';
import { waitFor } from '@orc/testkit';

describe('orcUser can do what orchestrator does in a failover on MariaDB 10.11', () => {
  let topo: MariaDbTopology;
  const conns: Connection[] = [];
  const asOrc = async (i: MariaDbInstance): Promise<Connection> => {
    const conn = await createConnection({ ...i.connectionConfig(topo.orcUser), multipleStatements: true });
    conns.push(conn);
    return conn;
  };

  beforeAll(async () => {
    topo = await startMariaDbTopology({ shape: '1+2', name: 'orcuser' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.end()));
    await topo?.stop();
  }, 60_000);

  it('inspects, promotes r1 and repoints r2 below it', async () => {
    const [p, r1, r2] = [topo.primary, topo.instance('r1'), topo.instance('r2')];
    const onP = await asOrc(p);
    await onP.query('SHOW MASTER STATUS');
    await onP.query('SHOW BINARY LOGS');
    await onP.query('SHOW BINLOG EVENTS LIMIT 1');
    await onP.query("SELECT user, host FROM mysql.user WHERE user = 'orc'");
    await onP.query('SHOW PROCESSLIST');
    await onP.query('SELECT @@global.gtid_binlog_pos, @@global.gtid_current_pos');

    const onR1 = await asOrc(r1);
    await onR1.query('SHOW SLAVE STATUS');
    await onR1.query('SHOW RELAYLOG EVENTS LIMIT 1');
    await onR1.query('STOP SLAVE');
    await onR1.query('RESET SLAVE ALL');
    await onR1.query('SET GLOBAL read_only = 0');
    const [[ro]] = (await onR1.query('SELECT @@global.read_only AS ro')) as unknown as [[{ ro: number }]];
    expect(ro.ro).toBe(0);

    const onR2 = await asOrc(r2);
    await onR2.query('STOP SLAVE');
    await onR2.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${r1.port}, MASTER_USER='${topo.replUser.user}', MASTER_PASSWORD='${topo.replUser.password}', MASTER_USE_GTID=slave_pos`,
    );
    await onR2.query('START SLAVE');

    await r1.query('CREATE DATABASE promoted');
    await waitFor(
      'r2 replicates from the promoted r1',
      async () =>
        (
          await r2.query<{ n: number }[]>(
            "SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name = 'promoted'",
          )
        )[0]?.n === 1
          ? true
          : undefined,
      { timeoutMs: 20_000 },
    );
    await onR1.query('FLUSH LOGS');
    await onP.query('SET GLOBAL read_only = 1');
  }, 60_000);
});
