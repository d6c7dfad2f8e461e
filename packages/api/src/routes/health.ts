// Health, status, load-balancer and leader checks, and the Kubernetes probes. All are served
// without authentication so that probes need no credentials.
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.js';
import { failure, jsonString, ok } from '../response.js';
import type { Register } from '../route.js';

/**
 * Registers the health routes.
 *
 * @example
 * healthRoutes(register, deps);
 */
export function healthRoutes(register: Register, deps: ApiDeps): void {
  const { node, options } = deps;
  const health = async (_: unknown, reply: FastifyReply): Promise<unknown> => {
    const status = await node.health();
    if (status.Healthy) return ok('Application node is healthy', status);
    return reply.code(500).send(failure('Application node is unhealthy', status));
  };
  register({ paths: ['/api/health'], open: true, handler: health });
  if (options.statusEndpoint !== '/api/health')
    register({ paths: [options.statusEndpoint], open: true, handler: health });
  register({
    paths: ['/api/lb-check', '/api/_ping'],
    open: true,
    handler: async (_, reply) => jsonString(reply, 200, 'OK'),
  });
  register({
    paths: ['/api/leader-check'],
    open: true,
    handler: async (_, reply) => jsonString(reply, node.isActive() ? 200 : 404, node.isActive() ? 'OK' : 'Not leader'),
  });
  register({
    paths: ['/api/leader-check/:errorStatusCode'],
    params: Type.Object({ errorStatusCode: Type.Integer({ minimum: 100, maximum: 599 }) }),
    open: true,
    handler: async ({ params }, reply) =>
      jsonString(reply, node.isActive() ? 200 : params.errorStatusCode, node.isActive() ? 'OK' : 'Not leader'),
  });
  const probe = (name: string, test: () => boolean) =>
    register({
      paths: [`/health/${name}`],
      open: true,
      handler: async (_, reply) =>
        test() ? ok(`${name}: yes`, { [name]: true }) : reply.code(503).send(failure(`${name}: no`, { [name]: false })),
    });
  probe('live', () => node.isLive());
  probe('ready', () => node.isReady());
  probe('leader', () => node.isActive());
}
