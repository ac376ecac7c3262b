import { Kysely, PostgresDriver } from 'kysely';
import type pg from 'pg';
import { openPostgresPool } from '../postgres-pool.ts';
import type { Database } from '../schema.ts';
import { ReadRoutingDialect, type ReadRouting, type ReadTarget } from './routing-driver.ts';
import { walOffset } from './wal-position.ts';

/** What the last probe found: whether reads may go to the replica, and how late it is. */
export interface ReplicaState {
  /** host:port/database, never the credentials */
  name: string;
  /** answered the last probe as a standby */
  reachable: boolean;
  /** reachable and no later than the limit: reads go here */
  usable: boolean;
  /** how far behind the primary it was at the last probe; null when it did not answer */
  lagMs: number | null;
}

interface ProbeRow {
  standby: boolean;
  replayed: string | null;
  caught_up: boolean;
  behind_ms: number | null;
}

// How late is a standby? When it has replayed all it received it is current (0). Otherwise it is as late as the
// newest transaction it replayed — unless it was current at an earlier probe, which bounds the lag more tightly
// after a quiet spell (the last replayed transaction may be hours old while the first new one is in flight).
const PROBE = `select pg_is_in_recovery() as standby,
  pg_last_wal_replay_lsn()::text as replayed,
  coalesce(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), false) as caught_up,
  (extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000)::float8 as behind_ms`;

/** One streaming replica: its read pool, a connection of its own for the lag probe, and what the probe found. */
export class Replica implements ReadTarget {
  readonly name: string;
  readonly driver: PostgresDriver;
  /** reads that must see a position this replica has replayed; the primary when the replica is skipped */
  readonly db: Kysely<Database>;
  reachable = false;
  usable = false;
  lagMs: number | null = null;
  /** the furthest WAL offset this replica is known to have replayed */
  replayed = 0n;
  private currentAt: number | null = null;

  private constructor(
    url: string,
    private readonly pool: pg.Pool,
    private readonly probePool: pg.Pool,
    routing: Omit<ReadRouting, 'choose'>,
  ) {
    const { hostname, port, pathname } = new URL(url);
    this.name = `${hostname}:${port || '5432'}${pathname}`;
    this.driver = new PostgresDriver({ pool });
    this.db = new Kysely<Database>({
      dialect: new ReadRoutingDialect({ ...routing, choose: () => (this.usable ? this : null) }),
    });
  }

  static async open(
    url: string,
    poolSize: number,
    timeoutMs: number,
    routing: Omit<ReadRouting, 'choose'>,
  ): Promise<Replica> {
    // an unreachable replica must not hold a read (or the probe) longer than this before the primary takes over
    const pool = openPostgresPool(url, poolSize, { connectionTimeoutMillis: timeoutMs });
    const probePool = openPostgresPool(url, 1, { connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    const replica = new Replica(url, pool, probePool, routing);
    await replica.driver.init();
    return replica;
  }

  failed(): void {
    this.usable = false;
  }

  /** Asks the replica where it is; `maxLagMs` decides whether reads may go to it until the next probe. */
  async probe(maxLagMs: number, now: number): Promise<void> {
    try {
      const { rows } = await this.probePool.query<ProbeRow>(PROBE);
      const row = rows[0]!;
      if (!row.standby) throw new Error('not a standby: promoted, or pointed at a primary');
      this.noteReplayed(row.replayed);
      if (row.caught_up) this.currentAt = now;
      const sinceCurrent = this.currentAt === null ? Infinity : now - this.currentAt;
      this.lagMs = row.caught_up ? 0 : Math.max(0, Math.min(row.behind_ms ?? Infinity, sinceCurrent));
      this.reachable = true;
      this.usable = this.lagMs <= maxLagMs;
    } catch {
      this.reachable = false;
      this.usable = false;
      this.lagMs = null;
    }
  }

  /** Whether the replica has replayed `offset`, asking it when the last answer was short of it. */
  async hasReplayed(offset: bigint): Promise<boolean> {
    if (this.replayed >= offset) return true;
    try {
      const { rows } = await this.pool.query<{ replayed: string | null }>(
        'select pg_last_wal_replay_lsn()::text as replayed',
      );
      this.noteReplayed(rows[0]?.replayed ?? null);
    } catch {
      this.failed();
    }
    return this.replayed >= offset;
  }

  state(): ReplicaState {
    return { name: this.name, reachable: this.reachable, usable: this.usable, lagMs: this.lagMs };
  }

  async close(): Promise<void> {
    this.usable = false;
    await Promise.all([this.pool.end(), this.probePool.end()]);
  }

  private noteReplayed(position: string | null): void {
    const offset = position ? walOffset(position) : 0n;
    if (offset > this.replayed) this.replayed = offset;
  }
}
