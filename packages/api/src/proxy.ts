// The reverse proxy of Raft mode (orchestrator's raft_reverse_proxy.go, with its two holes
// closed): a healthy follower forwards every mutating route to the leader with the caller's
// credentials, after authenticating the caller itself, so a read-only user is refused here and
// again by the leader (orchestrator issues #979, #1349). An unhealthy member, or one that knows
// no leader, answers 503 instead of serving stale state as if it led. A request that was already
// forwarded once is never forwarded again, so two nodes with stale leader URIs cannot loop.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RaftView } from './deps.js';
import type { Logger } from './logger.js';
import { failure } from './response.js';
import type { RouteFlags } from './route.js';

/** Marks a forwarded request; its value is the forwarding node's URL. */
export const PROXIED_HEADER = 'x-orc-proxied-by';

const FORWARDED_HEADERS = ['authorization', 'content-type', 'accept', 'user-agent'];

/**
 * The onRequest hook that forwards proxied routes from a follower to the leader.
 *
 * @example
 * app.addHook('onRequest', leaderProxyHook(raftView, logger, { timeoutMs: 5000, userHeader: 'X-Forwarded-User' }));
 */
export function leaderProxyHook(
  raft: RaftView,
  logger: Logger,
  options: { readonly timeoutMs?: number; readonly userHeader?: string; readonly fetch?: typeof fetch } = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = options.fetch ?? fetch;
  const headers = [
    ...FORWARDED_HEADERS,
    ...(options.userHeader === undefined ? [] : [options.userHeader.toLowerCase()]),
  ];
  return async (request, reply) => {
    const flags = request.routeOptions.config as Partial<RouteFlags> | undefined;
    if (flags?.proxy !== true || reply.sent) return undefined;
    const unavailable = (why: string): FastifyReply =>
      reply.code(503).send(failure(`Service unavailable: ${why}`, [{ path: 'raft', message: why }]));
    if (!raft.isHealthy()) return unavailable('this node is not a healthy Raft member');
    if (raft.role() === 'Leader') return undefined;
    if (request.headers[PROXIED_HEADER] !== undefined)
      return unavailable('forwarded here by another node, but this node does not lead');
    const leaderUri = raft.leaderUri();
    if (leaderUri === '' || leaderUri === raft.selfUri) return unavailable('the leader is not known yet');
    const forward: Record<string, string> = { [PROXIED_HEADER]: raft.selfUri };
    for (const h of headers) {
      const v = request.headers[h];
      if (typeof v === 'string') forward[h] = v;
    }
    const target = `${leaderUri}${request.url}`;
    let response: Response;
    try {
      response = await send(target, {
        method: request.method,
        headers: forward,
        signal: AbortSignal.timeout(timeoutMs),
        ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: await rawBody(request) }),
      });
    } catch (err) {
      logger.warn('proxy to the leader failed', { leader: leaderUri, url: request.url, error: String(err) });
      return unavailable(`the leader at ${leaderUri} did not answer`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type');
    if (type !== null) reply.type(type);
    const challenge = response.headers.get('www-authenticate');
    if (challenge !== null) reply.header('WWW-Authenticate', challenge);
    return reply.code(response.status).send(body);
  };
}

// onRequest runs before fastify parses a body; the raw stream is read here instead.
async function rawBody(request: FastifyRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request.raw) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
