// The instance-row fixtures live in @orc/testkit (shared with topology's tests); here they are
// typed as this package's InstanceRecord, and the two shapes are checked to be the same type.
import { instanceRow, replicaRow, type InstanceRow, type RowKey } from '@orc/testkit';
import type { FailureDetectionInput, InstanceRecord, RecoveryInput } from '../../src/index.js';

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

/** What a DeadMaster detection and its recovery of `hostname:3306` both say. */
const deadMaster = (hostname: string) => ({
  key: { hostname, port: 3306 },
  analysis: 'DeadMaster',
  clusterName: `${hostname}:3306`,
  clusterAlias: 'orders',
  countAffectedReplicas: 2,
  replicaHosts: 'r1:3306,r2:3306',
  processingNodeHostname: 'orc1',
  processingNodeToken: 'tok1',
});

/**
 * A DeadMaster failure detection of `hostname:3306` with two affected replicas; `overrides` win.
 * @example
 * await b.failureDetections.register(detection('m1'), { blockPeriodMinutes: 60 });
 */
export const detection = (hostname: string, overrides: Partial<FailureDetectionInput> = {}): FailureDetectionInput => ({
  ...deadMaster(hostname),
  isActionable: true,
  ...overrides,
});

/**
 * A DeadMaster recovery of `hostname:3306` following detection 1; `overrides` win.
 * @example
 * await b.recoveries.register(recovery('m1'), { blockPeriodSeconds: 3600 });
 */
export const recovery = (hostname: string, overrides: Partial<RecoveryInput> = {}): RecoveryInput => ({
  ...deadMaster(hostname),
  lastDetectionId: 1,
  ...overrides,
});
