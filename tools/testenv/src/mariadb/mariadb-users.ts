/** A user name and password for a MariaDB server. */
export interface DbCredentials {
  readonly user: string;
  readonly password: string;
}

/**
 * The users every instance has (they live in the template datadir). Loopback-only test servers:
 * fixed passwords are fine and make `mariadb -h127.0.0.1 -P<port> -uroot -ptestenv` easy to type.
 */
export const TEMPLATE_USERS: Readonly<{ root: DbCredentials; repl: DbCredentials; orc: DbCredentials }> = Object.freeze(
  {
    root: Object.freeze({ user: 'root', password: 'testenv' }),
    repl: Object.freeze({ user: 'repl', password: 'repl' }),
    orc: Object.freeze({ user: 'orc', password: 'orc' }),
  },
);

/**
 * Global privileges of the orc user. On MariaDB 10.11 SUPER no longer covers `SHOW SLAVE HOSTS`
 * (REPLICATION MASTER ADMIN) nor `SET GLOBAL read_only` (READ_ONLY ADMIN); the split privileges of
 * 10.5+ (SLAVE MONITOR, BINLOG MONITOR, REPLICATION SLAVE ADMIN, BINLOG ADMIN) are granted by name too.
 * Plus SELECT on mysql.*.
 */
export const ORC_USER_PRIVILEGES: readonly string[] = Object.freeze([
  'SUPER',
  'PROCESS',
  'RELOAD',
  'REPLICATION SLAVE',
  'REPLICATION CLIENT',
  'REPLICATION MASTER ADMIN',
  'REPLICATION SLAVE ADMIN',
  'READ_ONLY ADMIN',
  'SLAVE MONITOR',
  'BINLOG MONITOR',
  'BINLOG ADMIN',
]);

/** InnoDB file layout shared by the template build and every start (they must agree). */
export const MARIADB_INNODB_ARGS: readonly string[] = Object.freeze([
  '--innodb-log-file-size=8M',
  '--innodb-data-file-path=ibdata1:12M:autoextend',
  '--innodb-buffer-pool-size=32M',
]);
