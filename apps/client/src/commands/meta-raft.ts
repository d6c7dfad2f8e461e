// orchestrator-client's commands: meta (help, which-api, api) and raft.
import { ClientError } from '../errors.js';
import { echoed, field, rawText } from '../format.js';
import { seg, details, type CommandContext, type CommandTable } from './spec.js';

/**
 * Adds the meta (help, which-api, api) and raft commands to a table.
 *
 * @example
 * metaAndRaftCommands(table);
 */
export function metaAndRaftCommands(t: CommandTable): void {
  // Meta and raft.
  const raftLeaderConfirmed = async (ctx: CommandContext): Promise<void> => {
    // As the original: these commands need the node asked to be the raft leader.
    const state = await ctx.api('raft-state');
    if (!rawText(state).includes('Leader')) throw new ClientError('RAFT_STATE', 'Cannot determine raft state');
  };
  t.push(
    {
      name: 'help',
      group: 'meta',
      summary: 'Print this help',
      needs: [],
      route: '(none)',
      prints: 'this help',
      local: true,
      run: async () => ({ lines: [], json: null }),
    },
    {
      name: 'which-api',
      group: 'meta',
      summary: 'Print the API URL the client talks to (the leader, from a list)',
      needs: [],
      route: 'leader-check, routed-leader-check',
      prints: 'the URL',
      run: async (ctx) => ({ lines: [ctx.leaderApi], json: { api: ctx.leaderApi } }),
    },
    {
      name: 'api',
      group: 'meta',
      summary: 'GET any API path (-P) and print its JSON',
      needs: ['path'],
      route: ':path',
      prints: 'the JSON answer on one line',
      rawErrors: true,
      run: async (ctx) => {
        const body = await ctx.api(ctx.options.path);
        return { lines: [echoed(body)], json: body };
      },
    },
    {
      name: 'raft-leader',
      group: 'raft',
      summary: "Print the raft leader's address",
      needs: [],
      route: 'raft-state, raft-leader',
      prints: 'ip:port',
      run: async (ctx) => {
        await raftLeaderConfirmed(ctx);
        const body = await ctx.api('raft-leader');
        return { lines: [rawText(body)], json: body };
      },
    },
    {
      name: 'raft-health',
      group: 'raft',
      summary: 'Print whether the node is part of a healthy raft group',
      needs: [],
      route: 'raft-health',
      prints: 'healthy',
      run: async (ctx) => {
        const body = await ctx.api('raft-health');
        return { lines: [rawText(body)], json: body };
      },
    },
    {
      name: 'raft-leader-hostname',
      group: 'raft',
      summary: "Print the raft leader's host name",
      needs: [],
      route: 'raft-state, status',
      prints: 'host name',
      run: async (ctx) => {
        await raftLeaderConfirmed(ctx);
        const body = await ctx.api('status');
        return { lines: [rawText(field(details(body), 'Hostname'))], json: body };
      },
    },
    {
      name: 'raft-elect-leader',
      group: 'raft',
      summary: 'Ask the raft leader to step down in favour of -H',
      needs: ['hostname'],
      route: 'raft-state, raft-yield-hint/:hint',
      prints: "the answer's Details",
      run: async (ctx) => {
        await raftLeaderConfirmed(ctx);
        const body = await ctx.api(`raft-yield-hint/${seg(ctx.options.hostname)}`);
        return { lines: [rawText(details(body))], json: body };
      },
    },
  );
}
