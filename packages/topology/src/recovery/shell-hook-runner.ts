import { spawn } from 'node:child_process';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import { applyPlaceholders, hookEnvironment } from './hook-placeholders.js';
import type { HookKind } from './recovery-config.js';
import type { HookCommandResult, HookContext, HookRunner } from './recovery-ports.js';

/** Options of {@link ShellHookRunner}. */
export interface ShellHookRunnerOptions {
  /** `ProcessesShellCommand` ("bash"): commands run as `<shell> -c <command>`. */
  readonly shell: string;
  /** Each synchronous command is killed (SIGKILL) after this long. */
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Base environment (default: the process's); the `ORC_*` variables are added to it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Output kept per command, at most: the audit holds it, so it is bounded. */
const MAX_OUTPUT = 16 * 1024;

/** The lists whose first failure stops the list (and, for the engine, the recovery). */
const STOPS_ON_FAILURE: ReadonlySet<HookKind> = new Set([
  'onFailureDetectionProcesses',
  'preFailoverProcesses',
  'preGracefulTakeoverProcesses',
]);

/**
 * Runs hook commands in a shell as orchestrator does: placeholders filled in, `ORC_*` variables
 * set, a trailing `&` runs the command in the background (its result is logged, not awaited).
 * Every command is bounded by `timeoutMs`; stdout and stderr are captured for the audit, never
 * written to the daemon's output. OnFailureDetection and Pre* lists stop at the first failure.
 *
 * @example
 * const hooks = new ShellHookRunner({ shell: 'bash', timeoutMs: 60_000, clock: systemClock });
 * const results = await hooks.run('preFailoverProcesses', ['/usr/local/bin/pre-failover {failedHost}'], ctx);
 */
export class ShellHookRunner implements HookRunner {
  readonly #o: ShellHookRunnerOptions;
  readonly #logger: Logger;

  constructor(options: ShellHookRunnerOptions) {
    this.#o = options;
    this.#logger = options.logger ?? noopLogger;
  }

  async run(kind: HookKind, commands: readonly string[], context: HookContext): Promise<readonly HookCommandResult[]> {
    const results: HookCommandResult[] = [];
    const env = { ...(this.#o.env ?? process.env), ...hookEnvironment(context) };
    for (const raw of commands) {
      const trimmed = raw.trim();
      const isAsync = trimmed.endsWith('&');
      const command = applyPlaceholders(isAsync ? trimmed.slice(0, -1).trim() : trimmed, context);
      if (isAsync) {
        void this.#exec(command, env).then((r) =>
          this.#logger.info('async hook finished', {
            kind,
            command,
            exitCode: r.exitCode,
            isTimedOut: r.isTimedOut,
            output: r.output,
          }),
        );
        results.push({ command, isAsync: true, exitCode: null, isTimedOut: false, output: '', durationMs: 0 });
        continue;
      }
      const r = await this.#exec(command, env);
      results.push(r);
      if (r.exitCode !== 0 && STOPS_ON_FAILURE.has(kind)) break;
    }
    return results;
  }

  #exec(command: string, env: Readonly<Record<string, string | undefined>>): Promise<HookCommandResult> {
    const started = this.#o.clock.now();
    return new Promise((resolve) => {
      let output = '';
      let isTimedOut = false;
      const keep = (chunk: Buffer): void => {
        if (output.length < MAX_OUTPUT) output += chunk.toString('utf8').slice(0, MAX_OUTPUT - output.length);
      };
      const child = spawn(this.#o.shell, ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const timer = this.#o.clock.setTimer(this.#o.timeoutMs, () => {
        isTimedOut = true;
        child.kill('SIGKILL');
      });
      const done = (exitCode: number | null, extra = ''): void => {
        timer.cancel();
        resolve({
          command,
          isAsync: false,
          exitCode,
          isTimedOut,
          output: output + extra,
          durationMs: this.#o.clock.now() - started,
        });
      };
      child.on('error', (error) => done(null, `could not start ${this.#o.shell}: ${error.message}`));
      child.on('close', (code) => done(isTimedOut ? null : code));
    });
  }
}
