import { Kysely, PostgresDriver, sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../schema.ts';
import { Replica, type ReplicaState } from './replica.ts';
import { ReadRoutingDialect, type ReadRouting } from './routing-driver.ts';
import { walOffset } from './wal-position.ts';

export interface ReadReplicaSettings {
  /** one connection string per streaming replica of the primary */
  urls: string[];
  /** a replica further behind than this (or not answering) is skipped until a probe finds it back */
  maxLagMs: number;
  /** connections per replica */
  poolSize: number;
  /** how often each replica is probed; also how long a connection attempt to one may take */
  probeIntervalMs?: number;
}

/** Statements served per server, and where the reads that named a position went. */
export interface ReadCounts {
  statements: Map<string, number>;
  positionChecks: { replica: number; primary: number };
}

/**
 * The read replicas of the primary. `readDb` serves reads a little lag cannot harm (catalogue, admin lists,
 * reports, metrics) from a usable replica in turn, and from the primary when none is; `at(position)` serves a read
 * that must see a write the caller made (read-your-writes) from a replica that has replayed that far, else from the
 * primary. A probe asks each replica every second how late it is. Nothing here ever writes: every write, and every
 * read that decides one, uses the primary's own Kysely.
 */
export class ReadReplicas {
  readonly readDb: Kysely<Database>;
  readonly counts: ReadCounts;
  private turn = 0;
  private probing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly primary: Kysely<Database>,
    private readonly replicas: Replica[],
    routing: Omit<ReadRouting, 'choose'>,
    statements: Map<string, number>,
    private readonly maxLagMs: number,
  ) {
    this.counts = { statements, positionChecks: { replica: 0, primary: 0 } };
    this.readDb = new Kysely<Database>({
      dialect: new ReadRoutingDialect({ ...routing, choose: () => this.nextUsable() }),
    });
  }

  /** Opens the replicas' pools and starts probing them; reads stay on the primary until a probe finds one usable. */
  static async open(primaryPool: pg.Pool, primary: Kysely<Database>, settings: ReadReplicaSettings) {
    const interval = settings.probeIntervalMs ?? 1000;
    const primaryDriver = new PostgresDriver({ pool: primaryPool });
    await primaryDriver.init();
    const counts = new Map<string, number>();
    const routing = {
      primary: primaryDriver,
      served: (server: string) => counts.set(server, (counts.get(server) ?? 0) + 1),
    };
    const replicas = await Promise.all(
      settings.urls.map((url) => Replica.open(url, settings.poolSize, interval, routing)),
    );
    const set = new ReadReplicas(primary, replicas, routing, counts, settings.maxLagMs);
    set.startProbing(interval);
    return set;
  }

  /**
   * The database to read from when the reader has seen the primary at `position` (a pg_lsn taken after its write
   * committed): a usable replica that has replayed at least that far, else the primary.
   */
  async at(position: string): Promise<Kysely<Database>> {
    const offset = walOffset(position);
    for (const replica of this.replicas) {
      if (replica.usable && (await replica.hasReplayed(offset))) {
        this.counts.positionChecks.replica++;
        return replica.db;
      }
    }
    this.counts.positionChecks.primary++;
    return this.primary;
  }

  /** How far the primary has written, including commits not yet flushed (synchronous_commit=off): a read position. */
  async primaryPosition(): Promise<string> {
    const { rows } = await sql<{ position: string }>`select pg_current_wal_insert_lsn()::text as position`.execute(
      this.primary,
    );
    return rows[0]!.position;
  }

  /** Probes every replica now (the timer does it each interval); resolves when they have answered or given up. */
  probe(): Promise<void> {
    this.probing = Promise.all(this.replicas.map((r) => r.probe(this.maxLagMs, Date.now()))).then(() => {});
    return this.probing;
  }

  states(): ReplicaState[] {
    return this.replicas.map((r) => r.state());
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.probing;
    await Promise.all(this.replicas.map((r) => r.close()));
  }

  private startProbing(intervalMs: number): void {
    void this.probe();
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void this.probe().finally(() => (busy = false));
    }, intervalMs);
    // the probe alone must never keep a stopping process (or a CLI command) alive
    this.timer.unref();
  }

  private nextUsable(): Replica | null {
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[this.turn++ % this.replicas.length]!;
      if (replica.usable) return replica;
    }
    return null;
  }
}
