// Small pieces shared by the pages: optional routes, problem chips, timestamps.
import { ApiCallError, type Api } from '../api.js';
import { h } from '../dom.js';
import { severityOf } from '../model.js';

/**
 * GETs a route that an older daemon may not serve: `undefined` on 404, other errors thrown.
 *
 * @example
 * const recoveries = await optional(api.get<RecoveryJson[]>('/api/audit-recovery'));
 */
export async function optional<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ApiCallError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * A chip for an analysis code or problem, coloured by severity.
 *
 * @example
 * problemChip('DeadMaster')
 */
export function problemChip(code: string): HTMLElement {
  return h('span', { class: `chip sev-${severityOf(code)}`, title: code }, code);
}

/**
 * A timestamp as local date and time; empty stays empty.
 *
 * @example
 * when('2026-12-06T17:00:00Z')
 */
export function when(iso: string | undefined): string {
  if (iso === undefined || iso === '' || iso.startsWith('0001-')) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/**
 * A link to the cluster page.
 *
 * @example
 * clusterLink('db1:3306', 'shop')
 */
export function clusterLink(name: string, label = name): HTMLElement {
  return h('a', { href: `#/cluster/${encodeURIComponent(name)}` }, label);
}

/** Re-exported for pages that only need the type. */
export type { Api };
