import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extractSignedResponse,
  notificationSigningString,
  signingString,
  signNotificationParams,
  signParams,
  signText,
  verifyNotificationParams,
  verifyRequestParams,
  verifyResponse,
} from '../../src/providers/alipay/signing.ts';
import { generateSandboxKeys } from '../../src/secrets/sandbox-keys.ts';

const keys = generateSandboxKeys().alipay;

/** PEM → the bare base64 body Alipay's console shows. */
const bare = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

// A request parameter set in the style of Alipay's signing docs, plus keys that exercise ASCII ordering.
const params = {
  app_id: '2014072300007148',
  method: 'alipay.trade.precreate',
  format: 'JSON',
  charset: 'utf-8',
  sign_type: 'RSA2',
  timestamp: '2014-07-24 03:07:50',
  version: '1.0',
  notify_url: '',
  return_url: undefined,
  sign: 'ignored-by-signing',
  biz_content: '{"out_trade_no":"20150320010101001","total_amount":"88.88","subject":"Iphone6 16G 话费&充值"}',
  Zeta: 'upper',
  _under: 'score',
  aB: 'x',
  a_b: 'y',
  ab: 'z',
};
const expected =
  'Zeta=upper&_under=score&aB=x&a_b=y&ab=z&app_id=2014072300007148' +
  '&biz_content={"out_trade_no":"20150320010101001","total_amount":"88.88","subject":"Iphone6 16G 话费&充值"}' +
  '&charset=utf-8&format=JSON&method=alipay.trade.precreate&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0';

describe('signing string', () => {
  it('drops sign and empty values, keeps sign_type, sorts by ASCII (uppercase < _ < lowercase), leaves values raw', () => {
    expect(signingString(params)).toBe(expected);
  });

  it('for notifications also drops sign_type', () => {
    expect(notificationSigningString(params)).toBe(expected.replace('&sign_type=RSA2', ''));
  });
});

describe('RSA2 signature against the openssl CLI', () => {
  let dir: string;
  let privatePem: string;
  let rsaPrivatePem: string;
  let publicPem: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ordo-alipay-'));
    const quiet = { stdio: 'ignore' } as const;
    execFileSync(
      'openssl',
      ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(dir, 'key.pem')],
      quiet,
    );
    execFileSync('openssl', ['pkey', '-in', join(dir, 'key.pem'), '-pubout', '-out', join(dir, 'pub.pem')], quiet);
    execFileSync('openssl', ['rsa', '-in', join(dir, 'key.pem'), '-traditional', '-out', join(dir, 'rsa.pem')], quiet);
    privatePem = readFileSync(join(dir, 'key.pem'), 'utf8');
    rsaPrivatePem = readFileSync(join(dir, 'rsa.pem'), 'utf8');
    publicPem = readFileSync(join(dir, 'pub.pem'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const opensslSign = (text: string) =>
    execFileSync('sh', ['-c', 'printf %s "$STR" | openssl dgst -sha256 -sign "$KEY" | base64 -w0'], {
      env: { ...process.env, STR: text, KEY: join(dir, 'key.pem') },
    }).toString();

  it('equals openssl dgst -sha256 -sign over the signing string, for PEM and bare base64 keys', () => {
    const reference = opensslSign(expected);
    expect(reference).toMatch(/^[A-Za-z0-9+/]{300,}={0,2}$/);
    expect(signParams(params, privatePem)).toBe(reference);
    expect(signParams(params, bare(privatePem))).toBe(reference);
    expect(privatePem).toMatch(/^-----BEGIN [P]RIVATE KEY-----/); // PKCS#8
    // PKCS#1 ("RSA PRIVATE KEY") bodies, as older tools write them, give the same deterministic signature.
    expect(rsaPrivatePem).toMatch(/^-----BEGIN RSA [P]RIVATE KEY-----/);
    expect(signParams(params, bare(rsaPrivatePem))).toBe(reference);
  });

  it('openssl verifies our signature, and we verify with a bare SPKI key', () => {
    const signature = signParams(params, privatePem);
    writeFileSync(join(dir, 'sig.bin'), Buffer.from(signature, 'base64'));
    writeFileSync(join(dir, 'msg.txt'), expected, 'utf8');
    const out = execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(dir, 'pub.pem'),
      '-signature',
      join(dir, 'sig.bin'),
      join(dir, 'msg.txt'),
    ]).toString();
    expect(out.trim()).toBe('Verified OK');
    expect(verifyRequestParams({ ...params, sign: signature }, bare(publicPem))).toBe(true);
    expect(verifyRequestParams({ ...params, sign: signature, version: '1.1' }, bare(publicPem))).toBe(false);
  });
});

describe('notification verification', () => {
  const fields: Record<string, string> = {
    notify_id: 'ac05099524730693a8b330c5ecf72da9786',
    app_id: keys.appId,
    out_trade_no: 'T1',
    total_amount: '0.01',
    trade_status: 'TRADE_SUCCESS',
    subject: '测试 & more',
    fund_bill_list: '[{"amount":"0.01","fundChannel":"ALIPAYACCOUNT"}]',
  };
  const signed = (): Record<string, string> => ({
    ...fields,
    sign_type: 'RSA2',
    sign: signNotificationParams(fields, keys.alipayPrivateKeyPem),
  });

  it('verifies with sign_type present but not signed over, and empty extra values ignored', () => {
    expect(verifyNotificationParams(signed(), keys.alipayPublicKeyPem)).toBe(true);
    expect(verifyNotificationParams({ ...signed(), gmt_refund: '' }, keys.alipayPublicKeyPem)).toBe(true);
    // A signature that covered sign_type (the request rule) must not verify as a notification.
    const requestStyle = signText(signingString({ ...fields, sign_type: 'RSA2' }), keys.alipayPrivateKeyPem);
    expect(
      verifyNotificationParams({ ...fields, sign_type: 'RSA2', sign: requestStyle }, keys.alipayPublicKeyPem),
    ).toBe(false);
  });

  it('fails on any tampered, added or removed value, and on another key', () => {
    for (const key of Object.keys(fields)) {
      expect(verifyNotificationParams({ ...signed(), [key]: `${fields[key]}x` }, keys.alipayPublicKeyPem), key).toBe(
        false,
      );
      const rest = Object.fromEntries(Object.entries(signed()).filter(([k]) => k !== key));
      expect(verifyNotificationParams(rest, keys.alipayPublicKeyPem), `without ${key}`).toBe(false);
    }
    expect(verifyNotificationParams({ ...signed(), refund_fee: '0.01' }, keys.alipayPublicKeyPem)).toBe(false);
    expect(verifyNotificationParams({ ...signed(), sign: '' }, keys.alipayPublicKeyPem)).toBe(false);
    expect(verifyNotificationParams(signed(), keys.appPublicKeyPem)).toBe(false);
  });
});

describe('extractSignedResponse', () => {
  const method = 'alipay.trade.query';

  it('cuts nested objects with braces and escaped quotes inside strings exactly', () => {
    const inner =
      '{"code":"10000","msg":"Success","nested":{"a":{"b":[1,{"c":"}"}]}},"x":"he said \\"}\\" {ok","p":"C:\\\\","q":"]}"}';
    const text = `{"alipay_trade_query_response":${inner},"sign":"c2lnbg=="}`;
    expect(JSON.parse(inner).x).toBe('he said "}" {ok');
    expect(extractSignedResponse(text, method)).toMatchObject({ responseText: inner, sign: 'c2lnbg==' });
  });

  it('finds the response when it is not the first member, keeps spacing and escapes raw', () => {
    const inner = '{ "url" : "https:\\/\\/qr.alipay.com\\/x", "name": "\\u4e2d文" ,"n": -1.5e3, "t": true, "z": null }';
    const text = ` {"sign" : "c2ln", "alipay_cert_sn": "\\"alipay_trade_query_response\\":{}",\n  "alipay_trade_query_response" :\t${inner} }`;
    expect(extractSignedResponse(text, method)).toMatchObject({ responseText: inner, sign: 'c2ln' });
  });

  it('falls back to error_response and fails without the response', () => {
    const text = '{"error_response":{"code":"40002","sub_code":"isv.invalid-signature"},"sign":"s"}';
    expect(extractSignedResponse(text, method)).toMatchObject({
      responseText: '{"code":"40002","sub_code":"isv.invalid-signature"}',
      key: 'error_response',
    });
    expect(() => extractSignedResponse('{"alipay_trade_close_response":{},"sign":"s"}', method)).toThrow(
      /alipay_trade_query_response/,
    );
    expect(() => extractSignedResponse('{"alipay_trade_query_response":{"a":"}', method)).toThrow();
  });

  it('verifyResponse checks the signature over the raw text, not a re-serialisation', () => {
    const inner = '{"code": "10000", "msg": "Success", "trade_status": "TRADE_SUCCESS"}';
    const sign = signText(inner, keys.alipayPrivateKeyPem);
    const text = `{"alipay_trade_query_response":${inner},"sign":"${sign}"}`;
    expect(verifyResponse(text, method, keys.alipayPublicKeyPem)).toEqual({
      code: '10000',
      msg: 'Success',
      trade_status: 'TRADE_SUCCESS',
    });
    expect(() =>
      verifyResponse(text.replace('TRADE_SUCCESS', 'TRADE_CLOSED'), method, keys.alipayPublicKeyPem),
    ).toThrow(/signature/);
    const reserialised = `{"alipay_trade_query_response":${JSON.stringify(JSON.parse(inner))},"sign":"${sign}"}`;
    expect(() => verifyResponse(reserialised, method, keys.alipayPublicKeyPem)).toThrow(/signature/);
    expect(() => verifyResponse(`{"alipay_trade_query_response":${inner}}`, method, keys.alipayPublicKeyPem)).toThrow(
      /signature/,
    );
  });
});
