// Entry of the built `orc` (dist/main.js): turns Node's compile cache on, then loads the daemon.
// The cache must be on before the bundle is compiled, and a static import would be compiled
// first, hence the dynamic import. V8's code for the ~5 MB bundle is then read back from the
// cache (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE) on every start after the first,
// which saves about a third of the daemon's start-up CPU. A cache that cannot be written is
// ignored by Node: the daemon starts as without it.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./main.js');
