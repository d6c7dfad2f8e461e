import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { configurationMarkdown } from './key-docs.js';
import { orchestratorKeys } from './orchestrator-keys.js';

describe('docs/configuration.md', () => {
  it('lists every key of the table with its default (regenerate: pnpm --filter @orc/server docs:config)', () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), '../../../../docs/configuration.md');
    expect(readFileSync(file, 'utf8')).toBe(configurationMarkdown(orchestratorKeys));
  });
});
