import type { Agent, Dispatcher } from 'undici';
import { KvError, errorMessage } from '../errors.js';

/** How to reach one Consul agent. */
export interface ConsulHttpOptions {
  /** `host:port` of the agent (orchestrator's ConsulAddress), e.g. `127.0.0.1:8500`. */
  readonly address: string;
  readonly scheme: 'http' | 'https';
  /** Sent as `X-Consul-Token` when non-empty. */
  readonly aclToken: string;
  /** PEM CA bundle trusted for https (default: Node's bundled CAs). */
  readonly caCert?: string | undefined;
  /** Bound on one HTTP exchange, ms. */
  readonly requestTimeoutMs: number;
  /** Store name for errors. */
  readonly store: string;
}

/** A decoded response. */
export interface ConsulResponse {
  readonly status: number;
  readonly body: string;
}

/** The HTTP layer of the Consul store: one keep-alive agent, the token header, error mapping. */
export class ConsulHttp {
  readonly #options: ConsulHttpOptions;
  #agent: Promise<Agent> | undefined;
  #closed = false;
  readonly #origin: string;

  constructor(options: ConsulHttpOptions) {
    this.#options = options;
    this.#origin = `${options.scheme}://${options.address}`;
  }

  // undici is loaded with the first request, not when @orc/kv is imported: it was the largest
  // module the orc daemon evaluated at start, and most deployments configure no Consul.
  #agentNow(): Promise<Agent> {
    const o = this.#options;
    if (this.#closed)
      return Promise.reject(new KvError('CLOSED', `consul ${this.#origin}: closed`, { store: o.store }));
    this.#agent ??= import('undici').then(
      ({ Agent }) =>
        new Agent({
          connections: 16,
          keepAliveTimeout: 10_000,
          headersTimeout: o.requestTimeoutMs,
          bodyTimeout: o.requestTimeoutMs,
          connect: { timeout: o.requestTimeoutMs, ...(o.caCert === undefined ? {} : { ca: o.caCert }) },
        }),
    );
    return this.#agent;
  }

  /**
   * Sends one request. Answers with status 2xx/404/409 are returned; 403 is UNAUTHORIZED; other
   * statuses and network failures become KvErrors naming `what`.
   */
  async send(
    method: Dispatcher.HttpMethod,
    path: string,
    query: Record<string, string | undefined>,
    what: string,
    body?: string,
  ): Promise<ConsulResponse> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) search.append(k, v);
    const qs = search.toString().replace(/=(&|$)/g, '$1');
    const headers: Record<string, string> = {};
    if (this.#options.aclToken !== '') headers['x-consul-token'] = this.#options.aclToken;
    if (body !== undefined) headers['content-type'] = 'application/octet-stream';
    const agent = await this.#agentNow();
    let status: number;
    let text: string;
    try {
      const res = await agent.request({
        origin: this.#origin,
        path: qs === '' ? path : `${path}?${qs}`,
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const timedOut =
        code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
      throw new KvError(
        timedOut ? 'TIMEOUT' : 'UNAVAILABLE',
        `consul ${this.#origin} unreachable while ${what}: ${errorMessage(err)}`,
        { cause: err, store: this.#options.store },
      );
    }
    if (status === 403) {
      throw new KvError('UNAUTHORIZED', `consul refused the ACL token while ${what} (403: ${text.trim()})`, {
        store: this.#options.store,
      });
    }
    if (status === 413) {
      throw new KvError(
        'INVALID_BATCH',
        `consul refused the request as too large while ${what} (413: ${text.trim()})`,
        { store: this.#options.store },
      );
    }
    if ((status >= 200 && status < 300) || status === 404 || status === 409) return { status, body: text };
    throw new KvError(
      status >= 500 ? 'UNAVAILABLE' : 'STORE_ERROR',
      `consul answered ${status} while ${what}: ${text.trim()}`,
      { store: this.#options.store },
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    const agent = this.#agent;
    if (agent !== undefined) await (await agent).close();
  }
}

/** `/v1/kv/<key>` with each segment percent-encoded and `/` kept. */
export function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}
