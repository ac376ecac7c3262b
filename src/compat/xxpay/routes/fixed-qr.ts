import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../../../context.ts';
import { createTradeOrder } from '../../../flows/create-trade-order.ts';
import { payTradeOrderByMethod } from '../../../flows/pay-trade-order-by-method.ts';
import { tillDefaultStoreId } from '../../../merchants/till-defaults.ts';
import { ok, XXPAY_CODE } from '../mapping.ts';
import { int, paramsOf, staffOf, text, XxpayError, yuan } from '../params.ts';
import { TILL_SUBJECT } from '../till-mapping.ts';
import { actingAppOf, tillOrderNo } from './till-params.ts';

/**
 * `mch_qrcode/view_code_amount`: a QR for a fixed amount the customer scans and pays. `payAmount` (yuan), `payType`*
 * (`wechat`, the default, or `alipay`), `remark`, `storeId`* (default the merchant's first store). A trade order for
 * the amount is created and a QR payment started for it; answers `{tradeOrderId, codeUrl, codeImgUrl}` — `codeUrl`
 * what the QR holds (the simulator at /sandbox pays it), `codeImgUrl` the QR as a PNG data URL, shown in an `<img>`
 * without a token. The cashier then polls `memberPay/queryStatus` until the status is 2.
 */
export function registerFixedQrRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/mch_qrcode/view_code_amount',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const amount = yuan(p, 'payAmount', true)!;
      const wallet = text(p, 'payType', { max: 8, pattern: /^(wechat|alipay)$/ }) === 'alipay' ? 'alipay' : 'wechat';
      const principal = await actingAppOf(ctx, staff);
      const storeId =
        int(p, 'storeId', 1, Number.MAX_SAFE_INTEGER) ?? (await tillDefaultStoreId(ctx, staff.merchantId));
      if (storeId === null) throw new XxpayError(XXPAY_CODE.failure, '商户没有门店');
      const subject = wallet === 'wechat' ? TILL_SUBJECT.wechatQr : TILL_SUBJECT.alipayQr;
      const { orderNo } = await createTradeOrder(ctx, principal, {
        merchantOrderNo: tillOrderNo(p),
        tradeType: 'sale',
        storeId,
        operatorId: staff.staffId,
        subject,
        remark: text(p, 'remark', { max: 200 }),
        clientIp: request.ip,
        lines: [{ productId: null, title: subject, listPrice: amount, price: amount, quantity: 1 }],
      });
      const started = await payTradeOrderByMethod(ctx, principal, orderNo, { method: wallet, clientIp: request.ip });
      if (!started.qrContent) throw new XxpayError(XXPAY_CODE.failure, '获取二维码失败');
      return ok({
        tradeOrderId: orderNo,
        codeUrl: started.qrContent,
        codeImgUrl: await QRCode.toDataURL(started.qrContent, { margin: 1, width: 200 }),
      });
    },
  });
}
