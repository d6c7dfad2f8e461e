import { describe, expect, it } from '@jest/globals';
import type { LookupFunction } from 'node:net';
import { hostsFileLookup, parseHostsFile, resolveListenHost, type HostsFileDeps } from './hosts-file.js';

function deps(files: Record<string, string>): HostsFileDeps & { asked: string[] } {
  const asked: string[] = [];
  const fallback: LookupFunction = (hostname, _options, callback) => {
    asked.push(hostname);
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
  };
  return {
    asked,
    fallback,
    readText: (path) => {
      const text = files[path];
      return text === undefined
        ? Promise.reject(Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' }))
        : Promise.resolve(text);
    },
  };
}

const ask = (
  lookup: LookupFunction,
  host: string,
  options: { all?: boolean; family?: number } = {},
): Promise<{ err: string | null; address: unknown }> =>
  new Promise((resolve) =>
    lookup(host, options, (err, address) => resolve({ err: err === null ? null : err.message, address })),
  );

describe('RaftHostsFile', () => {
  it('parses addresses with aliases and skips comments and junk', () => {
    const hosts = parseHostsFile('# members\n127.0.0.3 orc3 ORC3.local # pod\nnot-an-ip orc9\n\n::1 orc6\n');
    expect([...hosts]).toEqual([
      ['orc3', ['127.0.0.3']],
      ['orc3.local', ['127.0.0.3']],
      ['orc6', ['::1']],
    ]);
  });

  it('reads the file at every lookup, so a member moved under the same name is found', async () => {
    const files = { '/h': '127.0.0.3 orc3\n' };
    const d = deps(files);
    const lookup = hostsFileLookup('/h', d);
    expect(await ask(lookup, 'orc3')).toEqual({ err: null, address: '127.0.0.3' });
    files['/h'] = '127.0.0.13 orc3\n';
    expect(await ask(lookup, 'ORC3', { all: true })).toEqual({
      err: null,
      address: [{ address: '127.0.0.13', family: 4 }],
    });
    expect(d.asked).toEqual([]);
  });

  it('asks the system resolver for names the file lacks or of another family', async () => {
    const d = deps({ '/h': '127.0.0.3 orc3\n' });
    const lookup = hostsFileLookup('/h', d);
    expect((await ask(lookup, 'db.example')).err).toMatch(/ENOTFOUND db.example/);
    expect((await ask(lookup, 'orc3', { family: 6 })).err).toMatch(/ENOTFOUND orc3/);
    expect(d.asked).toEqual(['db.example', 'orc3']);
  });

  it('fails the dial naming the file when it cannot be read', async () => {
    const lookup = hostsFileLookup('/missing', deps({}));
    expect((await ask(lookup, 'orc3')).err).toMatch(/^RaftHostsFile \/missing unreadable: ENOENT/);
  });

  it('resolves the listen host once: an IP or empty host as is, a name through the file', async () => {
    const d = deps({ '/h': '127.0.0.3 orc3\n' });
    expect(await resolveListenHost('0.0.0.0', '/h', d)).toBe('0.0.0.0');
    expect(await resolveListenHost('', '/h', d)).toBe('');
    expect(await resolveListenHost('orc3', '/h', d)).toBe('127.0.0.3');
    await expect(resolveListenHost('orc4', '/h', d)).rejects.toThrow(/ENOTFOUND orc4/);
  });
});
