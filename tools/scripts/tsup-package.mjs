// The one tsup build of a published package (ADR 0003): ES modules only, for Node 24, with
// declarations and source maps. Each package's tsup.config.ts names only its entry points.
import { defineConfig } from 'tsup';

/**
 * tsup options for a package whose entry points are `entry` (a list, or output name -> source).
 *
 * @example
 * // packages/kv/tsup.config.ts
 * export default packageBuild(['src/index.ts']);
 *
 * @param {string[] | Record<string, string>} entry
 */
export function packageBuild(entry) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node24',
    platform: 'node',
    dts: { compilerOptions: { composite: false, incremental: false, emitDeclarationOnly: false } },
    clean: true,
    sourcemap: true,
  });
}
