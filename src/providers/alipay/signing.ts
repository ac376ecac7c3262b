import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Alipay open-platform RSA2 signing (RSA-SHA256, PKCS#1 v1.5, base64). Pure: no I/O, no clock.
 *
 * Two different "strings to sign" exist and are easy to confuse:
 * - requests (and the app SDK's order string) sign every parameter except `sign`, so `sign_type` IS covered;
 * - notifications are verified without `sign` AND without `sign_type`.
 * Synchronous answers are a third case: the signature covers the raw JSON text of the `_response` value.
 */

export type AlipayParams = Record<string, string | undefined>;

const present = (params: AlipayParams, key: string): boolean => params[key] !== undefined && params[key] !== '';

/** Sorted `k=v&…` over the non-empty values, raw (not URL-encoded), skipping the keys listed. */
function joinSorted(params: AlipayParams, skip: readonly string[]): string {
  return (
    Object.keys(params)
      .filter((key) => !skip.includes(key) && present(params, key))
      // The default sort compares UTF-16 code units, which is ASCII order for Alipay's ASCII keys.
      .sort()
      .map((key) => `${key}=${params[key]}`)
      .join('&')
  );
}

/** The string a request is signed over: `sign` dropped, `sign_type` kept. */
export function signingString(params: AlipayParams): string {
  return joinSorted(params, ['sign']);
}

/** The string a notification is signed over: `sign` and `sign_type` both dropped. */
export function notificationSigningString(params: AlipayParams): string {
  return joinSorted(params, ['sign', 'sign_type']);
}

// Keys arrive as PEM (what node and openssl write) or as the bare base64 DER that Alipay's console hands out.
const keyCache = new Map<string, KeyObject>();

function isPem(text: string): boolean {
  return text.includes('-----BEGIN');
}

export function loadPrivateKey(key: string): KeyObject {
  let cached = keyCache.get(key);
  if (!cached) {
    if (isPem(key)) cached = createPrivateKey(key);
    else {
      const der = Buffer.from(key.replace(/\s+/g, ''), 'base64');
      // The console gives PKCS#8; older tools write PKCS#1 ("RSA PRIVATE KEY") bodies.
      try {
        cached = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      } catch {
        cached = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
      }
    }
    keyCache.set(key, cached);
  }
  return cached;
}

export function loadPublicKey(key: string): KeyObject {
  let cached = keyCache.get(key);
  if (!cached) {
    if (isPem(key)) cached = createPublicKey(key);
    else {
      const der = Buffer.from(key.replace(/\s+/g, ''), 'base64');
      try {
        cached = createPublicKey({ key: der, format: 'der', type: 'spki' });
      } catch {
        cached = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
      }
    }
    keyCache.set(key, cached);
  }
  return cached;
}

export function signText(text: string, privateKey: string): string {
  return sign('RSA-SHA256', Buffer.from(text, 'utf8'), loadPrivateKey(privateKey)).toString('base64');
}

export function verifyText(text: string, signature: string, publicKey: string): boolean {
  if (!signature) return false;
  try {
    return verify('RSA-SHA256', Buffer.from(text, 'utf8'), loadPublicKey(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The RSA2 signature of a request (or app order string): base64. */
export function signParams(params: AlipayParams, appPrivateKey: string): string {
  return signText(signingString(params), appPrivateKey);
}

/** Signs a notification the way Alipay does (the simulator uses this; ordo only verifies). */
export function signNotificationParams(params: AlipayParams, alipayPrivateKey: string): string {
  return signText(notificationSigningString(params), alipayPrivateKey);
}

export function verifyNotificationParams(params: AlipayParams, alipayPublicKey: string): boolean {
  return verifyText(notificationSigningString(params), params.sign ?? '', alipayPublicKey);
}

/** Checks a request signature (the simulated gateway uses this on ordo's calls). */
export function verifyRequestParams(params: AlipayParams, appPublicKey: string): boolean {
  return params.sign_type === 'RSA2' && verifyText(signingString(params), params.sign ?? '', appPublicKey);
}

export class AlipayResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlipayResponseError';
  }
}

/** `alipay.trade.query` → `alipay_trade_query_response`. */
export function responseKey(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}

/**
 * Cuts the raw text of `<method>_response` (or, when the gateway rejected the call before dispatch,
 * `error_response`) and the `sign` string out of a synchronous answer. It walks the top-level object with a
 * tiny JSON scanner rather than parsing and re-serialising, because the signature covers the exact bytes Alipay
 * sent (key order, spacing, `\/` and `\uXXXX` escapes all matter).
 */
export function extractSignedResponse(
  rawText: string,
  method: string,
): { responseText: string; sign?: string; key: string } {
  const members = topLevelMembers(rawText);
  const wanted = responseKey(method);
  const key = members.has(wanted) ? wanted : members.has('error_response') ? 'error_response' : undefined;
  if (!key) throw new AlipayResponseError(`answer has no ${wanted}`);
  const responseText = members.get(key) as string;
  const signText = members.get('sign');
  let signValue: string | undefined;
  if (signText !== undefined) {
    const parsed: unknown = JSON.parse(signText);
    if (typeof parsed !== 'string') throw new AlipayResponseError('sign is not a string');
    signValue = parsed;
  }
  return { responseText, key, ...(signValue === undefined ? {} : { sign: signValue }) };
}

/** Extracts, verifies with the Alipay public key and parses a synchronous answer; throws AlipayResponseError. */
export function verifyResponse(rawText: string, method: string, alipayPublicKey: string): Record<string, unknown> {
  const { responseText, sign: signature } = extractSignedResponse(rawText, method);
  if (!signature || !verifyText(responseText, signature, alipayPublicKey)) {
    throw new AlipayResponseError(`bad or missing signature on the ${method} answer`);
  }
  const parsed: unknown = JSON.parse(responseText);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AlipayResponseError(`${method} answer is not an object`);
  }
  return parsed as Record<string, unknown>;
}

/** Raw text of every member value of the top-level JSON object, keyed by the decoded member name. */
function topLevelMembers(text: string): Map<string, string> {
  const members = new Map<string, string>();
  let i = skipSpace(text, 0);
  if (text[i] !== '{') throw new AlipayResponseError('answer is not a JSON object');
  i = skipSpace(text, i + 1);
  if (text[i] === '}') return members;
  for (;;) {
    if (text[i] !== '"') throw new AlipayResponseError(`expected a member name at ${i}`);
    const keyEnd = endOfString(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') throw new AlipayResponseError(`expected ':' at ${i}`);
    const valueStart = skipSpace(text, i + 1);
    const valueEnd = endOfValue(text, valueStart);
    members.set(name, text.slice(valueStart, valueEnd));
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') {
      i = skipSpace(text, i + 1);
      continue;
    }
    if (text[i] === '}') return members;
    throw new AlipayResponseError(`expected ',' or '}' at ${i}`);
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  return i;
}

/** `start` is at the opening quote; returns the index just after the closing quote. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new AlipayResponseError('unterminated string');
}

function endOfValue(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return endOfString(text, start);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = endOfString(text, i) - 1;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    throw new AlipayResponseError('unterminated object');
  }
  // number, true, false, null: runs until a delimiter
  let i = start;
  while (i < text.length && !',}] \t\r\n'.includes(text[i] as string)) i++;
  if (i === start) throw new AlipayResponseError(`expected a value at ${start}`);
  return i;
}
