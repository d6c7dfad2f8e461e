import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Backend, validateBackendConfig } from '@orc/backend';
import { timedBackend, type BackendCall } from './timed-backend.js';

describe('timedBackend', () => {
  let raw: Backend;
  let calls: BackendCall[];
  let ticks: number;
  // Each reading of the time is 2 ms after the previous one: every call lasts 2 ms.
  const now = (): number => (ticks += 2);

  beforeEach(async () => {
    raw = new Backend(validateBackendConfig({ sqlite: { file: ':memory:' } }));
    await raw.open();
    calls = [];
    ticks = 0;
  });
  afterEach(() => raw.close());

  it("reports each repository call with its repository, operation and duration, and returns the call's result", async () => {
    const backend = timedBackend(raw, now, (c) => calls.push(c));
    await backend.kv.put([{ key: 'mysql/master/main', value: 'db1:3306' }]);
    expect(await backend.kv.get('mysql/master/main')).toBe('db1:3306');
    expect(calls).toEqual([
      { repository: 'kv', operation: 'put', ok: true, seconds: 0.002 },
      { repository: 'kv', operation: 'get', ok: true, seconds: 0.002 },
    ]);
  });

  it('reports a call that fails and passes its error on', async () => {
    const backend = timedBackend(raw, now, (c) => calls.push(c));
    await raw.close();
    await expect(backend.kv.get('k')).rejects.toMatchObject({ code: 'CLOSED' });
    expect(calls).toEqual([{ repository: 'kv', operation: 'get', ok: false, seconds: 0.002 }]);
  });

  it('leaves the rest of the backend working and untimed (methods on #private state, getters)', async () => {
    const backend = timedBackend(raw, now, (c) => calls.push(c));
    expect(backend.dialect).toBe('sqlite');
    expect(backend.schemaVersion).toBe(raw.schemaVersion);
    expect((await backend.exportSnapshot()).byteLength).toBeGreaterThan(0);
    expect(backend).toBeInstanceOf(Backend);
    expect(backend.kv).toBe(backend.kv);
    expect(calls).toEqual([]);
  });
});
