/** Something that can end its process and remove its files synchronously, from an exit handler. */
export interface SyncReapable {
  reapNowSync(): void;
}

const live = new Set<SyncReapable>();
let installed = false;
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function reapAllSync(): void {
  for (const item of live) {
    try {
      item.reapNowSync();
    } catch {
      // exit handlers cannot report; the registry reaps what is left on the next start
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else (the CLI, a test runner) handles this signal: let it shut down in order.
  // The 'exit' hook still catches what it leaves.
  if (process.listenerCount(signal) > 1) return;
  reapAllSync();
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

/**
 * Tracks a server so that it is killed and its directory removed when this process exits or is
 * ended by SIGINT/SIGTERM/SIGHUP. Returns the function that stops tracking it.
 */
export function trackForExit(item: SyncReapable): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', reapAllSync);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  live.add(item);
  return () => {
    live.delete(item);
  };
}
