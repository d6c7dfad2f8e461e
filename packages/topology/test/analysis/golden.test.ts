// Golden tests of the failure analysis: each folder here holds instances.json (a hand-written
// snapshot, with an "about" line saying what it shows) and expected.txt (the verdict, checked by
// hand against orchestrator's rules). ORC_GOLDEN_REWRITE=1 rewrites expected.txt from the code:
// review the diff before committing it.
import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeReplication } from '../../src/index.js';
import { fixtureSnapshot, formatAnalysis } from './fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const cases = readdirSync(here).filter((d) => statSync(join(here, d)).isDirectory());
const rewrite = process.env['ORC_GOLDEN_REWRITE'] === '1';

describe('replication analysis golden fixtures', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const name of cases) {
    it(name, () => {
      const raw = JSON.parse(readFileSync(join(here, name, 'instances.json'), 'utf8')) as Record<string, unknown>;
      const options = (raw['options'] ?? {}) as Parameters<typeof analyzeReplication>[1];
      const actual = formatAnalysis(analyzeReplication(fixtureSnapshot(raw), { includeNoProblem: true, ...options }));
      const file = join(here, name, 'expected.txt');
      if (rewrite || !existsSync(file)) {
        writeFileSync(file, actual);
        if (!rewrite) throw new Error(`${name}: expected.txt was missing; written from the code, review it`);
        return;
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});

describe('MaxReplicaGTIDErrant', () => {
  const errantOf = (name: string): string => {
    const raw = JSON.parse(readFileSync(join(here, name, 'instances.json'), 'utf8')) as Record<string, unknown>;
    const [entry] = analyzeReplication(fixtureSnapshot(raw), { includeNoProblem: true });
    return entry?.MaxReplicaGTIDErrant ?? '';
  };

  it('keeps a MySQL 8.4 tag apart from the untagged GTIDs of its uuid', () => {
    expect(errantOf('errant-gtid-mysql-tagged')).toBe('00000000-0000-0000-0000-000000000002:ops:1-2');
  });

  it('names the replica and the malformed part instead of reading the set as clean', () => {
    expect(errantOf('errant-gtid-malformed')).toMatch(/^unknown \(r1:3306: invalid MySQL GTID set .*"5-3"/);
  });
});
