// Lets Node run the TypeScript sources directly (type stripping): NodeNext sources import
// `./x.js` while only `./x.ts` exists on disk, so a failed relative `.js` import is retried as `.ts`.
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
