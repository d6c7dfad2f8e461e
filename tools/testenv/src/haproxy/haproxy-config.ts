import type { HaproxyConfigContext } from './haproxy-server.js';

/** One server behind the proxy. */
export interface LeaderCheckBackend {
  /** Server name in HAProxy (letters, digits, `-`, `_`). */
  readonly name: string;
  /** Host; default `127.0.0.1`. */
  readonly host?: string;
  /** The port traffic and the health check go to. */
  readonly port: number;
}

/** Options of {@link leaderCheckHaproxyConfig}. */
export interface LeaderCheckConfigOptions {
  readonly backends: readonly LeaderCheckBackend[];
  /** The HTTP health check path. Default `/api/leader-check` (200 on the leader only). */
  readonly checkPath?: string;
  /** Health check interval; also the time to notice a change. Default 200 ms. */
  readonly checkIntervalMs?: number;
  /** `tcp` (orchestrator's documented setup) or `http`. Default `tcp`. */
  readonly mode?: 'tcp' | 'http';
}

/**
 * The HAProxy setup orchestrator documents for a Raft group, on loopback: one frontend that
 * sends every connection to the first server whose `GET /api/leader-check` answers 200, so a
 * client through the proxy always reaches the leader. Returns a `config` for {@link startHaproxy}.
 *
 * @example
 * ```ts
 * const hap = await startHaproxy({ config: leaderCheckHaproxyConfig({ backends: [{ name: 'n1', port: 3001 }] }) });
 * ```
 */
export function leaderCheckHaproxyConfig(options: LeaderCheckConfigOptions): (ctx: HaproxyConfigContext) => string {
  const path = options.checkPath ?? '/api/leader-check';
  const inter = options.checkIntervalMs ?? 200;
  const mode = options.mode ?? 'tcp';
  return (ctx) =>
    [
      'defaults',
      `    mode ${mode}`,
      '    timeout connect 1s',
      '    timeout client 30s',
      '    timeout server 30s',
      '    timeout check 500ms',
      '',
      'listen leader',
      `    bind ${ctx.host}:${ctx.port}`,
      `    option httpchk GET ${path}`,
      '    http-check expect status 200',
      '    balance first',
      '    retries 1',
      `    default-server fall 1 rise 1 inter ${inter}ms downinter ${inter}ms on-marked-down shutdown-sessions`,
      ...options.backends.map((b) => `    server ${b.name} ${b.host ?? ctx.host}:${b.port} check`),
      '',
    ].join('\n');
}
