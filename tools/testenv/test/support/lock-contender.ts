// One contender of the file-lock test, run as its own process:
//   lock-contender.ts <lockPath> <journal> <id> <rounds> <dieAtRound|-1>
// Each round holds the lock and appends `enter`/`leave` records to the shared journal; in round
// `dieAtRound` it appends `die` and SIGKILLs itself while holding, leaving a stale lock behind.
import { appendFileSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { withFileLock } from '../../src/core/file-lock.js';

const [lockPath, journal, id, roundsText, dieAtText] = process.argv.slice(2);
if (lockPath === undefined || journal === undefined || id === undefined) throw new Error('usage: see the header');
const rounds = Number(roundsText);
const dieAt = Number(dieAtText);

for (let round = 0; round < rounds; round++) {
  await withFileLock(lockPath, { timeoutMs: 60_000, pollMs: 1 }, async () => {
    appendFileSync(journal, `enter ${id} ${round}\n`);
    // Stay inside for a few event-loop turns so that other holders, if the lock let them in, would
    // interleave their records with ours.
    for (let i = 0; i < 5; i++) await yieldToLoop();
    if (round === dieAt) {
      appendFileSync(journal, `die ${id} ${round}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    appendFileSync(journal, `leave ${id} ${round}\n`);
  });
}
