// Golden scenario tests of the raft core, etcd style: each file in test/golden holds blocks of
//   command args
//   ----
//   expected output
// separated by a blank line (lines starting with # are comments). Set ORC_GOLDEN_REWRITE=1 to
// rewrite the expected output from what the code does now (then review the diff).
import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoldenEnv } from './golden-harness.js';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'golden');
const rewrite = process.env['ORC_GOLDEN_REWRITE'] === '1';

interface Block {
  readonly comments: string[];
  readonly command: string;
  readonly expected: string;
}

function parse(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const comments: string[] = [];
    while (i < lines.length && (lines[i]?.trim() === '' || lines[i]?.startsWith('#'))) {
      if (lines[i]?.startsWith('#')) comments.push(lines[i] ?? '');
      i++;
    }
    if (i >= lines.length) break;
    const command = lines[i++] ?? '';
    if (lines[i] !== '----') throw new Error(`expected ---- after "${command}" at line ${i + 1}`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i] !== '') out.push(lines[i++] ?? '');
    blocks.push({ comments, command, expected: out.join('\n') });
  }
  return blocks;
}

function render(blocks: readonly Block[], outputs: readonly string[]): string {
  return blocks.map((b, k) => [...b.comments, b.command, '----', outputs[k] ?? ''].join('\n')).join('\n\n') + '\n';
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('raft core golden scenarios', () => {
  for (const file of files) {
    it(file, () => {
      const path = join(dir, file);
      const blocks = parse(readFileSync(path, 'utf8'));
      const env = new GoldenEnv();
      const outputs: string[] = [];
      for (const b of blocks) {
        const [cmd = '', ...args] = b.command.trim().split(/\s+/);
        let out: string;
        try {
          out = env.run(cmd, args);
        } catch (err) {
          out = `error: ${err instanceof Error ? err.message : String(err)}`;
        }
        outputs.push(out);
        if (!rewrite) expect(`${b.command}\n----\n${out}`).toBe(`${b.command}\n----\n${b.expected}`);
      }
      if (rewrite) writeFileSync(path, render(blocks, outputs));
    });
  }
});
