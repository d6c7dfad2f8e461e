import { describe, it, expect, jest } from '@jest/globals';
import { publishPrimary } from '../examples/publish-primary.js';

describe('the README example', () => {
  it('publishes a primary to the internal store alone', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await publishPrimary(['--alias', 'shop', '--host', 'db9', '--port', '3307']);
      expect(result.ok).toBe(true);
      expect(log.mock.calls.flat()).toContainEqual([
        { key: 'mysql/master/shop', value: 'db9:3307' },
        { key: 'mysql/master/shop/hostname', value: 'db9' },
        { key: 'mysql/master/shop/port', value: '3307' },
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
