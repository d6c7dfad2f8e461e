// Lets Node run this package's TypeScript sources directly (type stripping): the sources import
// `./x.js` as NodeNext wants, while on disk there is only `./x.ts`. A relative `.js` import that
// does not resolve is retried as `.ts`. Plain JavaScript so that it loads before the hook exists;
// entry points import it first and load everything else with a dynamic import().
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
