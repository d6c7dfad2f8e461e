// The page's entry point: hash routes (#/clusters, #/cluster/<name>, #/problems, #/recoveries,
// #/health), a poll that re-renders the current page in place, and who the user is.
import { ApiCallError, httpApi, urlPrefixOf } from './api.js';
import { actionRunner, type PageCtx } from './ctx.js';
import { h } from './dom.js';
import type { WhoAmIJson } from './model.js';
import { clusterPage } from './pages/cluster.js';
import { clustersPage } from './pages/clusters.js';
import { healthPage } from './pages/health.js';
import { problemsPage } from './pages/problems.js';
import { recoveriesPage } from './pages/recoveries.js';

const params = new URLSearchParams(location.search);
// Two seconds: a failover shows within a poll or two, and a handful of small GETs every two
// seconds is nothing for the daemon. `?poll=<ms>` changes it (not below 250 ms).
const POLL_MS = Math.max(250, Number(params.get('poll') ?? 2000) || 2000);

const api = httpApi(urlPrefixOf(location.pathname));
const main = document.getElementById('main') as HTMLElement;
const status = document.getElementById('live') as HTMLElement;
let generation = 0;

// Until whoami answers (or when it cannot), the page offers no actions.
const NOBODY: WhoAmIJson = { User: '', CanMutate: false, ReadOnly: true, AuthenticationMethod: '' };

const ctx: PageCtx = {
  api,
  who: NOBODY,
  selected: undefined,
  openRecoveries: new Set(),
  steps: new Map(),
  busy: false,
  refresh: () => void render(),
  act: async () => false,
};
ctx.act = actionRunner(
  api,
  () => ctx,
  () => void render(),
);

function route(): { page: string; arg: string } {
  const [, page = 'clusters', ...rest] = location.hash.replace(/^#/, '').split('/');
  return { page: page === '' ? 'clusters' : page, arg: decodeURIComponent(rest.join('/')) };
}

async function content(): Promise<Node> {
  const r = route();
  switch (r.page) {
    case 'cluster':
      return clusterPage(ctx, r.arg);
    case 'problems':
      return problemsPage(ctx);
    case 'recoveries':
      return recoveriesPage(ctx);
    case 'health':
      return healthPage(ctx);
    default:
      return clustersPage(ctx);
  }
}

function isEditing(): boolean {
  const el = document.activeElement;
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

async function render(fromPoll = false): Promise<void> {
  const mine = ++generation;
  let node: Node;
  try {
    node = await content();
  } catch (err) {
    const e = err instanceof ApiCallError ? err : new ApiCallError(String(err), 0);
    node = h(
      'p',
      { class: 'error-text', role: 'alert' },
      `Could not load this page: ${e.message}${e.status > 0 ? ` (HTTP ${e.status})` : ''}`,
    );
  }
  // A newer render started meanwhile (navigation, an action): its result wins. A poll that
  // finds the user typing or dragging by now drops its result rather than reset the form.
  if (mine !== generation || (fromPoll && (ctx.busy || isEditing()))) return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset['focus'];
  const scroll = main.querySelector('.tree-wrap')?.scrollLeft;
  main.replaceChildren(node);
  // A render that replaced the page (navigation, an action) ended any drag from the old nodes,
  // whose dragend may never fire once they are detached; only an open dialog keeps the page busy.
  if (ctx.busy && document.querySelector('dialog[open]') === null) ctx.busy = false;
  if (focused !== undefined) main.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
  const wrap = main.querySelector('.tree-wrap');
  if (wrap !== null && scroll !== undefined) wrap.scrollLeft = scroll;
  for (const a of document.querySelectorAll('nav a'))
    a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${route().page}`);
  status.textContent = `updated ${new Date().toLocaleTimeString()}`;
  document.body.dataset['rendered'] = String(mine);
}

async function poll(): Promise<void> {
  if (!ctx.busy && !isEditing() && document.visibilityState !== 'hidden') await render(true);
  setTimeout(() => void poll(), POLL_MS);
}

async function start(): Promise<void> {
  try {
    ctx.who = await api.get<WhoAmIJson>('/api/whoami');
  } catch (err) {
    // Without whoami (an older daemon) the page shows no actions rather than buttons that fail.
    ctx.who = NOBODY;
    status.textContent = `whoami failed: ${String(err)}`;
  }
  const user = document.getElementById('user');
  if (user !== null)
    user.textContent = `${ctx.who.User === '' ? 'anonymous' : ctx.who.User}${ctx.who.CanMutate ? '' : ' (read-only)'}`;
  document.body.dataset['canMutate'] = String(ctx.who.CanMutate);
  window.addEventListener('hashchange', () => {
    ctx.selected = undefined;
    // An outcome belongs to the page it was shown on.
    const outcome = document.getElementById('outcome');
    outcome?.replaceChildren();
    if (outcome !== null) outcome.className = 'outcome';
    void render().then(() => main.focus());
  });
  await poll();
}

void start();
