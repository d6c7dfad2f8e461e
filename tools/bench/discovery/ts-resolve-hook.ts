import { registerHooks } from 'node:module';

/**
 * Lets Node run the workspace's TypeScript sources directly (type stripping): sources import
 * `./x.js` as NodeNext wants while only `./x.ts` exists. A relative `.js` import that does not
 * resolve is retried as `.ts`.
 */
export function registerTsResolveHook(): void {
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
}
