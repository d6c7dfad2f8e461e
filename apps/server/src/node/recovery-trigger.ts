// When the active node looks for something to recover. orchestrator's CheckAndRecover runs once a
// second, so a dead primary waits half a second on average (a whole one at worst) between being
// analysable and being acted on; that wait was most of the daemon's failover time. Here a probe
// that shows a sign of failure (a server that did not answer, a replica whose IO thread stopped)
// asks for an analysis pass at once, and the periodic pass stays as a backstop for what no probe
// reports (a downtime ending, the global switch turned back on, a pass that failed).
//
// A pass analyses every known server, so on a large fleet it is not free: while many probes fail
// at once (an overloaded machine, a fleet being discovered) back-to-back passes took most of the
// CPU, which slowed the probes, which failed more. A pass woken by a sign therefore starts no
// sooner after the previous one than that one took: analysis gets at most half of the time and the
// wait is as short as the pass (about a millisecond on a small topology).
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
  // A server never seen is left out of the analysis, so its failing cannot make anything actionable.
  if (!e.ok) return e.instance.lastSeenAt !== null;
  return e.instance.masterKey !== null && e.instance.replication !== null && !isIoThreadRunning(e.instance);
}

/**
 * Starts the trigger; returns the function that stops it. Never two passes at once: a sign seen
 * during a pass runs one more pass after it (however many signs came), because the pass in
 * progress may have read the instances before the sign. A pass woken by a sign starts no sooner
 * after the previous pass ended than that pass took.
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
  let paced: TimerHandle | undefined;
  // Monotonic time before which a pass waits (the previous pass's end plus its duration).
  let earliest = -Infinity;

  const arm = (): void => {
    backstop?.cancel();
    backstop = stopped ? undefined : p.clock.setTimer(p.periodMs, () => run(false));
  };
  // `isPaced`: woken by a sign (the backstop keeps its own period).
  function run(isPaced: boolean): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    const wait = earliest - p.clock.now();
    if (isPaced && wait > 0) {
      paced ??= p.clock.setTimer(wait, () => {
        paced = undefined;
        run(false);
      });
      return;
    }
    paced?.cancel();
    paced = undefined;
    running = true;
    again = false;
    backstop?.cancel();
    backstop = undefined;
    const startedAt = p.clock.now();
    const done = (): void => {
      running = false;
      const endedAt = p.clock.now();
      earliest = endedAt + (endedAt - startedAt);
      if (stopped) return;
      if (again) run(true);
      else arm();
    };
    p.pass().then(done, (err: unknown) => {
      p.onError(err);
      done();
    });
  }

  const unsubscribe = p.onProbe((e) => {
    if (isFailureSign(e)) run(true);
  });
  arm();
  return () => {
    stopped = true;
    unsubscribe();
    backstop?.cancel();
    backstop = undefined;
    paced?.cancel();
    paced = undefined;
  };
}
