import { describe, it, expect } from '@jest/globals';
import { isTestEnvError, TestEnvError } from './errors.js';

describe('TestEnvError', () => {
  it('carries code, retryable, details and cause', () => {
    const cause = new Error('EADDRINUSE');
    const err = new TestEnvError('port-taken', 'port 1 taken', { cause, details: { port: 1 } });
    expect(err.code).toBe('port-taken');
    expect(err.retryable).toBe(true);
    expect(err.details).toEqual({ port: 1 });
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('TestEnvError');
    expect(isTestEnvError(err, 'port-taken')).toBe(true);
    expect(isTestEnvError(err, 'binary-missing')).toBe(false);
    expect(new TestEnvError('binary-missing', 'x').retryable).toBe(false);
  });
});
