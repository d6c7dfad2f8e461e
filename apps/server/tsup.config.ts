import { defineConfig } from 'tsup';

// A single bundled file: every @orc package is inlined from its TypeScript sources (the
// `@orc/source` condition, so no package needs building first); third-party packages stay
// external and are declared in package.json's dependencies (a test runs the output from a clean
// directory with only those installed).
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  noExternal: [/^@orc\//],
  banner: { js: '#!/usr/bin/env node' },
  clean: true,
  sourcemap: true,
  esbuildOptions(options) {
    options.conditions = ['@orc/source', 'import', 'node'];
  },
});
