import fc from 'fast-check';
import type { Dialect } from '../../src/compat/dialects.ts';
import type { DialectRoute } from './dialect-routes.ts';
import type { FuzzRequest } from './fuzz-request.ts';
import { MAX_URL_LENGTH } from '../../src/http/request-boundary.ts';
import {
  brokenJson,
  foreignContentType,
  hostileId,
  hostileValue,
  nulText,
  percentEncode,
  unstorableText,
  withInvalidUtf8,
} from './hostile-values.ts';

/**
 * Hostile requests for one dialect route. Those that must be refused: a dead or forged credential on a route that
 * needs one, a parameter naming an owned row or an amount set to something that names nothing, a body no parser
 * takes, sign-in fields of the wrong JSON type. Those that may answer normally (reads with hostile query values,
 * signing out with a dead token) must still not fail or write.
 */

export interface DialectWorld {
  memberToken: string;
  adminToken: string;
  /** tokens that must not sign anyone in as a member: forged, tampered, revoked, expired, a staff token (null: none) */
  deadMemberToken: fc.Arbitrary<string | null>;
  deadStaffToken: fc.Arbitrary<string | null>;
  /** wholesale: the signed-app headers, with a signature that must not be accepted */
  forgedAppHeaders: fc.Arbitrary<Record<string, string>>;
  bodyLimit: number;
}

const hostileAmount: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '-1',
    '-0.01',
    '0',
    '0.001',
    '1.234',
    'abc',
    '1e309',
    'NaN',
    'Infinity',
    '99999999999999999999999',
    '',
    '¥1',
    -5,
    0,
    1.234,
    1e308,
    {},
    [],
  ),
  fc.integer({ min: -1_000_000_000, max: -1 }),
);
const hostileIdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileId },
  { weight: 1, arbitrary: fc.constantFrom({}, [], true, { $gt: 0 }, ['x', -1], [900_000_001, 900_000_002]) },
);
const wrongType: fc.Arbitrary<unknown> = fc.constantFrom(
  {},
  [],
  true,
  false,
  null,
  { $ne: null },
  [['x']],
  12_345_678_901_234,
);
const FIELD_NAMES = [
  'id',
  'orderId',
  'orderNo',
  'amount',
  'page',
  'pageSize',
  'status',
  'memberId',
  'form',
  'params',
  '__proto__',
];

function credentialHeaders(dialect: Dialect['name'], token: string | null): Record<string, string> {
  if (token === null) return dialect === 'yoshop' ? { 'access-token': 'false' } : {};
  switch (dialect) {
    case 'mall':
      return { cookie: `MALL_SESSION=${percentEncode(token)}` };
    case 'yoshop':
      return { 'access-token': token };
    case 'storefront':
      return { token };
    case 'wholesale':
      return { authorization: `Bearer ${token}` };
    case 'xxpay':
      return { authorization: token };
  }
}

interface Draft {
  label: string;
  params: Record<string, unknown>;
  headers: Record<string, string>;
  /** a raw body (broken JSON, a foreign type) instead of the parameters as JSON */
  raw?: { body: string | Buffer; contentType: string };
  /** a query longer than ordo reads, whatever else is sent */
  longQuery?: boolean;
  mustRefuse: boolean;
}

export function dialectRequests(route: DialectRoute, world: DialectWorld): fc.Arbitrary<FuzzRequest> {
  const { dialect, access } = route;
  const ownedParams = Object.entries(route.params);
  const namesOwned = fc.record(
    Object.fromEntries(ownedParams.map(([name, kind]) => [name, kind === 'amount' ? hostileAmount : hostileIdValue])),
  );
  const extraFields = fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { maxKeys: 3 });
  const valid = credentialHeaders(dialect, access === 'staff' ? world.adminToken : world.memberToken);
  const dead = (access === 'staff' ? world.deadStaffToken : world.deadMemberToken).map((token) =>
    credentialHeaders(dialect, token),
  );
  const deadOrForged = dialect === 'wholesale' ? fc.oneof(dead, world.forgedAppHeaders) : dead;
  const takesBody = route.method !== 'GET';

  const kinds: fc.Arbitrary<Draft>[] = [];
  if (access === 'member' || access === 'staff') {
    kinds.push(
      fc
        .tuple(extraFields, deadOrForged)
        .map(([params, headers]) => ({ label: 'a dead or forged credential', params, headers, mustRefuse: true })),
    );
    if (ownedParams.length)
      kinds.push(
        fc.tuple(namesOwned, extraFields).map(([owned, extra]) => ({
          label: 'parameters naming nothing',
          params: { ...extra, ...owned },
          headers: valid,
          mustRefuse: !route.idempotent,
        })),
      );
    else if (!takesBody || dialect === 'yoshop')
      kinds.push(
        extraFields.map((params) => ({
          label: 'a read with hostile parameters',
          params,
          headers: valid,
          mustRefuse: false,
        })),
      );
  }
  if (access === 'public-read') {
    if (ownedParams.length)
      kinds.push(
        fc.tuple(namesOwned, extraFields).map(([owned, extra]) => ({
          label: 'parameters naming nothing',
          params: { ...extra, ...owned },
          headers: {},
          mustRefuse: true,
        })),
      );
    kinds.push(
      extraFields.map((params) => ({
        label: 'a read with hostile parameters',
        params,
        headers: {},
        mustRefuse: false,
      })),
    );
  }
  if (access === 'public-write') {
    const fields = fc.dictionary(
      fc.constantFrom('username', 'password', 'mobile', 'phone', 'email', 'smsCode', 'form', 'loginType'),
      wrongType,
      { minKeys: 1, maxKeys: 4 },
    );
    kinds.push(
      fields.map((params) => ({
        label: 'sign-in fields of the wrong type',
        params: dialect === 'yoshop' ? { form: params } : params,
        headers: {},
        mustRefuse: true,
      })),
    );
  }
  if (access === 'sign-out') {
    // a live token of the wrong kind is still its holder's to end; only dead ones must change nothing
    const deadSession = world.deadMemberToken
      .filter((token) => token !== world.adminToken)
      .map((token) => credentialHeaders(dialect, token));
    kinds.push(
      deadSession.map((headers) => ({
        label: 'signing out with a dead session',
        params: {},
        headers,
        mustRefuse: false,
      })),
    );
  }
  if (takesBody || dialect === 'yoshop' || dialect === 'xxpay') {
    const text = '{"orderId":"1","form":{"mobile":"1"}}';
    const broken = fc.oneof(
      brokenJson(text).map(({ label, text: body }) => ({ label, body, contentType: 'application/json' })),
      withInvalidUtf8(text)
        .map(({ label, bytes }) => ({ label, body: bytes, contentType: 'application/json' }))
        .filter(({ body }) => !parses(body.toString('utf8'))),
      foreignContentType
        .filter((type) => !(dialect === 'xxpay' && type === 'application/x-www-form-urlencoded'))
        .map((contentType) => ({ label: `${contentType} body`, body: text, contentType })),
      fc.constant({
        label: 'a body over the size limit',
        body: JSON.stringify({ a: 'x'.repeat(world.bodyLimit) }),
        contentType: 'application/json',
      }),
    );
    const headers =
      access === 'member' || access === 'staff' ? fc.oneof(fc.constant(valid), deadOrForged) : fc.constant({});
    kinds.push(
      fc
        .tuple(broken, headers)
        .map(([raw, h]) => ({ label: raw.label, params: {}, headers: h, raw, mustRefuse: true })),
    );
  }

  // Text PostgreSQL cannot store, in any parameter (lone surrogates only where the parameters travel as JSON: they
  // cannot survive percent-encoding), and a query longer than ordo reads: refused whoever calls.
  const storable = takesBody && route.method !== 'DELETE' && dialect !== 'yoshop' ? unstorableText : nulText;
  const anyCredential =
    access === 'member' || access === 'staff' ? fc.oneof(fc.constant(valid), deadOrForged) : fc.constant({});
  const names = [...ownedParams.map(([name]) => name), ...FIELD_NAMES.filter((name) => name !== '__proto__')];
  kinds.push(
    fc.tuple(fc.constantFrom(...names), storable, anyCredential).map(([name, text, headers]) => ({
      label: `unstorable text in ${name}`,
      params: { [name]: text },
      headers,
      mustRefuse: true,
    })),
  );
  kinds.push(
    anyCredential.map((headers) => ({
      label: 'an over-long query',
      params: {},
      headers,
      longQuery: true,
      mustRefuse: true,
    })),
  );

  const method = dialect === 'yoshop' ? fc.constantFrom('GET', 'POST') : fc.constant(route.method);
  return fc.tuple(fc.oneof(...kinds), method).map(([d, m]) => {
    const method = d.raw ? (route.method === 'GET' ? 'POST' : route.method) : m;
    const params = { ...d.params };
    let path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
      const value = name in params ? params[name] : '1';
      delete params[name];
      return percentEncode(typeof value === 'string' ? value : JSON.stringify(value));
    });
    const headers = { ...d.headers };
    let payload: string | Buffer | undefined;
    if (d.raw) {
      payload = d.raw.body;
      headers['content-type'] = d.raw.contentType;
    } else if (method === 'GET' || method === 'DELETE') {
      const pairs = Object.entries(params).map(
        ([k, v]) => `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : JSON.stringify(v))}`,
      );
      if (pairs.length) path += `${path.includes('?') ? '&' : '?'}${pairs.join('&')}`;
    } else {
      payload = JSON.stringify(params);
      headers['content-type'] = 'application/json';
    }
    if (d.longQuery) path += `${path.includes('?') ? '&' : '?'}pad=${'x'.repeat(MAX_URL_LENGTH)}`;
    return {
      surface: dialect,
      route: route.key,
      label: d.label,
      method,
      url: path,
      headers,
      payload,
      mustRefuse: d.mustRefuse,
    };
  });
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
