// Entry of `pnpm testenv`. Node runs this TypeScript directly (type stripping), so this file and
// everything it imports stay erasable syntax (no enums, namespaces or parameter properties).
// The sources import `./x.js` as NodeNext wants while only `./x.ts` exists on disk: the hook
// below retries such a relative import as `.ts`. It is registered before anything else loads.
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

const { runCli } = await import('./cli/cli-main.js');
process.exitCode = await runCli(process.argv.slice(2));
