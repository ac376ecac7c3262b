import type { FastifyError } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';

/**
 * The Chinese words a shopper or merchant reads when ordo refuses something, for every Chinese-speaking dialect
 * (mall, storefront, wholesale, yoshop, xxpay). The canonical API keeps its English messages; a dialect uses this
 * catalogue for every refusal, and may put its seed's own wording first for a code its seed shows.
 */

/** One message per error code: what the refusal means to the person in front of the screen. */
export const MESSAGES_ZH: Record<ErrorCode, string> = {
  validation_failed: '参数错误',
  invalid_auth_code: '付款码无效，请扫描微信或支付宝付款码',
  unauthorized: '请先登录',
  bad_sms_code: '短信验证码不正确',
  unknown_mobile: '该手机号尚未注册',
  forbidden: '无权进行此操作',
  refund_password: '操作员或退款密码错误',
  not_found: '找不到指定的记录',
  conflict: '操作冲突，请稍后重试',
  out_of_stock: '很抱歉，商品库存不足',
  invalid_state: '当前状态不允许此操作',
  settled: '订单已结算，不能再申请售后',
  idempotency_key_reused: '重复提交的请求与之前不一致',
  unprocessable: '无法处理该请求',
  address_required: '请先选择收货地址',
  insufficient_balance: '余额不足',
  insufficient_points: '积分不足',
  exceeds_refundable: '退款金额超出可退金额',
  exceeds_deposit: '金额超出押金余额',
  method_not_available: '很抱歉，当前不支持该支付方式',
  rate_limited: '操作过于频繁，请稍后再试',
  provider_error: '支付渠道繁忙，请稍后再试',
};

/** What `notFound(what)` names (errors.ts: "<what> not found"), so a miss says what is missing. */
const THING_ZH: Record<string, string> = {
  order: '订单',
  'trade order': '订单',
  product: '商品',
  'product option': '商品规格',
  category: '商品分类',
  'cart item': '购物车商品',
  member: '会员',
  coupon: '优惠券',
  address: '收货地址',
  payment: '支付记录',
  'voucher payment': '凭证支付记录',
  'voucher image': '凭证图片',
  picture: '图片',
  refund: '退款单',
  store: '门店',
  merchant: '商户',
  staff: '员工',
  'staff account': '员工账号',
  app: '应用',
  'webhook delivery': '推送记录',
};

/** Refusals whose English message names the rule exactly, in the words the shopper needs to act on it. */
const RULE_ZH: Record<string, string> = {
  'no cart lines are selected': '请先选择要结算的商品',
  'nothing is left to ship': '没有待发货的商品',
  'the trade order belongs to another member': '该交易订单属于其他会员',
  'nothing left to refund': '该订单已无可退金额',
};

const CHINESE = /[\u4e00-\u9fff]/;

/** Chinese for an AppError: its own message when a dialect already wrote it in Chinese, else the catalogue's. */
export function chineseMessage(err: AppError): string {
  if (CHINESE.test(err.message)) return err.message;
  const retryAfterSeconds = Number(err.details?.retryAfterSeconds ?? 0);
  if (err.code === 'rate_limited' && err.details?.reason === 'account_locked')
    return `登录失败次数过多，账号已锁定，请 ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} 分钟后再试`;
  const rule = RULE_ZH[err.message];
  if (rule) return rule;
  if (err.code === 'not_found') {
    const thing = THING_ZH[err.message.replace(/ not found$/, '')];
    if (thing) return `${thing}不存在`;
  }
  return MESSAGES_ZH[err.code];
}

/** A failed request schema: 缺少参数 or 参数错误, naming the field as the client sent it. */
export function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0];
  const missing = (first?.params as { missingProperty?: unknown } | undefined)?.missingProperty;
  if (first?.keyword === 'required' && missing !== undefined) return `缺少参数：${String(missing)}`;
  const field = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  return field ? `参数错误：${field}` : MESSAGES_ZH.validation_failed;
}

/**
 * A request ordo cannot read at all (HTTP 4xx from Fastify: bad JSON, a body too large, a wrong content type), or
 * holding text the database cannot store (U+0000, a lone surrogate: http/storable-text.ts says which in English).
 */
export function requestErrorMessage(statusCode: number, message = ''): string {
  if (message.startsWith('text may not contain')) return '请求中含有无法保存的字符（U+0000 或不成对的代理项）';
  if (statusCode === 413) return '请求数据过大';
  if (statusCode === 415) return '不支持的请求数据格式';
  if (statusCode === 400) return '请求数据格式有误';
  return '请求有误';
}
