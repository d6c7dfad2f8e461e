import { describe, expect, it } from '@jest/globals';
import { basic, db1, multiAuth, routeFixture } from '../../test/support/route-fixture.js';
import type { AuthSettings } from '../deps.js';

function fixture(auth?: AuthSettings) {
  return routeFixture({
    ...(auth === undefined ? {} : { auth }),
    view: {
      instanceTags: async () => [
        { name: 'role', value: 'olap' },
        { name: 'dc', value: '' },
      ],
      taggedInstances: async (name, value) => (name === 'role' && (value ?? 'olap') === 'olap' ? [db1] : []),
    },
    answer: (c) => (c.kind === 'delete-instance-tag' ? { keys: [db1] } : {}),
  });
}

describe('tag routes', () => {
  it('reads tags of an instance, a tag value and the instances holding a tag', async () => {
    const { app } = fixture();
    expect((await app.inject('/api/tags/db1/3306')).json()).toEqual(['role=olap', 'dc']);
    expect((await app.inject('/api/tag-value/db1/3306?tag=role')).body).toBe('olap');
    expect((await app.inject('/api/tag-value/db1/3306/role')).body).toBe('olap');
    expect((await app.inject('/api/tag-value/db1/3306?tag=none')).statusCode).toBe(404);
    expect((await app.inject('/api/tagged?tag=role=olap')).json()).toEqual([db1]);
    expect((await app.inject('/api/tagged?tag=role=oltp')).json()).toEqual([]);
    expect((await app.inject('/api/tagged')).statusCode).toBe(400);
  });

  it('submits tag, untag and untag-all through the command bus', async () => {
    const { app, submitted } = fixture();
    expect((await app.inject('/api/tag/db1/3306?tag=role=olap')).json()).toMatchObject({ Code: 'OK', Details: db1 });
    await app.inject('/api/tag/db1/3306/dc/east');
    expect((await app.inject('/api/untag/db1/3306?tag=role')).json()).toMatchObject({ Details: [db1] });
    expect((await app.inject('/api/untag-all?tag=dc=east')).json()).toMatchObject({ Details: [db1] });
    expect(submitted).toEqual([
      { kind: 'put-instance-tag', key: db1, name: 'role', value: 'olap' },
      { kind: 'put-instance-tag', key: db1, name: 'dc', value: 'east' },
      { kind: 'delete-instance-tag', key: db1, name: 'role', value: undefined },
      { kind: 'delete-instance-tag', key: undefined, name: 'dc', value: 'east' },
    ]);
  });

  it('refuses mutations to read-only users', async () => {
    const { app, submitted } = fixture(multiAuth);
    const readonly = { authorization: basic('readonly', 'any') };
    for (const url of ['/api/tag/db1/3306?tag=a', '/api/untag/db1/3306?tag=a', '/api/untag-all?tag=a']) {
      const res = await app.inject({ url, headers: readonly });
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    expect(submitted).toEqual([]);
    expect((await app.inject({ url: '/api/tags/db1/3306', headers: readonly })).statusCode).toBe(200);
  });
});
