// The HTTP server: fastify with JSON-schema validation of every parameter (ADR 0600), orchestrator's
// paths under URLPrefix, GET and POST for each, auth before any handler, one error handler that
// turns every failure into an APIResponse with the status of errors.ts's table.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { authenticate } from './auth.js';
import type { ApiDeps } from './deps.js';
import { httpStatusOf } from './errors.js';
import { noopLogger } from './logger.js';
import { failure } from './response.js';
import type { RouteDef, RouteFlags } from './route.js';
import { clusterRoutes } from './routes/clusters.js';
import { healthRoutes } from './routes/health.js';
import { instanceRoutes } from './routes/instances.js';
import { kvStatusRoutes } from './routes/kv-status.js';
import { operationRoutes } from './routes/operations.js';
import { tagRoutes } from './routes/tags.js';
import { recoveryRoutes } from './routes/recovery.js';
import { refactoringRoutes } from './routes/refactoring.js';
import { webRoutes } from './routes/web.js';
import { raftRoutes } from './routes/raft.js';
import { leaderProxyHook } from './proxy.js';

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: { missingProperty?: string };
}

function fieldOf(issue: AjvIssue): string {
  const fromPath = (issue.instancePath ?? '').replace(/^\//, '').split('/')[0] ?? '';
  return fromPath !== '' ? fromPath : (issue.params?.missingProperty ?? 'request');
}

/**
 * Builds the API server (not yet listening): `await app.listen({ host, port })`.
 *
 * @example
 * const app = buildApi({ view, commands, node, options: { urlPrefix: '', auth: { method: '', user: '', password: '', userHeader: 'X-Forwarded-User', powerUsers: ['*'] }, readOnly: false, statusEndpoint: '/api/status' } });
 * const res = await app.inject('/api/clusters');
 */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const { options } = deps;
  const logger = deps.logger ?? noopLogger;
  const scrub = deps.scrub ?? ((t: string) => t);
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 65_536,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // Long enough for any hostname, short enough that a 100 kB path is refused before routing.
    routerOptions: { maxParamLength: 512, ignoreTrailingSlash: true },
    ajv: { customOptions: { coerceTypes: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    const flags = request.routeOptions.config as Partial<RouteFlags> | undefined;
    if (flags?.open === true || request.routeOptions.url === undefined) return;
    const caller = authenticate(request.headers, options.auth);
    if (caller === undefined) {
      reply.header('WWW-Authenticate', 'Basic realm="orc"');
      return reply
        .code(401)
        .send(failure('Unauthorized', [{ path: 'authorization', message: 'credentials required' }]));
    }
    if (flags?.mutates === true && (options.readOnly || !caller.canMutate)) {
      const why = options.readOnly ? 'orc is configured ReadOnly' : `user ${JSON.stringify(caller.user)} may only read`;
      return reply.code(403).send(failure(`Forbidden: ${why}`, [{ path: 'authorization', message: why }]));
    }
    return undefined;
  });

  // After authentication, so a follower refuses a read-only caller's mutation itself; the leader
  // checks the forwarded credentials again.
  if (deps.raft !== undefined)
    app.addHook(
      'onRequest',
      leaderProxyHook(deps.raft, logger, {
        userHeader: options.auth.userHeader,
        ...(deps.proxyFetch === undefined ? {} : { fetch: deps.proxyFetch }),
      }),
    );

  app.addHook('onResponse', async (request, reply) => {
    deps.onResponse?.(request.routeOptions.url ?? 'unknown', request.method, reply.statusCode, reply.elapsedTime);
  });

  app.setNotFoundHandler(async (request, reply) =>
    reply
      .code(404)
      .send(
        failure(`no route ${request.method} ${request.url.split('?')[0] ?? ''}`, [
          { path: 'url', message: 'no such route' },
        ]),
      ),
  );

  app.setErrorHandler(async (err: FastifyError & { details?: unknown }, request, reply) => {
    const validation = err.validation as AjvIssue[] | undefined;
    if (validation !== undefined && validation.length > 0) {
      const details = validation.map((v) => ({ path: fieldOf(v), message: v.message ?? 'is invalid' }));
      const message = details.map((d) => `${d.path}: ${d.message}`).join('; ');
      return reply.code(400).send(failure(message, details));
    }
    const status = httpStatusOf(err);
    const details = Array.isArray(err.details) ? err.details : [];
    const message = scrub(err.message);
    if (status >= 500)
      logger.error('request failed', { route: request.routeOptions.url, status, code: err.code, error: message });
    return reply.code(status).send(failure(message, details));
  });

  const register = <P extends TSchema, Q extends TSchema>(def: RouteDef<P, Q>): void => {
    for (const path of def.paths) {
      app.route({
        method: ['GET', 'POST'],
        url: `${options.urlPrefix}${path}`,
        config: {
          mutates: def.mutates === true,
          open: def.open === true,
          proxy: def.proxy ?? def.mutates === true,
        } satisfies RouteFlags,
        schema: {
          ...(def.params === undefined ? {} : { params: def.params }),
          ...(def.query === undefined ? {} : { querystring: def.query }),
        },
        handler: async (request, reply) =>
          def.handler({ params: request.params as never, query: request.query as never }, reply),
      });
    }
  };

  healthRoutes(register, deps);
  instanceRoutes(register, deps);
  clusterRoutes(register, deps);
  operationRoutes(register, deps);
  tagRoutes(register, deps);
  recoveryRoutes(register, deps);
  refactoringRoutes(register, deps);
  kvStatusRoutes(register, deps);
  webRoutes(app, options);
  raftRoutes(register, deps);
  app.route({
    method: ['GET', 'POST'],
    url: `${options.urlPrefix}/api/headers`,
    config: { mutates: false, open: false, proxy: false } satisfies RouteFlags,
    handler: async (request) => ({
      ...request.headers,
      ...(request.headers.authorization === undefined ? {} : { authorization: '<redacted>' }),
    }),
  });
  return app;
}
