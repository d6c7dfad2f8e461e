import { describe, expect, it } from '@jest/globals';
import { ClientError } from './errors.js';
import { fakeHttp, json } from './fake-http.test-support.js';
import { detectLeaderApi, normalizeApi } from './leader.js';

const OK = json('OK');
const NOT_LEADER = json('Not leader', 404);

describe('normalizeApi', () => {
  it('appends /api when missing, as the original', () => {
    expect(normalizeApi('http://a:3000')).toBe('http://a:3000/api');
    expect(normalizeApi('http://a:3000/')).toBe('http://a:3000/api');
    expect(normalizeApi('http://a:3000/api')).toBe('http://a:3000/api');
    expect(normalizeApi('http://a:3000/api/')).toBe('http://a:3000/api');
    expect(normalizeApi('http://a:3000/orc')).toBe('http://a:3000/orc/api');
  });
});

describe('detectLeaderApi', () => {
  it('uses a single URL as given, without asking it', async () => {
    const http = fakeHttp({});
    expect(await detectLeaderApi('http://a:3000', { get: http.get, headers: {} })).toBe('http://a:3000/api');
    expect(http.calls).toEqual([]);
  });

  it('picks the first URL whose leader-check answers 200, each asked with a 1 s bound', async () => {
    const http = fakeHttp({
      'http://a/api/leader-check': NOT_LEADER,
      'http://b/api/leader-check': OK,
      'http://c/api/leader-check': OK,
    });
    expect(await detectLeaderApi('http://a  http://b\thttp://c', { get: http.get, headers: { X: '1' } })).toBe(
      'http://b/api',
    );
    expect(http.calls.map((c) => [c.url, c.timeoutMs, c.headers['X']])).toEqual([
      ['http://a/api/leader-check', 1000, '1'],
      ['http://b/api/leader-check', 1000, '1'],
    ]);
  });

  it('skips a dead node', async () => {
    const http = fakeHttp({ 'http://a/api/leader-check': 'down', 'http://b/api/leader-check': OK });
    expect(await detectLeaderApi('http://a http://b', { get: http.get, headers: {} })).toBe('http://b/api');
  });

  it('falls back to routed-leader-check when no URL is the leader', async () => {
    const http = fakeHttp({
      'http://a/api/leader-check': NOT_LEADER,
      'http://b/api/leader-check': NOT_LEADER,
      'http://a/api/routed-leader-check': json('Not leader', 500),
      'http://b/api/routed-leader-check': OK,
    });
    expect(await detectLeaderApi('http://a http://b', { get: http.get, headers: {} })).toBe('http://b/api');
    expect(http.calls.map((c) => c.url)).toEqual([
      'http://a/api/leader-check',
      'http://b/api/leader-check',
      'http://a/api/routed-leader-check',
      'http://b/api/routed-leader-check',
    ]);
  });

  it('says which URLs it tried when none leads', async () => {
    const http = fakeHttp({ 'http://a/api/leader-check': 'down', 'http://b/api/leader-check': NOT_LEADER });
    const err = await detectLeaderApi('http://a http://b', { get: http.get, headers: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).message).toBe('Cannot determine leader from http://a http://b');
    expect((err as ClientError).details).toEqual([
      { path: 'http://a/api/leader-check', message: 'ECONNREFUSED' },
      { path: 'http://b/api/leader-check', message: 'HTTP 404' },
      { path: 'http://a/api/routed-leader-check', message: 'HTTP 404' },
      { path: 'http://b/api/routed-leader-check', message: 'HTTP 404' },
    ]);
    expect((err as ClientError).exitCode).toBe(1);
  });
});
