// JSON schemas of every path parameter: fastify validates (and coerces) them before a handler
// runs, and a refusal names the field (see app.ts's error handler).
import { Type } from 'typebox';

/** A host name, IPv4 or IPv6 address: no slashes, no `..`, no spaces or control characters. */
export const Host = Type.String({
  pattern: '^([A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?|(?=[0-9A-Fa-f.]*:)[0-9A-Fa-f:.]{2,45})$',
  description: 'a host name or IP address',
});
/** A TCP port. */
export const Port = Type.Integer({ minimum: 1, maximum: 65535 });
/** `10m`, `1h`, `30s`, `2d`, or plain seconds. */
export const Duration = Type.String({ pattern: '^[0-9]{1,7}[smhd]?$', description: 'a duration like 10m, 1h, 2d' });
/** Free text (owner, reason): printable, bounded. */
export const Text = Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });
/** A cluster name, alias, or `host:port`. */
export const ClusterHint = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f/]+$' });
/** orchestrator's promotion rules that register-candidate accepts (`must` is refused, as orchestrator does). */
export const PromotionRuleParam = Type.Union([
  Type.Literal('prefer'),
  Type.Literal('neutral'),
  Type.Literal('prefer_not'),
  Type.Literal('must_not'),
]);

/** `/:host/:port`. */
export const HostPort = Type.Object({ host: Host, port: Port }, { additionalProperties: false });
/** `/:clusterHint`. */
export const ClusterHintParams = Type.Object({ clusterHint: ClusterHint }, { additionalProperties: false });
/** `/:page`. */
export const PageParams = Type.Object({ page: Type.Integer({ minimum: 0, maximum: 1_000_000 }) });

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** The longest downtime accepted: a year. */
export const MAX_DURATION_SECONDS = 366 * 86_400;

/**
 * Seconds in a {@link Duration}; undefined when it is longer than {@link MAX_DURATION_SECONDS}.
 *
 * @example
 * durationSeconds('10m') // 600
 */
export function durationSeconds(text: string): number | undefined {
  const m = /^([0-9]+)([smhd]?)$/.exec(text);
  if (m === null) return undefined;
  const seconds = Number(m[1]) * (UNIT_SECONDS[m[2] === '' ? 's' : (m[2] ?? 's')] ?? 1);
  return seconds > MAX_DURATION_SECONDS ? undefined : seconds;
}
