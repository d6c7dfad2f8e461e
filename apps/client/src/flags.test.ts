import { describe, expect, it } from '@jest/globals';
import { ClientError } from './errors.js';
import { parseFlags, toHostPort } from './flags.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseFlags(argv, env, 'ops');
const failure = (argv: string[]): ClientError => {
  try {
    parse(argv);
  } catch (err) {
    if (err instanceof ClientError) return err;
    throw err;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
};

describe('parseFlags', () => {
  it('takes the defaults of orchestrator-client', () => {
    const o = parse([]);
    expect(o).toMatchObject({
      command: '',
      api: 'http://localhost:3000',
      owner: 'ops',
      duration: '10m',
      defaultPort: '3306',
      auth: ':',
      json: false,
      help: false,
    });
  });

  it('reads ORCHESTRATOR_* from the environment', () => {
    const o = parse([], {
      ORCHESTRATOR_API: 'http://a:3000 http://b:3000',
      ORCHESTRATOR_INSTANCE: 'db1:3307',
      ORCHESTRATOR_AUTH_USER: 'u',
      ORCHESTRATOR_AUTH_PASSWORD: 'p',
      ORCHESTRATOR_AUTH_USER_HEADER: 'X-User: me',
    });
    expect(o).toMatchObject({
      api: 'http://a:3000 http://b:3000',
      instance: 'db1:3307',
      auth: 'u:p',
      headersAuth: 'X-User: me',
    });
  });

  it.each([
    [['-c', 'relocate', '-i', 'a', '-d', 'b'], { command: 'relocate', instance: 'a', destination: 'b' }],
    [['--command', 'x', '-s', 'dest'], { command: 'x', destination: 'dest' }],
    [['-alias', 'shop'], { alias: 'shop' }],
    [['--alias', 'shop'], { alias: 'shop' }],
    [['--alias=shop'], { alias: 'shop' }],
    [['-a', 'shop'], { alias: 'shop' }],
    [['-cclusters'], { command: 'clusters' }],
    [['-o', 'me', '-r', 'upgrade', '-u', '1h'], { owner: 'me', reason: 'upgrade', duration: '1h' }],
    [['--owner', 'me', '--reason', 'r', '--duration', '2d'], { owner: 'me', reason: 'r', duration: '2d' }],
    [['-R', 'prefer'], { promotionRule: 'prefer' }],
    [['--promotion-rule=prefer'], { promotionRule: 'prefer' }],
    [['-t', 'role=db'], { tag: 'role=db' }],
    [['-l', 'pool1', '-H', 'orc2', '-q', 'select 1'], { pool: 'pool1', hostname: 'orc2', query: 'select 1' }],
    [['-U', 'http://x:3000'], { api: 'http://x:3000' }],
    [['-P', 'leader-check', '--path', 'clusters'], { path: 'clusters' }],
    [['-b', 'u:p'], { auth: 'u:p' }],
    [['-e', 'X-Auth-User: alice'], { headersAuth: 'X-Auth-User: alice' }],
    [['-n', 'bin.000003', '-S', '30', '-D', '3307'], { binlog: 'bin.000003', seconds: '30', defaultPort: '3307' }],
    [['--json', '-json'], { json: true }],
    [['-h'], { help: true }],
    [['--help'], { help: true }],
    [['-help'], { help: true }],
    [['-r', '-not-a-flag'], { reason: '-not-a-flag' }],
  ] as const)('%j', (argv, expected) => {
    expect(parse([...argv])).toMatchObject(expected);
  });

  it('keeps ORCHESTRATOR_API when -U is empty, as the original', () => {
    expect(parse(['-U', ''], { ORCHESTRATOR_API: 'http://env:3000' }).api).toBe('http://env:3000');
  });

  it('refuses an unknown option with exit status 2 and the closest name', () => {
    const err = failure(['--alais', 'x']);
    expect(err.code).toBe('BAD_FLAG');
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('unknown option --alais (did you mean --alias?)');
  });

  it('refuses a value flag at the end with the value it wants', () => {
    expect(failure(['-c', 'topology', '-i']).message).toBe('option -i needs a value (host[:port])');
    expect(failure(['--owner']).message).toBe('option --owner needs a value (owner)');
  });

  it('refuses stray arguments and values on boolean flags', () => {
    expect(failure(['-c', 'clusters', 'extra']).message).toMatch(/^unexpected argument "extra"/);
    expect(failure(['--json=yes']).message).toBe('option --json takes no value');
  });
});

describe('toHostPort', () => {
  it('turns host:port into a path and gives a bare host the default port', () => {
    expect(toHostPort('db1:3307', '3306')).toBe('db1/3307');
    expect(toHostPort('db1', '3306')).toBe('db1/3306');
    expect(toHostPort('db1', '3310')).toBe('db1/3310');
    expect(toHostPort('', '3306')).toBe('');
  });
});
