import {
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type CompiledQuery,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** Where a read may go: a replica's driver, and what to do when it fails. */
export interface ReadTarget {
  name: string;
  driver: Driver;
  /** the replica could not answer (down, restarting, not yet holding this database): skip it until a probe says so */
  failed(err: unknown): void;
}

export interface ReadRouting {
  /** the replica to use for the next read, or null for the primary */
  choose(): ReadTarget | null;
  primary: Driver;
  /** one statement served, by the primary or a replica */
  served(server: string): void;
}

/**
 * SQLSTATEs that say the replica, not the statement, failed: a recovery conflict (40001, "canceling statement due to
 * conflict with recovery": the primary vacuumed rows a long read needed), the server shutting down or starting
 * (57P01–57P03), a connection exception (08…), too many connections (53300), the database not yet replayed
 * (3D000). The same read on the primary succeeds.
 */
const REPLICA_FAILURES = /^(40001|57P0[123]|08...|53300|3D000)$/;

export function isReplicaFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // no SQLSTATE at all: the socket failed (refused, reset, timed out, "Connection terminated unexpectedly")
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || REPLICA_FAILURES.test(code);
}

/** PostgreSQL's dialect (compiler, adapter, introspector) over the routing driver. */
export class ReadRoutingDialect extends PostgresDialect {
  constructor(private readonly routing: ReadRouting) {
    super({ pool: {} as never });
  }

  override createDriver(): Driver {
    return new ReadRoutingDriver(this.routing);
  }
}

/**
 * A Kysely driver for reads: each connection comes from the replica `choose` names, or from the primary when it names
 * none or the replica cannot give one. A statement that fails on the replica for the replica's own reason is run
 * again on the primary, so a read never fails because a replica went away; inside a transaction it cannot be moved
 * (the transaction's earlier statements ran on the replica) and fails as it would on any server.
 */
class ReadRoutingDriver implements Driver {
  constructor(private readonly routing: ReadRouting) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const target = this.routing.choose();
    if (target) {
      try {
        return new RoutedConnection(await target.driver.acquireConnection(), target, this.routing);
      } catch (err) {
        target.failed(err);
      }
    }
    return new RoutedConnection(await this.routing.primary.acquireConnection(), null, this.routing);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const routed = connection as RoutedConnection;
    await routed.owner.beginTransaction(routed.inner, settings);
    routed.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    routed.inTransaction = false;
    await routed.owner.commitTransaction(routed.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    routed.inTransaction = false;
    await routed.owner.rollbackTransaction(routed.inner);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    await routed.owner.releaseConnection(routed.inner);
  }

  // the pools belong to the replica set and the primary's handle, which end them
  async destroy(): Promise<void> {}
}

class RoutedConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly target: ReadTarget | null,
    private readonly routing: ReadRouting,
  ) {}

  get owner(): Driver {
    return this.target?.driver ?? this.routing.primary;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.target) {
      this.routing.served('primary');
      return this.inner.executeQuery<R>(query);
    }
    try {
      const result = await this.inner.executeQuery<R>(query);
      this.routing.served(this.target.name);
      return result;
    } catch (err) {
      if (this.inTransaction || !isReplicaFailure(err)) throw err;
      if ((err as { code?: string }).code !== '40001') this.target.failed(err);
      return this.onPrimary<R>(query);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    this.routing.served(this.target?.name ?? 'primary');
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  private async onPrimary<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const primary = this.routing.primary;
    const connection = await primary.acquireConnection();
    try {
      this.routing.served('primary');
      return await connection.executeQuery<R>(query);
    } finally {
      await primary.releaseConnection(connection);
    }
  }
}
