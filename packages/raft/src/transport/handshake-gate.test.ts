import { describe, it, expect } from '@jest/globals';
import { HandshakeGate } from './handshake-gate.js';

describe('HandshakeGate', () => {
  it('caps handshaking connections per source address and in total, and frees a slot on release', () => {
    const gate = new HandshakeGate({ total: 3, perAddress: 2 });
    expect(gate.admit('10.0.0.1')).toBeNull();
    expect(gate.admit('10.0.0.1')).toBeNull();
    expect(gate.admit('10.0.0.1')).toBe('too many handshaking connections from this address');
    expect(gate.admit('10.0.0.2')).toBeNull();
    expect(gate.admit('10.0.0.3')).toBe('too many handshaking connections');
    expect(gate.size).toBe(3);
    gate.release('10.0.0.1');
    expect(gate.size).toBe(2);
    expect(gate.admit('10.0.0.3')).toBeNull();
    expect(gate.admit('10.0.0.1')).toBe('too many handshaking connections');
  });

  it('ignores a release for an address it does not count', () => {
    const gate = new HandshakeGate({ total: 1, perAddress: 1 });
    gate.release('10.0.0.9');
    expect(gate.size).toBe(0);
    expect(gate.admit('10.0.0.9')).toBeNull();
  });
});
