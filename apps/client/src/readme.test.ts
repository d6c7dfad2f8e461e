import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { COMMANDS } from './commands.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');

describe('README', () => {
  it('lists every command with an example', () => {
    const missing = [...COMMANDS.keys()].filter((name) => !readme.includes(`| \`orc-client -c ${name}`));
    expect(missing).toEqual([]);
  });
});
