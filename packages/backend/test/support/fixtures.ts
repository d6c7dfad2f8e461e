// The instance-row fixtures live in @orc/testkit (shared with topology's tests); here they are
// typed as this package's InstanceRecord, and the two shapes are checked to be the same type.
import { instanceRow, replicaRow, type InstanceRow, type RowKey } from '@orc/testkit';
import type { InstanceRecord } from '../../src/index.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when a column is added to database_instance but not to testkit's InstanceRow.
const shapesAgree: Same<InstanceRow, InstanceRecord> & Same<keyof InstanceRow, keyof InstanceRecord> = true;
void shapesAgree;

/** A full instance record with plain defaults; `overrides` win. */
export function instance(hostname: string, port: number, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return instanceRow(hostname, port, overrides);
}

/** A replica of `primary` in `clusterName`. */
export function replica(
  hostname: string,
  port: number,
  primary: RowKey,
  clusterName: string,
  overrides: Partial<InstanceRecord> = {},
): InstanceRecord {
  return replicaRow(hostname, port, primary, clusterName, overrides);
}
