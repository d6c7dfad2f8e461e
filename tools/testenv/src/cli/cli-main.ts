import { parseArgs } from 'node:util';
import { defaultBaseDir, registryDirOf } from '../core/paths.js';
import { isOwnerAlive, isServerAlive, readEntries, reapAll } from '../core/registry.js';
import { TestEnvError } from '../errors.js';
import { startEtcd, type EtcdServer } from '../etcd/etcd-server.js';
import { startMariaDbTopology, type MariaDbTopology } from '../mariadb/mariadb-topology.js';
import { startZooKeeper, type ZooKeeperServer } from '../zookeeper/zookeeper-server.js';
import type { Logger } from '../logger.js';

const USAGE = `usage: pnpm testenv <command> [options]

commands:
  up [--shape 1+2] [--zk] [--etcd] [--json]
        start servers on 127.0.0.1 and keep them up until Ctrl-C, then clean up.
        --shape S   a MariaDB topology: 1 (primary only), 1+2 (primary + 2 replicas), 1+2+1 (chain).
                    Default 1+2 when neither --zk nor --etcd is given.
        --zk        a standalone ZooKeeper      --etcd   a single-member etcd
        --json      print one JSON line with every endpoint instead of the text
        --verbose   log what each start does (stderr)
  status        list the servers in the registry (this machine, every run)
  down          kill every server in the registry (verified by command line) and remove its files
  help          this text

options for every command:
  --base-dir D  where servers and the registry live (default ${defaultBaseDir()})
`;

interface Started {
  topology?: MariaDbTopology;
  zk?: ZooKeeperServer;
  etcd?: EtcdServer;
}

const stderrLogger: Logger = {
  debug: (message, fields) => console.error(`debug ${message} ${JSON.stringify(fields ?? {})}`),
  info: (message, fields) => console.error(`info  ${message} ${JSON.stringify(fields ?? {})}`),
  warn: (message, fields) => console.error(`warn  ${message} ${JSON.stringify(fields ?? {})}`),
  error: (message, fields) => console.error(`error ${message} ${JSON.stringify(fields ?? {})}`),
};

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        shape: { type: 'string' },
        zk: { type: 'boolean', default: false },
        etcd: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        'base-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    console.error(`testenv: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = values.help ? 'help' : (positionals[0] ?? 'help');
  const baseDir = values['base-dir'] ?? defaultBaseDir();
  try {
    switch (command) {
      case 'help':
        console.log(USAGE);
        return 0;
      case 'status':
        return status(baseDir);
      case 'down':
        return await down(baseDir);
      case 'up':
        return await up({
          baseDir,
          shape: values.shape ?? (values.zk || values.etcd ? undefined : '1+2'),
          zk: values.zk,
          etcd: values.etcd,
          json: values.json,
          verbose: values.verbose,
        });
      default:
        console.error(`testenv: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(err instanceof TestEnvError ? `testenv: ${err.code}: ${err.message}` : err);
    return 1;
  }
}

function status(baseDir: string): number {
  const entries = readEntries(registryDirOf(baseDir));
  if (entries.length === 0) {
    console.log(`no servers registered in ${registryDirOf(baseDir)}`);
    return 0;
  }
  for (const e of entries) {
    const state = isServerAlive(e) ? `running pid ${e.pid}` : 'not running';
    const owner = isOwnerAlive(e) ? `owner ${e.ownerPid} alive` : `owner ${e.ownerPid} gone (reaped on the next start)`;
    const ports = Object.entries(e.ports)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    console.log(`${e.kind.padEnd(9)} ${e.name.padEnd(12)} ${ports.padEnd(28)} ${state.padEnd(20)} ${owner}  ${e.dir}`);
  }
  return 0;
}

async function down(baseDir: string): Promise<number> {
  const results = await reapAll(registryDirOf(baseDir));
  for (const r of results) {
    console.log(
      `${r.entry.kind} ${r.entry.name}: ${r.killed ? `killed pid ${r.entry.pid}` : 'not running'}, ${r.removedDir ? 'files removed' : `could not remove ${r.entry.dir}`}`,
    );
  }
  console.log(`down: ${results.length} server(s) reaped`);
  return results.every((r) => r.removedDir) ? 0 : 1;
}

interface UpOptions {
  baseDir: string;
  shape: string | undefined;
  zk: boolean;
  etcd: boolean;
  json: boolean;
  verbose: boolean;
}

async function up(o: UpOptions): Promise<number> {
  const started: Started = {};
  const logger = o.verbose ? stderrLogger : undefined;
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled([started.topology?.stop(), started.zk?.destroy(), started.etcd?.destroy()]);
  };
  // Registered before starting so that a Ctrl-C during the start is handled in order too.
  let wake: () => void = () => {};
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`testenv: ${signal} again, exiting now (the exit hook kills what is left)`);
      process.exit(130);
    }
    stopping = true;
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const began = Date.now();
  try {
    const [topology, zk, etcd] = await Promise.all([
      o.shape === undefined
        ? undefined
        : startMariaDbTopology({ shape: o.shape, baseDir: o.baseDir, ...(logger ? { logger } : {}) }),
      o.zk ? startZooKeeper({ baseDir: o.baseDir, ...(logger ? { logger } : {}) }) : undefined,
      o.etcd ? startEtcd({ baseDir: o.baseDir, ...(logger ? { logger } : {}) }) : undefined,
    ]);
    Object.assign(started, { topology, zk, etcd });
  } catch (err) {
    await stopAll();
    throw err;
  }
  printUp(started, o.json, Date.now() - began);
  if (!stopping) {
    const keepAlive = setInterval(() => {}, 1 << 30);
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    clearInterval(keepAlive);
  }
  console.error('testenv: stopping...');
  await stopAll();
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  console.error('testenv: stopped, files removed');
  return 0;
}

function printUp(s: Started, json: boolean, ms: number): void {
  if (json) {
    console.log(
      JSON.stringify({
        pid: process.pid,
        startMs: ms,
        mariadb: s.topology?.instances.map((i) => ({
          name: i.name,
          host: i.host,
          port: i.port,
          serverId: i.serverId,
          source: i.sourceName,
          pid: i.pid,
          datadir: i.datadir,
        })),
        users:
          s.topology === undefined
            ? undefined
            : { root: s.topology.primary.rootUser, orc: s.topology.orcUser, repl: s.topology.replUser },
        zookeeper: s.zk === undefined ? undefined : { connectString: s.zk.connectString, pid: s.zk.pid },
        etcd:
          s.etcd === undefined ? undefined : { endpoint: s.etcd.endpoint, peerPort: s.etcd.peerPort, pid: s.etcd.pid },
      }),
    );
    return;
  }
  const lines: string[] = [`testenv: up in ${ms} ms (owner pid ${process.pid})`];
  if (s.topology !== undefined) {
    lines.push('', 'MariaDB topology:');
    for (const i of s.topology.instances) {
      const role = i.sourceName === null ? 'primary' : `replica of ${i.sourceName}`;
      lines.push(`  ${i.name.padEnd(4)} ${role.padEnd(16)} server_id ${i.serverId}  ${i.clientCommand()}`);
    }
    const orc = s.topology.orcUser;
    lines.push(
      `  orc user: ${orc.user} / ${orc.password}   replication user: ${s.topology.replUser.user} / ${s.topology.replUser.password}`,
    );
  }
  if (s.zk !== undefined) lines.push('', `ZooKeeper: ${s.zk.connectString}   (echo ruok | nc 127.0.0.1 ${s.zk.port})`);
  if (s.etcd !== undefined) lines.push('', `etcd: ${s.etcd.endpoint}   (curl ${s.etcd.endpoint}/version)`);
  lines.push('', 'Ctrl-C stops everything and removes the files.');
  console.log(lines.join('\n'));
}
