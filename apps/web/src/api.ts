// Talking to the daemon: every call is relative to the URL prefix the page was served under, so
// the page works behind `URLPrefix` without being told it. Errors keep the API's message and
// details, since the page must show them rather than a bare status.

/** A failed API call: HTTP status (0: no answer) and the API's own message. */
export class ApiCallError extends Error {
  readonly status: number;
  readonly details: readonly { path: string; message: string }[];
  constructor(message: string, status: number, details: readonly { path: string; message: string }[] = []) {
    super(message);
    this.name = 'ApiCallError';
    this.status = status;
    this.details = details;
  }
}

/**
 * The URL prefix the page runs under: everything before `/web/` in its path.
 *
 * @example
 * urlPrefixOf('/orc/web/') // '/orc'
 */
export function urlPrefixOf(pathname: string): string {
  const i = pathname.indexOf('/web/');
  return i < 0 ? pathname.replace(/\/web$/, '').replace(/\/$/, '') : pathname.slice(0, i);
}

/**
 * One path segment, escaped: hostnames, owners and reasons go into orchestrator's paths.
 *
 * @example
 * seg('planned upgrade') // 'planned%20upgrade'
 */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}

/** What the page does with the network, injected so rendering can be tried without one. */
export interface Api {
  get<T>(path: string): Promise<T>;
  /** A mutating call (POST); resolves with the API's `Message`. */
  act(path: string): Promise<string>;
}

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A non-JSON answer (a proxy's error page): keep its text as the message.
    return text;
  }
}

function errorOf(status: number, body: unknown): ApiCallError {
  if (typeof body === 'object' && body !== null) {
    const b = body as { Message?: unknown; Details?: unknown };
    const details = Array.isArray(b.Details) ? (b.Details as { path: string; message: string }[]) : [];
    if (typeof b.Message === 'string') return new ApiCallError(b.Message, status, details);
  }
  return new ApiCallError(typeof body === 'string' && body !== '' ? body : `HTTP ${status}`, status);
}

/**
 * The page's API client over `fetch`, same origin (credentials the browser holds go along).
 *
 * @example
 * const api = httpApi('/orc');
 * const clusters = await api.get<ClusterInfoJson[]>('/api/clusters-info');
 */
export function httpApi(prefix: string, fetcher: typeof fetch = (i, init) => fetch(i, init)): Api {
  const call = async (path: string, method: 'GET' | 'POST'): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetcher(`${prefix}${path}`, {
        method,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
    } catch (err) {
      throw new ApiCallError(`no answer from orc: ${String(err)}`, 0);
    }
    const body = await parse(res);
    if (!res.ok) throw errorOf(res.status, body);
    if (typeof body === 'object' && body !== null && (body as { Code?: unknown }).Code === 'ERROR')
      throw errorOf(res.status, body);
    return body;
  };
  return {
    get: async <T>(path: string) => (await call(path, 'GET')) as T,
    act: async (path) => {
      const body = await call(path, 'POST');
      const message = (body as { Message?: unknown } | null)?.Message;
      return typeof message === 'string' ? message : 'done';
    },
  };
}
