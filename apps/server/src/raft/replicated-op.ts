// What goes into the Raft log: orchestrator's `storeCommand{Op, Value}` shape, JSON. Ops are the
// API's command kinds plus the group's own housekeeping (leader-uri, yield, async-snapshot).
import type { OrcCommand } from '@orc/api';
import { RECOVERY_OP_NAMES, type RecoveryOp } from './recovery-ops.js';

/** The housekeeping ops every node applies besides the API's commands. */
export type GroupOp =
  | { readonly op: 'leader-uri'; readonly value: string; readonly by: string }
  | { readonly op: 'yield'; readonly value: string }
  | { readonly op: 'yield-hint'; readonly value: string }
  | { readonly op: 'async-snapshot'; readonly value: null };

/**
 * One log entry's content. A command that writes KV stores carries an `id` when its proposer
 * waits for the followers' KV outcomes; `at` is the proposer's wall time (epoch ms), which every
 * node stamps the command's rows with (entries of an earlier orc have none).
 */
export type ReplicatedOp =
  | { readonly op: 'command'; readonly value: OrcCommand; readonly id?: string; readonly at?: number }
  | GroupOp
  | RecoveryOp;

const isWallTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Encodes an op for `raft.apply`.
 *
 * @example
 * await raft.apply(encodeOp({ op: 'command', value: { kind: 'forget', key } }));
 */
export function encodeOp(op: ReplicatedOp): Uint8Array {
  // `By` names the leader that published its URI, so a follower never proxies to a URI that
  // belongs to an earlier leader.
  const extra =
    op.op === 'leader-uri' ? { By: op.by } : op.op === 'command' && op.id !== undefined ? { Id: op.id } : {};
  const at = 'at' in op && op.at !== undefined ? { At: op.at } : {};
  return Buffer.from(JSON.stringify({ Op: op.op, Value: op.value, ...extra, ...at }));
}

/**
 * Decodes a log entry; undefined for bytes that are not an op (an entry written by a newer orc).
 *
 * @example
 * const op = decodeOp(entry.data);
 */
export function decodeOp(data: Uint8Array): ReplicatedOp | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { Op, Value, By, Id, At } = doc as { Op?: unknown; Value?: unknown; By?: unknown; Id?: unknown; At?: unknown };
  if (
    Op === 'command' &&
    typeof Value === 'object' &&
    Value !== null &&
    typeof (Value as { kind?: unknown }).kind === 'string'
  )
    return {
      op: 'command',
      value: Value as OrcCommand,
      ...(typeof Id === 'string' ? { id: Id } : {}),
      ...(isWallTime(At) ? { at: At } : {}),
    };
  // Written by this group's leader through an authenticated, checksummed log: the name is checked,
  // the value's shape is the proposer's.
  if (typeof Op === 'string' && RECOVERY_OP_NAMES.has(Op) && typeof Value === 'object' && Value !== null)
    return (isWallTime(At) ? { op: Op, value: Value, at: At } : { op: Op, value: Value }) as RecoveryOp;
  if (Op === 'leader-uri' && typeof Value === 'string' && typeof By === 'string')
    return { op: Op, value: Value, by: By };
  if ((Op === 'yield' || Op === 'yield-hint') && typeof Value === 'string') return { op: Op, value: Value };
  if (Op === 'async-snapshot') return { op: 'async-snapshot', value: null };
  return undefined;
}
