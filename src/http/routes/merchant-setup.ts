import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { createCoupon, listCoupons } from '../../coupons/coupons.ts';
import { couponTemplateFields, couponTemplateInput } from './coupon-schemas.ts';
import { getMerchantSettings, updateMerchantSettings } from '../../merchants/merchant-settings.ts';
import { listStores, updateStore } from '../../merchants/stores.ts';
import { createStaff } from '../../staff/create-staff.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { Changes, DateTime, Fen, Id, Nullable, NullableDateTime, replies, ShortText, Strict, Url } from '../schemas.ts';
import { lagTolerantReads, ReadPositionHeaders } from '../read-position.ts';

export const StoreSchema = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  name: Type.String(),
  logoUrl: Type.String(),
  phone: Type.String(),
  province: Type.String(),
  city: Type.String(),
  district: Type.String(),
  address: Type.String(),
  latitude: Type.String(),
  longitude: Type.String(),
  shippingFee: Fen,
  freeShippingOver: Nullable(Fen),
});
const merchantRules = {
  orderTimeoutMinutes: Type.Integer({ minimum: 1, maximum: 10080, description: 'unpaid orders close after this' }),
  autoConfirmDays: Type.Integer({
    minimum: 1,
    maximum: 60,
    description: 'shipped orders are confirmed received after this',
  }),
  reviewWindowDays: Type.Integer({ minimum: 0, maximum: 60, description: 'received orders complete after this' }),
  refundWindowDays: Type.Integer({ minimum: 0, maximum: 90, description: 'completed orders settle after this' }),
  pointsPerYuan: Type.Integer({ minimum: 0, maximum: 100, description: 'points earned per yuan of a completed order' }),
  pointsPerYuanOff: Type.Integer({ minimum: 1, maximum: 100000, description: 'points that make one yuan off' }),
  pointsMaxPercent: Type.Integer({ minimum: 0, maximum: 100, description: 'most of an order payable with points' }),
};
const Merchant = Type.Object({ id: Type.Integer(), name: Type.String(), ...merchantRules });
export const Coupon = Type.Object({
  id: Type.Integer(),
  code: Nullable(Type.String({ description: 'null: a template members only claim from the coupon centre' })),
  title: Type.String(),
  kind: Type.String(),
  amountOff: Fen,
  percentOff: Type.Integer(),
  maxOff: Nullable(Fen),
  minSpend: Fen,
  startsAt: NullableDateTime,
  endsAt: NullableDateTime,
  totalQuantity: Nullable(Type.Integer({ description: 'how many can be claimed (a typed code claims one)' })),
  usedQuantity: Type.Integer({ description: 'claimed coupons orders hold now' }),
  ...couponTemplateFields,
});
const Coordinate = Type.String({ pattern: '^-?\\d{1,3}(\\.\\d{1,8})?$' });

/** Merchant set-up for staff: the merchant's settings, its stores' shipping rules, coupons and staff accounts. */
export const merchantSetupRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ bearer: [] }];
    const admin = requireStaff('admin');

    app.get(
      '/v1/admin/merchant',
      {
        schema: { tags: ['admin'], summary: 'Merchant settings', security, response: replies({ 200: Merchant }) },
        preHandler: requireStaff(),
      },
      async (request) => getMerchantSettings(ctx, staffOf(request).merchantId),
    );
    app.patch(
      '/v1/admin/merchant',
      {
        schema: {
          tags: ['admin'],
          summary: 'Edit merchant settings: order timeout, after-sales windows, points rules',
          security,
          body: Changes(Strict({ name: ShortText(100, 1), ...merchantRules })),
          response: replies({ 200: Merchant }),
        },
        preHandler: admin,
      },
      async (request) => updateMerchantSettings(ctx, staffOf(request).merchantId, request.body),
    );
    app.get(
      '/v1/admin/stores',
      {
        schema: { tags: ['admin'], summary: 'Stores', security, response: replies({ 200: Type.Array(StoreSchema) }) },
        preHandler: requireStaff(),
      },
      async (request) => listStores(ctx, staffOf(request).merchantId),
    );
    app.patch(
      '/v1/admin/stores/:storeId',
      {
        schema: {
          tags: ['admin'],
          summary: 'Edit a store and its shipping rule',
          security,
          params: Strict({ storeId: Id }),
          body: Changes(
            Strict({
              name: ShortText(100, 1),
              logoUrl: Url,
              phone: ShortText(30),
              province: ShortText(30),
              city: ShortText(30),
              district: ShortText(30),
              address: ShortText(200),
              latitude: Coordinate,
              longitude: Coordinate,
              shippingFee: Fen,
              freeShippingOver: Nullable(Fen),
            }),
          ),
          response: replies({ 200: StoreSchema }),
        },
        preHandler: admin,
      },
      async (request) => updateStore(ctx, staffOf(request).merchantId, request.params.storeId, request.body),
    );
    app.get(
      '/v1/admin/coupons',
      {
        schema: {
          tags: ['admin'],
          summary: 'Coupons',
          security,
          headers: ReadPositionHeaders,
          response: replies({ 200: Type.Array(Coupon) }),
        },
        preHandler: requireStaff(),
      },
      async (request) => listCoupons(await lagTolerantReads(ctx, request), staffOf(request).merchantId),
    );
    app.post(
      '/v1/admin/coupons',
      {
        schema: {
          tags: ['admin'],
          summary:
            'Create a coupon template: fixed amount or percent off, with a minimum spend; used by its code, claimed from the coupon centre (claimable), or both',
          security,
          body: Strict({
            code: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' })),
            title: Type.Optional(ShortText(60)),
            kind: Type.Union([Type.Literal('fixed'), Type.Literal('percent')]),
            amountOff: Type.Optional(Fen),
            percentOff: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
            maxOff: Type.Optional(Fen),
            minSpend: Fen,
            startsAt: Type.Optional(DateTime),
            endsAt: Type.Optional(DateTime),
            totalQuantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
            ...couponTemplateInput,
          }),
          response: replies({ 201: Coupon }),
        },
        preHandler: admin,
      },
      async (request, reply) => {
        const { startsAt, endsAt, ...rest } = request.body;
        const coupon = await createCoupon(ctx, staffOf(request).merchantId, {
          ...rest,
          startsAt: startsAt ? new Date(startsAt) : null,
          endsAt: endsAt ? new Date(endsAt) : null,
        });
        return reply.status(201).send(coupon);
      },
    );
    app.post(
      '/v1/admin/staff',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a staff account',
          security,
          body: Strict({
            username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,32}$' }),
            password: Type.String({ minLength: 8, maxLength: 128 }),
            name: Type.Optional(ShortText(40)),
            role: Type.Union([Type.Literal('admin'), Type.Literal('operator')]),
          }),
          response: replies({
            201: Type.Object({ id: Type.Integer(), username: Type.String(), name: Type.String(), role: Type.String() }),
          }),
        },
        preHandler: admin,
      },
      async (request, reply) =>
        reply.status(201).send(await createStaff(ctx, staffOf(request).merchantId, request.body)),
    );
  };
