import type { Connection } from 'mysql2';
import type { Clock } from '../clock.js';

/**
 * Closes a mysql2 connection at once, socket included. mysql2's own `destroy()` only half-closes
 * (`stream.end()`): against a host that went silent the unsent bytes and the FIN then wait in the
 * kernel for TCP's retransmission limit (about 15 minutes), and the socket keeps its file
 * descriptor and the process's event loop alive all that time, once per failed probe.
 *
 * @example
 * ```ts
 * discardConnection(conn); // after a timeout on a server that no longer answers
 * ```
 */
export function discardConnection(conn: Connection): void {
  conn.destroy();
  (conn as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
}

/**
 * Connects `conn`, bounded twice: by the driver's `connectTimeout` and by a clock timer at
 * `timeoutMs + 100`, in case the driver's own timer never fires (a DNS lookup that never
 * answers). The first outcome wins; on a timeout or an error the connection is discarded. The
 * prober and the recovery's connector both connect this way and word their errors themselves.
 *
 * @example
 * ```ts
 * await connectBounded(conn, clock, 2000, {
 *   onTimeout: () => new TopologyError('TIMEOUT', `${key}: connect took longer than 2000 ms`),
 *   onError: (error) => probeError(error, key, 'connect'),
 * });
 * ```
 */
export function connectBounded(
  conn: Connection,
  clock: Clock,
  timeoutMs: number,
  errors: { readonly onTimeout: () => unknown; readonly onError: (error: unknown) => unknown },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = clock.setTimer(timeoutMs + 100, () => {
      if (settled) return;
      settled = true;
      discardConnection(conn);
      reject(errors.onTimeout());
    });
    conn.connect((error: unknown) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      if (error) {
        discardConnection(conn);
        reject(errors.onError(error));
      } else resolve();
    });
  });
}
