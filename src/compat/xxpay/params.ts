import type { FastifyRequest } from 'fastify';
import type { StaffPrincipal } from '../../auth/tokens.ts';
import { yuanToFen } from '../../domain/money.ts';
import { XXPAY_CODE, type XxpayCode } from './mapping.ts';

/** Parsing the console's and the till's parameters, shared by every xxpay route file. */

export class XxpayError extends Error {
  constructor(
    readonly code: XxpayCode,
    message: string,
  ) {
    super(message);
    this.name = 'XxpayError';
  }
}

export type Params = Record<string, unknown>;

export const bad = (msg: string) => new XxpayError(XXPAY_CODE.badParameter, msg);

/** Query, body (form or JSON) and the `params` JSON object, as one set of names. */
export function paramsOf(request: FastifyRequest): Params {
  const query = (request.query ?? {}) as Params;
  const body =
    request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
  const all: Params = { ...query, ...body };
  if (typeof all.params === 'string' && all.params !== '') {
    let nested: unknown;
    try {
      nested = JSON.parse(all.params);
    } catch {
      throw bad('params must be a JSON object');
    }
    if (!nested || typeof nested !== 'object' || Array.isArray(nested)) throw bad('params must be a JSON object');
    Object.assign(all, nested);
  }
  return all;
}

export const present = (v: unknown) => v !== undefined && v !== null && v !== '';

export function text(
  p: Params,
  name: string,
  opts: { required?: boolean; max?: number; pattern?: RegExp } = {},
): string | undefined {
  const v = p[name];
  if (!present(v)) {
    if (opts.required) throw bad(`${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw bad(`${name} must be a text`);
  const s = String(v).trim();
  if (s.length > (opts.max ?? 200) || (opts.pattern && !opts.pattern.test(s))) throw bad(`${name} is not valid`);
  return s;
}

export function int(p: Params, name: string, min: number, max: number): number | undefined {
  const s = text(p, name, { max: 16 });
  if (s === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(s) || Number(s) < min || Number(s) > max)
    throw bad(`${name} must be an integer from ${min} to ${max}`);
  return Number(s);
}

/** A yuan amount as the cashier types it (up to two decimals) in fen; above zero. */
export function yuan(p: Params, name: string, required = false): number | undefined {
  const s = text(p, name, { required, max: 16 });
  if (s === undefined) return undefined;
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(s)) throw bad(`${name} must be an amount in yuan with up to two decimals`);
  const fen = yuanToFen(s);
  if (fen <= 0) throw bad(`${name} must be above zero`);
  return fen;
}

export const tradeOrderId = (p: Params) => text(p, 'tradeOrderId', { required: true, max: 32, pattern: /^\d{1,32}$/ })!;

export function flag(p: Params, name: string): boolean {
  const v = p[name];
  if (!present(v)) return false;
  if (v === true || v === 1 || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === '0' || v === 'false') return false;
  throw bad(`${name} must be 0 or 1`);
}

/** The signed-in operator (staff) a console or till route acts as; 1001 sends the console to its login page. */
export function staffOf(request: FastifyRequest): StaffPrincipal {
  const p = request.principal;
  if (!p) throw new XxpayError(XXPAY_CODE.loggedOut, '请先登录');
  if (p.kind !== 'staff') throw new XxpayError(XXPAY_CODE.loggedOut, '请使用商户操作员登录');
  return p;
}
