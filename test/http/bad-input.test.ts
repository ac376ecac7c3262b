/**
 * Bad input: malformed bodies and parameters sent to every route get a 4xx (never a 5xx) in the canonical error
 * envelope `{"error":{"code","message","details"}}`, and no rows change.
 *
 * The routes are not listed here: they are read from the app's own `GET /openapi.json` (generated from the route
 * schemas), and hostile variants are generated from each operation's declared inputs (path and query parameters,
 * headers, request body, security). Candidate values are checked with Ajv, set up as the app's validator is,
 * against the operation's schema, and only values the schema rejects are sent: a variant that is valid (and might
 * succeed and write) is never sent as "bad input", and the assertion is never weakened to let one pass. Each
 * variant goes to a secured route with a member token, an admin staff token and no token, so validation is reached
 * whatever principal the route wants, and each must be refused by the right check (EXPECTED_CODES). Every table
 * is fingerprinted before and after each operation and the whole batch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/http/app.ts';
import { MAX_URL_LENGTH } from '../../src/http/request-boundary.ts';
import { api, type ApiReply } from '../support/api.ts';
import { newIdempotencyKey } from '../support/actors.ts';
import { isCanonicalRefusal } from '../support/error-envelopes.ts';
import { signedHeaders } from '../support/merchant-api.ts';
import { createOwnedData } from '../support/owned-data.ts';
import { BODYLESS, objectSchema, operationsOf, paramsIn, type Operation } from '../support/openapi-operations.ts';
import { raw, toJson, validates, validValue, type Schema } from '../support/schema-samples.ts';
import { changedTables, snapshotTables, tableNames } from '../support/table-snapshot.ts';
import { startTestApp } from '../support/test-app.ts';

// ---------------------------------------------------------------------------------------------------------------
// Set-up: every login, token, product, address, cart line and order exists before the first snapshot.

const t = await startTestApp();
afterAll(() => t.close());

const {
  adminToken,
  merchantApp,
  buyer,
  other,
  revoked,
  product,
  otherProduct,
  otherAddressId,
  cartItemId,
  orderNo,
  pathValues: REAL_PATH_VALUES,
} = await createOwnedData(t);
const openapi: any = (await api(t, 'GET', '/openapi.json')).body;

const CREDENTIALS = { member: buyer.token, admin: adminToken } as const;
/** 'app': the request is signed with the merchant app's secret, over exactly the URL and body sent */
type Credential = keyof typeof CREDENTIALS | 'app' | 'none';

// ---------------------------------------------------------------------------------------------------------------
// Row snapshots: an md5 of every row of every table of the public schema.

const TABLES = await tableNames(t.ctx.db);
const snapshot = () => snapshotTables(t.ctx.db, TABLES);

const initialSnapshot = await snapshot();

// ---------------------------------------------------------------------------------------------------------------
// Invalid values generated from JSON schemas.

interface Bad {
  label: string;
  value: unknown;
}

/** Wrong types, out-of-range numbers, hostile strings: whatever of these the schema rejects. */
function scalarCandidates(schema: Schema): Bad[] {
  const out: Bad[] = [
    { label: 'a string', value: 'abc' },
    { label: 'a numeric string', value: '5' },
    { label: 'an empty string', value: '' },
    { label: 'a boolean', value: true },
    { label: 'the string "true"', value: 'true' },
    { label: 'null', value: null },
    { label: 'an object', value: {} },
    { label: 'an operator object', value: { $gt: '' } },
    { label: 'an array', value: [] },
    { label: 'an array of one number', value: [1] },
    { label: 'an integer', value: 12345 },
    { label: '-1', value: -1 },
    { label: '0', value: 0 },
    { label: 'a fraction', value: 1.5 },
    { label: '2**31', value: 2 ** 31 },
    { label: '2**53 + 2', value: 2 ** 53 + 2 },
    { label: '2**63', value: 2 ** 63 },
    { label: '1e308', value: 1e308 },
    { label: '-1e308', value: -1e308 },
    { label: 'the literal 1e309', value: raw('1e309') },
    { label: 'the literal 99999999999999999999999', value: raw('99999999999999999999999') },
    { label: 'a 10k-character string', value: 'x'.repeat(10_000) },
    { label: 'control characters', value: 'a\u0000b\u0007\u001b[2J\r\n' },
    { label: 'unicode with a direction override', value: 'ünïcödé 😀 \u202egnp.exe' },
    { label: 'SQL', value: "' OR 1=1 --" },
    { label: 'HTML', value: '<script>alert(1)</script>' },
    { label: 'a path traversal', value: '../../etc/passwd' },
    { label: 'an impossible date', value: '2024-13-45T25:61:00Z' },
    { label: 'a date without time', value: '2024-01-01' },
  ];
  if (typeof schema.minimum === 'number') out.push({ label: 'minimum - 1', value: schema.minimum - 1 });
  if (typeof schema.maximum === 'number') out.push({ label: 'maximum + 1', value: schema.maximum + 1 });
  if (typeof schema.maxLength === 'number')
    out.push({ label: 'maxLength + 1 characters', value: 'x'.repeat(schema.maxLength + 1) });
  if (typeof schema.minLength === 'number' && schema.minLength > 1)
    out.push({ label: 'minLength - 1 characters', value: 'x'.repeat(schema.minLength - 1) });
  return out;
}

const typesOf = (schema: Schema): string[] =>
  schema.anyOf
    ? schema.anyOf.flatMap(typesOf)
    : Array.isArray(schema.type)
      ? schema.type
      : schema.type
        ? [schema.type]
        : [];

/** Invalid values for `schema`; `depth` limits how far into arrays and objects the generator recurses. */
function invalidValues(schema: Schema, depth: number): Bad[] {
  const out: Bad[] = [...scalarCandidates(schema)];
  const types = typesOf(schema);
  if (types.includes('array')) {
    const item = schema.items ?? {};
    const good = validValue(item);
    if (typeof schema.maxItems === 'number')
      out.push({
        label: `${schema.maxItems + 1} items`,
        value: Array.from({ length: schema.maxItems + 1 }, () => structuredClone(good)),
      });
    if (schema.uniqueItems) out.push({ label: 'a duplicated item', value: [good, structuredClone(good)] });
    if (depth > 0)
      for (const bad of invalidValues(item, depth - 1)) out.push({ label: `[${bad.label}]`, value: [bad.value] });
  }
  if (types.includes('object')) {
    const base = validValue(schema) as Record<string, unknown>;
    const props: Record<string, Schema> = schema.properties ?? {};
    out.push({ label: 'with an unknown field', value: { ...base, unexpectedField: 1 } });
    for (const name of schema.required ?? []) {
      const { [name]: _dropped, ...rest } = base;
      out.push({ label: `without required ${name}`, value: rest });
    }
    if (depth > 0) {
      for (const [name, propSchema] of Object.entries(props)) {
        for (const bad of invalidValues(propSchema, depth - 1))
          out.push({ label: `${name}: ${bad.label}`, value: { ...base, [name]: bad.value } });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((bad) => {
    const text = toJson(bad.value);
    if (seen.has(text)) return false;
    seen.add(text);
    return !validates(schema, JSON.parse(text));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The variants generated for each operation of /openapi.json.

type Family = 'path' | 'query' | 'header' | 'credentials' | 'body-parse' | 'body-schema' | 'multipart-form' | 'url';

interface Variant {
  family: Family;
  label: string;
  /** path parameter values (decoded), query string pairs, extra headers, raw payload + content type */
  pathValues?: Record<string, string>;
  /** path parameter values put into the URL as they are, not percent-encoded */
  encodedPathValues?: Record<string, string>;
  rawPath?: (url: string) => string;
  query?: [string, string][];
  headers?: Record<string, string | undefined>;
  payload?: { text: string; contentType: string } | 'none';
  /** Sent with these credentials only (default: every credential that reaches the route) */
  credentials?: (Credential | { authorization: string })[];
}

function validHeaders(op: Operation): Record<string, string> {
  return Object.fromEntries(paramsIn(op, 'header').map((p) => [p.name, String(validValue(p.schema))]));
}
function validQuery(op: Operation): [string, string][] {
  return paramsIn(op, 'query')
    .filter((p) => p.required && p.schema.default === undefined)
    .map((p) => [p.name, String(validValue(p.schema))]);
}
function validBody(op: Operation): Variant['payload'] {
  return op.bodySchema ? { text: toJson(validValue(op.bodySchema)), contentType: 'application/json' } : undefined;
}

const PARAM_CANDIDATES: Bad[] = [
  { label: 'abc', value: 'abc' },
  { label: '-1', value: '-1' },
  { label: '0', value: '0' },
  { label: '1.5', value: '1.5' },
  { label: '99999999999999999999999', value: '99999999999999999999999' },
  { label: '1e308', value: '1e308' },
  { label: '%00', value: '\u0000' },
  { label: "' OR 1=1 --", value: "' OR 1=1 --" },
  { label: '1;DROP TABLE orders', value: '1;DROP TABLE orders' },
  { label: 'an encoded slash', value: '1/2' },
  { label: 'an encoded percent sign', value: '%' },
  { label: 'true', value: 'true' },
  { label: 'unicode digits', value: '１２３' },
  { label: 'an empty value', value: '' },
];
const QUERY_CANDIDATES: Bad[] = [
  ...PARAM_CANDIDATES,
  { label: 'a 10k-character value', value: 'x'.repeat(10_000) },
  { label: 'control characters', value: 'a\u0001\u001b' },
  { label: 'an impossible date', value: '2024-13-45T25:61:00Z' },
];
const HEADER_CANDIDATES: Bad[] = [
  { label: 'empty', value: '' },
  { label: 'a space', value: ' ' },
  { label: 'inner spaces', value: 'has spaces in it' },
  { label: 'a control character', value: 'a\u0001b' },
  { label: 'non-ASCII', value: 'ünïcödé' },
  { label: '101 characters', value: 'k'.repeat(101) },
  { label: '10k characters', value: 'k'.repeat(10_000) },
];

const OVERSIZED = 'x'.repeat(BODY_LIMIT_BYTES + 1);

function variantsFor(op: Operation): Variant[] {
  const variants: Variant[] = [];

  // Path parameters: each replaced by hostile values the schema rejects, everything else valid.
  for (const p of paramsIn(op, 'path')) {
    for (const bad of PARAM_CANDIDATES) {
      const values = { ...realPathValues(op), [p.name]: bad.value as string };
      if (validates(objectSchema(paramsIn(op, 'path')), values, true)) continue; // e.g. '0' is not invalid for a string id
      variants.push({
        family: 'path',
        label: `path ${p.name} = ${bad.label}`,
        pathValues: values,
        payload: validBody(op),
        headers: validHeaders(op),
        query: validQuery(op),
      });
    }
  }

  // Query parameters: wrong types and ranges, repeated scalars, unknown names.
  const query = paramsIn(op, 'query');
  if (query.length) {
    const schema = { ...objectSchema(query), additionalProperties: false };
    for (const p of query) {
      const candidates: { label: string; pairs: [string, string][] }[] = QUERY_CANDIDATES.map((bad) => ({
        label: bad.label,
        pairs: [[p.name, bad.value as string]],
      }));
      candidates.push({
        label: 'repeated',
        pairs: [
          [p.name, '1'],
          [p.name, '2'],
        ],
      });
      candidates.push({
        label: 'repeated 9 times',
        pairs: Array.from(
          { length: 9 },
          () => [p.name, String(validValue(p.schema.items ?? p.schema))] as [string, string],
        ),
      });
      for (const c of candidates) {
        const data: Record<string, unknown> = {};
        for (const [k, v] of c.pairs) data[k] = k in data ? ([] as unknown[]).concat(data[k], v) : v;
        for (const [k, v] of validQuery(op)) if (!(k in data)) data[k] = v;
        if (validates(schema, data, true)) continue;
        variants.push({
          family: 'query',
          label: `query ${p.name} = ${c.label}`,
          query: [...validQuery(op).filter(([k]) => k !== p.name), ...c.pairs],
          headers: validHeaders(op),
          payload: validBody(op),
        });
      }
    }
    for (const name of ['unknownParam', 'page[$gt]', '__proto__', 'constructor']) {
      variants.push({
        family: 'query',
        label: `unknown query parameter ${name}`,
        query: [...validQuery(op), [name, '1']],
        headers: validHeaders(op),
        payload: validBody(op),
      });
    }
  }

  // Headers declared by the route (the Idempotency-Key): missing, empty, malformed.
  for (const p of paramsIn(op, 'header')) {
    const schema = objectSchema(paramsIn(op, 'header'));
    if (p.required)
      variants.push({
        family: 'header',
        label: `header ${p.name} missing`,
        headers: { ...validHeaders(op), [p.name]: undefined },
        payload: validBody(op),
        query: validQuery(op),
      });
    for (const bad of HEADER_CANDIDATES) {
      if (validates(schema, { ...validHeaders(op), [p.name]: bad.value }, true)) continue;
      variants.push({
        family: 'header',
        label: `header ${p.name} ${bad.label}`,
        headers: { ...validHeaders(op), [p.name]: bad.value as string },
        payload: validBody(op),
        query: validQuery(op),
      });
    }
  }

  // Credentials: an otherwise valid request with no token or a bad one must be refused on a secured route.
  if (op.secured) {
    const authorizations: [string, string | null][] = [
      ['no Authorization header', null],
      ['"Bearer" with no token', 'Bearer'],
      ['an unknown token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['a revoked token', `Bearer ${revoked.token}`],
      ['a tampered admin token', `Bearer ${adminToken}x`],
      ['a 10k-character token', `Bearer ${'t'.repeat(10_000)}`],
      ['the admin password as Basic auth', `Basic ${Buffer.from('admin:admin123').toString('base64')}`],
      ['a token under another scheme', `Token ${buyer.token}`],
      ['SQL in the token', "Bearer ' OR 1=1 --"],
    ];
    for (const [label, authorization] of authorizations) {
      variants.push({
        family: 'credentials',
        label: `credentials: ${label}`,
        credentials: [authorization === null ? 'none' : { authorization }],
        headers: validHeaders(op),
        payload: validBody(op),
        query: validQuery(op),
      });
    }
  }

  const common = () => ({ headers: validHeaders(op), query: validQuery(op) });

  // Bodies the JSON parser or the content-type negotiation refuses, whatever the route's body schema.
  if (!BODYLESS.has(op.method)) {
    const json = (label: string, text: string) =>
      variants.push({ family: 'body-parse', label, payload: { text, contentType: 'application/json' }, ...common() });
    json('malformed JSON {"a":', '{"a":');
    json('an empty JSON body', '');
    json('trailing garbage after JSON', '{} x');
    json('single-quoted JSON', "{'a':1}");
    json('a NaN literal', '{"a":NaN}');
    json('a __proto__ key', '{"__proto__":{"isAdmin":true}}');
    json('a constructor.prototype key', '{"constructor":{"prototype":{"isAdmin":true}}}');
    json(`a JSON body over ${BODY_LIMIT_BYTES} bytes`, JSON.stringify({ a: OVERSIZED }));
    const typed = (label: string, contentType: string, text: string) =>
      variants.push({ family: 'body-parse', label, payload: { text, contentType }, ...common() });
    typed('form-urlencoded', 'application/x-www-form-urlencoded', 'a=1&b=2');
    const multipart = '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n';
    // The voucher upload takes multipart: there a stray field is a bad form (checked after sign-in), not a bad media type.
    if (MULTIPART_OPERATIONS.has(op.label))
      variants.push({
        family: 'multipart-form',
        label: 'a multipart form without method, client or images',
        payload: { text: multipart, contentType: 'multipart/form-data; boundary=xyz' },
        ...common(),
      });
    else typed('multipart', 'multipart/form-data; boundary=xyz', multipart);
    typed('XML', 'application/xml', '<a>1</a>');
    typed('a JSON-ish vendor type', 'application/vnd.api+json', '{"a":1}');
    typed('an unparseable content type', 'not a content type', '{"a":1}');
    typed(`a text body over ${BODY_LIMIT_BYTES} bytes`, 'text/plain', OVERSIZED);
  }

  // Bodies the route's schema refuses: wrong shapes, wrong content type, and every property broken in turn.
  if (op.bodySchema) {
    const schema = op.bodySchema;
    const base = validValue(schema);
    // [label, payload, content type, what the body validator gets]. A request without a body is read as `{}`
    // (src/http/validation.ts: "bodiless POSTs read as {}"), so it is bad input only where `{}` is; a literal JSON
    // `null` is a value, and not an object.
    const shaped: [string, string, string, unknown][] = [
      ['no body at all', '', '', {}],
      ['a JSON array', '[]', 'application/json', []],
      ['a JSON array holding the valid body', `[${toJson(base)}]`, 'application/json', [base]],
      ['a JSON string', '"x"', 'application/json', 'x'],
      ['a JSON number', '42', 'application/json', 42],
      ['JSON true', 'true', 'application/json', true],
      ['JSON null', 'null', 'application/json', null],
      ['JSON nested 5000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json', []],
      ['the valid body as text/plain', toJson(base), 'text/plain', toJson(base)],
      ['plain text', 'hello', 'text/plain', 'hello'],
    ];
    for (const [label, text, contentType, seen] of shaped) {
      if (label === 'no body at all' && validates(schema, seen)) continue; // `{}` is a valid body here: not bad input
      if (validates(schema, seen)) throw new Error(`${op.label}: body variant "${label}" is valid per the schema`);
      variants.push({
        family: 'body-schema',
        label,
        payload: contentType ? { text, contentType } : 'none',
        ...common(),
      });
    }
    for (const bad of invalidValues(schema, 3)) {
      if (bad.value === null) continue; // sent above as "JSON null"
      variants.push({
        family: 'body-schema',
        label: `body ${bad.label}`,
        payload: { text: toJson(bad.value), contentType: 'application/json' },
        ...common(),
      });
    }
  }
  return variants;
}

function realPathValues(op: Operation): Record<string, string> {
  return Object.fromEntries(
    paramsIn(op, 'path').map((p) => {
      const value = REAL_PATH_VALUES[p.name];
      if (value === undefined)
        throw new Error(`${op.label}: no real row for path parameter ${p.name}; add one to REAL_PATH_VALUES`);
      return [p.name, value];
    }),
  );
}

/** URL-level variants, the same for every operation: junk after the path, broken escapes, an over-long parameter. */
function urlVariants(op: Operation): Variant[] {
  const common = { payload: validBody(op), headers: validHeaders(op), query: validQuery(op) };
  const out: Variant[] = [
    { family: 'url', label: 'a junk segment after the path', rawPath: (url) => `${url}/%00`, ...common },
    {
      family: 'url',
      label: 'a path traversal after the path',
      rawPath: (url) => `${url}/..%2F..%2Fetc%2Fpasswd`,
      ...common,
    },
    {
      family: 'url',
      label: 'a broken percent-escape in the path',
      ...(paramsIn(op, 'path').length
        ? { encodedPathValues: { [paramsIn(op, 'path')[0]!.name]: '%E0%A4%A' } }
        : { rawPath: (url: string) => `${url}%ZZ` }),
      ...common,
    },
  ];
  for (const p of paramsIn(op, 'path')) {
    out.push({
      family: 'url',
      label: `path ${p.name} of 10k characters`,
      pathValues: { ...realPathValues(op), [p.name]: '1'.repeat(10_000) },
      ...common,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Sending and judging.

function urlOf(op: Operation, v: Variant): string {
  const values = v.pathValues ?? realPathValues(op);
  let url = op.path.replace(
    /\{([^}]+)\}/g,
    (_m, name: string) => v.encodedPathValues?.[name] ?? encodeURIComponent(values[name]!),
  );
  if (v.rawPath) url = v.rawPath(url);
  if (v.query?.length)
    url += `?${v.query.map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(val)}`).join('&')}`;
  return url;
}

async function send(
  op: Operation,
  v: Variant,
  credential: Credential | { authorization: string },
): Promise<{ url: string; reply: ApiReply }> {
  const headers: Record<string, string> = {};
  for (const [k, val] of Object.entries(v.headers ?? {})) if (val !== undefined) headers[k] = val;
  if (typeof credential === 'object') headers.authorization = credential.authorization;
  const payload = v.payload === 'none' ? undefined : v.payload;
  if (payload?.contentType) headers['content-type'] = payload.contentType;
  const url = urlOf(op, v);
  if (credential === 'app') {
    const signed = signedHeaders(t, merchantApp, op.method, url, payload?.text ?? '');
    for (const [k, val] of Object.entries(signed)) if (k !== 'content-type') headers[k] = val;
  }
  const reply = await api(t, op.method, url, {
    token: credential === 'member' || credential === 'admin' ? CREDENTIALS[credential] : undefined,
    headers,
    body: payload?.text,
  });
  return { url, reply };
}

/**
 * Which refusal each family must get, so a 4xx from the wrong place (a 401 before validation ran, a 404 from a
 * lookup) does not pass for a refused body: schema variants are refused by the validator, bodies the parser cannot
 * take by the parser, bad credentials by the guard. URL variants may meet the router or the validator.
 */
const EXPECTED_CODES: Record<Family, string[] | null> = {
  path: ['validation_failed'],
  query: ['validation_failed'],
  header: ['validation_failed'],
  'body-schema': ['validation_failed'],
  'body-parse': ['bad_request', 'payload_too_large', 'unsupported_media_type'],
  credentials: ['unauthorized'],
  'multipart-form': ['validation_failed', 'unauthorized'],
  url: null,
};

/** Operations whose body is a multipart form rather than JSON. */
const MULTIPART_OPERATIONS = new Set(['POST /v1/orders/{orderNo}/vouchers']);

/** What is wrong with a reply to bad input, or null: a 4xx in the canonical envelope, from the right check. */
function problemWith(reply: ApiReply, family: Family): string | null {
  if (reply.status >= 500) return `server error ${reply.status}`;
  if (reply.status < 400 || reply.status > 499) return `not refused: ${reply.status}`;
  if (!isCanonicalRefusal(reply)) return `${reply.status} outside the canonical envelope`;
  const expected = EXPECTED_CODES[family];
  if (expected && !expected.includes(reply.body.error.code))
    return `refused as ${reply.body.error.code}, expected ${expected.join(' or ')}`;
  return null;
}

const credentialsFor = (op: Operation, v: Variant): (Credential | { authorization: string })[] =>
  v.credentials ?? (op.signed ? ['app', 'none'] : op.secured ? ['member', 'admin', 'none'] : ['none']);
const describeCredential = (c: Credential | { authorization: string }) =>
  typeof c === 'string' ? c : `Authorization: ${c.authorization.slice(0, 40)}${c.authorization.length > 40 ? '…' : ''}`;
const short = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

async function run(op: Operation, variants: Variant[]): Promise<string[]> {
  const failures: string[] = [];
  for (const v of variants) {
    for (const credential of credentialsFor(op, v)) {
      const { url, reply } = await send(op, v, credential);
      // the signed API checks who is calling before anything else: an unsigned request is refused as such
      const problem = problemWith(
        reply,
        op.signed && credential === 'none' && v.family !== 'body-parse' && v.family !== 'url'
          ? 'credentials'
          : v.family,
      );
      if (problem)
        failures.push(
          `${op.method} ${url.length > 120 ? `${url.slice(0, 120)}…` : url} [${v.label}] as ${describeCredential(credential)}: ${problem}: ${short(reply.body)}`,
        );
    }
  }
  return failures;
}

const operations = operationsOf(openapi);
const table = operations.map((op) => ({ op, variants: variantsFor(op), urlVariants: urlVariants(op) }));
let requestCount = 0;
const countRequests = (op: Operation, variants: Variant[]) =>
  variants.reduce((n, v) => n + credentialsFor(op, v).length, 0);

// ---------------------------------------------------------------------------------------------------------------

describe('bad input on every operation of /openapi.json', () => {
  it('enumerates the routes from the app itself, and generates cases for every declared input', () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
    const missing: string[] = [];
    for (const { op, variants, urlVariants: urls } of table) {
      const has = (family: Family) => variants.some((v) => v.family === family);
      if (urls.length === 0) missing.push(`${op.label}: no URL variants`);
      if (paramsIn(op, 'path').length && !has('path')) missing.push(`${op.label}: no path parameter variants`);
      if (paramsIn(op, 'query').length && !has('query')) missing.push(`${op.label}: no query variants`);
      if (paramsIn(op, 'header').length && !has('header')) missing.push(`${op.label}: no header variants`);
      if (op.secured && !has('credentials')) missing.push(`${op.label}: no credential variants`);
      if (!BODYLESS.has(op.method) && !has('body-parse')) missing.push(`${op.label}: no body parse variants`);
      if (op.bodySchema) {
        const props = Object.keys(op.bodySchema.properties ?? {});
        for (const name of props)
          if (!variants.some((v) => v.family === 'body-schema' && v.label.startsWith(`body ${name}: `)))
            missing.push(`${op.label}: no variant breaks body property ${name}`);
      }
      if (variants.length + urls.length === 0) missing.push(`${op.label}: no cases at all`);
    }
    expect(missing).toEqual([]);
  });

  describe.for(table.map((row) => [row.op.label, row] as const))('%s', ([, { op, variants }]) => {
    if (variants.length === 0) {
      it('declares no input but its URL (covered by the URL rows below)', () => {
        expect({
          params: op.params,
          body: op.bodySchema,
          secured: op.secured,
          bodyless: BODYLESS.has(op.method),
        }).toEqual({ params: [], body: null, secured: false, bodyless: true });
      });
      return;
    }
    it(`refuses ${variants.length} malformed variants with a 4xx in the error envelope and writes nothing`, async () => {
      const before = await snapshot();
      const failures = await run(op, variants);
      requestCount += countRequests(op, variants);
      const changed = changedTables(before, await snapshot());
      if (changed.length) failures.push(`rows changed in: ${changed.join(', ')}`);
      expect(failures).toEqual([]);
    });
  });

  // Malformed URLs are refused by the router before any route runs; one row per kind, across every operation.
  const urlRows = [
    ...new Set(
      table.flatMap((row) => row.urlVariants.map((v) => v.label.replace(/^path \w+ of/, 'a path parameter of'))),
    ),
  ];
  it.for(urlRows)('URL with %s: refused on every operation in the error envelope', async (rowLabel) => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const { op, urlVariants: urls } of table) {
      const variants = urls.filter((v) => v.label.replace(/^path \w+ of/, 'a path parameter of') === rowLabel);
      failures.push(...(await run(op, variants)));
      requestCount += countRequests(op, variants);
    }
    const changed = changedTables(before, await snapshot());
    if (changed.length) failures.push(`rows changed in: ${changed.join(', ')}`);
    expect(failures).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bad input the schemas cannot catch (or catch only by range): exact status and error code, nothing written.

interface SemanticCase {
  name: string;
  method: string;
  url: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
}
const order = (body: Record<string, unknown>, key = newIdempotencyKey()) => ({
  method: 'POST',
  url: '/v1/orders',
  token: buyer.token,
  body,
  headers: { 'idempotency-key': key },
});
const line = (extra: Record<string, unknown> = {}) => ({ productId: product.id, quantity: 1, ...extra });

const semanticCases: SemanticCase[] = [
  { name: 'order quantity 0', ...order({ lines: [line({ quantity: 0 })] }), status: 400, code: 'validation_failed' },
  {
    name: 'order quantity 10000',
    ...order({ lines: [line({ quantity: 10_000 })] }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'cart quantity 0',
    method: 'POST',
    url: '/v1/cart/items',
    token: buyer.token,
    body: line({ quantity: 0 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'cart line changed to quantity 10000',
    method: 'PATCH',
    url: `/v1/cart/items/${cartItemId}`,
    token: buyer.token,
    body: { quantity: 10_000 },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'order more than the stock',
    // picked up at the store, so the stock is the one thing wrong with it
    ...order({ lines: [line({ quantity: 6 })], delivery: 'pickup' }),
    status: 409,
    code: 'out_of_stock',
  },
  {
    name: 'order a product that does not exist',
    ...order({ lines: [{ productId: 2_000_000_000, quantity: 1 }] }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'preview a product that does not exist',
    method: 'POST',
    url: '/v1/checkout/preview',
    token: buyer.token,
    body: { lines: [{ productId: 2_000_000_000, quantity: 1 }] },
    status: 404,
    code: 'not_found',
  },
  {
    name: 'add a product that does not exist to the cart',
    method: 'POST',
    url: '/v1/cart/items',
    token: buyer.token,
    body: { productId: 2_000_000_000, quantity: 1 },
    status: 404,
    code: 'not_found',
  },
  {
    name: "order with another product's option",
    ...order({ lines: [line({ optionIds: otherProduct.optionIds })] }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: "add another product's option to the cart",
    method: 'POST',
    url: '/v1/cart/items',
    token: buyer.token,
    body: line({ optionIds: otherProduct.optionIds }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'order with an unknown coupon code',
    ...order({ lines: [line()], couponCode: 'NO-SUCH-COUPON' }),
    status: 422,
    code: 'unprocessable',
  },
  {
    name: "order to another member's address",
    ...order({ lines: [line()], addressId: otherAddressId }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'order from an empty cart',
    method: 'POST',
    url: '/v1/orders',
    token: other.token,
    body: {},
    headers: { 'idempotency-key': newIdempotencyKey() },
    status: 422,
    code: 'unprocessable',
  },
  {
    name: 'order with an empty Idempotency-Key',
    ...order({ lines: [line()] }, ''),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: "read another member's address",
    method: 'GET',
    url: `/v1/addresses/${otherAddressId}`,
    token: buyer.token,
    status: 404,
    code: 'not_found',
  },
  {
    name: "edit another member's address",
    method: 'PATCH',
    url: `/v1/addresses/${otherAddressId}`,
    token: buyer.token,
    body: { city: '上海市' },
    status: 404,
    code: 'not_found',
  },
  {
    name: "delete another member's address",
    method: 'DELETE',
    url: `/v1/addresses/${otherAddressId}`,
    token: buyer.token,
    status: 404,
    code: 'not_found',
  },
  {
    name: "cancel another member's order",
    method: 'POST',
    url: `/v1/orders/${orderNo}/cancel`,
    token: other.token,
    body: {},
    status: 404,
    code: 'not_found',
  },
  {
    name: 'change a cart line that does not exist',
    method: 'PATCH',
    url: '/v1/cart/items/2000000000',
    token: buyer.token,
    body: { quantity: 2 },
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a fixed coupon without amountOff',
    method: 'POST',
    url: '/v1/admin/coupons',
    token: adminToken,
    body: { code: 'NOAMOUNT', kind: 'fixed', minSpend: 0 },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a coupon ending before it starts',
    method: 'POST',
    url: '/v1/admin/coupons',
    token: adminToken,
    body: {
      code: 'BACKWARDS',
      kind: 'fixed',
      amountOff: 100,
      minSpend: 0,
      startsAt: '2030-01-02T00:00:00Z',
      endsAt: '2030-01-01T00:00:00Z',
    },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a coupon code that exists',
    method: 'POST',
    url: '/v1/admin/coupons',
    token: adminToken,
    body: { code: 'WELCOME10', kind: 'fixed', amountOff: 100, minSpend: 0 },
    status: 409,
    code: 'conflict',
  },
  {
    name: 'a stock adjustment of 0',
    method: 'POST',
    url: `/v1/admin/products/${product.id}/stock-adjustments`,
    token: adminToken,
    body: { delta: 0 },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a member token on an admin route',
    method: 'PATCH',
    url: '/v1/admin/merchant',
    token: buyer.token,
    body: { name: 'taken over' },
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a staff token on a member route',
    method: 'POST',
    url: '/v1/cart/items',
    token: adminToken,
    body: line(),
    status: 403,
    code: 'forbidden',
  },
  // text PostgreSQL cannot store, in values the schemas take, and a URL longer than ordo reads (request-boundary.ts)
  {
    name: 'a lone surrogate in a nickname',
    method: 'PATCH',
    url: '/v1/me',
    token: buyer.token,
    body: { nickname: 'a\ud800' },
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'U+0000 in a search',
    method: 'GET',
    url: '/v1/products?keyword=a%00b',
    token: buyer.token,
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'a URL over 16 KiB',
    method: 'GET',
    url: `/v1/products?keyword=a&pad=${'x'.repeat(MAX_URL_LENGTH)}`,
    token: buyer.token,
    status: 414,
    code: 'uri_too_long',
  },
];

describe('semantic bad input', () => {
  it.for(semanticCases.map((c) => [c.name, c.status, c.code, c] as const))(
    '%s: %i %s, nothing written',
    async ([, , , c]) => {
      const before = await snapshot();
      const reply = await api(t, c.method, c.url, { token: c.token, body: c.body, headers: c.headers });
      expect({ status: reply.status, code: reply.body?.error?.code }, JSON.stringify(reply.body)).toEqual({
        status: c.status,
        code: c.code,
      });
      expect(typeof reply.body.error.message).toBe('string');
      expect(changedTables(before, await snapshot())).toEqual([]);
    },
  );
});

describe('the whole batch', () => {
  it('changed no rows in any table (auth_tokens and last_login_at included)', async () => {
    const variantCount = table.reduce((n, row) => n + row.variants.length + row.urlVariants.length, 0);
    const byFamily: Record<string, number> = {};
    for (const v of table.flatMap((row) => [...row.variants, ...row.urlVariants]))
      byFamily[v.family] = (byFamily[v.family] ?? 0) + 1;
    console.info(
      `bad input: ${operations.length} operations, ${variantCount} variants (${JSON.stringify(byFamily)}), ${requestCount} requests, ${semanticCases.length} semantic cases, ${TABLES.length} tables compared`,
    );
    expect(TABLES).toEqual(expect.arrayContaining(['auth_tokens', 'members', 'staff', 'orders', 'products']));
    expect(changedTables(initialSnapshot, await snapshot())).toEqual([]);
  });
});
