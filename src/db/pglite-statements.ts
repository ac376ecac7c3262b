import type { PGlite } from '@electric-sql/pglite';
import { decodeReply, MessageBatch, type Field, type Reply } from './pglite-protocol.ts';
import { PLAN_RESULT_CHANGED, PREPARED_STATEMENTS } from './prepared-statement-rules.ts';

/**
 * Command tags (first word) of statements that cannot change what a prepared statement returns. Any other statement run
 * through this session (CREATE, ALTER, DROP, DO, ...) may have, so the prepared statements are closed and
 * prepared afresh on their next use: a migration or a test's schema change never makes a later statement
 * fail, inside a transaction or not.
 */
const KEEPS_SCHEMA =
  /^(SELECT|INSERT|UPDATE|DELETE|MERGE|BEGIN|START|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SHOW|LISTEN|UNLISTEN|NOTIFY|LOCK|FETCH|COPY|EXPLAIN)$/;

const REPLY_BUFFER = 64 * 1024;
const REPLY_BUFFER_KEPT = 1024 * 1024;

interface Prepared {
  /** '' for the unnamed statement (the cache is full) */
  name: string;
  paramTypes: number[];
  fields: Field[] | null;
}

export interface StatementResult {
  rows: Record<string, unknown>[];
  affectedRows: number;
}

/**
 * Runs statements on one PGlite instance the way node-postgres runs them on PostgreSQL with ordo's
 * PreparingClient (src/db/connect.ts): a parameterised statement is parsed, planned and described once under a
 * name, then each call only binds its values and executes (one call into the WASM backend: Bind, Execute, Sync).
 * Parameters are converted by the instance's serializers for the types the statement's Describe reported, and
 * result values by its parsers, exactly as `PGlite.query()` converts them; errors are the same DatabaseError
 * objects, with `query` and `params` attached as PGlite attaches them.
 *
 * A schema change makes PostgreSQL refuse a prepared `*` statement whose columns changed (0A000). Changes made
 * through this session close every prepared statement first (see KEEPS_SCHEMA); one made any other way is
 * caught by the refusal: the statement is closed, and prepared and run again at once outside a transaction
 * (inside one, the transaction has failed; the next use prepares it afresh).
 */
export class PGliteStatements {
  private readonly prepared = new Map<string, Prepared>();
  private readonly batch = new MessageBatch();
  private reply = Buffer.allocUnsafe(REPLY_BUFFER);
  private replyLength = 0;
  private nextName = 0;
  private readonly collect = (bytes: Uint8Array) => {
    if (this.replyLength + bytes.length > this.reply.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.reply.length * 2, this.replyLength + bytes.length));
      this.reply.copy(grown, 0, 0, this.replyLength);
      this.reply = grown;
    }
    this.reply.set(bytes, this.replyLength);
    this.replyLength += bytes.length;
  };

  constructor(private readonly pglite: PGlite) {}

  /** Runs one statement; exclusive against PGlite's own API as `PGlite.query()` is (its transaction and query locks). */
  run(text: string, params: readonly unknown[]): Promise<StatementResult> {
    if (this.pglite.closed) return Promise.reject(new Error('PGlite is closed'));
    return this.pglite._runExclusiveTransaction(() =>
      this.pglite._runExclusiveQuery(() => this.runExclusive(text, params)),
    );
  }

  private async runExclusive(text: string, params: readonly unknown[]): Promise<StatementResult> {
    if (params.length === 0) return this.runUnprepared(text, params);
    let statement = this.prepared.get(text) ?? (await this.prepare(text, params));
    let reply = await this.send(
      this.batch.bind(statement.name, this.serialize(params, statement.paramTypes)).execute().sync(),
      statement.fields,
    );
    if (reply.error?.code === PLAN_RESULT_CHANGED && statement.name) {
      await this.close([statement.name]);
      this.prepared.delete(text);
      if (reply.status === 'I') {
        statement = await this.prepare(text, params);
        reply = await this.send(
          this.batch.bind(statement.name, this.serialize(params, statement.paramTypes)).execute().sync(),
          statement.fields,
        );
      }
    }
    return this.result(reply, text, params);
  }

  /** A statement without parameters (begin, commit, DDL): parsed, bound, described and run as one batch. */
  private async runUnprepared(text: string, params: readonly unknown[]): Promise<StatementResult> {
    const reply = await this.send(this.batch.parse('', text).bind('', []).describePortal().execute().sync(), undefined);
    if (!reply.error && this.prepared.size > 0 && reply.command !== undefined && !KEEPS_SCHEMA.test(reply.command)) {
      await this.close([...this.prepared.values()].map((s) => s.name));
      this.prepared.clear();
    }
    return this.result(reply, text, params);
  }

  private async prepare(text: string, params: readonly unknown[]): Promise<Prepared> {
    const name = this.prepared.size < PREPARED_STATEMENTS ? `ordo_${this.nextName++}` : '';
    const reply = await this.send(this.batch.parse(name, text).describeStatement(name).sync(), undefined);
    if (reply.error) throw this.failure(reply.error, text, params);
    const statement = { name, paramTypes: reply.paramTypes ?? [], fields: reply.fields ?? null };
    if (name) this.prepared.set(text, statement);
    return statement;
  }

  private async close(names: string[]): Promise<void> {
    for (const name of names) this.batch.closeStatement(name);
    await this.send(this.batch.sync(), undefined);
  }

  /** The values as text, as PGlite's query() serializes them: by the serializer of the parameter's type, else toString(). */
  private serialize(params: readonly unknown[], types: number[]): (string | null)[] {
    const serializers = this.pglite.serializers;
    return params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serialize = serializers[types[i]!];
      return serialize ? serialize(param) : (param as object).toString();
    });
  }

  private async send(batch: MessageBatch, fields: Field[] | null | undefined): Promise<Reply> {
    this.replyLength = 0;
    // the database files are synced (a no-op for memory and Node file systems) once the statement is outside a transaction
    await this.pglite.execProtocolRawStream(batch.take(), { syncToFs: false, onRawData: this.collect });
    const reply = decodeReply(this.reply.subarray(0, this.replyLength), fields, this.pglite.parsers);
    // a large reply (an export) does not keep its buffer: the rows hold copies of their values
    if (this.reply.length > REPLY_BUFFER_KEPT) this.reply = Buffer.allocUnsafe(REPLY_BUFFER);
    if (reply.status === 'I') await this.pglite.syncToFs();
    return reply;
  }

  private result(reply: Reply, text: string, params: readonly unknown[]): StatementResult {
    if (reply.error) throw this.failure(reply.error, text, params);
    return { rows: reply.rows, affectedRows: reply.affectedRows };
  }

  private failure(error: NonNullable<Reply['error']>, text: string, params: readonly unknown[]) {
    return Object.assign(error, { query: text, params, queryOptions: undefined });
  }
}
