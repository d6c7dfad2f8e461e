// The help texts: one page for the client, one per command (`-c <command> --help`).
import type { CommandSpec, Need } from './commands.js';

const NEED_FLAGS: Record<Need, string> = {
  instance: '-i <host[:port]>',
  'instance|alias': '(-i <host[:port]> | -alias <alias>)',
  destination: '-d <host[:port]>',
  owner: '-o <owner>',
  reason: '-r <reason>',
  duration: '-u <duration>',
  'promotion-rule': '-R <rule>',
  tag: '-t <tag>',
  pool: '-l <pool>',
  hostname: '-H <hostname>',
  path: '-P <api path>',
  query: '-q <query>',
  binlog: '-n <binlog>',
  seconds: '-S <seconds>',
};

const FLAGS = `Flags (each also as -name or --name, and --name=value):
  -c, --command <command>         the command to run (listed below)
  -i, --instance <host[:port]>    the instance (default $ORCHESTRATOR_INSTANCE; port from -D, 3306)
  -d, --destination, -s <host[:port]>
                                  the destination instance of a move or takeover
  -a, --alias <alias>             a cluster alias (or name) instead of -i
  -D, --default-port <port>       port of -i/-d when they name none (3306)
  -o, --owner <owner>             owner of a downtime or maintenance (default: your user name)
  -r, --reason <reason>           reason of a downtime or maintenance; comment of an ack
  -u, --duration <duration>       downtime length: 30s, 10m, 2h, 1d (default 10m)
  -R, --promotion-rule <rule>     prefer, neutral, prefer_not or must_not (register-candidate)
  -t, --tag <tag>                 tag as name or name=value
  -l, --pool <pool>               pool name
  -H, --hostname <hostname>       host for hostname-unresolve and raft-elect-leader
  -U, --api <url>                 API URL(s), space-separated; overrides $ORCHESTRATOR_API
  -P, --path <api path>           with -c api: the path to GET
  -q, --query <query>             query of restart-replica-statements
  -b, --auth <user:password>      basic auth (default $ORCHESTRATOR_AUTH_USER:$ORCHESTRATOR_AUTH_PASSWORD)
  -e, --headers-auth <header:user>
                                  header auth (default $ORCHESTRATOR_AUTH_USER_HEADER)
  -n, --binlog <binlog>           binary log of purge-binary-logs
  -S, --seconds <seconds>         seconds of delay-replication
      --json                      print the daemon's JSON answer instead of text
  -h, --help                      this help; with -c, the command's help`;

/**
 * The client's help page.
 *
 * @example
 * process.stdout.write(generalHelp('orc-client', [...COMMANDS.values()]));
 */
export function generalHelp(program: string, commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const groups = new Map<string, CommandSpec[]>();
  for (const c of commands) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const listing = [...groups]
    .map(([group, list]) => [`${group}:`, ...list.map((c) => `  ${c.name.padEnd(width)}${c.summary}`)].join('\n'))
    .join('\n');
  return `Usage: ${program} -c <command> [flags...]
Example: ${program} -c which-master -i some.replica:3306
Environment: ORCHESTRATOR_API (one URL or a space-separated list; the leader is found by
leader-check), ORCHESTRATOR_INSTANCE, ORCHESTRATOR_AUTH_USER, ORCHESTRATOR_AUTH_PASSWORD,
ORCHESTRATOR_AUTH_USER_HEADER.

${FLAGS}

Commands (${program} -c <command> --help for one):
${listing}
`;
}

/**
 * One command's help: what it does, the flags it needs, the API path, what it prints.
 *
 * @example
 * commandHelp('orc-client', COMMANDS.get('relocate')!)
 */
export function commandHelp(program: string, c: CommandSpec): string {
  const needs = c.needs.map((n) => NEED_FLAGS[n]).join(' ');
  return `${program} -c ${c.name}: ${c.summary}
Usage: ${program} -c ${c.name}${needs === '' ? '' : ` ${needs}`} [--json]
Calls: GET <api>/${c.route}
Prints: ${c.prints}; with --json, the daemon's JSON answer.
Exit status: 0 on success, 1 when the daemon answers an error or cannot be reached, 2 for a bad flag.
`;
}
