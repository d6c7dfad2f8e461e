// The web page (apps/web, bundled at build time) at `<URLPrefix>/web/`, `/` redirecting there, and
// `/api/whoami`, which tells the page who the caller is and whether it may change state, so a
// read-only user is not shown buttons that would only earn a 403.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { authenticate } from '../auth.js';
import type { ApiOptions } from '../deps.js';
import { failure } from '../response.js';
import type { RouteFlags } from '../route.js';

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
  map: 'application/json',
};

/** What `/api/whoami` answers. */
export interface WhoAmI {
  /** The authenticated user; `""` when `AuthenticationMethod` is empty. */
  readonly User: string;
  /** Whether this caller's mutating requests are accepted (false under `ReadOnly`). */
  readonly CanMutate: boolean;
  readonly ReadOnly: boolean;
  readonly AuthenticationMethod: string;
}

/**
 * Registers `/web/*`, the `/` redirect and `/api/whoami` on an app built by `buildApi`. Files
 * come from `options.webRoot` (the page's `dist/`), read per request so a page built after the
 * daemon started is served; a name outside that folder is never read.
 *
 * @example
 * webRoutes(app, { ...options, webRoot: '/opt/orc/web' });
 * await app.inject('/api/whoami'); // { User: 'readonly', CanMutate: false, ... }
 */
export function webRoutes(app: FastifyInstance, options: ApiOptions): void {
  const prefix = options.urlPrefix;
  const flags = { mutates: false, open: false, proxy: false } satisfies RouteFlags;
  app.route({
    method: ['GET', 'POST'],
    url: `${prefix}/api/whoami`,
    config: flags,
    handler: async (request): Promise<WhoAmI> => {
      const caller = authenticate(request.headers, options.auth);
      return {
        User: caller?.user ?? '',
        CanMutate: caller !== undefined && caller.canMutate && !options.readOnly,
        ReadOnly: options.readOnly,
        AuthenticationMethod: options.auth.method,
      };
    },
  });
  app.get(`${prefix}/`, { config: flags }, async (_, reply) => reply.redirect(`${prefix}/web/`, 302));
  const serve = async (wanted: string, reply: FastifyReply): Promise<FastifyReply> => {
    const ext = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.([a-z]+)$/.exec(wanted)?.[1];
    const type = ext === undefined ? undefined : TYPES[ext];
    const root = options.webRoot;
    if (type === undefined || root === undefined)
      return reply.code(404).send(failure(`no web file ${wanted}`, [{ path: 'url', message: 'no such file' }]));
    let body: Buffer;
    try {
      body = await readFile(join(root, wanted));
    } catch (err) {
      // A missing file is the page not being built (or a stale link): say which, with a 404.
      const why = wanted === 'index.html' ? 'the web page is not built (pnpm --filter @orc/web build)' : 'no such file';
      return reply.code(404).send(failure(`no web file ${wanted}: ${String(err)}`, [{ path: 'url', message: why }]));
    }
    return reply.type(type).header('Cache-Control', 'no-cache').send(body);
  };
  // ignoreTrailingSlash routes `<prefix>/web/` here too: serve the page there, and send a bare
  // `<prefix>/web` to the slashed URL, which the page's relative links need.
  app.get(`${prefix}/web`, { config: flags }, async (request, reply) =>
    request.url.split('?')[0]?.endsWith('/') === true
      ? serve('index.html', reply)
      : reply.redirect(`${prefix}/web/`, 302),
  );
  app.get<{ Params: { '*': string } }>(`${prefix}/web/*`, { config: flags }, async (request, reply) =>
    serve(request.params['*'] === '' ? 'index.html' : request.params['*'], reply),
  );
}
