// One invocation of orc-client, from argv to exit status, with every effect injected (output,
// environment, HTTP, sleep) so that tests run it in-process.
import { callApi } from './api-call.js';
import { closest } from './closest.js';
import { COMMANDS, needValue, type CommandContext } from './commands.js';
import { ClientError } from './errors.js';
import { parseFlags, toHostPort, type ClientEnv, type ClientOptions } from './flags.js';
import { echoed, errorMessageText } from './format.js';
import { commandHelp, generalHelp } from './help.js';
import type { HttpGet } from './http.js';
import { detectLeaderApi } from './leader.js';

/** What a run may touch. */
export interface ClientIo {
  readonly program: string;
  readonly pid: number;
  readonly env: ClientEnv;
  /** The owner default (`whoami`). */
  readonly user: string;
  readonly get: HttpGet;
  readonly sleep: (ms: number) => Promise<void>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function authHeaders(o: ClientOptions): Record<string, string> {
  if (o.headersAuth !== '') {
    const at = o.headersAuth.indexOf(':');
    if (at > 0) return { [o.headersAuth.slice(0, at).trim()]: o.headersAuth.slice(at + 1).trim() };
    throw new ClientError('BAD_FLAG', `-e ${JSON.stringify(o.headersAuth)}: expected Header-Name:value`, {
      details: [{ path: '-e', message: 'expected Header-Name:value' }],
    });
  }
  if (o.auth !== ':' && o.auth !== '') return { Authorization: `Basic ${Buffer.from(o.auth).toString('base64')}` };
  return {};
}

function commandFor(o: ClientOptions, program: string): string {
  if (o.command === '')
    throw new ClientError(
      'NO_COMMAND',
      `No command given. Use ${program} -c <command> [...] or ${program} --command <command> [...] to do something useful`,
    );
  // As the original: the first "slave" in a command name reads as "replica".
  const name = o.command.replace('slave', 'replica');
  if (COMMANDS.has(name)) return name;
  const near = closest(name, [...COMMANDS.keys()]);
  throw new ClientError(
    'UNKNOWN_COMMAND',
    `Unsupported command ${o.command}${near === undefined ? '' : ` (did you mean ${near}?)`}; ${program} -c help lists them`,
  );
}

/**
 * Runs orc-client and resolves with its exit status (0, 1, or 2 for a bad command line).
 *
 * @example
 * const code = await runClient(['-c', 'clusters'], io);
 */
export async function runClient(argv: readonly string[], io: ClientIo): Promise<number> {
  const lines = (list: readonly string[]): void => {
    if (list.length > 0) io.stdout(`${list.join('\n')}\n`);
  };
  let options: ClientOptions | undefined;
  try {
    options = parseFlags(argv, io.env, io.user);
    const o = options;
    if (o.help && o.command === '') {
      io.stdout(generalHelp(io.program, [...COMMANDS.values()]));
      return 0;
    }
    const name = commandFor(o, io.program);
    const spec = COMMANDS.get(name);
    if (spec === undefined || spec.local === true || o.help) {
      io.stdout(
        spec !== undefined && o.help && name !== 'help'
          ? commandHelp(io.program, spec)
          : generalHelp(io.program, [...COMMANDS.values()]),
      );
      return 0;
    }
    const base = {
      options: o,
      instancePath: toHostPort(o.instance, o.defaultPort),
      destinationPath: toHostPort(o.destination, o.defaultPort),
      hint: o.alias !== '' ? o.alias : o.instance,
    };
    for (const need of spec.needs) {
      if (needValue(need, base) === '')
        throw new ClientError('MISSING_ARGUMENT', `${need} must be provided`, {
          details: [{ path: need, message: 'must be provided' }],
        });
    }
    const headers = authHeaders(o);
    const leaderApi = await detectLeaderApi(o.api, { get: io.get, headers });
    const transport = {
      base: leaderApi,
      headers,
      get: io.get,
      sleep: io.sleep,
      hasCredentials: Object.keys(headers).length > 0,
    };
    const ctx: CommandContext = { ...base, leaderApi, api: (path) => callApi(transport, path) };
    const result = await spec.run(ctx);
    if (o.json) io.stdout(`${JSON.stringify(result.json)}\n`);
    else lines(result.lines);
    return 0;
  } catch (err) {
    if (!(err instanceof ClientError)) {
      io.stderr(`${io.program}[${io.pid}]: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    return report(err, options, io);
  }
}

function report(err: ClientError, options: ClientOptions | undefined, io: ClientIo): number {
  const json = options?.json === true;
  if (err.code === 'API_ERROR') {
    const response = err.response as Record<string, unknown>;
    const spec = options === undefined ? undefined : COMMANDS.get(options.command.replace('slave', 'replica'));
    if (json) io.stdout(`${JSON.stringify(response)}\n`);
    else if (spec?.rawErrors === true) io.stdout(`${echoed(response)}\n`);
    else {
      // The original: the message on stderr, the details (when not null) on stdout.
      io.stderr(`${errorMessageText(response['Message'])}\n`);
      const details = response['Details'];
      if (details !== null && details !== undefined) io.stdout(`${echoed(details)}\n`);
    }
    return 1;
  }
  const tried = err.details.filter((d) => /^https?:/.test(d.path));
  const suffix =
    (err.code === 'NO_LEADER' || err.code === 'UNREACHABLE') && tried.length > 0
      ? `\n  tried:\n${tried.map((d) => `    ${d.path}: ${d.message}`).join('\n')}`
      : '';
  const hint = err.code === 'BAD_FLAG' ? `\nTry '${io.program} --help'.` : '';
  if (json) io.stdout(`${JSON.stringify({ Code: 'ERROR', Message: err.message, Details: err.details })}\n`);
  io.stderr(`${io.program}[${io.pid}]: ${err.message}${suffix}${hint}\n`);
  return err.exitCode;
}
