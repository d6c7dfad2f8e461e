// orc's shared test helpers (private, never a runtime dependency). Ports to listen on come
// from @orc/testenv's allocatePort; real servers from @orc/testenv.
export { ManualClock, type TimerHandle } from './manual-clock.js';
export { waitFor, rejectionOf, thrownBy, type WaitForOptions } from './wait-for.js';
export { instanceRow, replicaRow, type InstanceRow, type RowKey } from './instance-rows.js';
