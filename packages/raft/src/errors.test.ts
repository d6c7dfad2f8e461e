import { describe, it, expect } from '@jest/globals';
import { thrownBy } from '@orc/testkit';
import { RaftError, isRaftError, raftErrorRetryable, type RaftErrorCode } from './errors.js';
import { validateRaftConfig } from './node/raft-config.js';
import { resolveTcpOptions } from './transport/tcp-options.js';
import { nodeId } from './core/types.js';

const thrown = (fn: () => unknown): RaftError => thrownBy(fn, isRaftError);

describe('RaftError', () => {
  it('carries retryable per code, and details that are empty unless given', () => {
    const codes = Object.keys(raftErrorRetryable) as RaftErrorCode[];
    for (const code of codes) {
      const err = new RaftError(code, 'x');
      expect({ code, retryable: err.retryable, details: err.details }).toEqual({
        code,
        retryable: raftErrorRetryable[code],
        details: [],
      });
    }
    expect(codes.filter((c) => raftErrorRetryable[c]).sort()).toEqual([
      'ABORTED',
      'BUSY',
      'LEADERSHIP_LOST',
      'LOG_FULL',
      'NOT_LEADER',
      'TIMEOUT',
    ]);
    expect(codes.every((c) => /^[A-Z]+(_[A-Z]+)*$/.test(c))).toBe(true);
  });

  it('keeps cause and a frozen copy of details', () => {
    const cause = new Error('disk full');
    const details = [{ path: 'entries.0.index', message: 'is 3; expected 2' }];
    const err = new RaftError('STORAGE', 'append failed', { cause, details });
    details.push({ path: 'later', message: 'must not show' });
    expect(err.cause).toBe(cause);
    expect(err.details).toEqual([{ path: 'entries.0.index', message: 'is 3; expected 2' }]);
    expect(Object.isFrozen(err.details)).toBe(true);
    expect(isRaftError(err, 'STORAGE')).toBe(true);
    expect(isRaftError(err, 'TIMEOUT')).toBe(false);
  });

  it('reports every config problem under details, not retryable', () => {
    const raft = thrown(() => validateRaftConfig({ id: '', peers: {}, tickMs: -1 }));
    expect(raft.code).toBe('INVALID_CONFIG');
    expect(raft.retryable).toBe(false);
    expect(raft.details.map((d) => d.path)).toEqual(['id', 'tickMs']);
    const tcp = thrown(() =>
      resolveTcpOptions({
        localId: nodeId('a'),
        clusterId: '',
        bind: { host: '127.0.0.1', port: 70000 },
        peers: { b: 'nope' },
        backoff: { initialMs: 50, maxMs: 10 },
      }),
    );
    expect(tcp.code).toBe('INVALID_CONFIG');
    expect(tcp.details.map((d) => d.path)).toEqual(['clusterId', 'bind.port', 'peers.b', 'backoff.maxMs']);
    expect('problems' in tcp).toBe(false);
  });
});
