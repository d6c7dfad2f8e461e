// A scripted HttpGet for unit tests: answers by URL, records every call. No sockets.
import { ClientError } from './errors.js';
import type { HttpAnswer, HttpGet } from './http.js';

/** An answer, or `'down'` for a connection refused. */
export type Scripted = HttpAnswer | 'down' | ((call: number) => HttpAnswer | 'down');

/**
 * A fake getter over a table of URL -> answer; unknown URLs answer 404 with orc's JSON.
 *
 * @example
 * const http = fakeHttp({ 'http://a/api/leader-check': { status: 200, text: '"OK"' } });
 */
export function fakeHttp(table: Record<string, Scripted>): {
  get: HttpGet;
  calls: { url: string; headers: Readonly<Record<string, string>>; timeoutMs: number | undefined }[];
} {
  const calls: { url: string; headers: Readonly<Record<string, string>>; timeoutMs: number | undefined }[] = [];
  const get: HttpGet = async (url, options) => {
    calls.push({ url, headers: options.headers, timeoutMs: options.timeoutMs });
    const scripted = table[url];
    const n = calls.filter((c) => c.url === url).length;
    const answer = typeof scripted === 'function' ? scripted(n) : scripted;
    if (answer === 'down')
      throw new ClientError('UNREACHABLE', 'ECONNREFUSED', {
        retryable: true,
        details: [{ path: url, message: 'ECONNREFUSED' }],
      });
    return (
      answer ?? { status: 404, text: JSON.stringify({ Code: 'ERROR', Message: `no route GET ${url}`, Details: null }) }
    );
  };
  return { get, calls };
}

/** A JSON answer. */
export const json = (body: unknown, status = 200): HttpAnswer => ({ status, text: JSON.stringify(body) });
