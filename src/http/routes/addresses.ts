import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  createAddress,
  deleteAddress,
  getAddress,
  listAddresses,
  updateAddress,
} from '../../addresses/address-book.ts';
import type { AppContext } from '../../context.ts';
import { memberOf, requireMember } from '../authenticate.ts';
import { AddressSnapshot, Changes, Id, replies, ShortText, Strict } from '../schemas.ts';

const Address = Type.Object({ id: Type.Integer(), ...AddressSnapshot.properties, isDefault: Type.Boolean() });
const fields = {
  receiverName: ShortText(40, 1),
  mobile: Type.String({ pattern: '^\\+?[0-9-]{5,20}$' }),
  phone: Type.Optional(Type.String({ pattern: '^[0-9+ -]{0,20}$' })),
  province: ShortText(30, 1),
  city: ShortText(30, 1),
  district: Type.Optional(ShortText(30)),
  districtCode: Type.Optional(
    Type.String({ pattern: '^\\d{0,12}$', description: 'administrative region code, e.g. 110115' }),
  ),
  address: ShortText(200, 1),
  zip: Type.Optional(Type.String({ pattern: '^\\d{0,6}$' })),
  isDefault: Type.Optional(Type.Boolean()),
};
const Params = Strict({ addressId: Id });

export const addressRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['addresses'], security: [{ bearer: [] }] };
    app.addHook('preHandler', requireMember);
    app.get(
      '/v1/addresses',
      { schema: { ...base, summary: 'The member address book', response: replies({ 200: Type.Array(Address) }) } },
      async (request) => listAddresses(ctx, memberOf(request).memberId),
    );
    app.post(
      '/v1/addresses',
      {
        schema: {
          ...base,
          summary: 'Add an address (the first one becomes the default)',
          body: Strict(fields),
          response: replies({ 201: Address }),
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createAddress(ctx, memberOf(request).memberId, request.body)),
    );
    app.get(
      '/v1/addresses/:addressId',
      { schema: { ...base, summary: 'One address', params: Params, response: replies({ 200: Address }) } },
      async (request) => getAddress(ctx.db, memberOf(request).memberId, request.params.addressId),
    );
    app.patch(
      '/v1/addresses/:addressId',
      {
        schema: {
          ...base,
          summary: 'Edit an address or make it the default',
          params: Params,
          body: Changes(Strict(fields)),
          response: replies({ 200: Address }),
        },
      },
      async (request) => updateAddress(ctx, memberOf(request).memberId, request.params.addressId, request.body),
    );
    app.delete(
      '/v1/addresses/:addressId',
      { schema: { ...base, summary: 'Delete an address', params: Params, response: replies({ 204: Type.Null() }) } },
      async (request, reply) => {
        await deleteAddress(ctx, memberOf(request).memberId, request.params.addressId);
        return reply.status(204).send(null);
      },
    );
  };
