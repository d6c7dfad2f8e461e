// The daemon's flags, orchestrator's spelling: `orc --config FILE`, `--debug`.
import { parseArgs } from 'node:util';

/** Parsed flags. */
export interface CliArgs {
  readonly config: string | undefined;
  readonly debug: boolean;
  readonly help: boolean;
}

/** Usage text for `orc --help`. */
export const USAGE = `usage: orc [--config FILE] [--debug]
       orc -c <command> [-i host:port] [-a alias] [-d host:port] [-o owner] [-r reason] [-u duration] [--api URL]

Runs the orc daemon. Without --config, orc reads /etc/orchestrator.conf.json,
conf/orchestrator.conf.json or orchestrator.conf.json, the first that exists; with
none of them it runs on defaults: SQLite in ./orc-data, HTTP on 127.0.0.1:3000.
Any key can be overridden by an environment variable ORC_<Key>, e.g.
ORC_InstancePollSeconds=1 or ORC_DiscoverySeeds='["db1:3306"]'.
With -c, runs one of orchestrator's CLI commands (discover, forget, topology, clusters,
begin-downtime, end-downtime, submit-masters-to-kv-stores, recover [-d candidate],
graceful-master-takeover[-auto] -a alias|-i host:port [-d designated], force-master-failover,
force-master-takeover -d designated) against a running orc's API
(--api, else ORC_API, else http://127.0.0.1:3000).
Exit codes: 0 stopped, 1 could not start or stop, 2 bad flags or configuration.`;

/**
 * Parses the flags; throws a TypeError naming an unknown flag.
 *
 * @example
 * parseCliArgs(['--config', 'orc.conf.json']) // { config: 'orc.conf.json', debug: false, help: false }
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string' },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return { config: values.config, debug: values.debug ?? false, help: values.help ?? false };
}
