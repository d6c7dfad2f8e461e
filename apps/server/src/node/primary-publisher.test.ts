import { describe, expect, it } from '@jest/globals';
import type { CommandBus, OrcCommand } from '@orc/api';
import type { OrcTopology } from '@orc/topology';
import { PrimaryPublisher } from './primary-publisher.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(primary: { lastSeenAt: number | null; lastCheckedAt: number | null }): {
  submitted: OrcCommand[];
  topology: OrcTopology;
  commands: CommandBus;
} {
  const submitted: OrcCommand[] = [];
  const topology = {
    clusters: async () => [{ clusterName: 'db1:3306', clusterAlias: 'main', masterKey: 'db1:3306' }],
    instance: () => ({ key: 'db1:3306', ...primary }),
  } as unknown as OrcTopology;
  const commands = {
    submit: async (c: OrcCommand) => {
      submitted.push(c);
      return { pairs: [], stores: [] };
    },
  } as unknown as CommandBus;
  return { submitted, topology, commands };
}

describe('PrimaryPublisher', () => {
  it('publishes a primary seen alive since it started, once', async () => {
    const s = setup({ lastSeenAt: 2000, lastCheckedAt: 2000 });
    const publisher = new PrimaryPublisher(s.topology, s.commands, logger, 1000);
    await publisher.tick();
    await publisher.tick();
    expect(s.submitted).toEqual([{ kind: 'submit-masters-to-kv-stores', cluster: 'db1:3306' }]);
  });

  it('does not publish a primary known only from rows older than its start, nor one whose last probe failed', async () => {
    const stale = setup({ lastSeenAt: 500, lastCheckedAt: 500 });
    await new PrimaryPublisher(stale.topology, stale.commands, logger, 1000).tick();
    expect(stale.submitted).toEqual([]);
    const dead = setup({ lastSeenAt: 2000, lastCheckedAt: 3000 });
    await new PrimaryPublisher(dead.topology, dead.commands, logger, 1000).tick();
    expect(dead.submitted).toEqual([]);
  });
});
