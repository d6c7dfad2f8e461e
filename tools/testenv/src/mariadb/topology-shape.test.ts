import { describe, it, expect } from '@jest/globals';
import { TestEnvError } from '../errors.js';
import { parseTopologyShape } from './topology-shape.js';

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TestEnvError);
    expect((err as TestEnvError).code).toBe('INVALID_CONFIG');
    return (err as TestEnvError).message;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('parseTopologyShape', () => {
  it('reads the shorthand: primary p, replicas r1..rn, further levels below the last replica', () => {
    expect(parseTopologyShape('1')).toEqual([{ name: 'p' }]);
    expect(parseTopologyShape('1+2')).toEqual([
      { name: 'p' },
      { name: 'r1', source: 'p' },
      { name: 'r2', source: 'p' },
    ]);
    expect(parseTopologyShape('1+2+1')).toEqual([
      { name: 'p' },
      { name: 'r1', source: 'p' },
      { name: 'r2', source: 'p' },
      { name: 'r3', source: 'r2' },
    ]);
  });

  it('rejects shorthand it cannot read', () => {
    for (const bad of ['', '2', '2+1', '1+0', '1+a', '1++2'])
      expect(problemsOf(() => parseTopologyShape(bad))).toMatch(/shorthand/);
  });

  it('orders members so that every source comes before its replicas', () => {
    const members = parseTopologyShape([{ name: 'r2', source: 'im' }, { name: 'im', source: 'p' }, { name: 'p' }]);
    expect(members.map((m) => m.name)).toEqual(['p', 'im', 'r2']);
  });

  it('reports every problem of a list at once, each with its path', () => {
    const message = problemsOf(() =>
      parseTopologyShape([
        { name: 'p' },
        { name: 'p' },
        { name: 'x y' },
        { name: 'q' },
        { name: 'r', source: 'nobody' },
      ]),
    );
    expect(message).toMatch(/shape\.1\.name: "p" is used twice/);
    expect(message).toMatch(/shape\.2\.name: must match/);
    expect(message).toMatch(/exactly one primary/);
    expect(message).toMatch(/shape\.4\.source: "nobody" is not a member/);
  });

  it('finds a replication cycle', () => {
    expect(
      problemsOf(() => parseTopologyShape([{ name: 'p' }, { name: 'a', source: 'b' }, { name: 'b', source: 'a' }])),
    ).toMatch(/cycle among a, b/);
  });

  it('rejects an empty list', () => {
    expect(problemsOf(() => parseTopologyShape([]))).toMatch(/non-empty list/);
  });
});
