// One API call as orchestrator-client's `api` function: retried with its back-off (0.1, 0.2, 0.5,
// 1, 2, 2.5, 5 s) when no answer came, never when the daemon answered; an `ERROR` answer stops
// the command with the daemon's message. Unlike the original, a 401 says that authentication is
// needed and a body that is not JSON is reported at once (the original retried jq on it).
import { ClientError } from './errors.js';
import type { HttpGet } from './http.js';

/** orchestrator-client's sleeps between tries; a last 0 closes the list, so 8 tries in all. */
export const RETRY_SLEEPS_MS: readonly number[] = [100, 200, 500, 1000, 2000, 2500, 5000, 0];

/** How to reach the API: the leader's base URL, auth headers, a getter, a sleep. */
export interface ApiTransport {
  readonly base: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly get: HttpGet;
  readonly sleep: (ms: number) => Promise<void>;
  /** For the 401 message: whether credentials were sent. */
  readonly hasCredentials: boolean;
}

/**
 * GETs `<base>/<path>` and returns the parsed JSON answer.
 *
 * @example
 * const clusters = await callApi(transport, 'clusters-info');
 */
export async function callApi(transport: ApiTransport, path: string): Promise<unknown> {
  const url = `${transport.base}/${path.replace(/^\/+/, '')}`;
  let lastError: ClientError | undefined;
  for (const pause of RETRY_SLEEPS_MS) {
    try {
      const answer = await transport.get(url, { headers: transport.headers });
      return interpret(url, answer.status, answer.text, transport.hasCredentials);
    } catch (err) {
      if (!(err instanceof ClientError) || !err.retryable) throw err;
      lastError = err;
      await transport.sleep(pause);
    }
  }
  throw new ClientError(
    'UNREACHABLE',
    `Cannot access orchestrator at ${transport.base}.  Check ORCHESTRATOR_API is configured correctly and orchestrator is running`,
    { cause: lastError, details: [{ path: url, message: lastError?.message ?? 'no answer' }] },
  );
}

function interpret(url: string, status: number, text: string, hasCredentials: boolean): unknown {
  if (status === 401) {
    const message = hasCredentials
      ? `orchestrator at ${url} refused the credentials given (HTTP 401): check -b user:password or ORCHESTRATOR_AUTH_USER/ORCHESTRATOR_AUTH_PASSWORD`
      : `orchestrator at ${url} requires authentication (HTTP 401): give -b user:password, set ORCHESTRATOR_AUTH_USER and ORCHESTRATOR_AUTH_PASSWORD, or -e 'Header: user'`;
    throw new ClientError('AUTH_REQUIRED', message, { details: [{ path: url, message: 'HTTP 401' }] });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    const snippet = text.trim().slice(0, 200);
    throw new ClientError('BAD_RESPONSE', `${url} answered HTTP ${status} with no JSON: ${snippet || '(empty body)'}`, {
      cause,
      details: [{ path: url, message: `HTTP ${status}` }],
    });
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const code = (body as Record<string, unknown>)['Code'];
    if (typeof code === 'string' && code.includes('ERROR')) {
      const message = (body as Record<string, unknown>)['Message'];
      throw new ClientError('API_ERROR', typeof message === 'string' ? message : 'error', {
        response: body,
        details: [{ path: url, message: `HTTP ${status}` }],
      });
    }
  }
  return body;
}
