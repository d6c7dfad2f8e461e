import { describe, it, expect } from '@jest/globals';
import { validateRaftCoreConfig } from './config.js';
import type { RaftCoreConfigInput } from './config.js';
import { RaftError } from '../errors.js';
import { nodeId } from './types.js';

describe('validateRaftCoreConfig', () => {
  it('fills defaults', () => {
    const cfg = validateRaftCoreConfig({ id: nodeId('a') });
    expect(cfg).toMatchObject({
      electionTickMin: 10,
      electionTickMax: 20,
      heartbeatTick: 1,
      preVote: true,
      checkQuorum: true,
      leaseRead: false,
    });
  });

  it('reports every problem at once, each with its path', () => {
    const input = {
      id: '',
      electionTickMin: 5,
      electionTickMax: 4,
      heartbeatTick: 6,
      maxSizePerMsg: -1,
      leaseRead: true,
      checkQuorum: false,
    } as unknown as RaftCoreConfigInput;
    let caught: unknown;
    try {
      validateRaftCoreConfig(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RaftError);
    const err = caught as RaftError;
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.details.map((d) => d.path).sort()).toEqual([
      'electionTickMax',
      'heartbeatTick',
      'id',
      'leaseRead',
      'maxSizePerMsg',
    ]);
  });
});
