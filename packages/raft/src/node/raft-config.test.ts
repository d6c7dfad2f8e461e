import { describe, it, expect } from '@jest/globals';
import { validateRaftConfig } from './raft-config.js';
import type { RaftError } from '../errors.js';

describe('validateRaftConfig', () => {
  it('fills defaults', () => {
    const c = validateRaftConfig({ id: 'a', peers: { b: '127.0.0.1:2' } });
    expect(c).toMatchObject({
      id: 'a',
      tickMs: 10,
      heartbeatMs: 50,
      electionTimeoutMs: 300,
      preVote: true,
      checkQuorum: true,
      bootstrap: true,
      snapshotThreshold: 8192,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every problem at once, with paths and cross-field checks', () => {
    let err: RaftError | undefined;
    try {
      validateRaftConfig({
        id: '',
        heartbeatMs: 500,
        electionTimeoutMs: 300,
        tickMs: 7,
        leaseRead: true,
        checkQuorum: false,
        peers: { b: '' },
        snapshotThreshold: -1,
        colour: 'red',
      } as never);
    } catch (e) {
      err = e as RaftError;
    }
    expect(err?.code).toBe('INVALID_CONFIG');
    expect(err?.details.map((d) => d.path)).toEqual([
      'colour',
      'id',
      'peers.b',
      'snapshotThreshold',
      'heartbeatMs',
      'heartbeatMs',
      'electionTimeoutMs',
      'leaseRead',
    ]);
    expect(err?.details[4]?.message).toBe('must be less than electionTimeoutMs (300)');
  });
});
