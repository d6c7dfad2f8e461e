import type { TopologyConfigInput } from '../topology-config.js';

/** The optional detection queries and patterns, as the topology config names them. */
type DetectionSettings = Pick<
  TopologyConfigInput,
  | 'detectClusterAliasQuery'
  | 'detectClusterDomainQuery'
  | 'detectDataCenterQuery'
  | 'detectRegionQuery'
  | 'detectPhysicalEnvironmentQuery'
  | 'detectPromotionRuleQuery'
  | 'detectInstanceAliasQuery'
  | 'dataCenterPattern'
  | 'regionPattern'
  | 'physicalEnvironmentPattern'
  | 'replicationLagQuery'
>;

/** What the probe needs to know: credentials, timeouts and the optional detection queries. */
export interface ProbeSettings extends Readonly<DetectionSettings> {
  /** `MySQLTopologyUser`. */
  readonly user: string;
  /** `MySQLTopologyPassword`. */
  readonly password: string;
  /** `MySQLConnectTimeoutSeconds` in ms: TCP connect plus the MySQL handshake. */
  readonly connectTimeoutMs: number;
  /** `MySQLDiscoveryReadTimeoutSeconds` in ms: each query. */
  readonly readTimeoutMs: number;
}
