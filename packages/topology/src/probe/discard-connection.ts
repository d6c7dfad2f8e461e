import type { Connection } from 'mysql2';

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
