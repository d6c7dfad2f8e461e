import type { FastifyReply } from 'fastify';
// orchestrator's envelope for answers that are not raw JSON.

/** `Code` is `OK` or `ERROR`; an `ERROR` is served with a non-2xx status (500 unless a table row says otherwise). */
export interface APIResponse<D = unknown> {
  readonly Code: 'OK' | 'ERROR';
  readonly Message: string;
  readonly Details: D;
}

/**
 * A success envelope.
 *
 * @example
 * ok('Instance forgotten: 127.0.0.1:3306', { Hostname: '127.0.0.1', Port: 3306 })
 */
export function ok<D>(message: string, details: D): APIResponse<D> {
  return { Code: 'OK', Message: message, Details: details };
}

/**
 * A failure envelope.
 *
 * @example
 * failure('port: must be <= 65535', [{ path: 'port', message: 'must be <= 65535' }])
 */
export function failure<D>(message: string, details: D): APIResponse<D> {
  return { Code: 'ERROR', Message: message, Details: details };
}

/**
 * Sends a bare JSON string (`"OK"`), as orchestrator's checks answer.
 *
 * @example
 * return jsonString(reply, 404, 'Not leader');
 */
export function jsonString(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(text));
}
