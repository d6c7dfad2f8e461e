// orchestrator's manual refactoring routes: relocate, move-up, take-master, repoint, read_only,
// replication start/stop and detach/reattach. They act on MySQL through the daemon's refactoring
// port (not on replicated state), then re-probe the servers they changed so that the answer and
// the next /api/topology show the new shape.
import type { InstanceKey } from '@orc/topology';
import { Type } from 'typebox';
import type { ApiDeps, RefactorPort } from '../deps.js';
import { ApiError } from '../errors.js';
import { ok } from '../response.js';
import type { Register } from '../route.js';
import { Host, HostPort, Port } from '../schemas.js';
import { instanceRenderer, keyOf, knownInstance } from './lookup.js';

const BelowParams = Type.Object(
  { host: Host, port: Port, belowHost: Host, belowPort: Port },
  { additionalProperties: false },
);

type SingleOp =
  | 'moveUp'
  | 'takeMaster'
  | 'setReadOnly'
  | 'setWriteable'
  | 'startReplica'
  | 'stopReplica'
  | 'detachReplica'
  | 'reattachReplica';

// Path names (with orchestrator's `*-slave*` and older synonyms) -> operation and success message.
const SINGLE: readonly (readonly [readonly string[], SingleOp, (key: InstanceKey) => string])[] = [
  [['move-up'], 'moveUp', (k) => `Instance ${k} moved up`],
  [['take-master', 'enslave-master'], 'takeMaster', (k) => `${k} took its master`],
  [['set-read-only'], 'setReadOnly', () => 'Server set as read-only'],
  [['set-writeable'], 'setWriteable', () => 'Server set as writeable'],
  [['start-slave', 'start-replica'], 'startReplica', () => 'Replica started'],
  [['stop-slave', 'stop-replica'], 'stopReplica', () => 'Replica stopped'],
  [
    ['detach-replica', 'detach-slave', 'detach-replica-master-host', 'detach-slave-master-host'],
    'detachReplica',
    (k) => `Replica detached: ${k}`,
  ],
  [
    ['reattach-replica', 'reattach-slave', 'reattach-replica-master-host', 'reattach-slave-master-host'],
    'reattachReplica',
    (k) => `Replica reattached: ${k}`,
  ],
];

/**
 * Registers the refactoring routes. Without a refactoring port (a daemon that cannot reach
 * MySQL) each answers 503.
 *
 * @example
 * refactoringRoutes(register, deps);
 */
export function refactoringRoutes(register: Register, deps: ApiDeps): void {
  const port = (): RefactorPort => {
    if (deps.refactor === undefined)
      throw new ApiError('NOT_ACTIVE', 'refactoring operations are not available on this node', {
        details: [{ path: 'url', message: 'no refactoring port' }],
      });
    return deps.refactor;
  };
  // The operation changed replication: re-probe what it touched before answering. The operation
  // itself succeeded and was verified, so a failed re-probe is logged, not returned as a failure.
  const answer = async (message: string, key: InstanceKey, changed: readonly InstanceKey[]): Promise<unknown> => {
    await Promise.all(
      changed.map((k) =>
        deps.commands.submit({ kind: 'discover', key: k }).catch((error: unknown) => {
          deps.logger?.warn('re-probe after a refactoring operation failed', { key: k, error: String(error) });
        }),
      ),
    );
    const render = await instanceRenderer(deps.view, Date.now());
    return ok(message, render(knownInstance(deps.view, key)));
  };

  for (const [names, op, message] of SINGLE)
    register({
      paths: names.map((n) => `/api/${n}/:host/:port`),
      params: HostPort,
      mutates: true,
      handler: async ({ params }) => {
        const key = keyOf(params);
        const done = await port()[op](key);
        return answer(message(key), key, done.changed);
      },
    });

  register({
    paths: ['/api/relocate/:host/:port/:belowHost/:belowPort', '/api/relocate-below/:host/:port/:belowHost/:belowPort'],
    params: BelowParams,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      const below = keyOf({ host: params.belowHost, port: params.belowPort });
      const done = await port().relocate(key, below);
      return answer(`Instance ${key} relocated below ${below}`, key, done.changed);
    },
  });
  register({
    paths: ['/api/repoint/:host/:port/:belowHost/:belowPort'],
    params: BelowParams,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      const below = keyOf({ host: params.belowHost, port: params.belowPort });
      const done = await port().repoint(key, below);
      return answer(`Instance ${key} repointed below ${below}`, key, done.changed);
    },
  });
  register({
    paths: ['/api/repoint/:host/:port'],
    params: HostPort,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      const done = await port().repoint(key);
      return answer(`Instance ${key} repointed below ${done.source ?? 'its master'}`, key, done.changed);
    },
  });
}
