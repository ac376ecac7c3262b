import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * JSON schemas walked generically (as `any`), checked with Ajv set up as the app's validator is, and valid sample
 * values generated from them: the base that bad-input tests and the fuzz harness break one thing of.
 */
export type Schema = Record<string, any>;

// Schema checks: the same Ajv settings the app uses (src/http/validation.ts): bodies strictly, the rest coerced.
const ajvOptions = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
const strictAjv = new Ajv.default({ ...ajvOptions, coerceTypes: false });
const lenientAjv = new Ajv.default({ ...ajvOptions, coerceTypes: 'array' });
addFormats.default(strictAjv);
addFormats.default(lenientAjv);
const compiled = new Map<string, (data: unknown) => boolean>();
/** Whether `schema` accepts `data` (a copy: Ajv with `useDefaults` fills defaults in). */
export function validates(schema: Schema, data: unknown, lenient = false): boolean {
  const key = `${lenient}:${JSON.stringify(schema)}`;
  let fn = compiled.get(key);
  if (!fn) {
    const v = (lenient ? lenientAjv : strictAjv).compile(schema);
    fn = (d) => v(d) as boolean;
    compiled.set(key, fn);
  }
  return fn(structuredClone(data));
}

// JSON values, including number literals JavaScript cannot hold (1e309, 23 nines), written out as raw text.

export class RawJson {
  constructor(readonly text: string) {}
}
export const raw = (text: string) => new RawJson(text);
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

// Valid values, generated from JSON schemas: the base every hostile variant breaks one thing of.

const VALID_STRINGS = [
  'abc123',
  '13800138000',
  '110115',
  '22.5',
  '2024010100000001',
  '2024-01-01',
  'x',
  'https://example.com/x',
  '16/B374D848', // a WAL position (Ordo-Read-Position)
];

export function validValue(schema: Schema): unknown {
  const pick = (candidates: unknown[]) => {
    const found = candidates.find((c) => validates(schema, c));
    if (found === undefined) throw new Error(`no valid sample for schema ${JSON.stringify(schema)}`);
    return found;
  };
  if (schema.anyOf) return pick(schema.anyOf.map((s: Schema) => validValue({ ...s })));
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return pick([1, schema.minimum, schema.maximum, 0].filter((n) => n !== undefined));
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      if (schema.format === 'date-time') return '2030-01-01T00:00:00Z';
      return pick([...VALID_STRINGS, 'x'.repeat(Math.max(1, schema.minLength ?? 0))]);
    case 'array':
      return pick([[], [validValue(schema.items ?? {})]]);
    case 'object': {
      const props: Record<string, Schema> = schema.properties ?? {};
      const required: string[] = schema.required ?? [];
      const minimal = Object.fromEntries(required.map((k) => [k, validValue(props[k]!)]));
      if (validates(schema, minimal)) return minimal;
      return pick([Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validValue(s)]))]);
    }
    default:
      return pick(['x', 1, {}]);
  }
}
