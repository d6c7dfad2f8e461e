import { describe, it, expect } from '@jest/globals';
import { leaderCheckHaproxyConfig } from './haproxy-config.js';

describe('leaderCheckHaproxyConfig', () => {
  it('binds the allocated frontend and checks every backend with GET /api/leader-check', () => {
    const text = leaderCheckHaproxyConfig({
      backends: [
        { name: 'n1', port: 3001 },
        { name: 'n2', port: 3002 },
      ],
    })({
      host: '127.0.0.1',
      port: 13306,
      ports: { frontend: 13306 },
      dir: '/tmp/x',
    });
    expect(text).toContain('bind 127.0.0.1:13306');
    expect(text).toContain('option httpchk GET /api/leader-check');
    expect(text).toContain('http-check expect status 200');
    expect(text).toContain('server n1 127.0.0.1:3001 check');
    expect(text).toContain('server n2 127.0.0.1:3002 check');
    expect(text).toContain('mode tcp');
  });

  it('takes another check path, interval and mode', () => {
    const text = leaderCheckHaproxyConfig({
      backends: [{ name: 'a', port: 1 }],
      checkPath: '/api/raft-health',
      checkIntervalMs: 1000,
      mode: 'http',
    })({
      host: '127.0.0.1',
      port: 2,
      ports: { frontend: 2 },
      dir: '/tmp/x',
    });
    expect(text).toContain('option httpchk GET /api/raft-health');
    expect(text).toContain('inter 1000ms');
    expect(text).toContain('mode http');
  });
});
