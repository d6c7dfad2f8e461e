import { describe, expect, it } from '@jest/globals';
import { basic, multiAuth, routeFixture } from '../../test/support/route-fixture.js';
import type { AuthSettings } from '../deps.js';

function fixture(auth?: AuthSettings) {
  const disabled = new Set<string>();
  return routeFixture({
    ...(auth === undefined ? {} : { auth }),
    view: { clusterRecoveriesDisabled: async (name) => disabled.has(name) },
    answer: (c) => {
      if (c.kind === 'disable-cluster-recoveries') disabled.add(c.cluster);
      if (c.kind === 'enable-cluster-recoveries') disabled.delete(c.cluster);
      return {};
    },
  });
}

describe('per-cluster recovery switch routes', () => {
  it('resolve the cluster hint (alias or member) and submit the command with the cluster name', async () => {
    const { app, submitted } = fixture();
    const check = async (): Promise<unknown> => (await app.inject('/api/check-cluster-recoveries/shop')).json();
    expect(await check()).toEqual({
      Code: 'OK',
      Message: 'Recoveries of cluster db1:3306 enabled',
      Details: 'enabled',
    });
    const off = await app.inject('/api/disable-cluster-recoveries/shop');
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ Code: 'OK', Message: 'Disabled recoveries of cluster db1:3306', Details: 'db1:3306' });
    expect(await check()).toMatchObject({ Details: 'disabled' });
    const on = await app.inject({ method: 'POST', url: '/api/enable-cluster-recoveries/db1:3306' });
    expect(on.json()).toEqual({ Code: 'OK', Message: 'Enabled recoveries of cluster db1:3306', Details: 'db1:3306' });
    expect(await check()).toMatchObject({ Details: 'enabled' });
    expect(submitted).toEqual([
      { kind: 'disable-cluster-recoveries', cluster: 'db1:3306' },
      { kind: 'enable-cluster-recoveries', cluster: 'db1:3306' },
    ]);
  });

  it('answer an unknown cluster with an error and submit nothing', async () => {
    const { app, submitted } = fixture();
    const res = await app.inject('/api/disable-cluster-recoveries/nosuch');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.json()).toMatchObject({ Code: 'ERROR' });
    expect(submitted).toEqual([]);
  });

  it('refuse read-only users like the global switch', async () => {
    const { app, submitted } = fixture(multiAuth);
    const readonly = { authorization: basic('readonly', 'any') };
    for (const url of [
      '/api/disable-cluster-recoveries/shop',
      '/api/enable-cluster-recoveries/shop',
      '/api/disable-global-recoveries',
    ]) {
      const res = await app.inject({ url, headers: readonly });
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    expect(submitted).toEqual([]);
    const admin = { authorization: basic('admin', 'pw') };
    const res = await app.inject({ url: '/api/disable-cluster-recoveries/shop', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(submitted).toEqual([{ kind: 'disable-cluster-recoveries', cluster: 'db1:3306' }]);
  });
});
