import { protocol, type PGlite } from '@electric-sql/pglite';

/**
 * The few PostgreSQL frontend/backend protocol messages the PGlite dialect sends, and a decoder for what comes
 * back. PGlite's own `query()` runs every statement as six separate calls into the WASM backend (parse,
 * describe, bind, describe, execute, sync), each answer decoded into message objects and then into rows; here
 * a statement is one call of a few batched messages, and the answer is decoded straight into rows.
 */

type Parsers = PGlite['parsers'];
type DatabaseError = InstanceType<typeof protocol.messages.DatabaseError>;

export interface Field {
  name: string;
  typeId: number;
}

/** Encodes frontend messages into one reused buffer; `take()` hands out the batch and starts a new one. */
export class MessageBatch {
  private buffer = Buffer.allocUnsafe(4096);
  private at = 0;

  /** Parse a statement under `name` ('' = the unnamed statement), parameter types left to the server. */
  parse(name: string, text: string): this {
    const start = this.begin(0x50);
    this.cstring(name).cstring(text).int16(0);
    return this.end(start);
  }
  describeStatement(name: string): this {
    const start = this.begin(0x44);
    this.byte(0x53).cstring(name);
    return this.end(start);
  }
  describePortal(): this {
    const start = this.begin(0x44);
    this.byte(0x50).cstring('');
    return this.end(start);
  }
  /** Bind the unnamed portal to `statement`, every parameter and result column in text format. */
  bind(statement: string, values: readonly (string | null)[]): this {
    const start = this.begin(0x42);
    this.cstring('').cstring(statement).int16(0).int16(values.length);
    for (const value of values) {
      if (value === null) {
        this.int32(-1);
        continue;
      }
      const length = Buffer.byteLength(value);
      this.int32(length).reserve(length);
      this.buffer.write(value, this.at, 'utf8');
      this.at += length;
    }
    this.int16(0);
    return this.end(start);
  }
  execute(): this {
    const start = this.begin(0x45);
    this.cstring('').int32(0);
    return this.end(start);
  }
  closeStatement(name: string): this {
    const start = this.begin(0x43);
    this.byte(0x53).cstring(name);
    return this.end(start);
  }
  sync(): this {
    return this.end(this.begin(0x53));
  }

  /** The batch so far (a view of the shared buffer, valid until the next message is added). */
  take(): Uint8Array {
    const batch = this.buffer.subarray(0, this.at);
    this.at = 0;
    return batch;
  }

  private begin(code: number): number {
    this.reserve(5);
    this.buffer[this.at] = code;
    const lengthAt = this.at + 1;
    this.at += 5;
    return lengthAt;
  }
  private end(lengthAt: number): this {
    this.buffer.writeInt32BE(this.at - lengthAt, lengthAt);
    return this;
  }
  private reserve(bytes: number): this {
    if (this.at + bytes <= this.buffer.length) return this;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
    return this;
  }
  private byte(value: number): this {
    this.reserve(1);
    this.buffer[this.at++] = value;
    return this;
  }
  private int16(value: number): this {
    this.reserve(2);
    this.buffer.writeInt16BE(value, this.at);
    this.at += 2;
    return this;
  }
  private int32(value: number): this {
    this.reserve(4);
    this.buffer.writeInt32BE(value, this.at);
    this.at += 4;
    return this;
  }
  private cstring(value: string): this {
    const length = Buffer.byteLength(value);
    this.reserve(length + 1);
    this.buffer.write(value, this.at, 'utf8');
    this.at += length;
    this.buffer[this.at++] = 0;
    return this;
  }
}

export interface Reply {
  /** parameter types from a Describe of a statement */
  paramTypes: number[] | undefined;
  /** result columns from a Describe (null: the statement returns no rows; undefined: nothing was described) */
  fields: Field[] | null | undefined;
  rows: Record<string, unknown>[];
  /** rows inserted, updated, deleted, copied or merged, as PGlite's `affectedRows` counts them */
  affectedRows: number;
  /** the command tag's first word of the last statement completed (SELECT, INSERT, CREATE, ...) */
  command: string | undefined;
  /** the first error of the batch (the backend skips the rest of it, up to the Sync) */
  error: DatabaseError | undefined;
  /** transaction status after the Sync: 'I' idle, 'T' in a transaction, 'E' in a failed transaction */
  status: string;
}

const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

/**
 * Decodes the backend's answer to one batch. Data rows become objects keyed by column name (a later column of
 * the same name wins, as in PGlite), each value converted by the PGlite instance's parser for its type, exactly
 * as `PGlite.query()` does. `fields` are the columns the rows have when the batch itself does not describe
 * them (a prepared statement described once).
 */
export function decodeReply(data: Buffer, fields: Field[] | null | undefined, parsers: Parsers): Reply {
  const reply: Reply = {
    paramTypes: undefined,
    fields: undefined,
    rows: [],
    affectedRows: 0,
    command: undefined,
    error: undefined,
    status: 'I',
  };
  let columns = fields;
  let at = 0;
  while (at + 5 <= data.length) {
    const code = data[at]!;
    const end = at + 1 + data.readInt32BE(at + 1);
    let p = at + 5;
    switch (code) {
      case 0x44: {
        // DataRow
        const count = data.readInt16BE(p);
        p += 2;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const length = data.readInt32BE(p);
          p += 4;
          const column = columns![i]!;
          if (length < 0) {
            row[column.name] = null;
            continue;
          }
          const text = data.toString('utf8', p, p + length);
          p += length;
          const parse = parsers[column.typeId];
          row[column.name] = parse ? parse(text, column.typeId) : text;
        }
        reply.rows.push(row);
        break;
      }
      case 0x54: {
        // RowDescription
        const count = data.readInt16BE(p);
        p += 2;
        columns = [];
        for (let i = 0; i < count; i++) {
          const nameEnd = data.indexOf(0, p);
          const name = data.toString('utf8', p, nameEnd);
          p = nameEnd + 1 + 6; // table oid, column number
          columns.push({ name, typeId: data.readInt32BE(p) });
          p += 12; // type oid, type size, type modifier, format
        }
        reply.fields = columns;
        break;
      }
      case 0x6e: // NoData
        reply.fields = null;
        break;
      case 0x74: {
        // ParameterDescription
        const count = data.readInt16BE(p);
        reply.paramTypes = [];
        for (let i = 0; i < count; i++) reply.paramTypes.push(data.readInt32BE(p + 2 + 4 * i));
        break;
      }
      case 0x43: {
        // CommandComplete: "SELECT 2", "INSERT 0 5", "CREATE TABLE"
        const parts = data.toString('utf8', p, end - 1).split(' ');
        reply.command = parts[0];
        if (COUNTED_COMMANDS.has(parts[0]!)) reply.affectedRows += parseInt(parts[parts.length - 1]!, 10);
        break;
      }
      case 0x45: // ErrorResponse: rare, so PGlite's own parser builds the same DatabaseError it would have thrown
        if (!reply.error)
          new protocol.Parser().parse(data.subarray(at, end), (message) => (reply.error = message as DatabaseError));
        break;
      case 0x5a: // ReadyForQuery
        reply.status = String.fromCharCode(data[p]!);
        break;
      // ParseComplete, BindComplete, CloseComplete, EmptyQuery, notices and notifications: nothing to keep
      // (ordo never LISTENs on PGlite; PGlite.listen() callbacks do not hear NOTIFYs sent through this path)
    }
    at = end;
  }
  return reply;
}
