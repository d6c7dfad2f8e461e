// What every page gets: the API, who the user is, navigation state that survives a refresh, and
// the one way actions run (confirmation, outcome shown, refresh after).
import { ApiCallError, type Api } from './api.js';
import { h } from './dom.js';
import type { RecoveryStepJson, WhoAmIJson } from './model.js';

/** Page state kept across polls. */
export interface PageCtx {
  readonly api: Api;
  who: WhoAmIJson;
  /** The instance whose details are open on the cluster page (`host:port`). */
  selected: string | undefined;
  /** Recovery UIDs whose steps are expanded, and the steps fetched for them. */
  readonly openRecoveries: Set<string>;
  readonly steps: Map<string, readonly RecoveryStepJson[]>;
  /** True while a dialog is open or an instance is being dragged: polls do not re-render. */
  busy: boolean;
  /** Re-renders the current page now. */
  refresh(): void;
  /** Runs a mutating call: confirms when `confirm` is given, shows the outcome, refreshes. */
  act(label: string, path: string, confirm?: string): Promise<boolean>;
}

/**
 * Shows a modal dialog asking to confirm `what` (the call that will run); resolves true on OK.
 *
 * @example
 * if (await confirmDialog('Relocate db3:3306', 'POST /api/relocate/db3/3306/db2/3306')) run();
 */
export function confirmDialog(title: string, what: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', {}, 'This will run:'),
      h('pre', { class: 'will-run' }, what),
      h(
        'form',
        { method: 'dialog' },
        h('button', { value: 'cancel', class: 'secondary' }, 'Cancel'),
        h('button', { value: 'ok', class: 'primary', autofocus: true }, 'Run'),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Writes an action's outcome into the page's status line (an error as an alert).
 *
 * @example
 * showOutcome('Begin downtime', 'Downtime begun: db2:3306');
 */
export function showOutcome(label: string, outcome: string | ApiCallError): void {
  const box = document.getElementById('outcome');
  if (box === null) return;
  const isError = outcome instanceof ApiCallError;
  box.className = isError ? 'outcome error' : 'outcome ok';
  box.setAttribute('role', isError ? 'alert' : 'status');
  box.replaceChildren(
    h('strong', {}, isError ? `${label} failed` : label),
    ': ',
    isError ? `${outcome.message}${outcome.status > 0 ? ` (HTTP ${outcome.status})` : ''}` : outcome,
    h('button', { class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => box.replaceChildren() }, '×'),
  );
}

/**
 * Builds the action runner pages use.
 *
 * @example
 * ctx.act = actionRunner(api, () => ctx, render);
 */
export function actionRunner(api: Api, ctx: () => PageCtx, rerender: () => void): PageCtx['act'] {
  return async (label, path, confirm) => {
    if (confirm !== undefined) {
      ctx().busy = true;
      const yes = await confirmDialog(confirm, `POST ${path}`);
      ctx().busy = false;
      if (!yes) return false;
    }
    try {
      showOutcome(label, await api.act(path));
      return true;
    } catch (err) {
      showOutcome(label, err instanceof ApiCallError ? err : new ApiCallError(String(err), 0));
      return false;
    } finally {
      rerender();
    }
  };
}
