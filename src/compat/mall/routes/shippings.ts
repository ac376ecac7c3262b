import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createAddress, deleteAddress, listAddresses, updateAddress } from '../../../addresses/address-book.ts';
import type { AppContext } from '../../../context.ts';
import { fromMallShipping, MALL_STATUS, ok, okMessage, pageInfo, toMallShipping } from '../mapping.ts';
import { Id, PageQuery, Text } from '../params.ts';
import { requireLogin, signedIn } from '../session.ts';

const shippingFields = {
  receiverName: Text(50, 1),
  receiverPhone: Type.Union([Text(20), Type.Null()]),
  receiverMobile: Type.String({ pattern: '^\\d{11}$' }),
  receiverProvince: Text(50, 1),
  receiverCity: Text(50, 1),
  receiverDistrict: Text(50),
  receiverAddress: Text(200, 1),
  receiverZip: Type.String({ pattern: '^(\\d{6})?$' }),
};
const NewShipping = Type.Object({
  receiverName: shippingFields.receiverName,
  receiverPhone: Type.Optional(shippingFields.receiverPhone),
  receiverMobile: shippingFields.receiverMobile,
  receiverProvince: shippingFields.receiverProvince,
  receiverCity: shippingFields.receiverCity,
  receiverDistrict: Type.Optional(shippingFields.receiverDistrict),
  receiverAddress: shippingFields.receiverAddress,
  receiverZip: Type.Optional(shippingFields.receiverZip),
});
const ShippingChanges = Type.Partial(Type.Object(shippingFields));
const ShippingParams = Type.Object({ shippingId: Id });

/** The member's shipping addresses (ordo's address book). */
export const shippingRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('onRequest', requireLogin);

    app.get('/shippings', { schema: { querystring: PageQuery } }, async (request) => {
      const m = signedIn(request);
      const { pageNum, pageSize } = request.query;
      const all = await listAddresses(ctx, m.memberId);
      const list = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((a) => toMallShipping(a, m.memberId));
      return ok(pageInfo(list, { pageNum, pageSize, total: all.length }));
    });

    app.post('/shippings', { schema: { body: NewShipping } }, async (request) => {
      const s = fromMallShipping({ ...request.body, receiverPhone: request.body.receiverPhone ?? undefined });
      const created = await createAddress(ctx, signedIn(request).memberId, {
        ...s,
        receiverName: s.receiverName!,
        mobile: s.mobile!,
        province: s.province!,
        city: s.city!,
        address: s.address!,
      });
      return { status: MALL_STATUS.ok, msg: '新建地址成功', data: { shippingId: created.id } };
    });

    app.put(
      '/shippings/:shippingId',
      { schema: { params: ShippingParams, body: ShippingChanges } },
      async (request) => {
        await updateAddress(
          ctx,
          signedIn(request).memberId,
          request.params.shippingId,
          fromMallShipping({ ...request.body, receiverPhone: request.body.receiverPhone ?? undefined }),
        );
        return okMessage('更新地址成功');
      },
    );

    app.delete('/shippings/:shippingId', { schema: { params: ShippingParams } }, async (request) => {
      await deleteAddress(ctx, signedIn(request).memberId, request.params.shippingId);
      return okMessage('删除地址成功');
    });
  };
