// RaftHostsFile: a file in /etc/hosts format the Raft transport consults before DNS, reread at
// every dial. It serves deployments without DNS for the members (and the renaming tests, which
// move a member to a new address under the same name); the system resolver stays the fallback,
// so a name the file does not list is resolved as before.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { isIP, type LookupFunction } from 'node:net';

/**
 * The addresses of each name in hosts-file text (`address name [alias...]`, `#` comments), in
 * file order.
 *
 * @example
 * parseHostsFile('127.0.0.3 orc3 orc3.local\n').get('orc3') // ['127.0.0.3']
 */
export function parseHostsFile(text: string): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const [address, ...aliases] = (raw.split('#')[0] ?? '').trim().split(/\s+/);
    if (address === undefined || isIP(address) === 0) continue;
    for (const name of aliases) {
      const key = name.toLowerCase();
      const list = names.get(key) ?? [];
      list.push(address);
      names.set(key, list);
    }
  }
  return names;
}

/** What {@link hostsFileLookup} reads with; injectable for tests. */
export interface HostsFileDeps {
  readonly readText: (path: string) => Promise<string>;
  readonly fallback: LookupFunction;
}

const systemDeps: HostsFileDeps = { readText: (path) => readFile(path, 'utf8'), fallback: dnsLookup };

/**
 * A `net.connect` lookup that answers from the hosts file read at this very call, else asks the
 * fallback (the system resolver). An unreadable file is an error of the dial, named in it.
 *
 * @example
 * new TcpTransport({ ...options, lookup: hostsFileLookup('/etc/orc/raft-hosts') });
 */
export function hostsFileLookup(path: string, deps: HostsFileDeps = systemDeps): LookupFunction {
  return (hostname, options, callback) => {
    deps.readText(path).then(
      (text) => {
        const wanted = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 ? 4 : 0;
        const found = (parseHostsFile(text).get(hostname.toLowerCase()) ?? [])
          .map((address): LookupAddress => ({ address, family: isIP(address) }))
          .filter((a) => wanted === 0 || a.family === wanted);
        if (found.length === 0) {
          deps.fallback(hostname, options, callback);
          return;
        }
        if (options.all === true) callback(null, found);
        else callback(null, (found[0] as LookupAddress).address, (found[0] as LookupAddress).family);
      },
      (err: unknown) => {
        const cause = err instanceof Error ? err.message : String(err);
        const failure: NodeJS.ErrnoException = new Error(`RaftHostsFile ${path} unreadable: ${cause}`);
        failure.code = 'ENOTFOUND';
        callback(failure, '', 4);
      },
    );
  };
}

/**
 * The address to listen on for `host`: itself when it is an IP (or empty), else the hosts
 * file's (or the system resolver's) answer, read once at start.
 *
 * @example
 * await resolveListenHost('orc3', '/etc/orc/raft-hosts') // '127.0.0.3'
 */
export async function resolveListenHost(host: string, path: string, deps: HostsFileDeps = systemDeps): Promise<string> {
  if (host === '' || isIP(host) !== 0) return host;
  const lookup = hostsFileLookup(path, deps);
  return new Promise((resolve, reject) => {
    lookup(host, {}, (err, address) => {
      if (err !== null) reject(err);
      else resolve(typeof address === 'string' ? address : (address[0]?.address ?? host));
    });
  });
}
