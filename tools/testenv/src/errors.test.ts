import { describe, it, expect } from '@jest/globals';
import { isTestEnvError, TestEnvError } from './errors.js';

describe('TestEnvError', () => {
  it('carries code, retryable, details, context and cause', () => {
    const cause = new Error('EADDRINUSE');
    const err = new TestEnvError('PORT_TAKEN', 'port 1 taken', { cause, context: { port: 1 } });
    expect(err.code).toBe('PORT_TAKEN');
    expect(err.retryable).toBe(true);
    expect(err.details).toEqual([]);
    expect(err.context).toEqual({ port: 1 });
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('TestEnvError');
    expect(isTestEnvError(err, 'PORT_TAKEN')).toBe(true);
    expect(isTestEnvError(err, 'BINARY_MISSING')).toBe(false);
    expect(new TestEnvError('BINARY_MISSING', 'x').retryable).toBe(false);
  });

  it('keeps a frozen copy of the problems it reports', () => {
    const problems = [{ path: 'shape.0.name', message: 'must match' }];
    const err = new TestEnvError('INVALID_CONFIG', 'invalid', { details: problems });
    problems.push({ path: 'port', message: 'later' });
    expect(err.details).toEqual([{ path: 'shape.0.name', message: 'must match' }]);
    expect(Object.isFrozen(err.details)).toBe(true);
  });
});
