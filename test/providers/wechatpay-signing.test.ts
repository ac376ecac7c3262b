import { execFileSync } from 'node:child_process';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationRejected } from '../../src/providers/provider.ts';
import {
  appInvokeParams,
  authorizationHeader,
  decryptResource,
  encryptResource,
  jsapiInvokeParams,
  parseAuthorizationHeader,
  requestSignatureMessage,
  signResponse,
  verifySignedMessage,
} from '../../src/providers/wechatpay/signing.ts';

// Independent reference: the openssl CLI. PKCS#1 v1.5 signatures are deterministic, so openssl's output for the
// same key and message is the expected value, computed without node:crypto.
let dir: string;
let keyPem: string;
let certPem: string;
let certKeyPem: string;
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordo-wechat-signing-'));
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'key.pem');
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'k.pem',
    '-out',
    'c.pem',
    '-subj',
    '/CN=wechatpay-test',
    '-days',
    '1',
  );
  keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
  certPem = readFileSync(join(dir, 'c.pem'), 'utf8');
  certKeyPem = readFileSync(join(dir, 'k.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opensslSign(message: string, key = 'key.pem'): string {
  writeFileSync(join(dir, 'msg.txt'), message);
  return execFileSync('sh', ['-c', `openssl dgst -sha256 -sign ${key} msg.txt | base64 -w0`], { cwd: dir })
    .toString()
    .trim();
}

const publicPem = () => createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();

describe('AES-256-GCM resources', () => {
  const key = '0123456789abcdef0123456789abcdef';
  const vector = { ciphertext: 'APoZlYpivU3HjbAiB4CvW1rAFr8J', associated_data: 'world', nonce: '0123456789abcdef' };

  it('encrypts the published vector', () => {
    expect(encryptResource('hello', 'world', '0123456789abcdef', key)).toBe(vector.ciphertext);
  });

  it('decrypts the published vector', () => {
    expect(decryptResource(vector, key)).toBe('hello');
  });

  it.each([
    [
      'a flipped ciphertext byte',
      {
        ...vector,
        ciphertext: Buffer.from(Buffer.from(vector.ciphertext, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString(
          'base64',
        ),
      },
    ],
    [
      'a flipped tag byte',
      {
        ...vector,
        ciphertext: Buffer.from(
          Buffer.from(vector.ciphertext, 'base64').map((b, i, a) => (i === a.length - 1 ? b ^ 1 : b)),
        ).toString('base64'),
      },
    ],
    ['other associated data', { ...vector, associated_data: 'worle' }],
    ['another nonce', { ...vector, nonce: '0123456789abcdee' }],
    ['a truncated ciphertext', { ...vector, ciphertext: 'APoZ' }],
  ])('rejects %s as decrypt_failed', (_name, resource) => {
    expect(() => decryptResource(resource, key)).toThrow(expect.objectContaining({ reason: 'decrypt_failed' }));
  });

  it('rejects another APIv3 key as decrypt_failed', () => {
    expect(() => decryptResource(vector, 'fedcba9876543210fedcba9876543210')).toThrow(NotificationRejected);
  });
});

describe('request signing', () => {
  it('builds the message for a GET with a query: empty body is an empty line', () => {
    expect(
      requestSignatureMessage(
        'GET',
        '/v3/pay/transactions/out-trade-no/T20240101001?mchid=1900000001',
        1554208460,
        '593BEC0C930BF1AFEB40B4A08C8FB242',
        '',
      ),
    ).toBe(
      'GET\n/v3/pay/transactions/out-trade-no/T20240101001?mchid=1900000001\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
  });

  it('builds the message for a POST with a body', () => {
    const body = '{"mchid":"1900000001"}';
    expect(
      requestSignatureMessage('POST', '/v3/pay/transactions/out-trade-no/T1/close', '1554208460', 'N1', body),
    ).toBe('POST\n/v3/pay/transactions/out-trade-no/T1/close\n1554208460\nN1\n{"mchid":"1900000001"}\n');
  });

  it('signs exactly as openssl does (RSA-SHA256, PKCS#1 v1.5) and formats the Authorization header', () => {
    const input = {
      mchid: '1900000001',
      serialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
      privateKeyPem: keyPem,
      method: 'POST',
      pathWithQuery: '/v3/pay/transactions/native',
      body: '{"appid":"wxd678efh567hg6787","amount":{"total":1,"currency":"CNY"},"description":"测试商品"}',
      timestamp: 1554208460,
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    };
    const expected = opensslSign(
      'POST\n/v3/pay/transactions/native\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"appid":"wxd678efh567hg6787","amount":{"total":1,"currency":"CNY"},"description":"测试商品"}\n',
    );
    const header = authorizationHeader(input);
    expect(header).toBe(
      `WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",timestamp="1554208460",serial_no="408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",signature="${expected}"`,
    );
    expect(parseAuthorizationHeader(header)).toEqual({
      mchid: '1900000001',
      nonce_str: '593BEC0C930BF1AFEB40B4A08C8FB242',
      timestamp: '1554208460',
      serial_no: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
      signature: expected,
    });
  });

  it('does not parse other schemes or incomplete headers', () => {
    expect(parseAuthorizationHeader('Bearer abc')).toBeNull();
    expect(
      parseAuthorizationHeader('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="s"'),
    ).toBeNull();
    expect(parseAuthorizationHeader(undefined)).toBeNull();
  });
});

describe('verifying answers and notifications', () => {
  const now = new Date('2024-05-01T00:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);
  const body = '{"id":"EV-1","event_type":"TRANSACTION.SUCCESS"}';
  const keyId = 'PUB_KEY_ID_0114232134912410000000000000000000';
  const signed = (timestamp = ts, privateKeyPem = keyPem, serial = keyId) =>
    signResponse({ body, serial, privateKeyPem, timestamp, nonce: 'n0nce' });
  const check = (
    headers: Record<string, string>,
    rawBody = body,
    platformKeys: Record<string, string> = { [keyId]: publicPem() },
  ) => verifySignedMessage({ headers, rawBody, platformKeys, now });
  const rejection = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      return e instanceof NotificationRejected ? e.reason : `not a NotificationRejected: ${String(e)}`;
    }
    return 'accepted';
  };

  it('accepts a platform-public-key signature whose signature openssl agrees with', () => {
    const headers = signed();
    expect(headers['Wechatpay-Signature']).toBe(opensslSign(`${ts}\nn0nce\n${body}\n`));
    expect(rejection(() => check(headers))).toBe('accepted');
  });

  it('accepts lower-case header names and 300 s of skew either way', () => {
    const lower = Object.fromEntries(Object.entries(signed(ts - 300)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(rejection(() => check(lower))).toBe('accepted');
    expect(rejection(() => check(signed(ts + 300)))).toBe('accepted');
  });

  it('rejects 301 s of skew as stale', () => {
    expect(rejection(() => check(signed(ts - 301)))).toBe('stale');
    expect(rejection(() => check(signed(ts + 301)))).toBe('stale');
  });

  it('rejects an unknown serial without looking anywhere else', () => {
    expect(rejection(() => check(signed(ts, keyPem, 'PUB_KEY_ID_0199999999999999999999999999999999')))).toBe(
      'unknown_key',
    );
  });

  it('rejects WECHATPAY/SIGNTEST/ probes', () => {
    expect(rejection(() => check({ ...signed(), 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/abcdefg' }))).toBe('probe');
  });

  it('rejects a bad signature, an altered body and another key', () => {
    expect(
      rejection(() => check({ ...signed(), 'Wechatpay-Signature': Buffer.alloc(256, 7).toString('base64') })),
    ).toBe('bad_signature');
    expect(rejection(() => check(signed(), body.replace('EV-1', 'EV-2')))).toBe('bad_signature');
    expect(rejection(() => check(signed(ts, certKeyPem)))).toBe('bad_signature');
  });

  it('rejects missing headers as malformed', () => {
    const { ['Wechatpay-Nonce']: _dropped, ...headers } = signed();
    expect(rejection(() => check(headers))).toBe('malformed');
  });

  it('accepts a platform certificate keyed by its hex serial', () => {
    const serial = new X509Certificate(certPem).serialNumber;
    expect(serial).toMatch(/^[0-9A-F]+$/);
    const headers = signed(ts, certKeyPem, serial);
    expect(rejection(() => check(headers, body, { [keyId]: publicPem(), [serial]: certPem }))).toBe('accepted');
    // the certificate's key is not the public key's: swapping serials must fail
    expect(
      rejection(() => check(signed(ts, certKeyPem, keyId), body, { [keyId]: publicPem(), [serial]: certPem })),
    ).toBe('bad_signature');
  });
});

describe('client invoke parameters', () => {
  const publicKey = () => createPublicKey(keyPem);

  it('signs jsapi paySign over appId\\ntimeStamp\\nnonceStr\\npackage\\n', () => {
    const params = jsapiInvokeParams({
      appId: 'wx8888888888888888',
      prepayId: 'wx201410272009395522657a690389285100',
      privateKeyPem: keyPem,
      timestamp: 1414561699,
      nonce: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    });
    expect(params).toMatchObject({
      appId: 'wx8888888888888888',
      timeStamp: '1414561699',
      nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
    });
    const documented =
      'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n';
    expect(verify('RSA-SHA256', Buffer.from(documented), publicKey(), Buffer.from(params.paySign!, 'base64'))).toBe(
      true,
    );
    expect(params.paySign).toBe(opensslSign(documented));
  });

  it('signs app sign over appid\\ntimestamp\\nnoncestr\\nprepayid\\n', () => {
    const params = appInvokeParams({
      appId: 'wx8888888888888888',
      mchid: '1900000109',
      prepayId: 'WX1217752501201407033233368018',
      privateKeyPem: keyPem,
      timestamp: 1412000000,
      nonce: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    });
    expect(params).toMatchObject({
      appid: 'wx8888888888888888',
      partnerid: '1900000109',
      prepayid: 'WX1217752501201407033233368018',
      package: 'Sign=WXPay',
      noncestr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
      timestamp: '1412000000',
    });
    const documented =
      'wx8888888888888888\n1412000000\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nWX1217752501201407033233368018\n';
    expect(verify('RSA-SHA256', Buffer.from(documented), publicKey(), Buffer.from(params.sign!, 'base64'))).toBe(true);
  });
});
