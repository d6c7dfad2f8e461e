/** What the probe needs to know: credentials, timeouts and the optional detection queries. */
export interface ProbeSettings {
  /** `MySQLTopologyUser`. */
  readonly user: string;
  /** `MySQLTopologyPassword`. */
  readonly password: string;
  /** `MySQLConnectTimeoutSeconds` in ms: TCP connect plus the MySQL handshake. */
  readonly connectTimeoutMs: number;
  /** `MySQLDiscoveryReadTimeoutSeconds` in ms: each query. */
  readonly readTimeoutMs: number;
  readonly detectClusterAliasQuery?: string;
  readonly detectClusterDomainQuery?: string;
  readonly detectDataCenterQuery?: string;
  readonly detectRegionQuery?: string;
  readonly detectPhysicalEnvironmentQuery?: string;
  readonly detectPromotionRuleQuery?: string;
  readonly detectInstanceAliasQuery?: string;
  readonly dataCenterPattern?: string;
  readonly regionPattern?: string;
  readonly physicalEnvironmentPattern?: string;
  /** `ReplicationLagQuery`: one value, seconds; replaces Seconds_Behind_Master when set. */
  readonly replicationLagQuery?: string;
}
