import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  sign,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { NotificationRejected } from '../provider.ts';

/**
 * WeChat Pay API v3 protocol plumbing on node:crypto: request signing, answer and notification verification,
 * AES-256-GCM of notification resources, and the client-side invoke parameters. No I/O, no clock: callers pass
 * the time and nonces in, so every function here can be checked against fixed vectors.
 */

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** Signatures WeChat sends on purpose to see whether a merchant really verifies (they never verify). */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';
const GCM_TAG_BYTES = 16;

export function signRsaSha256(message: string, privateKeyPem: string): string {
  return sign('RSA-SHA256', Buffer.from(message, 'utf8'), privateKeyPem).toString('base64');
}

export function verifyRsaSha256(message: string, signatureBase64: string, publicKey: KeyObject | string): boolean {
  try {
    return verify('RSA-SHA256', Buffer.from(message, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false; // a malformed key or signature is simply not a valid signature
  }
}

/** `METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n` — an empty body is an empty line. */
export function requestSignatureMessage(
  method: string,
  pathWithQuery: string,
  timestamp: string | number,
  nonce: string,
  body: string,
): string {
  return `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** `TIMESTAMP\nNONCE\nBODY\n`, what answers and notifications are signed over. */
export function responseSignatureMessage(timestamp: string | number, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export interface AuthorizationInput {
  mchid: string;
  /** the serial of the merchant API certificate */
  serialNo: string;
  privateKeyPem: string;
  method: string;
  /** the full path the request goes to, query included (with any base-URL path prefix) */
  pathWithQuery: string;
  /** exactly the bytes sent; '' for GET */
  body: string;
  /** seconds since the epoch */
  timestamp: string | number;
  nonce: string;
}

export function authorizationHeader(input: AuthorizationInput): string {
  const message = requestSignatureMessage(input.method, input.pathWithQuery, input.timestamp, input.nonce, input.body);
  const signature = signRsaSha256(message, input.privateKeyPem);
  return `${AUTH_SCHEMA} mchid="${input.mchid}",nonce_str="${input.nonce}",timestamp="${input.timestamp}",serial_no="${input.serialNo}",signature="${signature}"`;
}

export interface ParsedAuthorization {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

/** Reads an Authorization header back; null when it is not a complete WECHATPAY2-SHA256-RSA2048 header. */
export function parseAuthorizationHeader(header: string | undefined): ParsedAuthorization | null {
  if (!header?.startsWith(`${AUTH_SCHEMA} `)) return null;
  const fields: Record<string, string> = {};
  for (const m of header.slice(AUTH_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) fields[m[1]!] = m[2]!;
  const { mchid, nonce_str, timestamp, serial_no, signature } = fields;
  if (!mchid || !nonce_str || !timestamp || !serial_no || !signature) return null;
  return { mchid, nonce_str, timestamp, serial_no, signature };
}

/** Header lookup that ignores case: Node lower-cases incoming headers, other transports may not. */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/**
 * A platform key entry is either a platform certificate (keyed by its hex serial) or a platform public key
 * (keyed by `PUB_KEY_ID_…`); both PEM. A bare base64 SPKI key (as the merchant console shows it) works too.
 */
export function platformPublicKey(pem: string): KeyObject {
  if (pem.includes('BEGIN CERTIFICATE')) return new X509Certificate(pem).publicKey;
  if (pem.includes('-----BEGIN')) return createPublicKey(pem);
  return createPublicKey({ key: Buffer.from(pem.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
}

function findPlatformKey(platformKeys: Record<string, string>, serial: string): string | undefined {
  if (platformKeys[serial] !== undefined) return platformKeys[serial];
  // certificate serials are hex: WeChat sends them upper-case, X509Certificate too, but configs get retyped
  const upper = serial.toUpperCase();
  return Object.entries(platformKeys).find(([k]) => k.toUpperCase() === upper)?.[1];
}

export interface SignedMessage {
  headers: Record<string, string | undefined>;
  rawBody: string;
  /** serial → PEM; never extended on demand while verifying (that is how forged serials get trusted) */
  platformKeys: Record<string, string>;
  now: Date;
  maxSkewSeconds?: number;
}

/** Verifies an answer or notification signed by the platform; throws NotificationRejected. */
export function verifySignedMessage({
  headers,
  rawBody,
  platformKeys,
  now,
  maxSkewSeconds = 300,
}: SignedMessage): void {
  const serial = headerValue(headers, 'Wechatpay-Serial');
  const signature = headerValue(headers, 'Wechatpay-Signature');
  const timestamp = headerValue(headers, 'Wechatpay-Timestamp');
  const nonce = headerValue(headers, 'Wechatpay-Nonce');
  if (!serial || !signature || !timestamp || !nonce)
    throw new NotificationRejected('malformed', 'missing Wechatpay-* signature headers');
  if (signature.startsWith(SIGNTEST_PREFIX)) throw new NotificationRejected('probe', 'WeChat Pay signature probe');
  if (!/^\d{1,12}$/.test(timestamp))
    throw new NotificationRejected('malformed', `bad Wechatpay-Timestamp ${timestamp}`);
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  if (skew > maxSkewSeconds) throw new NotificationRejected('stale', `timestamp is ${skew} s away from now`);
  const pem = findPlatformKey(platformKeys, serial);
  if (pem === undefined) throw new NotificationRejected('unknown_key', `no platform key for serial ${serial}`);
  let key: KeyObject;
  try {
    key = platformPublicKey(pem);
  } catch (e) {
    throw new Error(`platform key ${serial} is not a usable public key or certificate`, { cause: e });
  }
  if (!verifyRsaSha256(responseSignatureMessage(timestamp, nonce, rawBody), signature, key)) {
    throw new NotificationRejected('bad_signature', 'signature does not match');
  }
}

export interface SignResponseInput {
  body: string;
  serial: string;
  privateKeyPem: string;
  timestamp: string | number;
  nonce: string;
}

/** The Wechatpay-* headers the platform (here: the simulator) puts on answers and notifications. */
export function signResponse({
  body,
  serial,
  privateKeyPem,
  timestamp,
  nonce,
}: SignResponseInput): Record<string, string> {
  return {
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature': signRsaSha256(responseSignatureMessage(timestamp, nonce, body), privateKeyPem),
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
  };
}

export interface EncryptedResource {
  ciphertext: string;
  associated_data?: string;
  nonce: string;
}

function gcmKey(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error(`the APIv3 key must be 32 bytes, got ${key.length}`);
  return key;
}

/** AES-256-GCM; the base64 ciphertext ends with the 16-byte tag. Any failure means the resource is not authentic. */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  const key = gcmKey(apiV3Key);
  try {
    const data = Buffer.from(resource.ciphertext, 'base64');
    if (data.length < GCM_TAG_BYTES) throw new Error('ciphertext shorter than the tag');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch (e) {
    throw new NotificationRejected('decrypt_failed', `resource does not decrypt: ${(e as Error).message}`);
  }
}

export function encryptResource(plaintext: string, associatedData: string, nonce: string, apiV3Key: string): string {
  const cipher = createCipheriv('aes-256-gcm', gcmKey(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

export interface InvokeInput {
  appId: string;
  prepayId: string;
  privateKeyPem: string;
  /** seconds since the epoch */
  timestamp: string | number;
  nonce: string;
}

/** What WeixinJSBridge / wx.requestPayment need; paySign covers `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function jsapiInvokeParams({
  appId,
  prepayId,
  privateKeyPem,
  timestamp,
  nonce,
}: InvokeInput): Record<string, string> {
  const pkg = `prepay_id=${prepayId}`;
  const timeStamp = String(timestamp);
  return {
    appId,
    timeStamp,
    nonceStr: nonce,
    package: pkg,
    signType: 'RSA',
    paySign: signRsaSha256(`${appId}\n${timeStamp}\n${nonce}\n${pkg}\n`, privateKeyPem),
  };
}

/** What the app SDK (PayReq) needs; sign covers `appid\ntimestamp\nnoncestr\nprepayid\n`. */
export function appInvokeParams({
  appId,
  mchid,
  prepayId,
  privateKeyPem,
  timestamp,
  nonce,
}: InvokeInput & { mchid: string }): Record<string, string> {
  const ts = String(timestamp);
  return {
    appid: appId,
    partnerid: mchid,
    prepayid: prepayId,
    package: 'Sign=WXPay',
    noncestr: nonce,
    timestamp: ts,
    sign: signRsaSha256(`${appId}\n${ts}\n${nonce}\n${prepayId}\n`, privateKeyPem),
  };
}
