// A child process for test/readonly-dir.integration.test.ts: `create DIR` writes one entry and
// exits without closing (as a killed node leaves its files); `open DIR` opens the store and
// appends, printing one JSON line with what happened.
import { EntryType, SqliteLogStore, isRaftError, logIndex, term } from '@orc/raft';

const [mode, dir] = process.argv.slice(2);
const entry = (i: number) => ({ index: logIndex(i), term: term(1), type: EntryType.Command, data: Buffer.from('x') });
const report = (r: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(r)}\n`);

if (mode === 'create') {
  await SqliteLogStore.open({ dir: dir! }).append([entry(1)]);
  report({ created: true });
  process.exit(0);
}
try {
  const store = SqliteLogStore.open({ dir: dir! });
  try {
    await store.append([entry(2)]);
    report({ opened: true, appended: true });
  } catch (err) {
    report({ opened: true, appended: false, code: isRaftError(err) ? err.code : String(err) });
  }
} catch (err) {
  report({
    opened: false,
    code: isRaftError(err) ? err.code : String(err),
    message: (err as Error).message,
    details: isRaftError(err) ? err.details : [],
  });
}
