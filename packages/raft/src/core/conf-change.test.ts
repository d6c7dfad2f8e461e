import { describe, it, expect } from '@jest/globals';
import { applyConfChange, confChangeProblem, decodeConfChange, encodeConfChange } from './conf-change.js';
import { nodeId } from './types.js';

const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(nodeId) as [
  ReturnType<typeof nodeId>,
  ReturnType<typeof nodeId>,
  ReturnType<typeof nodeId>,
  ReturnType<typeof nodeId>,
];
const conf = { voters: [a, b, c], learners: [], votersOutgoing: [] };

describe('conf changes', () => {
  it('round-trips a change with its context and resulting configuration', () => {
    const result = applyConfChange(conf, { type: 'addLearner', node: d, context: new Uint8Array() });
    const data = encodeConfChange({ type: 'addLearner', node: d, context: new Uint8Array([1, 2, 3]), result });
    const back = decodeConfChange(data);
    expect(back.type).toBe('addLearner');
    expect(back.node).toBe(d);
    expect([...back.context]).toEqual([1, 2, 3]);
    expect(back.result).toEqual({ voters: [a, b, c], learners: [d], votersOutgoing: [] });
  });

  it('decodes an entry written without its result as a delta', () => {
    const back = decodeConfChange(encodeConfChange({ type: 'addVoter', node: a, context: new Uint8Array() }));
    expect(back.result).toBeNull();
  });

  it('refuses garbage with a TypeError naming the problem', () => {
    expect(() => decodeConfChange(new Uint8Array([9, 0, 1, 65, 0, 0, 0]))).toThrow(/unknown change type/);
    expect(() => decodeConfChange(new Uint8Array([0]))).toThrow(/shorter than its header/);
    expect(() => decodeConfChange(new Uint8Array([0, 0, 9, 65, 0, 0, 0]))).toThrow(/node id length/);
  });

  it('checks single-server changes against the configuration', () => {
    expect(confChangeProblem(conf, { type: 'addVoter', node: a, context: new Uint8Array() })).toMatch(
      /already a voter/,
    );
    expect(confChangeProblem(conf, { type: 'removeNode', node: d, context: new Uint8Array() })).toMatch(/not a member/);
    expect(
      confChangeProblem({ ...conf, voters: [a] }, { type: 'removeNode', node: a, context: new Uint8Array() }),
    ).toMatch(/last voter/);
    expect(confChangeProblem(conf, { type: 'addLearner', node: a, context: new Uint8Array() })).toMatch(/demoting/);
    expect(confChangeProblem(conf, { type: 'removeNode', node: b, context: new Uint8Array() })).toBeNull();
  });

  it('promotes a learner to voter', () => {
    const withLearner = applyConfChange(conf, { type: 'addLearner', node: d, context: new Uint8Array() });
    expect(applyConfChange(withLearner, { type: 'addVoter', node: d, context: new Uint8Array() })).toEqual({
      voters: [a, b, c, d],
      learners: [],
      votersOutgoing: [],
    });
  });
});
