// State-changing operations besides discovery: downtime, maintenance, candidates, KV submission,
// the global and per-cluster recovery switches; plus the audit, headers and configuration reload.
import { toOrchestratorKey } from '@orc/topology';
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { ok } from '../response.js';
import type { Register } from '../route.js';
import {
  ClusterHint,
  ClusterHintParams,
  Duration,
  durationSeconds,
  Host,
  HostPort,
  PageParams,
  Port,
  PromotionRuleParam,
  Text,
} from '../schemas.js';
import { clusterOf, keyOf } from './lookup.js';

// orchestrator's MaintenanceExpireMinutes: what a downtime or maintenance without a duration gets.
const DEFAULT_DURATION_SECONDS = 10 * 60;

/**
 * Registers the operation routes.
 *
 * @example
 * operationRoutes(register, deps);
 */
export function operationRoutes(register: Register, deps: ApiDeps): void {
  const { view, commands } = deps;
  const DowntimeParams = Type.Object({
    host: Host,
    port: Port,
    owner: Text,
    reason: Text,
    duration: Type.Optional(Duration),
  });
  register({
    paths: [
      '/api/begin-downtime/:host/:port/:owner/:reason',
      '/api/begin-downtime/:host/:port/:owner/:reason/:duration',
    ],
    params: DowntimeParams,
    mutates: true,
    handler: async ({ params }) => {
      const seconds = params.duration === undefined ? DEFAULT_DURATION_SECONDS : durationSeconds(params.duration);
      if (seconds === undefined)
        throw new ApiError('BAD_REQUEST', 'duration: must be at most 366d', {
          details: [{ path: 'duration', message: 'must be at most 366d' }],
        });
      const key = keyOf(params);
      await commands.submit({
        kind: 'begin-downtime',
        key,
        owner: params.owner,
        reason: params.reason,
        durationSeconds: seconds,
      });
      return ok(`Downtime begun: ${key}`, toOrchestratorKey(key));
    },
  });
  register({
    paths: ['/api/end-downtime/:host/:port'],
    params: HostPort,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      await commands.submit({ kind: 'end-downtime', key });
      return ok(`Downtime ended: ${key}`, toOrchestratorKey(key));
    },
  });
  register({
    paths: ['/api/begin-maintenance/:host/:port/:owner/:reason'],
    params: Type.Object({ host: Host, port: Port, owner: Text, reason: Text }),
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      const { maintenanceKey } = await commands.submit({
        kind: 'begin-maintenance',
        key,
        owner: params.owner,
        reason: params.reason,
      });
      return ok(`Maintenance begun: ${key}`, maintenanceKey);
    },
  });
  register({
    paths: ['/api/end-maintenance/:host/:port'],
    params: HostPort,
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      await commands.submit({ kind: 'end-maintenance', key });
      return ok(`Maintenance ended: ${key}`, toOrchestratorKey(key));
    },
  });
  register({
    paths: ['/api/maintenance'],
    handler: async () =>
      (await view.maintenance()).map((m) => ({
        MaintenanceId: m.maintenanceKey,
        Key: toOrchestratorKey(m.key),
        BeginTimestamp: '',
        SecondsElapsed: 0,
        IsActive: true,
        Owner: m.owner ?? '',
        Reason: m.reason ?? '',
      })),
  });
  register({
    paths: ['/api/register-candidate/:host/:port/:promotionRule'],
    params: Type.Object({ host: Host, port: Port, promotionRule: PromotionRuleParam }),
    mutates: true,
    handler: async ({ params }) => {
      const key = keyOf(params);
      await commands.submit({ kind: 'register-candidate', key, promotionRule: params.promotionRule });
      return ok('Registered candidate', toOrchestratorKey(key));
    },
  });
  const submit = async (hint: string | undefined): Promise<unknown> => {
    const cluster = hint === undefined ? undefined : (await clusterOf(view, hint)).clusterName;
    const { pairs, stores } = await commands.submit({ kind: 'submit-masters-to-kv-stores', cluster });
    const failed = stores.filter((s) => !s.ok);
    if (failed.length > 0)
      throw new ApiError(
        'INTERNAL',
        `KV write failed on ${failed.map((s) => `${s.store}: ${s.error ?? 'error'}`).join('; ')}`,
        {
          details: failed.map((s) => ({ path: s.store, message: s.error ?? 'error' })),
        },
      );
    return ok(`Submitted ${pairs.length} masters`, pairs);
  };
  register({ paths: ['/api/submit-masters-to-kv-stores'], mutates: true, handler: async () => submit(undefined) });
  register({
    paths: ['/api/submit-masters-to-kv-stores/:clusterHint'],
    params: Type.Object({ clusterHint: ClusterHint }),
    mutates: true,
    handler: async ({ params }) => submit(params.clusterHint),
  });
  register({
    paths: ['/api/disable-global-recoveries'],
    mutates: true,
    handler: async () => {
      await commands.submit({ kind: 'disable-global-recoveries' });
      return ok('Globally disabled recoveries', 'disabled');
    },
  });
  register({
    paths: ['/api/enable-global-recoveries'],
    mutates: true,
    handler: async () => {
      await commands.submit({ kind: 'enable-global-recoveries' });
      return ok('Globally enabled recoveries', 'enabled');
    },
  });
  // orc's own per-cluster switch; the global one above still wins when it is off.
  register({
    paths: ['/api/disable-cluster-recoveries/:clusterHint'],
    params: ClusterHintParams,
    mutates: true,
    handler: async ({ params }) => {
      const { clusterName } = await clusterOf(view, params.clusterHint);
      await commands.submit({ kind: 'disable-cluster-recoveries', cluster: clusterName });
      return ok(`Disabled recoveries of cluster ${clusterName}`, clusterName);
    },
  });
  register({
    paths: ['/api/enable-cluster-recoveries/:clusterHint'],
    params: ClusterHintParams,
    mutates: true,
    handler: async ({ params }) => {
      const { clusterName } = await clusterOf(view, params.clusterHint);
      await commands.submit({ kind: 'enable-cluster-recoveries', cluster: clusterName });
      return ok(`Enabled recoveries of cluster ${clusterName}`, clusterName);
    },
  });
  register({
    paths: ['/api/check-global-recoveries'],
    handler: async () => {
      const disabled = await view.globalRecoveriesDisabled();
      return ok(`Global recoveries ${disabled ? 'disabled' : 'enabled'}`, disabled ? 'disabled' : 'enabled');
    },
  });
  register({
    paths: ['/api/check-cluster-recoveries/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => {
      const { clusterName } = await clusterOf(view, params.clusterHint);
      const disabled = await view.clusterRecoveriesDisabled(clusterName);
      const state = disabled ? 'disabled' : 'enabled';
      return ok(`Recoveries of cluster ${clusterName} ${state}`, state);
    },
  });
  const Uid = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' });
  // orchestrator refuses an acknowledgement without a comment; so does orc.
  const AckQuery = Type.Object({ comment: Text });
  register({
    paths: ['/api/ack-recovery/cluster/:clusterHint'],
    params: ClusterHintParams,
    query: AckQuery,
    mutates: true,
    handler: async ({ params, query }) => {
      const cluster = await clusterOf(view, params.clusterHint);
      const target = { clusterName: cluster.clusterName };
      const { count } = await commands.submit({ kind: 'ack-recoveries', target, comment: query.comment });
      return ok('Acknowledged cluster recoveries', count);
    },
  });
  register({
    paths: ['/api/ack-recovery/instance/:host/:port'],
    params: HostPort,
    query: AckQuery,
    mutates: true,
    handler: async ({ params, query }) => {
      const target = { key: keyOf(params) };
      const { count } = await commands.submit({ kind: 'ack-recoveries', target, comment: query.comment });
      return ok('Acknowledged instance recoveries', count);
    },
  });
  register({
    paths: ['/api/ack-all-recoveries'],
    query: AckQuery,
    mutates: true,
    handler: async ({ query }) => {
      const { count } = await commands.submit({
        kind: 'ack-recoveries',
        target: { all: true },
        comment: query.comment,
      });
      return ok('Acknowledged all recoveries', count);
    },
  });
  register({
    // orc's recovery ids are the uids the audit shows (orchestrator's numeric ids do not exist here).
    paths: ['/api/ack-recovery/:recoveryId', '/api/ack-recovery/uid/:recoveryId'],
    params: Type.Object({ recoveryId: Uid }),
    query: AckQuery,
    mutates: true,
    handler: async ({ params, query }) => {
      const target = { uid: params.recoveryId };
      const { count } = await commands.submit({ kind: 'ack-recoveries', target, comment: query.comment });
      return ok('Acknowledged recovery', count);
    },
  });
  const blocked = async (clusterName?: string) => {
    if (view.blockedRecoveries === undefined)
      throw new ApiError('NOT_SUPPORTED', 'blocked recoveries are not available on this node');
    return view.blockedRecoveries(clusterName);
  };
  register({ paths: ['/api/blocked-recoveries'], handler: () => blocked() });
  register({
    paths: ['/api/blocked-recoveries/cluster/:clusterHint'],
    params: ClusterHintParams,
    handler: async ({ params }) => blocked((await clusterOf(view, params.clusterHint)).clusterName),
  });
  register({ paths: ['/api/audit-recovery'], handler: async () => view.recoveries({ page: 0 }) });
  register({
    paths: ['/api/audit-recovery/:page'],
    params: PageParams,
    handler: async ({ params }) => view.recoveries({ page: params.page }),
  });
  register({
    paths: ['/api/audit-recovery/uid/:uid'],
    params: Type.Object({ uid: Uid }),
    handler: async ({ params }) => view.recoveries({ page: 0, uid: params.uid }),
  });
  register({
    paths: ['/api/audit-recovery/cluster/:clusterName'],
    params: Type.Object({ clusterName: ClusterHint }),
    // A recovery keeps the cluster name it had (the failed primary's key): match the name or alias given.
    handler: async ({ params }) => view.recoveries({ page: 0, cluster: params.clusterName }),
  });
  register({
    paths: ['/api/audit-recovery/alias/:clusterAlias'],
    params: Type.Object({ clusterAlias: ClusterHint }),
    handler: async ({ params }) => view.recoveries({ page: 0, cluster: params.clusterAlias }),
  });
  register({
    paths: ['/api/audit-recovery-steps/:uid'],
    params: Type.Object({ uid: Uid }),
    handler: async ({ params }) => view.recoverySteps(params.uid),
  });
  register({ paths: ['/api/audit'], handler: async () => view.audit(0) });
  register({ paths: ['/api/audit/:page'], params: PageParams, handler: async ({ params }) => view.audit(params.page) });
  register({
    paths: ['/api/audit/instance/:host/:port'],
    params: HostPort,
    handler: async ({ params }) => view.audit(0, keyOf(params)),
  });
  register({
    paths: ['/api/reload-configuration'],
    mutates: true,
    handler: async () => {
      if (deps.reloadConfiguration === undefined)
        throw new ApiError('BAD_REQUEST', 'reload-configuration is not supported here');
      await deps.reloadConfiguration();
      return ok('Config reloaded', null);
    },
  });
}
