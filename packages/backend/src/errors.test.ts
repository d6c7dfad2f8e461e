import { describe, it, expect } from '@jest/globals';
import { BackendError, toBackendError } from './errors.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('toBackendError', () => {
  it('classifies connection failures as retryable unreachable', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ENOTFOUND']) {
      const e = toBackendError(withCode(code), 'read');
      expect(e).toMatchObject({ code: 'unreachable', retryable: true });
      expect(e.message).toContain('read');
      expect(e.cause).toBeInstanceOf(Error);
    }
  });

  it('classifies locks as busy, duplicates as conflict, the rest as query-failed', () => {
    expect(toBackendError(withCode('ER_LOCK_DEADLOCK'), 'x')).toMatchObject({ code: 'busy', retryable: true });
    expect(toBackendError(withCode('SQLITE_BUSY'), 'x')).toMatchObject({ code: 'busy', retryable: true });
    expect(toBackendError(withCode('ER_DUP_ENTRY'), 'x')).toMatchObject({ code: 'conflict', retryable: false });
    expect(toBackendError(withCode('ER_PARSE_ERROR'), 'x')).toMatchObject({ code: 'query-failed', retryable: false });
    expect(toBackendError('text', 'x')).toMatchObject({ code: 'query-failed' });
  });

  it('passes a BackendError through', () => {
    const e = new BackendError('closed', 'closed');
    expect(toBackendError(e, 'x')).toBe(e);
  });
});
