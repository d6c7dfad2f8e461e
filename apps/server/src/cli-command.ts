// `orc -c <command>`: orchestrator's CLI commands that make sense without Raft, run against a
// running orc's API (`--api`, else ORC_API, else http://127.0.0.1:3000), so the CLI never holds
// a second copy of the state. Flags as orchestrator's: -i instance, -a alias, -o owner, -r reason,
// -u duration. Output: the topology's text, one line per item of a list, else the JSON answer.
import { parseArgs } from 'node:util';

/** A command turned into the API request it stands for. */
export interface CliRequest {
  readonly path: string;
  /** How to print the answer. */
  readonly output: 'details-text' | 'lines' | 'json' | 'details-key' | 'successor-key';
}

/** Commands `orc -c` knows. */
export const CLI_COMMANDS: readonly string[] = [
  'discover',
  'forget',
  'topology',
  'clusters',
  'begin-downtime',
  'end-downtime',
  'submit-masters-to-kv-stores',
  'recover',
  'graceful-master-takeover',
  'graceful-master-takeover-auto',
  'force-master-failover',
  'force-master-takeover',
];

const OPTIONS = {
  instance: { type: 'string', short: 'i' },
  alias: { type: 'string', short: 'a' },
  destination: { type: 'string', short: 'd' },
  owner: { type: 'string', short: 'o' },
  reason: { type: 'string', short: 'r' },
  duration: { type: 'string', short: 'u' },
} as const;

// orchestrator-client also takes its long flags with one dash (`-alias shop`).
const longFlag = (arg: string): string => (/^-[a-z]{2,}$/.test(arg) && arg.slice(1) in OPTIONS ? `-${arg}` : arg);

const hostPort = (instance: string | undefined, command: string, flag = '-i'): string => {
  if (instance === undefined || instance === '') throw new TypeError(`${command}: ${flag} host:port is required`);
  const m = /^([^:\s/]+)(?::(\d+))?$/.exec(instance);
  if (m === null) throw new TypeError(`${command}: ${flag} must be host or host:port, got ${JSON.stringify(instance)}`);
  return `${encodeURIComponent(m[1] ?? '')}/${m[2] ?? '3306'}`;
};

/**
 * The API request of a command line (everything after `-c`).
 *
 * @example
 * cliRequest(['discover', '-i', 'db1:3306']) // { path: '/api/discover/db1/3306', output: 'json' }
 */
export function cliRequest(argv: readonly string[]): CliRequest {
  const { values, positionals } = parseArgs({
    args: argv.map(longFlag),
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const command = positionals[0] ?? '';
  const enc = (s: string): string => encodeURIComponent(s);
  switch (command) {
    case 'discover':
    case 'forget':
    case 'end-downtime':
      return { path: `/api/${command}/${hostPort(values.instance, command)}`, output: 'json' };
    case 'topology': {
      const target = values.alias ?? values.instance;
      if (target === undefined) throw new TypeError('topology: -a alias or -i host:port is required');
      return { path: `/api/topology/${enc(target)}`, output: 'details-text' };
    }
    case 'clusters':
      return { path: '/api/clusters', output: 'lines' };
    case 'begin-downtime': {
      const owner = values.owner ?? process.env['USER'] ?? 'orc';
      if (values.reason === undefined || values.reason === '')
        throw new TypeError('begin-downtime: -r reason is required');
      const duration = values.duration ?? '10m';
      return {
        path: `/api/begin-downtime/${hostPort(values.instance, command)}/${enc(owner)}/${enc(values.reason)}/${enc(duration)}`,
        output: 'json',
      };
    }
    case 'submit-masters-to-kv-stores':
      return {
        path: `/api/submit-masters-to-kv-stores${values.alias === undefined ? '' : `/${enc(values.alias)}`}`,
        output: 'json',
      };
    case 'recover': {
      const candidate = values.destination === undefined ? '' : `/${hostPort(values.destination, command, '-d')}`;
      return { path: `/api/recover/${hostPort(values.instance, command)}${candidate}`, output: 'details-key' };
    }
    case 'graceful-master-takeover':
    case 'graceful-master-takeover-auto':
    case 'force-master-failover':
    case 'force-master-takeover': {
      // `-a alias` names the cluster; `-i host:port` any of its members, as orchestrator-client's `${alias:-$instance}`.
      const cluster =
        values.alias !== undefined && values.alias !== ''
          ? enc(values.alias)
          : values.instance !== undefined && values.instance !== ''
            ? hostPort(values.instance, command)
            : undefined;
      if (cluster === undefined) throw new TypeError(`${command}: -a alias or -i host:port is required`);
      if (command === 'force-master-takeover' && (values.destination ?? '') === '')
        throw new TypeError(`${command}: -d host:port of the replica to promote is required`);
      if (command === 'force-master-failover' && values.destination !== undefined)
        throw new TypeError(`${command}: orc picks the replica; use force-master-takeover -d to name it`);
      const designated = values.destination === undefined ? '' : `/${hostPort(values.destination, command, '-d')}`;
      return { path: `/api/${command}/${cluster}${designated}`, output: 'successor-key' };
    }
    default:
      throw new TypeError(`unknown command ${JSON.stringify(command)}; known: ${CLI_COMMANDS.join(', ')}`);
  }
}

/**
 * What `orc -c` prints for a successful answer.
 *
 * @example
 * cliOutput('successor-key', { Code: 'OK', Message: '', Details: { SuccessorKey: { Hostname: 'db2', Port: 3306 } } }) // 'db2:3306\n'
 */
export function cliOutput(output: CliRequest['output'], body: unknown): string {
  const details = (body as { Details?: unknown } | null)?.Details;
  switch (output) {
    case 'details-text':
      return `${String(details)}\n`;
    case 'details-key':
    case 'successor-key': {
      // orchestrator-client prints the promoted instance as host:port.
      const key = (
        output === 'details-key' ? details : (details as { SuccessorKey?: unknown } | null)?.SuccessorKey
      ) as { Hostname?: unknown; Port?: unknown } | null | undefined;
      return `${String(key?.Hostname ?? '')}:${String(key?.Port ?? '')}\n`;
    }
    case 'lines':
      if (Array.isArray(body)) return body.map((x) => `${String(x)}\n`).join('');
      return `${JSON.stringify(body, null, 2)}\n`;
    case 'json':
      return `${JSON.stringify(body, null, 2)}\n`;
  }
}

/**
 * Why `orc -c` must not run with this configuration, or undefined. As orchestrator's CLI, it refuses
 * when `RaftEnabled` is true: a Raft group is driven through its leader, which orc-client finds (a
 * node named by `--api` may be a follower, or cut off from the group).
 *
 * @example
 * raftModeRefusal({ RaftEnabled: true }); // 'orc -c is not supported when RaftEnabled is true ...'
 */
export function raftModeRefusal(values: Readonly<Record<string, unknown>>): string | undefined {
  if (values['RaftEnabled'] !== true) return undefined;
  return (
    'orc -c is not supported when RaftEnabled is true (Raft mode): use orc-client, which finds the leader ' +
    '(ORCHESTRATOR_API="http://node1:3000/api http://node2:3000/api ..." orc-client -c <command>)'
  );
}

/**
 * Runs one command against the API; returns the exit code (0 OK, 1 the API said ERROR or failed).
 *
 * @example
 * process.exitCode = await runCliCommand(['clusters'], 'http://127.0.0.1:3000', process.stdout, process.stderr);
 */
export async function runCliCommand(
  argv: readonly string[],
  api: string,
  out: { write(s: string): unknown },
  err: { write(s: string): unknown },
): Promise<number> {
  const req = cliRequest(argv);
  const res = await fetch(`${api.replace(/\/+$/, '')}${req.path}`);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    err.write(`orc: ${res.status} ${text}\n`);
    return 1;
  }
  const envelope = body as { Code?: unknown; Message?: unknown; Details?: unknown };
  if (envelope.Code === 'ERROR' || !res.ok) {
    err.write(`orc: ${typeof envelope.Message === 'string' ? envelope.Message : `${res.status} ${text}`}\n`);
    return 1;
  }
  out.write(cliOutput(req.output, body));
  return 0;
}
