// Finding the API to talk to, as orchestrator-client's detect_leader_api: one URL is used as
// given; from a space-separated list, the first that answers leader-check 200 within 1 s, else
// the first that answers routed-leader-check 200 (a healthy raft follower proxies it to the
// leader), else "Cannot determine leader".
import { ClientError, type ClientErrorDetail } from './errors.js';
import type { HttpGet } from './http.js';

/** orchestrator-client's `-m 1` on each check. */
export const LEADER_CHECK_TIMEOUT_MS = 1000;

/**
 * Appends `/api` when missing, as the original (one trailing slash dropped first).
 *
 * @example
 * normalizeApi('http://orc1:3000/') // 'http://orc1:3000/api'
 */
export function normalizeApi(api: string): string {
  const trimmed = api.endsWith('/') ? api.slice(0, -1) : api;
  return trimmed.endsWith('/api') ? trimmed : `${trimmed.replace(/\/$/, '')}/api`;
}

/**
 * The API base URL to send commands to.
 *
 * @example
 * await detectLeaderApi('http://orc1:3000 http://orc2:3000', { get: socketHttpGet, headers: {} }) // 'http://orc2:3000/api'
 */
export async function detectLeaderApi(
  apiList: string,
  deps: { readonly get: HttpGet; readonly headers: Readonly<Record<string, string>> },
): Promise<string> {
  const apis = apiList
    .split(/\s+/)
    .filter((a) => a !== '')
    .map(normalizeApi);
  if (apis.length === 1) return apis[0] as string;
  const tried: ClientErrorDetail[] = [];
  for (const check of ['leader-check', 'routed-leader-check']) {
    for (const api of apis) {
      const url = `${api}/${check}`;
      try {
        const answer = await deps.get(url, { headers: deps.headers, timeoutMs: LEADER_CHECK_TIMEOUT_MS });
        if (answer.status === 200) return api;
        tried.push({ path: url, message: `HTTP ${answer.status}` });
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        tried.push({ path: url, message: err.message });
      }
    }
  }
  throw new ClientError('NO_LEADER', `Cannot determine leader from ${apiList}`, { details: tried });
}
