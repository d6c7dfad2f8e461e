import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import { TestEnvError } from '../errors.js';

const SETPRIV = '/usr/bin/setpriv';
let setprivUsable: boolean | undefined;

function hasSetpriv(): boolean {
  if (setprivUsable === undefined) {
    try {
      accessSync(SETPRIV, constants.X_OK);
      setprivUsable = true;
    } catch {
      setprivUsable = false;
    }
  }
  return setprivUsable;
}

/** How one server process is launched. */
export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** How a process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One spawned server process. It runs in its own process group (detached) so that a Ctrl-C at a
 * terminal reaches only the owner, which then stops its servers in order; it is unref'd so a test
 * process that forgot a server can still exit. Through `setpriv --pdeathsig SIGKILL` (util-linux,
 * always on Debian; it execs, so the pid and command line are the server's own) the kernel kills
 * the server when its owner dies, even by SIGKILL: exit handlers do not run inside jest's sandbox.
 */
export class ServerProcess {
  readonly pid: number;
  readonly #exited: Promise<ExitInfo>;
  #exitInfo: ExitInfo | null = null;

  private constructor(child: ChildProcess, pid: number) {
    this.pid = pid;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitInfo = { code, signal };
        resolve(this.#exitInfo);
      });
    });
  }

  /** Spawns the process; resolves once it runs (or rejects when the program cannot be executed). */
  static async spawn(spec: ProcessSpec): Promise<ServerProcess> {
    let fd: number;
    try {
      fd = openSync(spec.logFile, 'a');
    } catch (cause) {
      throw new TestEnvError('DIR_NOT_WRITABLE', `cannot open the log file ${spec.logFile}: ${String(cause)}`, {
        cause,
        context: { logFile: spec.logFile },
      });
    }
    try {
      const [command, args] = hasSetpriv()
        ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', spec.command, ...spec.args]]
        : [spec.command, [...spec.args]];
      const child = spawn(command, args, {
        cwd: spec.cwd,
        env: spec.env ?? process.env,
        stdio: ['ignore', fd, fd],
        detached: true,
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      child.unref();
      if (child.pid === undefined) throw new Error(`${spec.command} has no pid after spawn`);
      return new ServerProcess(child, child.pid);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new TestEnvError(
        code === 'ENOENT' || code === 'EACCES' ? 'BINARY_MISSING' : 'PROCESS_EXITED',
        `cannot run ${spec.command}: ${String(cause)}`,
        { cause, context: { command: spec.command } },
      );
    } finally {
      closeSync(fd);
    }
  }

  /** The exit status once the process ended, else null. */
  get exitInfo(): ExitInfo | null {
    return this.#exitInfo;
  }

  /** Whether the process has ended. */
  get hasExited(): boolean {
    return this.#exitInfo !== null;
  }

  /** Resolves when the process ends. */
  get exited(): Promise<ExitInfo> {
    return this.#exited;
  }

  /** Sends a signal; ignores a process that is already gone. */
  signal(sig: NodeJS.Signals): void {
    if (this.hasExited) return;
    try {
      process.kill(this.pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async terminate(graceMs: number): Promise<ExitInfo> {
    this.signal('SIGTERM');
    const info = await waitFor(this.#exited, graceMs);
    if (info !== undefined) return info;
    return this.killHard();
  }

  /** SIGKILL; resolves when the process is gone. */
  async killHard(): Promise<ExitInfo> {
    this.signal('SIGKILL');
    const info = await waitFor(this.#exited, 10_000);
    if (info === undefined) {
      throw new TestEnvError('STOP_TIMEOUT', `process ${this.pid} did not end 10 s after SIGKILL`, {
        context: { pid: this.pid },
      });
    }
    return info;
  }
}

function waitFor<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** The last `lines` lines of a text file (from byte `fromOffset` on), or a note saying why there are none. */
export function tailOfFile(file: string, lines = 25, fromOffset = 0): string {
  try {
    const text = readFileSync(file).subarray(fromOffset).toString('utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n')
      .trimEnd();
  } catch (err) {
    return `(no log at ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
}

/** Promise-based sleep for polling loops with a deadline. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
