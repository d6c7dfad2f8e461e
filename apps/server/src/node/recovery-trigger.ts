// When the active node looks for something to recover. orchestrator's CheckAndRecover runs once a
// second, so a dead primary waits half a second on average (a whole one at worst) between being
// analysable and being acted on; that wait was most of the daemon's failover time. Here a probe
// that shows a sign of failure (a server that did not answer, a replica whose IO thread stopped)
// asks for an analysis pass at once, and the periodic pass stays as a backstop for what no probe
// reports (a downtime ending, the global switch turned back on, a pass that failed).
import { isIoThreadRunning, type ProbeEvent } from '@orc/topology';
import type { Clock, TimerHandle } from '../clock.js';

/** What {@link startRecoveryTrigger} is built from. */
export interface RecoveryTriggerParts {
  readonly clock: Clock;
  /** The backstop: a pass runs at the latest this long after the previous one ended. */
  readonly periodMs: number;
  /** Subscribes to probe results (`OrcTopology.onProbe`); returns the unsubscribe function. */
  readonly onProbe: (listener: (e: ProbeEvent) => void) => () => void;
  /** One analysis pass that starts the recoveries it finds actionable. */
  readonly pass: () => Promise<void>;
  /** A pass that threw; the next trigger or the backstop tries again. */
  readonly onError: (err: unknown) => void;
}

/**
 * Whether a probe result can make a DeadMaster or DeadIntermediateMaster actionable: the analysis
 * calls a server dead when it does not answer and its replicas lost it, so whichever of the two
 * is seen last is the moment to look.
 *
 * @example
 * isFailureSign({ key, ok: false, instance }) // true
 */
export function isFailureSign(e: ProbeEvent): boolean {
  if (!e.ok) return true;
  return e.instance.masterKey !== null && e.instance.replication !== null && !isIoThreadRunning(e.instance);
}

/**
 * Starts the trigger; returns the function that stops it. Never two passes at once: a sign seen
 * during a pass runs one more pass right after it (however many signs came), because the pass
 * in progress may have read the instances before the sign.
 *
 * @example
 * const stop = startRecoveryTrigger({ clock, periodMs: 1000, onProbe: (l) => topology.onProbe(l), pass, onError });
 * stop();
 */
export function startRecoveryTrigger(p: RecoveryTriggerParts): () => void {
  let stopped = false;
  let running = false;
  let again = false;
  let backstop: TimerHandle | undefined;

  const arm = (): void => {
    backstop?.cancel();
    backstop = stopped ? undefined : p.clock.setTimer(p.periodMs, run);
  };
  function run(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    backstop?.cancel();
    backstop = undefined;
    const done = (): void => {
      running = false;
      if (stopped) return;
      if (again) run();
      else arm();
    };
    p.pass().then(done, (err: unknown) => {
      p.onError(err);
      done();
    });
  }

  const unsubscribe = p.onProbe((e) => {
    if (isFailureSign(e)) run();
  });
  arm();
  return () => {
    stopped = true;
    unsubscribe();
    backstop?.cancel();
    backstop = undefined;
  };
}
