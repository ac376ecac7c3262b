import { Type } from '@sinclair/typebox';
import { MALL_STATUS, type MallStatus } from './mapping.ts';
import { lenientJsonBody } from '../json-body.ts';

/** An answer the dialect itself decides (need login, a mall-specific message). */
export class MallError extends Error {
  constructor(
    readonly status: MallStatus,
    message: string,
  ) {
    super(message);
    this.name = 'MallError';
  }
}

/** The client ordo records for mall sign-ins, orders and payments: the storefront runs in a desktop browser. */
export const CLIENT = 'PC';

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const Quantity = Type.Integer({ minimum: 1, maximum: 9999 });
/**
 * Body numbers as the mall's Java backend reads them: Jackson takes `"10001"` for an Integer field, and the
 * product page sends the id from its route (`{"productId":"10001"}`). Digits only, so "1e3" or " 1" stay refused.
 */
export const IdOrDigits = Type.Union([Id, Type.String({ pattern: '^[1-9]\\d{0,14}$' })]);
export const QuantityOrDigits = Type.Union([Quantity, Type.String({ pattern: '^[1-9]\\d{0,3}$' })]);
/** Jackson reads `"true"` and `"false"` into a Boolean field as well. */
export const Flag = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')]);
export const toInt = (value: number | string): number => Number(value);
export const toFlag = (value: boolean | 'true' | 'false'): boolean => value === true || value === 'true';
export const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength });
export const PageQuery = Type.Object({
  pageNum: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
});

/** Bodies like `{"a":1}`; an empty JSON body is no body. */
export const parseJsonBody = lenientJsonBody(() =>
  Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }),
);

/** An integer from a query value or the `params` JSON ("100012" or 100012); '' and absent are undefined. */
function intParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new MallError(MALL_STATUS.illegalArgument, `参数错误: ${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** The NavHeader sends `params={"categoryId":"100012"}` (an axios misuse): its fields count as query fields. */
export function productQuery(query: Record<string, unknown>) {
  let nested: Record<string, unknown> = {};
  if (typeof query.params === 'string' && query.params !== '') {
    try {
      const parsed: unknown = JSON.parse(query.params);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) nested = parsed as Record<string, unknown>;
      else throw new Error('not an object');
    } catch {
      throw new MallError(MALL_STATUS.illegalArgument, '参数错误: params must be a JSON object');
    }
  }
  const all: Record<string, unknown> = { ...nested, ...query };
  const keyword = all.keyword;
  if (keyword !== undefined && (typeof keyword !== 'string' || keyword.length > 64))
    throw new MallError(MALL_STATUS.illegalArgument, '参数错误: keyword must be a short text');
  return {
    categoryId: intParam(all.categoryId, 'categoryId', 1, Number.MAX_SAFE_INTEGER),
    keyword: keyword || undefined,
    pageNum: intParam(all.pageNum, 'pageNum', 1, 100_000) ?? 1,
    pageSize: intParam(all.pageSize, 'pageSize', 1, 100) ?? 10,
  };
}
