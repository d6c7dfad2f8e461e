import { describe, expect, it } from '@jest/globals';
import type { Connection } from 'mysql2';
import { discardConnection } from './discard-connection.js';

describe('discardConnection', () => {
  it('destroys the socket as well, not only the half-close mysql2 calls destroy', () => {
    const calls: string[] = [];
    const conn = {
      destroy: () => calls.push('connection.destroy'),
      stream: { destroy: () => calls.push('stream.destroy') },
    } as unknown as Connection;
    discardConnection(conn);
    expect(calls).toEqual(['connection.destroy', 'stream.destroy']);
  });

  it('accepts a connection whose stream is already gone', () => {
    const calls: string[] = [];
    const conn = { destroy: () => calls.push('connection.destroy') } as unknown as Connection;
    discardConnection(conn);
    expect(calls).toEqual(['connection.destroy']);
  });
});
