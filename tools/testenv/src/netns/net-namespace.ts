import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { requireExecutable } from '../core/binaries.js';
import { trackForExit } from '../core/exit-hooks.js';
import { isProcessAlive } from '../core/proc-info.js';
import { TestEnvError } from '../errors.js';

/** The `ip` program of iproute2 (Debian package iproute2). */
export const IP_PATH = '/usr/sbin/ip';

// Namespaces and veth names carry their owner's pid, so a later run can remove what a crashed one
// left: `otn<pid>x<hex>`. Interface names are limited to 15 bytes: `ov<hex6><a|b>`.
const NS_PREFIX = 'otn';
const NS_PATTERN = /^otn(\d+)x[0-9a-f]+$/;

/**
 * Runs `ip` with arguments; rejects with `NETWORK_SETUP_FAILED` holding ip's stderr. A missing
 * capability (no root, no netns support) is such a failure: CI must see it, never skip.
 *
 * @example
 * ```ts
 * await runIp(['netns', 'list']);
 * ```
 */
export function runIp(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(IP_PATH, [...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new TestEnvError('NETWORK_SETUP_FAILED', `ip ${args.join(' ')} failed: ${stderr.trim() || String(error)}`, {
            cause: error,
            context: { args },
          }),
        );
      } else resolve(stdout);
    });
  });
}

/** `ip` arguments that run `rest` inside namespace `ns`, or in the root namespace when ns is null. */
function inNs(ns: string | null, rest: readonly string[]): string[] {
  return ns === null ? [...rest] : ['-n', ns, ...rest];
}

/**
 * A network namespace of its own: a host with no network but its loopback until links are made
 * ({@link createVethLink}). Servers run inside with `ip netns exec` (MariaDB's `netns` option).
 * `destroy()` deletes it (the veths inside go with it) once its processes are gone; a namespace
 * left by a crashed owner is deleted by the next {@link createNetNamespace}.
 *
 * @example
 * ```ts
 * const host = await createNetNamespace();
 * try {
 *   await host.addAddress('169.254.7.1/32', 'lo');
 * } finally {
 *   await host.destroy();
 * }
 * ```
 */
export class NetNamespace {
  /** The namespace's name under /run/netns. */
  readonly name: string;
  readonly #untrack: () => void;
  #destroyed = false;

  /** @internal use {@link createNetNamespace}. */
  constructor(name: string) {
    this.name = name;
    this.#untrack = trackForExit({ reapNowSync: () => deleteNamespaceSync(name) });
  }

  /** The command prefix that runs a program inside: `ip netns exec <name>`. */
  get execPrefix(): readonly string[] {
    return [IP_PATH, 'netns', 'exec', this.name];
  }

  /** Adds an address (`a.b.c.d/len`) to one of the namespace's devices. */
  async addAddress(cidr: string, device: string): Promise<void> {
    await runIp(inNs(this.name, ['addr', 'add', cidr, 'dev', device]));
  }

  /** Routes `destination` (an address or `a.b.c.d/len`) through `gateway` inside the namespace. */
  async addRoute(destination: string, gateway: string): Promise<void> {
    await runIp(inNs(this.name, ['route', 'replace', destination, 'via', gateway]));
  }

  /** Deletes the namespace. Idempotent; the processes inside must be gone first (they keep it alive). */
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#untrack();
    if (namespaceExists(this.name)) await runIp(['netns', 'delete', this.name]);
  }
}

/** One end of a veth pair. */
export interface VethEnd {
  /** The namespace holding this end; null for the root namespace (where the tests run). */
  readonly ns: string | null;
  readonly device: string;
  /** The end's address, without the prefix length. */
  readonly address: string;
}

/**
 * A veth pair between two namespaces (or a namespace and the root one) with a link-local /30
 * address on each end. Each end knows its peer's MAC address permanently: a silenced link then
 * drops packets without a word, as a dead host behind a switch does, instead of failing ARP and
 * answering "host unreachable" a few seconds later.
 *
 * @example
 * ```ts
 * const link = await createVethLink(null, host);
 * await link.setUp(link.b, false); // the host's side goes down: silence
 * await link.setUp(link.b, true);
 * ```
 */
export class VethLink {
  readonly a: VethEnd;
  readonly b: VethEnd;

  /** @internal use {@link createVethLink}. */
  constructor(a: VethEnd, b: VethEnd) {
    this.a = a;
    this.b = b;
  }

  /** Sets one end's link up or down (down: nothing passes in either direction, silently). */
  async setUp(end: VethEnd, up: boolean): Promise<void> {
    await runIp(inNs(end.ns, ['link', 'set', end.device, up ? 'up' : 'down']));
  }

  /** Removes the pair (both ends). Idempotent: a pair whose namespace is gone is gone too. */
  async destroy(): Promise<void> {
    try {
      await runIp(inNs(this.a.ns, ['link', 'delete', this.a.device]));
    } catch (error) {
      const stillThere = await runIp(inNs(this.a.ns, ['-o', 'link', 'show', this.a.device])).then(
        () => true,
        () => false,
      );
      if (stillThere) throw error;
    }
  }
}

/** Options of {@link createNetNamespace}. */
export interface NetNamespaceOptions {
  /** Whether to bring `lo` up. Default true. */
  loopbackUp?: boolean;
}

/**
 * Creates a network namespace named after this process (after deleting those of dead owners).
 * Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2: without them it fails with
 * `NETWORK_SETUP_FAILED` or `BINARY_MISSING`.
 *
 * @example
 * ```ts
 * const host = await createNetNamespace();
 * await host.destroy();
 * ```
 */
export async function createNetNamespace(options: NetNamespaceOptions = {}): Promise<NetNamespace> {
  requireExecutable(IP_PATH, 'iproute2', 'ip (iproute2)');
  await reapOrphanNamespaces();
  const name = `${NS_PREFIX}${process.pid}x${randomBytes(3).toString('hex')}`;
  await runIp(['netns', 'add', name]);
  const ns = new NetNamespace(name);
  try {
    if (options.loopbackUp ?? true) await runIp(inNs(name, ['link', 'set', 'lo', 'up']));
  } catch (error) {
    await ns.destroy();
    throw error;
  }
  return ns;
}

/**
 * Creates a veth pair between `left` and `right` (null: the root namespace), puts a free
 * link-local /30 on it (169.254.x.y, checked against the root namespace's addresses), sets both
 * ends up and pins each end's peer MAC address. On failure the pair is removed before the error.
 *
 * @example
 * ```ts
 * const link = await createVethLink(null, host); // link.b.address is the host's address
 * ```
 */
export async function createVethLink(left: NetNamespace | null, right: NetNamespace | null): Promise<VethLink> {
  const tag = randomBytes(3).toString('hex');
  const [devA, devB] = [`ov${tag}a`, `ov${tag}b`];
  const base = await freeLinkLocalSubnet();
  const a: VethEnd = { ns: left?.name ?? null, device: devA, address: base.first };
  const b: VethEnd = { ns: right?.name ?? null, device: devB, address: base.second };
  // Created in the root namespace and then moved: `ip link add` cannot name two namespaces at once.
  await runIp(['link', 'add', devA, 'type', 'veth', 'peer', 'name', devB]);
  try {
    if (a.ns !== null) await runIp(['link', 'set', devA, 'netns', a.ns]);
    if (b.ns !== null) await runIp(['link', 'set', devB, 'netns', b.ns]);
    for (const end of [a, b]) {
      await runIp(inNs(end.ns, ['addr', 'add', `${end.address}/30`, 'dev', end.device]));
      await runIp(inNs(end.ns, ['link', 'set', end.device, 'up']));
    }
    const macA = await macOf(a);
    const macB = await macOf(b);
    await runIp(inNs(a.ns, ['neigh', 'replace', b.address, 'lladdr', macB, 'dev', devA, 'nud', 'permanent']));
    await runIp(inNs(b.ns, ['neigh', 'replace', a.address, 'lladdr', macA, 'dev', devB, 'nud', 'permanent']));
  } catch (error) {
    await new VethLink(await whereIs(a), b).destroy();
    throw error;
  }
  return new VethLink(a, b);
}

async function whereIs(end: VethEnd): Promise<VethEnd> {
  const inRoot = await runIp(['-o', 'link', 'show', end.device]).then(
    () => true,
    () => false,
  );
  return inRoot ? { ...end, ns: null } : end;
}

async function macOf(end: VethEnd): Promise<string> {
  const out = await runIp(inNs(end.ns, ['-o', 'link', 'show', end.device]));
  const mac = /link\/ether ([0-9a-f:]{17})/.exec(out)?.[1];
  if (mac === undefined) throw new TestEnvError('NETWORK_SETUP_FAILED', `no MAC address on ${end.device}: ${out}`);
  return mac;
}

/**
 * A /30 in 169.254.0.0/16 that no root-namespace address or route uses (other runs make links
 * too); its two usable addresses.
 *
 * @example
 * ```ts
 * const { first } = await freeLinkLocalSubnet();
 * ```
 */
export async function freeLinkLocalSubnet(): Promise<{ first: string; second: string }> {
  const used = (await runIp(['-4', '-o', 'addr', 'show'])) + (await runIp(['-4', 'route', 'show']));
  for (let attempt = 0; attempt < 100; attempt++) {
    const bytes = randomBytes(2);
    const x = 1 + ((bytes[0] ?? 0) % 254);
    const y = ((bytes[1] ?? 0) % 64) * 4;
    const prefix = `169.254.${x}.`;
    if ([1, 2].some((i) => new RegExp(`\\b${prefix.replaceAll('.', '\\.')}${y + i}\\b`).test(used))) continue;
    return { first: `${prefix}${y + 1}`, second: `${prefix}${y + 2}` };
  }
  throw new TestEnvError('NETWORK_SETUP_FAILED', 'no free link-local /30 found in 169.254.0.0/16');
}

function namespaceExists(name: string): boolean {
  try {
    return readdirSync('/run/netns').includes(name);
  } catch {
    return false;
  }
}

function deleteNamespaceSync(name: string): void {
  if (!namespaceExists(name)) return;
  execFileSync(IP_PATH, ['netns', 'delete', name], { stdio: 'ignore', timeout: 10_000 });
}

/**
 * Deletes the namespaces of owners that are gone (their servers died with them through the
 * parent-death signal; a veth whose namespace is deleted disappears with its peer).
 *
 * @example
 * ```ts
 * const removed = await reapOrphanNamespaces();
 * ```
 */
export async function reapOrphanNamespaces(): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = NS_PATTERN.exec(name)?.[1];
    if (owner === undefined || isProcessAlive(Number(owner))) continue;
    try {
      await runIp(['netns', 'delete', name]);
      removed.push(name);
    } catch (error) {
      // Another run may have reaped it first.
      if (namespaceExists(name)) throw error;
    }
  }
  return removed;
}
