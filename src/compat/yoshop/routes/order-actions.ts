import { AppError } from '../../../errors.ts';
import { recordReturnParcel } from '../../../refunds/return-parcel.ts';
import { EXPRESS_COMPANIES, expressCompanyOf } from '../express-mapping.ts';
import { ok } from '../mapping.ts';
import { bad, obj, reqInt, reqStr } from '../params.ts';
import { refusedAs } from '../refusals.ts';
import type { MemberRoutes } from '../route-table.ts';
import { cashierRoutes } from './cashier.ts';

/** Why a return parcel cannot be recorded (refunds/return-parcel.ts), in the page's words. */
const RETURN_REFUSALS: Record<string, string | undefined> = {
  already_sent: '您已填写过退货物流信息',
  no_return: '该售后单无需退货',
  rejected: '该售后单已被拒绝，无需退货',
};

/**
 * What the buyer does with an order after placing it, besides the cashier and the order pages: paying again from the
 * order list, and sending the goods of a return back (the refund detail page's carrier picker and form).
 */
export const orderActionRoutes: MemberRoutes = {
  // the same parameters (orderId, method, client, extra) and answer as the cashier's orderPay
  'order/pay': async (call) => cashierRoutes['cashier/orderPay']!(call),
  'express/list': async () => ok({ list: EXPRESS_COMPANIES }),
  'refund/delivery': async ({ ctx, member, p }) => {
    const refundNo = reqStr(p, 'orderRefundId', 64);
    const form = obj(p, 'form')!;
    const company = expressCompanyOf(reqInt(form, 'expressId', 1, 1000));
    if (!company) throw bad('请选择物流公司');
    const trackingNo = reqStr(form, 'expressNo', 64).trim();
    if (!/^[A-Za-z0-9-]{4,40}$/.test(trackingNo)) throw bad('请填写正确的物流单号');
    await recordReturnParcel(ctx, member, refundNo, { carrier: company.express_name, trackingNo })
      .catch(refusedAs('not_found', '很抱歉，售后单不存在'))
      .catch((err: unknown) => {
        const reason = err instanceof AppError && err.code === 'invalid_state' ? err.details?.reason : undefined;
        throw typeof reason === 'string' && RETURN_REFUSALS[reason] ? bad(RETURN_REFUSALS[reason]) : err;
      });
    return ok([], '操作成功');
  },
};
