// Lets Node run the workspace's TypeScript sources directly (type stripping): NodeNext sources
// import `./x.js` while on disk there is only `./x.ts`, so a relative `.js` import that does not
// resolve is retried as `.ts`. Plain JavaScript so that it loads before the hook exists. Load it
// with `node --import ./tools/scripts/ts-hooks.mjs`, or import it first in an entry point and load
// everything else with a dynamic import().
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (specifier.startsWith('.') && specifier.endsWith('.js'))
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw err;
    }
  },
});
