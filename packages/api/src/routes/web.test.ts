import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import type { ApiOptions } from '../deps.js';
import { webRoutes } from './web.js';

const dir = mkdtempSync(join(tmpdir(), 'orc-web-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>orc</title>');
writeFileSync(join(dir, 'app.js'), 'console.log(1)');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (over: Partial<ApiOptions> = {}): ApiOptions => ({
  urlPrefix: '/orc',
  auth: { method: 'multi', user: 'admin', password: 'pw', userHeader: 'X-Forwarded-User', powerUsers: [] },
  readOnly: false,
  statusEndpoint: '/api/status',
  webRoot: dir,
  ...over,
});
const app = (over: Partial<ApiOptions> = {}): ReturnType<typeof Fastify> => {
  const a = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  webRoutes(a, options(over));
  return a;
};
const basic = (user: string, pw: string): string => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe('web routes', () => {
  it('redirects the root and /web to /web/ under the prefix', async () => {
    for (const url of ['/orc/', '/orc', '/orc/web']) {
      const res = await app().inject(url);
      expect([url, res.statusCode, res.headers['location']]).toEqual([url, 302, '/orc/web/']);
    }
  });

  it('serves the page and its files with their types, and nothing outside the folder', async () => {
    const index = await app().inject('/orc/web/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    const js = await app().inject('/orc/web/app.js');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await app().inject('/orc/web/../deps.ts')).statusCode).toBe(404);
    expect((await app().inject('/orc/web/%2e%2e%2fsecret.js')).statusCode).toBe(404);
    expect((await app().inject('/orc/web/missing.css')).statusCode).toBe(404);
  });

  it('says the page is not built when its folder has no index.html', async () => {
    const res = await app({ webRoot: join(dir, 'nowhere') }).inject('/orc/web/');
    expect(res.statusCode).toBe(404);
    expect(res.json().Details[0].message).toContain('not built');
  });

  it('tells the page who the user is and whether it may mutate', async () => {
    const who = async (headers: Record<string, string>, over: Partial<ApiOptions> = {}): Promise<unknown> =>
      (await app(over).inject({ url: '/orc/api/whoami', headers })).json();
    expect(await who({ authorization: basic('admin', 'pw') })).toMatchObject({ User: 'admin', CanMutate: true });
    expect(await who({ authorization: basic('readonly', 'x') })).toMatchObject({ User: 'readonly', CanMutate: false });
    expect(await who({ authorization: basic('admin', 'pw') }, { readOnly: true })).toMatchObject({
      CanMutate: false,
      ReadOnly: true,
    });
  });
});
