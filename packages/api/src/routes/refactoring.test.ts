import { describe, expect, it } from '@jest/globals';
import type { InstanceKey, RefactorResult } from '@orc/topology';
import { TopologyError } from '@orc/topology';
import { basic, db1 as p, db2 as r1, member, multiAuth, routeFixture } from '../../test/support/route-fixture.js';
import type { AuthSettings, RefactorPort } from '../deps.js';

const instances = [member(p), member(r1, { clusterName: p, masterKey: p })];

const fixture = (refactor?: RefactorPort, auth?: AuthSettings) =>
  routeFixture({
    instances,
    ...(auth === undefined ? {} : { auth }),
    deps: refactor === undefined ? {} : { refactor },
  });

/** A port that records calls and answers each like a verified operation. */
function recordingPort(calls: string[]): RefactorPort {
  const result =
    (op: string) =>
    async (key: InstanceKey, below?: InstanceKey): Promise<RefactorResult> => {
      calls.push(below === undefined ? `${op} ${key}` : `${op} ${key} ${below}`);
      return { op: 'relocate', key, source: below ?? p, changed: [key], message: '' };
    };
  return {
    relocate: result('relocate'),
    moveUp: result('moveUp'),
    takeMaster: result('takeMaster'),
    repoint: result('repoint'),
    setReadOnly: result('setReadOnly'),
    setWriteable: result('setWriteable'),
    startReplica: result('startReplica'),
    stopReplica: result('stopReplica'),
    detachReplica: result('detachReplica'),
    reattachReplica: result('reattachReplica'),
  };
}

describe('refactoring routes', () => {
  it("call the operation, re-probe what it changed and answer with orchestrator's message and the instance", async () => {
    const calls: string[] = [];
    const { app, submitted } = fixture(recordingPort(calls));
    const res = await app.inject('/api/relocate/db2/3306/db1/3306');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      Code: 'OK',
      Message: 'Instance db2:3306 relocated below db1:3306',
      Details: { Key: { Hostname: 'db2', Port: 3306 } },
    });
    expect(calls).toEqual(['relocate db2:3306 db1:3306']);
    expect(submitted).toEqual([{ kind: 'discover', key: r1 }]);
  });

  it.each([
    ['/api/move-up/db2/3306', 'moveUp db2:3306', 'Instance db2:3306 moved up'],
    ['/api/take-master/db2/3306', 'takeMaster db2:3306', 'db2:3306 took its master'],
    ['/api/enslave-master/db2/3306', 'takeMaster db2:3306', 'db2:3306 took its master'],
    ['/api/repoint/db2/3306', 'repoint db2:3306', 'Instance db2:3306 repointed below db1:3306'],
    ['/api/repoint/db2/3306/db1/3306', 'repoint db2:3306 db1:3306', 'Instance db2:3306 repointed below db1:3306'],
    ['/api/set-read-only/db1/3306', 'setReadOnly db1:3306', 'Server set as read-only'],
    ['/api/set-writeable/db1/3306', 'setWriteable db1:3306', 'Server set as writeable'],
    ['/api/start-slave/db2/3306', 'startReplica db2:3306', 'Replica started'],
    ['/api/start-replica/db2/3306', 'startReplica db2:3306', 'Replica started'],
    ['/api/stop-slave/db2/3306', 'stopReplica db2:3306', 'Replica stopped'],
    ['/api/stop-replica/db2/3306', 'stopReplica db2:3306', 'Replica stopped'],
    ['/api/detach-replica/db2/3306', 'detachReplica db2:3306', 'Replica detached: db2:3306'],
    ['/api/detach-slave-master-host/db2/3306', 'detachReplica db2:3306', 'Replica detached: db2:3306'],
    ['/api/reattach-slave/db2/3306', 'reattachReplica db2:3306', 'Replica reattached: db2:3306'],
    ['/api/reattach-replica-master-host/db2/3306', 'reattachReplica db2:3306', 'Replica reattached: db2:3306'],
  ])('%s', async (url, call, message) => {
    const calls: string[] = [];
    const { app } = fixture(recordingPort(calls));
    const res = await app.inject({ method: 'POST', url });
    expect([res.statusCode, res.json().Message]).toEqual([200, message]);
    expect(calls).toEqual([call]);
  });

  it.each([
    ['/api/relocate/db2/0/db1/3306', 'port'],
    ['/api/relocate/db2/3306/db1/70000', 'belowPort'],
    ['/api/relocate/db2/3306/..%2Fetc/3306', 'belowHost'],
    ['/api/move-up/db2/x', 'port'],
  ])('refuses %s with 400 naming %s, calling nothing', async (url, field) => {
    const calls: string[] = [];
    const { app } = fixture(recordingPort(calls));
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().Details.map((d: { path: string }) => d.path)).toContain(field);
    expect(calls).toEqual([]);
  });

  it("maps the library's refusals to statuses, and answers 503 without a port", async () => {
    const port = recordingPort([]);
    const refused = fixture({
      ...port,
      relocate: async () => {
        throw new TopologyError('OPERATION_REFUSED', 'relocate refused: db1:3306 cannot replicate from itself', {
          details: [{ path: 'below', message: 'cannot replicate from itself' }],
        });
      },
      moveUp: async () => {
        throw new TopologyError('UNKNOWN_INSTANCE', 'move-up refused: db9:3306 is not a known instance');
      },
    });
    const res = await refused.app.inject('/api/relocate/db1/3306/db1/3306');
    expect([res.statusCode, res.json().Code, res.json().Details]).toEqual([
      409,
      'ERROR',
      [{ path: 'below', message: 'cannot replicate from itself' }],
    ]);
    expect((await refused.app.inject('/api/move-up/db9/3306')).statusCode).toBe(404);
    expect((await fixture().app.inject('/api/move-up/db2/3306')).statusCode).toBe(503);
  });

  it('refuses a read-only user', async () => {
    const calls: string[] = [];
    const { app } = fixture(recordingPort(calls), multiAuth);
    const reader = basic('readonly', 'anything');
    const res = await app.inject({ url: '/api/relocate/db2/3306/db1/3306', headers: { authorization: reader } });
    expect(res.statusCode).toBe(403);
    expect(calls).toEqual([]);
  });
});
