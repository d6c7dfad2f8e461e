// @orc/raft/testing: a deterministic simulation harness for the raft core.
export { createPrng } from './prng.js';
export type { Prng } from './prng.js';
export { SimNetwork } from './sim-network.js';
export type { SimNetworkOptions } from './sim-network.js';
export { SimNode } from './sim-node.js';
export type { SimDisk, SimEvent, SimNodeOptions, StoredSnapshot } from './sim-node.js';
export { SimCluster } from './sim-cluster.js';
export type { SimFaultRates, SimOptions, SimResult } from './sim-cluster.js';
export { SimClients } from './sim-clients.js';
export { SafetyChecker } from './safety-checker.js';
export type { SafetyViolation } from './safety-checker.js';
export { checkKvLinearizable } from './linearizability.js';
export type { KvOperation, LinearizabilityResult } from './linearizability.js';
export { KvStateMachine, decodeKvPut, encodeKvPut } from './kv-state-machine.js';
export type { KvPut } from './kv-state-machine.js';
