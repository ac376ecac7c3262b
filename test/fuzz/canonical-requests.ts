import fc from 'fast-check';
import { BODYLESS, objectSchema, paramsIn, type Operation } from '../support/openapi-operations.ts';
import { toJson, validates, validValue, type Schema } from '../support/schema-samples.ts';
import type { FuzzRequest } from './fuzz-request.ts';
import { MAX_URL_LENGTH } from '../../src/http/request-boundary.ts';
import {
  brokenJson,
  deepJson,
  foreignContentType,
  hostileId,
  hostileString,
  hostileValue,
  nulText,
  percentEncode,
  unstorableText,
  withInvalidUtf8,
} from './hostile-values.ts';

/**
 * Hostile requests for one operation of /openapi.json, each built so that it must be refused: a value the
 * operation's schema rejects (checked with Ajv, as bad-input.test.ts does), a body no parser takes, a dead or
 * forged credential, or a URL no route has. A request that could be valid is never generated.
 */

export interface CanonicalWorld {
  /** real rows for every path parameter */
  pathValues: Record<string, string>;
  memberToken: string;
  adminToken: string;
  /** Authorization header values that must not let anyone in (null: none at all) */
  deadAuthorization: fc.Arbitrary<string | null>;
  /** headers of a correctly signed merchant API request over exactly this method, URL and body */
  sign(method: string, url: string, body: string): Record<string, string>;
  /** headers of a merchant API request whose signature must not be accepted */
  forgedSignature: fc.Arbitrary<(method: string, url: string, body: string) => Record<string, string>>;
  bodyLimit: number;
}

/** Operations whose body is a multipart form rather than JSON. */
const MULTIPART = new Set(['POST /v1/orders/{orderNo}/vouchers']);

type Credential = 'member' | 'admin' | 'app' | 'none';

interface Draft {
  label: string;
  pathValues?: Record<string, string>;
  query?: [string, string][];
  body?: string | Buffer;
  contentType?: string;
  credential?: Credential;
  authorization?: string | null;
  signature?: (method: string, url: string, body: string) => Record<string, string>;
  suffix?: string;
}

export function canonicalRequests(op: Operation, world: CanonicalWorld): fc.Arbitrary<FuzzRequest> {
  const realPath = Object.fromEntries(paramsIn(op, 'path').map((p) => [p.name, world.pathValues[p.name] ?? '1']));
  const validQuery: [string, string][] = paramsIn(op, 'query')
    .filter((p) => p.required && p.schema.default === undefined)
    .map((p) => [p.name, String(validValue(p.schema))]);
  const validHeaders = Object.fromEntries(paramsIn(op, 'header').map((p) => [p.name, String(validValue(p.schema))]));
  const validBody = op.bodySchema ? toJson(validValue(op.bodySchema)) : undefined;
  const credentials: Credential[] = op.signed ? ['app', 'none'] : op.secured ? ['member', 'admin', 'none'] : ['none'];
  const credential = fc.constantFrom(...credentials);

  const kinds: fc.Arbitrary<Draft>[] = [];

  // A hostile path segment after the route's own: no route has it.
  kinds.push(
    hostileString
      .filter((s) => s !== '')
      .map((s) => ({ label: 'a hostile path segment', suffix: `/${percentEncode(s)}` })),
  );

  // Path and query parameters the schema rejects (with the coercion the app's validator applies).
  const pathParams = paramsIn(op, 'path');
  for (const p of pathParams) {
    const value = fc
      .oneof(hostileId, hostileString)
      .filter((v) => !validates(objectSchema(pathParams), { ...realPath, [p.name]: v }, true));
    kinds.push(
      fc
        .tuple(value, credential)
        .map(([v, c]) => ({ label: `path ${p.name}`, pathValues: { ...realPath, [p.name]: v }, credential: c })),
    );
  }
  const queryParams = paramsIn(op, 'query');
  if (queryParams.length) {
    const schema = { ...objectSchema(queryParams), additionalProperties: false };
    // as the query parser reads it: a repeated name is an array; `__proto__` and `constructor` are plain names
    const asObject = (pairs: [string, string][]) => {
      const data = new Map<string, unknown>();
      for (const [k, v] of pairs) data.set(k, data.has(k) ? ([] as unknown[]).concat(data.get(k), v) : v);
      return Object.fromEntries(data);
    };
    const pairs = fc.oneof(
      fc
        .tuple(fc.constantFrom(...queryParams.map((p) => p.name)), fc.oneof(hostileId, hostileString))
        .map(([k, v]): [string, string][] => [[k, v]]),
      fc
        .tuple(fc.constantFrom(...queryParams.map((p) => p.name)), fc.array(hostileId, { minLength: 2, maxLength: 9 }))
        .map(([k, vs]) => vs.map((v): [string, string] => [k, v])),
      fc
        .constantFrom('__proto__', 'constructor', 'page[$gt]', 'unknownParam')
        .map((k): [string, string][] => [[k, '1']]),
    );
    kinds.push(
      fc
        .tuple(pairs, credential)
        .map(([bad, c]) => ({
          label: 'query',
          query: [...validQuery.filter(([k]) => !bad.some(([b]) => b === k)), ...bad],
          credential: c,
        }))
        .filter((d) => !validates(schema, asObject(d.query!), true)),
    );
  }

  // Bodies the schema rejects: a property broken, a required one missing, a key given twice, another shape.
  if (op.bodySchema && !MULTIPART.has(op.label)) {
    const schema = op.bodySchema;
    const base = validValue(schema) as Record<string, unknown>;
    const paths = propertyPaths(schema, 3);
    const mutated = fc.oneof(
      ...(paths.length
        ? [
            fc
              .tuple(fc.constantFrom(...paths), hostileValue)
              .map(([path, v]) => ({ label: `body ${path.join('.')}`, body: toJson(setAt(base, path, v)) })),
          ]
        : []),
      ...((schema.required ?? []).length
        ? [
            fc
              .subarray(schema.required as string[], { minLength: 1 })
              .map((names) => ({ label: `body without ${names.join(', ')}`, body: toJson(without(base, names)) })),
          ]
        : []),
      ...(paths.length
        ? [
            fc.tuple(fc.constantFrom(...paths.filter((p) => p.length === 1)), hostileValue).map(([[key], v]) => ({
              label: `body with ${key} twice`,
              body: `${toJson(base).slice(0, -1)}${Object.keys(base).length ? ',' : ''}${JSON.stringify(key)}:${toJson(v)}}`,
            })),
          ]
        : []),
      hostileValue.map((v) => ({ label: 'a hostile body', body: toJson(v) })),
      deepJson.map(({ label, text }) => ({ label, body: text })),
    );
    kinds.push(
      fc
        .tuple(mutated, credential)
        .map(([m, c]) => ({ ...m, contentType: 'application/json', credential: c }))
        .filter((d) => refusedBody(schema, d.body as string)),
    );
  }

  // Text PostgreSQL cannot store, in a value that is otherwise as the schema wants it (a free text takes it): a
  // path or query parameter (U+0000: a lone surrogate cannot survive percent-encoding) or a body string.
  for (const p of pathParams)
    kinds.push(
      fc.tuple(nulText, credential).map(([s, c]) => ({
        label: `U+0000 in path ${p.name}`,
        pathValues: { ...realPath, [p.name]: `${realPath[p.name]}${s}` },
        credential: c,
      })),
    );
  if (queryParams.length) {
    const names = queryParams.map((p) => p.name);
    kinds.push(
      fc.tuple(fc.constantFrom(...names), nulText, credential).map(([name, s, c]) => ({
        label: `U+0000 in query ${name}`,
        query: [...validQuery.filter(([k]) => k !== name), [name, s] as [string, string]],
        credential: c,
      })),
    );
  }
  if (op.bodySchema && !MULTIPART.has(op.label)) {
    const base = validValue(op.bodySchema);
    const stringPaths = propertyPaths(op.bodySchema, 3).filter((path) => typeof valueAt(base, path) === 'string');
    if (stringPaths.length) {
      kinds.push(
        fc.tuple(fc.constantFrom(...stringPaths), unstorableText, credential).map(([path, s, c]) => ({
          label: `unstorable text in body ${path.join('.')}`,
          body: toJson(setAt(base, path, `${valueAt(base, path)}${s}`)),
          contentType: 'application/json',
          credential: c,
        })),
      );
    }
  }
  if (MULTIPART.has(op.label))
    kinds.push(
      fc.tuple(fc.constantFrom('note', 'filename'), nulText, credential).map(([where, s, c]) => ({
        label: `U+0000 in the multipart ${where}`,
        // a quote or line break would end the quoted file name before its U+0000: the part would be well formed
        ...voucherForm(where === 'note' ? s : 'x', where === 'filename' ? s.replace(/["\\\r\n]/g, '') : 'proof.png'),
        credential: c,
      })),
    );
  // A URL longer than ordo reads.
  kinds.push(
    credential.map((c) => ({
      label: 'an over-long query',
      suffix: `?pad=${'x'.repeat(MAX_URL_LENGTH)}`,
      credential: c,
    })),
  );

  // Bodies no parser takes, or in a content type no JSON route reads.
  if (!BODYLESS.has(op.method)) {
    const text = validBody ?? '{}';
    const parse = fc.oneof(
      brokenJson(text).map(({ label, text: body }) => ({ label, body, contentType: 'application/json' })),
      withInvalidUtf8(text)
        .map(({ label, bytes }) => ({ label, body: bytes, contentType: 'application/json' }))
        .filter((d) => refusedBody(op.bodySchema, (d.body as Buffer).toString('utf8'))),
      foreignContentType
        .filter((type) => !(MULTIPART.has(op.label) && type.startsWith('multipart/')))
        .map((contentType) => ({ label: `${contentType} body`, body: text, contentType })),
      fc.constant({
        label: 'a body over the size limit',
        body: JSON.stringify({ a: 'x'.repeat(world.bodyLimit) }),
        contentType: 'application/json',
      }),
    );
    kinds.push(fc.tuple(parse, credential).map(([d, c]) => ({ ...d, credential: c })));
  }

  // Dead and forged credentials on a request that is otherwise as valid as the generator can make it.
  if (op.signed)
    kinds.push(
      world.forgedSignature.map((signature) => ({
        label: 'a forged signature',
        body: validBody,
        contentType: validBody ? 'application/json' : undefined,
        signature,
      })),
    );
  else if (op.secured)
    kinds.push(
      world.deadAuthorization.map((authorization) => ({
        label: `credentials ${authorization?.slice(0, 30) ?? 'none'}`,
        body: validBody,
        contentType: validBody ? 'application/json' : undefined,
        authorization,
      })),
    );

  return fc.oneof(...kinds).map((d) => {
    const values = d.pathValues ?? realPath;
    let url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => percentEncode(values[name]!)) + (d.suffix ?? '');
    const query = d.query ?? validQuery;
    if (query.length) url += `?${query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')}`;
    const headers: Record<string, string> = { ...validHeaders };
    if (d.contentType) headers['content-type'] = d.contentType;
    const bodyText = d.body === undefined ? '' : Buffer.isBuffer(d.body) ? d.body.toString('utf8') : d.body;
    if (d.credential === 'member') headers.authorization = `Bearer ${world.memberToken}`;
    if (d.credential === 'admin') headers.authorization = `Bearer ${world.adminToken}`;
    if (d.credential === 'app') Object.assign(headers, withoutContentType(world.sign(op.method, url, bodyText)));
    if (d.authorization) headers.authorization = d.authorization;
    if (d.signature) Object.assign(headers, withoutContentType(d.signature(op.method, url, bodyText)));
    return {
      surface: 'canonical',
      route: op.label,
      label: d.label,
      method: op.method,
      url,
      headers,
      payload: d.body,
      mustRefuse: true,
    };
  });
}

const withoutContentType = ({ 'content-type': _ignored, ...rest }: Record<string, string>) => rest;

/** Whether a JSON body (as the server decodes it) is refused: unparseable, or rejected by the schema. */
function refusedBody(schema: Schema | null, text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return true;
  }
  if (schema === null) return false;
  try {
    return !validates(schema, parsed);
  } catch (err) {
    if (err instanceof RangeError) return true; // nested deeper than the test can copy: deeper than any schema
    throw err;
  }
}

/** Paths to properties of an object schema (into the first item of arrays), `depth` levels deep. */
function propertyPaths(schema: Schema, depth: number, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0) return [];
  const out: (string | number)[][] = [];
  for (const s of schema.anyOf ?? [schema]) {
    if (s.properties) {
      for (const [name, sub] of Object.entries<Schema>(s.properties)) {
        out.push([...prefix, name]);
        out.push(...propertyPaths(sub, depth - 1, [...prefix, name]));
      }
    }
    if (s.items) out.push(...propertyPaths(s.items, depth - 1, [...prefix, 0]));
  }
  return out;
}

const valueAt = (base: unknown, path: (string | number)[]) =>
  path.reduce<any>((node, key) => (node === null || typeof node !== 'object' ? undefined : node[key]), base);

/** A voucher upload as the cashier sends it, with the given note and picture file name. */
function voucherForm(note: string, filename: string): { body: Buffer; contentType: string } {
  const boundary = 'fuzzBoundary';
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  return {
    body: Buffer.concat([
      Buffer.from(field('method', 'voucher_bank') + field('client', 'H5') + field('note', note)),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

function setAt(base: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as any;
  let node = copy;
  path.slice(0, -1).forEach((key, i) => {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key];
  });
  node[path.at(-1)!] = value;
  return copy;
}

const without = (base: Record<string, unknown>, names: string[]) =>
  Object.fromEntries(Object.entries(base).filter(([k]) => !names.includes(k)));
