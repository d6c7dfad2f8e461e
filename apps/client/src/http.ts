// One GET over node:http/node:https: no fetch/undici, whose first load would cost more than the
// rest of the client's start. Connection failures become retryable UNREACHABLE errors; any HTTP
// answer, whatever its status, is returned for the caller to judge.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ClientError } from './errors.js';

/** An HTTP answer: status and body text. */
export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/** A GET; rejects with a ClientError `UNREACHABLE` (retryable) when no answer came. */
export type HttpGet = (
  url: string,
  options: { readonly headers: Readonly<Record<string, string>>; readonly timeoutMs?: number },
) => Promise<HttpAnswer>;

/**
 * GETs a URL with node's own http client.
 *
 * @example
 * const { status, text } = await nodeHttpGet('http://127.0.0.1:3000/api/leader-check', { headers: {}, timeoutMs: 1000 });
 */
export const nodeHttpGet: HttpGet = (url, options) =>
  new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      reject(
        new ClientError('UNREACHABLE', `not a URL: ${url}`, { cause, details: [{ path: url, message: 'not a URL' }] }),
      );
      return;
    }
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const unreachable = (message: string, cause?: unknown): ClientError =>
      new ClientError('UNREACHABLE', message, { retryable: true, cause, details: [{ path: url, message }] });
    const req = send(parsed, { method: 'GET', headers: { Accept: 'application/json', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (cause) => reject(unreachable(`answer cut off: ${cause.message}`, cause)));
    });
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      // A whole-request bound like curl -m: a server that accepts and never answers counts too.
      const timer = setTimeout(() => req.destroy(unreachable(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(timer));
    }
    req.on('error', (cause: NodeJS.ErrnoException) => {
      if (cause instanceof ClientError) reject(cause);
      else reject(unreachable(cause.code === undefined ? cause.message : `${cause.code} (${cause.message})`, cause));
    });
    req.end();
  });
