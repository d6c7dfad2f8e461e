// A fresh SQLite backend in memory, for unit tests of topology's adapters over @orc/backend.
import { Backend, validateBackendConfig } from '@orc/backend';

/**
 * Opens a new in-memory SQLite backend with every migration applied; the caller closes it.
 *
 * @example
 * ```ts
 * let backend: Backend;
 * beforeEach(async () => (backend = await openMemoryBackend()));
 * afterEach(() => backend.close());
 * ```
 */
export async function openMemoryBackend(): Promise<Backend> {
  const backend = new Backend(validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } }));
  await backend.open();
  return backend;
}
