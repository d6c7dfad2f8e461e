import { defineConfig } from 'tsup';

// `dist/main.js` is a small entry (src/bin.ts) that turns on Node's compile cache and imports the
// daemon, bundled into one chunk with every @orc package (from its TypeScript sources, the
// `@orc/source` condition) and the pure-JavaScript dependencies the daemon loads at start. Loading
// those as a few hundred separate files cost the daemon about 60 % of its start-up CPU (module
// resolution, package.json reads), more than its whole first discovery. Left outside the bundle:
// better-sqlite3 (a native addon) and the KV clients loaded only when a store is configured
// (etcd3 reads its .proto files from its own folder). package.json declares every dependency,
// bundled or not; a test deploys the output with only those and starts it.
export default defineConfig({
  entry: { main: 'src/bin.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  noExternal: [/^@orc\//, 'fastify', 'kysely', 'mysql2', 'pino', 'prom-client', 'typebox', 'undici'],
  // Bundled CommonJS code calls `require` for Node's own modules; an ES module has none.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __orcCreateRequire } from 'node:module';\nconst require = __orcCreateRequire(import.meta.url);",
  },
  splitting: true,
  clean: true,
  sourcemap: true,
  esbuildOptions(options) {
    options.conditions = ['@orc/source', 'import', 'node'];
  },
});
