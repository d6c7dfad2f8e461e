/** Something that can end its process and remove its files synchronously, from an exit handler. */
export interface SyncReapable {
  reapNowSync(): void;
}

const live = new Set<SyncReapable>();
let installed = false;

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

/**
 * Tracks a server so that it is killed and its directory removed when this process exits
 * normally. Returns the function that stops tracking it.
 *
 * No SIGINT/SIGTERM handlers are installed: a library that listens to a signal changes what the
 * signal does to its host (inside jest's sandbox it would even make a worker ignore SIGTERM). A
 * signal, or any death of the owner, reaches the servers through their parent-death signal
 * (see ServerProcess), and the registry removes their directories on the next start.
 */
export function trackForExit(item: SyncReapable): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', reapAllSync);
  }
  live.add(item);
  return () => {
    live.delete(item);
  };
}
