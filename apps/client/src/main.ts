// orc-client / orchestrator-client: the process around runClient. Nothing but wiring here, so
// that start-up stays a few node built-ins.
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { socketHttpGet } from './http.js';
import { runClient } from './run.js';

function whoami(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the original's whoami fails the same way.
    return process.env['USER'] ?? '';
  }
}

// `orc-client -c all-instances | head -1`: the reader left; stop quietly like a shell tool rather
// than with Node's unhandled EPIPE trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });

const invoked = basename(process.argv[1] ?? 'orc-client');
const program = /^main\.[cm]?[jt]s$/.test(invoked) ? 'orc-client' : invoked.replace(/\.[cm]?js$/, '');

const code = await runClient(process.argv.slice(2), {
  program,
  pid: process.pid,
  env: process.env,
  user: whoami(),
  get: socketHttpGet,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
