// orchestrator's manual recovery routes: recover, recover-lite, force-master-failover,
// force-master-takeover, graceful-master-takeover and -auto, with its paths and answers. They run
// on the active node only: in Raft mode the proxy has already forwarded them to the leader; a
// node that is not active (a shared backend's standby) refuses with 503 naming the active node.
import { toOrchestratorKey, type InstanceKey } from '@orc/topology';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.js';
import { ApiError, httpStatusOf, type ApiErrorDetail } from '../errors.js';
import type {
  ManualRecoveryRequest,
  ManualRecoveryResult,
  RecoveryClusterRef,
  RecoveryOperations,
} from '../recovery-port.js';
import { ok } from '../response.js';
import type { Register } from '../route.js';
import { ClusterHint, Host, Port } from '../schemas.js';
import { clusterOf, keyOf } from './lookup.js';

// The engine names its arguments by its own field names; a refusal is reported by the route's.
const FIELD_OF_ENGINE_PATH: Readonly<Record<string, string>> = {
  designated: 'designatedHost',
  primaryKey: 'clusterHint',
  candidate: 'candidateHost',
};

function refusal(result: ManualRecoveryResult, prefix: string): ApiError {
  const details: ApiErrorDetail[] = [{ path: 'recovery', message: result.reason }];
  if (result.uid !== null) details.push({ path: 'uid', message: result.uid });
  const message = `${prefix}: ${result.reason}`;
  if (result.status === 'failed') return new ApiError('RECOVERY_FAILED', message, { details });
  return new ApiError('CONFLICT', message, { details });
}

// orchestrator's `TopologyRecovery` field names for a recovery whose audit row cannot be read.
function recoveryJson(r: ManualRecoveryResult): Record<string, unknown> {
  return {
    UID: r.uid ?? '',
    AnalysisEntry: {
      AnalyzedInstanceKey: toOrchestratorKey(r.failedKey),
      Analysis: r.analysis,
      ClusterDetails: { ClusterName: r.clusterName, ClusterAlias: r.clusterAlias },
    },
    SuccessorKey: r.successor === null ? null : toOrchestratorKey(r.successor),
    SuccessorAlias: r.clusterAlias,
    IsSuccessful: r.status === 'successful' || r.status === 'partial',
    LostReplicas: r.lostReplicas,
    AllErrors: r.status === 'successful' ? [] : [r.reason],
  };
}

/**
 * Registers the manual recovery routes.
 *
 * @example
 * recoveryRoutes(register, deps);
 */
export function recoveryRoutes(registerRoute: Register, deps: ApiDeps): void {
  const { view } = deps;

  // Checked before any look-up, so a standby answers the same 503 whatever it knows of the target.
  const ensureActive = async (): Promise<RecoveryOperations> => {
    const port = deps.recovery;
    if (port === undefined)
      throw new ApiError('NOT_SUPPORTED', 'manual recovery is not available on this node', {
        details: [{ path: 'recovery', message: 'not wired' }],
      });
    if (deps.node.isActive()) return port;
    const holder = (await deps.node.health()).ActiveNode;
    const where = holder === null ? 'no node is active now' : `the active node is ${holder.Hostname}`;
    throw new ApiError('NOT_ACTIVE', `recoveries run on the active node only; ${where}`, {
      details: [{ path: 'node', message: where }],
      retryable: true,
    });
  };
  const register: Register = (def) =>
    registerRoute({
      ...def,
      handler: async (input, reply) => {
        await ensureActive();
        return def.handler(input, reply);
      },
    });

  const run = async (request: ManualRecoveryRequest): Promise<ManualRecoveryResult> => {
    const port = await ensureActive();
    try {
      return await port.run(request);
    } catch (err) {
      throw renamed(err);
    }
  };

  const known = (key: InstanceKey, field: string): InstanceKey => {
    if (view.instance(key) === undefined)
      throw new ApiError('NOT_FOUND', `instance ${key} is not known`, {
        details: [{ path: field, message: 'unknown instance' }],
      });
    return key;
  };
  const designatedOf = (p: { designatedHost?: string; designatedPort?: number }): InstanceKey | undefined =>
    p.designatedHost === undefined || p.designatedPort === undefined
      ? undefined
      : known(keyOf({ host: p.designatedHost, port: p.designatedPort }), 'designatedHost');
  const clusterRef = async (hint: string, field: string): Promise<RecoveryClusterRef> => {
    const c = await clusterOf(view, hint, field);
    return { clusterName: c.clusterName, clusterAlias: c.clusterAlias, masterKey: c.masterKey };
  };

  // recover, recover-lite.
  const RecoverParams = Type.Object(
    { host: Host, port: Port, candidateHost: Type.Optional(Host), candidatePort: Type.Optional(Port) },
    { additionalProperties: false },
  );
  const RecoverQuery = Type.Object({ skipProcesses: Type.Optional(Type.Boolean()) });
  for (const name of ['recover', 'recover-lite'] as const) {
    register({
      paths: [`/api/${name}/:host/:port`, `/api/${name}/:host/:port/:candidateHost/:candidatePort`],
      params: RecoverParams,
      query: RecoverQuery,
      mutates: true,
      handler: async ({ params, query }) => {
        const failedKey = known(keyOf(params), 'host');
        const candidateKey =
          params.candidateHost === undefined || params.candidatePort === undefined
            ? undefined
            : known(keyOf({ host: params.candidateHost, port: params.candidatePort }), 'candidateHost');
        const result = await run({
          kind: 'recover',
          failedKey,
          ...(candidateKey === undefined ? {} : { candidateKey }),
          skipProcesses: name === 'recover-lite' || query.skipProcesses === true,
        });
        if (result.successor === null)
          throw refusal(
            result,
            result.status === 'failed' ? 'Recovery attempted but no instance promoted' : 'Recovery not attempted',
          );
        const note = result.status === 'partial' ? ` (partial: ${result.reason})` : '';
        return ok(`Recovery executed on ${failedKey}${note}`, toOrchestratorKey(result.successor));
      },
    });
  }

  // The answer of the cluster-wide operations: the recovery in orchestrator's TopologyRecovery shape.
  const answer = async (result: ManualRecoveryResult, done: string, notDone: string): Promise<unknown> => {
    if (result.successor === null) throw refusal(result, notDone);
    const stored = result.uid === null ? [] : await view.recoveries({ page: 0, uid: result.uid });
    const note = result.status === 'partial' ? ` (partial: ${result.reason})` : '';
    return ok(`${done}${note}`, stored[0] ?? recoveryJson(result));
  };

  const Designated = { designatedHost: Type.Optional(Host), designatedPort: Type.Optional(Port) };
  const ByHint = Type.Object({ clusterHint: ClusterHint, ...Designated }, { additionalProperties: false });
  const ByKey = Type.Object({ host: Host, port: Port, ...Designated }, { additionalProperties: false });

  // force-master-failover, force-master-takeover: a forced DeadMaster on a primary that may be alive.
  const force = async (cluster: RecoveryClusterRef, designatedKey: InstanceKey | undefined): Promise<unknown> => {
    const result = await run({
      kind: 'force-master-failover',
      cluster,
      ...(designatedKey === undefined ? {} : { designatedKey }),
    });
    return answer(result, 'Master failed over', 'Master not failed over');
  };
  register({
    paths: ['/api/force-master-failover/:clusterHint'],
    params: ByHint,
    mutates: true,
    handler: async ({ params }) => force(await clusterRef(params.clusterHint, 'clusterHint'), undefined),
  });
  register({
    paths: ['/api/force-master-failover/:host/:port'],
    params: ByKey,
    mutates: true,
    handler: async ({ params }) => force(await clusterRef(keyOf(params), 'host'), undefined),
  });
  register({
    paths: ['/api/force-master-takeover/:clusterHint/:designatedHost/:designatedPort'],
    params: ByHint,
    mutates: true,
    handler: async ({ params }) => force(await clusterRef(params.clusterHint, 'clusterHint'), designatedOf(params)),
  });
  register({
    paths: ['/api/force-master-takeover/:host/:port/:designatedHost/:designatedPort'],
    params: ByKey,
    mutates: true,
    handler: async ({ params }) => force(await clusterRef(keyOf(params), 'host'), designatedOf(params)),
  });

  // graceful-master-takeover and -auto, by cluster hint or by a member's host and port.
  for (const name of ['graceful-master-takeover', 'graceful-master-takeover-auto'] as const) {
    const graceful = async (cluster: RecoveryClusterRef, designatedKey: InstanceKey | undefined): Promise<unknown> => {
      const result = await run({
        kind: 'graceful-master-takeover',
        cluster,
        ...(designatedKey === undefined ? {} : { designatedKey }),
        auto: name === 'graceful-master-takeover-auto',
      });
      return answer(result, `${name}: successor promoted`, `${name}: no successor promoted`);
    };
    register({
      paths: [`/api/${name}/:clusterHint`, `/api/${name}/:clusterHint/:designatedHost/:designatedPort`],
      params: ByHint,
      mutates: true,
      handler: async ({ params }) =>
        graceful(await clusterRef(params.clusterHint, 'clusterHint'), designatedOf(params)),
    });
    register({
      paths: [`/api/${name}/:host/:port`, `/api/${name}/:host/:port/:designatedHost/:designatedPort`],
      params: ByKey,
      mutates: true,
      handler: async ({ params }) => graceful(await clusterRef(keyOf(params), 'host'), designatedOf(params)),
    });
  }
}

// A library's refusal of an argument is reported as a 400 with the route's field names.
function renamed(err: unknown): unknown {
  if (httpStatusOf(err) !== 400) return err;
  const e = err as { message?: unknown; details?: unknown };
  const details = Array.isArray(e.details)
    ? (e.details as ApiErrorDetail[]).map((d) => ({ path: FIELD_OF_ENGINE_PATH[d.path] ?? d.path, message: d.message }))
    : [];
  return new ApiError('BAD_REQUEST', typeof e.message === 'string' ? e.message : String(err), { details, cause: err });
}
