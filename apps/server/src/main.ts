// Entry point of the `orc` binary: flags, config, start, signals. Exit codes: 0 after a clean
// stop, 1 when a start or a stop fails, 2 for bad flags or configuration.
import { existsSync, readFileSync } from 'node:fs';
import { parseCliArgs, USAGE, type CliArgs } from './cli-args.js';
import { raftModeRefusal, runCliCommand } from './cli-command.js';
import { buildDaemonConfig } from './config/build.js';
import { loadConfig } from './config/load.js';
import { formatProblems } from './config/problems.js';
import { startDaemon } from './daemon.js';
import { createLogger } from './logging.js';

const STOP_BOUND_MS = 10_000;

// How `orc` and `orc -c` read a configuration file: the same files, the same way.
const CONFIG_FILES = { exists: existsSync, readFile: (p: string) => readFileSync(p, 'utf8') };

// `orc -c <command> [-i host:port] ... [--api URL]`: one command against a running orc's API.
async function cli(argv: string[]): Promise<number> {
  const rest = [...argv];
  const apiAt = rest.indexOf('--api');
  const api = apiAt >= 0 ? rest.splice(apiAt, 2)[1] : (process.env['ORC_API'] ?? 'http://127.0.0.1:3000');
  const configAt = rest.indexOf('--config');
  const configPath = configAt >= 0 ? rest.splice(configAt, 2)[1] : undefined;
  const c = rest.findIndex((a) => a === '-c' || a === '--command');
  rest.splice(c, 1);
  // The configuration is read only for RaftEnabled (the same file and environment the daemon
  // would read); the command itself talks to the API.
  const loaded = loadConfig({
    configPath,
    env: process.env,
    files: CONFIG_FILES,
  });
  const missing = loaded.problems.filter((p) => p.path === '--config');
  if (missing.length > 0) {
    process.stderr.write(`${formatProblems(missing)}\n`);
    return 2;
  }
  const refusal = raftModeRefusal(loaded.values);
  if (refusal !== undefined) {
    process.stderr.write(`orc: ${refusal}\n`);
    return 1;
  }
  try {
    return await runCliCommand(rest, api ?? 'http://127.0.0.1:3000', process.stdout, process.stderr);
  } catch (err) {
    process.stderr.write(`orc: ${(err as Error).message}\n`);
    return err instanceof TypeError ? 2 : 1;
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('-c') || argv.includes('--command')) return cli(argv);
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`orc: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const loaded = loadConfig({
    configPath: args.config,
    env: process.env,
    files: CONFIG_FILES,
  });
  for (const w of loaded.warnings) process.stderr.write(`orc: warning: ${w}\n`);
  if (loaded.problems.length > 0) {
    process.stderr.write(`${formatProblems(loaded.problems)}\n`);
    return 2;
  }
  const built = buildDaemonConfig(loaded.values, { readFile: (p) => readFileSync(p, 'utf8') });
  if ('problems' in built) {
    process.stderr.write(`${formatProblems(built.problems)}\n`);
    return 2;
  }
  const logger = createLogger(args.debug ? 'debug' : built.server.logLevel);
  logger.info('configuration read', { file: loaded.file ?? null, warnings: loaded.warnings.length });
  let daemon;
  try {
    daemon = await startDaemon({ config: built, logger });
  } catch (err) {
    logger.error('orc could not start', { error: (err as Error).message, code: (err as { code?: unknown }).code });
    process.stderr.write(`orc: ${(err as Error).message}\n`);
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const bound = setTimeout(() => {
    logger.error('orc did not stop in time; exiting', { boundMs: STOP_BOUND_MS });
    process.exit(1);
  }, STOP_BOUND_MS);
  bound.unref();
  try {
    await daemon.stop(signal);
    return 0;
  } catch (err) {
    logger.error('orc did not stop cleanly', { error: (err as Error).message });
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`orc: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
