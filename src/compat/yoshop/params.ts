import { CLIENTS, type Client } from '../../payments/payment-methods.ts';
import { optionIdsOf, YOSHOP_STATUS, type YoshopStatus } from './mapping.ts';
import { lenientJsonBody } from '../json-body.ts';

/**
 * Reading the YoShop client's parameters: query values are strings, JSON bodies typed values; both are accepted.
 * A parameter that cannot be read is a YoshopError, which the dialect answers in its envelope.
 */

export class YoshopError extends Error {
  constructor(
    readonly status: YoshopStatus,
    message: string,
  ) {
    super(message);
    this.name = 'YoshopError';
  }
}

export const bad = (message: string) => new YoshopError(YOSHOP_STATUS.error, message);

export type Params = Record<string, unknown>;

/** The client's page size for every list (goods, orders, refunds). */
export const PAGE_SIZE = 15;

/** Bodies as JSON (the client sends `application/json;charset=utf-8`); an empty body is no body. */
export const parseJsonBody = lenientJsonBody(() => new YoshopError(YOSHOP_STATUS.error, '请求数据不是有效的 JSON'));

export function int(
  p: Params,
  name: string,
  options: { min?: number; max?: number; optional?: boolean } = {},
): number | undefined {
  const value = p[name];
  if (value === undefined || value === null || value === '') {
    if (options.optional) return undefined;
    throw bad(`缺少必要的参数: ${name}`);
  }
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : NaN;
  const min = options.min ?? 1;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(n) || n < min || n > max) throw bad(`参数 ${name} 必须是 ${min} 到 ${max} 的整数`);
  return n;
}
export const reqInt = (p: Params, name: string, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  int(p, name, { min, max }) as number;

/** `page` (1…100000), 1 when absent. */
export const pageOf = (p: Params) => int(p, 'page', { optional: true, max: 100_000 }) ?? 1;

export function str(p: Params, name: string, options: { max?: number; optional?: boolean } = {}): string | undefined {
  const value = p[name];
  if (value === undefined || value === null) {
    if (options.optional) return undefined;
    throw bad(`缺少必要的参数: ${name}`);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.length > (options.max ?? 500)) throw bad(`参数 ${name} 必须是文本`);
  return value;
}
export const reqStr = (p: Params, name: string, max = 500) => str(p, name, { max }) as string;

export function obj(p: Params, name: string, optional = false): Params | undefined {
  const value = p[name];
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw bad(`缺少必要的参数: ${name}`);
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw bad(`参数 ${name} 必须是对象`);
  return value as Params;
}

/** `cartIds` as "1,2", [1, 2] or 1. */
export function idList(p: Params, name: string): number[] {
  const value = p[name];
  const parts = Array.isArray(value)
    ? value
    : typeof value === 'number'
      ? [value]
      : typeof value === 'string' && value !== ''
        ? value.split(',')
        : null;
  if (!parts || parts.length === 0 || parts.length > 100) throw bad(`缺少必要的参数: ${name}`);
  return parts.map((x, i) => reqInt({ [`${name}[${i}]`]: typeof x === 'string' ? x.trim() : x }, `${name}[${i}]`));
}

export function optionIds(p: Params): number[] {
  const sku = str(p, 'goodsSkuId', { optional: true, max: 400 }) ?? '0';
  const ids = optionIdsOf(sku);
  if (!ids) throw bad('参数 goodsSkuId 无效');
  return ids;
}

/** The paying client: `client`, else the `platform` header's. */
export function clientOf(p: Params, platform: string): Client {
  const client = str(p, 'client', { optional: true, max: 20 }) || platform;
  if (!(CLIENTS as readonly string[]).includes(client)) throw bad(`参数 client 无效: ${client}`);
  return client as Client;
}
