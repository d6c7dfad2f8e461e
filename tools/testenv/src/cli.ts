// Entry of `pnpm testenv`. Node runs this TypeScript directly (type stripping), so this file and
// everything it imports stay erasable syntax (no enums, namespaces or parameter properties).
// The hook must be registered before the sources load: hence the dynamic import.
import '../../scripts/ts-hooks.mjs';

const { runCli } = await import('./cli/cli-main.js');
process.exitCode = await runCli(process.argv.slice(2));
