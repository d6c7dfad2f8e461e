// Three "data centers" as network namespaces on one switch: a bridge in a namespace of its own
// joins each DC's interconnect veth and the root namespace's (where MariaDB and the tests run), on
// a private /24 no route of this machine uses. Root's IP forwarding stays off: DCs reach each
// other and MariaDB over the bridge only, so downing a DC's interconnect isolates it completely.
// Each DC also has a management link to the root namespace (a link-local /30) that the test keeps
// up to watch the isolated DC's API and KV store; nothing is routed across it.
import { randomInt } from 'node:crypto';
import {
  createNetNamespace,
  createVethLink,
  runIp,
  TestEnvError,
  type NetNamespace,
  type VethLink,
} from '@orc/testenv';

/** One data center. */
export interface DataCenter {
  readonly name: string;
  readonly ns: NetNamespace;
  /** Its address on the interconnect (the switch). */
  readonly address: string;
  /** Its end of the management link: where the test reaches its servers. */
  readonly managementAddress: string;
  /** Brings its interconnect down (isolated) or up (healed). */
  connect(up: boolean): Promise<void>;
}

/** The switch, the DCs and the root namespace's address on the switch. */
export interface DcNetwork {
  readonly dcs: readonly DataCenter[];
  /** The root namespace's address on the switch (MariaDB binds it). */
  readonly rootAddress: string;
  /** Deletes the links and namespaces (the processes inside must be gone). */
  destroy(): Promise<void>;
}

async function freePrivateSubnet(): Promise<string> {
  const used = (await runIp(['-4', '-o', 'addr', 'show'])) + (await runIp(['-4', 'route', 'show']));
  for (let attempt = 0; attempt < 100; attempt++) {
    const prefix = `10.${randomInt(200, 250)}.${randomInt(1, 255)}.`;
    if (!used.includes(prefix) && !/\b10\.0\.0\.0\/8\b/.test(used)) return prefix;
  }
  throw new TestEnvError('NETWORK_SETUP_FAILED', 'no free 10.x.y.0/24 found for the DC switch');
}

/**
 * Creates the switch and `count` DCs; on failure removes what it made before rethrowing.
 *
 * @example
 * const net = await createDcNetwork(3);
 * await net.dcs[1].connect(false); // DC2 isolated
 * await net.destroy();
 */
export async function createDcNetwork(count: number): Promise<DcNetwork> {
  const namespaces: NetNamespace[] = [];
  const links: VethLink[] = [];
  const destroy = async (): Promise<void> => {
    for (const l of links.splice(0)) await l.destroy();
    for (const n of namespaces.splice(0)) await n.destroy();
  };
  try {
    const prefix = await freePrivateSubnet();
    const sw = await createNetNamespace();
    namespaces.push(sw);
    await runIp(['-n', sw.name, 'link', 'add', 'br0', 'type', 'bridge']);
    await runIp(['-n', sw.name, 'link', 'set', 'br0', 'up']);
    // A veth with one end in `ns` (null: root) holding `address`, the other on the bridge.
    const port = async (ns: NetNamespace | null, address: string): Promise<{ device: string; link: VethLink }> => {
      const link = await createVethLink(ns, sw);
      links.push(link);
      // createVethLink gives both ends a /30 of its own; the bridge end carries none.
      await runIp(['-n', sw.name, 'addr', 'flush', 'dev', link.b.device]);
      await runIp(['-n', sw.name, 'link', 'set', link.b.device, 'master', 'br0']);
      await runIp([...(ns === null ? [] : ['-n', ns.name]), 'addr', 'flush', 'dev', link.a.device]);
      await runIp([...(ns === null ? [] : ['-n', ns.name]), 'addr', 'add', `${address}/24`, 'dev', link.a.device]);
      return { device: link.a.device, link };
    };
    const rootAddress = `${prefix}1`;
    await port(null, rootAddress);
    const dcs: DataCenter[] = [];
    for (let i = 0; i < count; i++) {
      const ns = await createNetNamespace();
      namespaces.push(ns);
      const address = `${prefix}${11 + i}`;
      const { device } = await port(ns, address);
      const management = await createVethLink(null, ns);
      links.push(management);
      dcs.push({
        name: `dc${i + 1}`,
        ns,
        address,
        managementAddress: management.b.address,
        connect: async (up) => {
          await runIp(['-n', ns.name, 'link', 'set', device, up ? 'up' : 'down']);
        },
      });
    }
    return { dcs, rootAddress, destroy };
  } catch (err) {
    await destroy();
    throw err;
  }
}
