// Rewrites docs/configuration.md from the key table.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configurationMarkdown } from '../src/config/key-docs.js';
import { orchestratorKeys } from '../src/config/orchestrator-keys.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/configuration.md');
writeFileSync(target, configurationMarkdown(orchestratorKeys));
process.stdout.write(`wrote ${target} (${orchestratorKeys.length} keys)\n`);
