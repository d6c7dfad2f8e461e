import { defineConfig } from 'tsup';

// A single bundled file: every @orc package is inlined, third-party packages stay external.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  noExternal: [/^@orc\//],
  banner: { js: '#!/usr/bin/env node' },
  clean: true,
  sourcemap: true,
});
