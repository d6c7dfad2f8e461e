// One GET as HTTP/1.1 over a plain socket (node:net; node:tls loaded only for https). node:http
// is not used because loading it costs more CPU than everything else the client does at start
// (measured: about 60 ms against 3 ms for node:net). Connection failures become retryable
// UNREACHABLE errors; any HTTP answer, whatever its status, is returned for the caller to judge.
import { connect, type Socket } from 'node:net';
import { ClientError } from './errors.js';
import { parseHttpResponse } from './http-response.js';

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
 * GETs a URL over a socket.
 *
 * @example
 * const { status, text } = await socketHttpGet('http://127.0.0.1:3000/api/leader-check', { headers: {}, timeoutMs: 1000 });
 */
export const socketHttpGet: HttpGet = async (url, options) => {
  const unreachable = (message: string, cause?: unknown): ClientError =>
    new ClientError('UNREACHABLE', message, { retryable: true, cause, details: [{ path: url, message }] });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ClientError('UNREACHABLE', `not a URL: ${url}`, {
      cause,
      details: [{ path: url, message: 'not a URL' }],
    });
  }
  const secure = parsed.protocol === 'https:';
  if (!secure && parsed.protocol !== 'http:')
    throw new ClientError('UNREACHABLE', `not an http(s) URL: ${url}`, { details: [{ path: url, message: 'scheme' }] });
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(parsed.port || (secure ? 443 : 80));
  const auth: Record<string, string> =
    parsed.username === ''
      ? {}
      : {
          Authorization: `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`,
        };
  const headers: Record<string, string> = {
    Host: parsed.host,
    Accept: 'application/json',
    'User-Agent': 'orc-client',
    Connection: 'close',
    ...auth,
    ...options.headers,
  };
  const head = `GET ${parsed.pathname}${parsed.search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
  const socket: Socket = secure
    ? (await import('node:tls')).connect({ host, port, servername: host })
    : connect({ host, port });
  return new Promise<HttpAnswer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      fn();
    };
    // A whole-request bound like curl -m: a server that accepts and never answers counts too.
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => finish(() => reject(unreachable(`no answer within ${options.timeoutMs} ms`))),
            options.timeoutMs,
          );
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(head));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('end', () => {
      const answer = parseHttpResponse(Buffer.concat(chunks));
      finish(() =>
        answer === undefined
          ? reject(unreachable('the connection closed before a whole HTTP answer'))
          : resolve(answer),
      );
    });
    socket.once('error', (cause: NodeJS.ErrnoException) =>
      finish(() =>
        reject(unreachable(cause.code === undefined ? cause.message : `${cause.code} (${cause.message})`, cause)),
      ),
    );
  });
};
