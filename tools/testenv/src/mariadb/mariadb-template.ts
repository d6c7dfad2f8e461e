import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestEnvError } from '../errors.js';
import type { Logger } from '../logger.js';
import { withFileLock } from '../core/file-lock.js';
import { removeDirQuietly, shortId } from '../core/paths.js';
import { tailOfFile } from '../core/server-process.js';
import { MARIADB_INNODB_ARGS, ORC_USER_PRIVILEGES, TEMPLATE_USERS } from './mariadb-users.js';

const execFileAsync = promisify(execFile);

/** Where the template came from: an existing cache entry or a fresh build. */
export interface MariaDbTemplate {
  /** The datadir to copy for each instance (never started itself). */
  readonly datadir: string;
  /** The server version, e.g. `10.11.19`. */
  readonly version: string;
  /** Whether this call built it (cold) rather than finding it cached (warm). */
  readonly created: boolean;
  /** Time spent in this call, including waiting for another process's build. */
  readonly ms: number;
}

/** Programs and places the template build uses. */
export interface MariaDbTemplateOptions {
  readonly mariadbd: string;
  readonly installDb: string;
  readonly cacheDir: string;
  readonly logger: Logger;
  readonly timeoutMs: number;
}

const versions = new Map<string, string>();

async function serverVersion(mariadbd: string): Promise<string> {
  const known = versions.get(mariadbd);
  if (known !== undefined) return known;
  const { stdout } = await execFileAsync(mariadbd, ['--version']);
  const version = /Ver\s+(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? 'unknown';
  versions.set(mariadbd, version);
  return version;
}

/** The SQL that turns a fresh datadir into the template: the users every instance shares. */
export function templateSql(): string {
  const { root, repl, orc } = TEMPLATE_USERS;
  return [
    // mariadb-install-db also creates password-less root@127.0.0.1, root@::1 and root@<hostname>;
    // root@127.0.0.1 would win over root@'%' for every TCP login. Keep root@localhost (socket).
    "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';",
    // --bootstrap runs with the grant tables unloaded; loading them lets CREATE USER work.
    'FLUSH PRIVILEGES;',
    `CREATE USER '${root.user}'@'%' IDENTIFIED BY '${root.password}';`,
    `GRANT ALL PRIVILEGES ON *.* TO '${root.user}'@'%' WITH GRANT OPTION;`,
    `CREATE USER '${repl.user}'@'%' IDENTIFIED BY '${repl.password}';`,
    `GRANT REPLICATION SLAVE ON *.* TO '${repl.user}'@'%';`,
    `CREATE USER '${orc.user}'@'%' IDENTIFIED BY '${orc.password}';`,
    `GRANT ${ORC_USER_PRIVILEGES.join(', ')} ON *.* TO '${orc.user}'@'%';`,
    `GRANT SELECT ON mysql.* TO '${orc.user}'@'%';`,
    '',
  ].join('\n');
}

/**
 * Returns the cached template datadir for this mariadbd, building it once per machine:
 * `mariadb-install-db`, then a bootstrap run that creates the shared users. The build runs in a
 * private directory (own --tmpdir, see reference section 9) under a lock file, and is renamed into
 * place only when complete, so concurrent runs neither race nor see half a template.
 */
export async function ensureMariaDbTemplate(options: MariaDbTemplateOptions): Promise<MariaDbTemplate> {
  const began = Date.now();
  const version = await serverVersion(options.mariadbd);
  const binary = statSync(options.mariadbd);
  const recipe = JSON.stringify([templateSql(), MARIADB_INNODB_ARGS, binary.size, binary.mtimeMs]);
  const key = `mariadb-${version}-${createHash('sha256').update(recipe).digest('hex').slice(0, 10)}`;
  const finalDir = join(options.cacheDir, key);
  const datadir = join(finalDir, 'datadir');
  const readyMark = join(finalDir, 'READY');
  if (existsSync(readyMark)) return { datadir, version, created: false, ms: Date.now() - began };

  try {
    mkdirSync(options.cacheDir, { recursive: true });
  } catch (cause) {
    throw new TestEnvError(
      'DIR_NOT_WRITABLE',
      `cannot create the MariaDB template cache ${options.cacheDir}: ${String(cause)}`,
      { cause },
    );
  }
  return withFileLock(`${finalDir}.lock`, { timeoutMs: options.timeoutMs }, async () => {
    if (existsSync(readyMark)) return { datadir, version, created: false, ms: Date.now() - began };
    removeDirQuietly(finalDir); // an incomplete leftover (no READY mark)
    const work = join(options.cacheDir, `${key}.build-${process.pid}-${shortId()}`);
    try {
      await buildTemplate(options, work);
      writeFileSync(join(work, 'READY'), `${new Date().toISOString()} ${version}\n`);
      renameSync(work, finalDir);
    } finally {
      removeDirQuietly(work);
    }
    const ms = Date.now() - began;
    options.logger.info('built MariaDB template datadir', { datadir, version, ms });
    return { datadir, version, created: true, ms };
  });
}

async function buildTemplate(options: MariaDbTemplateOptions, work: string): Promise<void> {
  const datadir = join(work, 'datadir');
  const tmp = join(work, 'tmp');
  const log = join(work, 'build.log');
  mkdirSync(tmp, { recursive: true });
  await run(options, log, options.installDb, [
    '--no-defaults',
    `--datadir=${datadir}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    `--tmpdir=${tmp}`,
    ...MARIADB_INNODB_ARGS,
  ]);
  await run(
    options,
    log,
    options.mariadbd,
    [
      '--no-defaults',
      '--bootstrap',
      `--datadir=${datadir}`,
      '--user=root',
      `--tmpdir=${tmp}`,
      '--skip-log-bin',
      ...MARIADB_INNODB_ARGS,
    ],
    templateSql(),
  );
  // Files the first start recreates; keeping them out makes each copy smaller.
  removeDirQuietly(join(datadir, 'ibtmp1'));
}

async function run(
  options: MariaDbTemplateOptions,
  log: string,
  command: string,
  args: string[],
  stdin?: string,
): Promise<void> {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(command, args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', fd, fd] });
    // A program that dies before reading its input makes the write fail with EPIPE: its exit
    // code and log say why, which is what the error below reports.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${command} exited with code ${String(code)}`);
  } catch (cause) {
    throw new TestEnvError(
      'TEMPLATE_FAILED',
      `building the MariaDB template datadir failed: ${String(cause)}; last lines of ${log}:\n${tailOfFile(log)}`,
      { cause, context: { log, command } },
    );
  } finally {
    closeSync(fd);
  }
}
