import type { Selectable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { AddressesTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Address } from '../domain/address.ts';

export type AddressInput = Omit<Address, 'id' | 'isDefault' | 'phone' | 'district' | 'districtCode' | 'zip'> &
  Partial<Pick<Address, 'phone' | 'district' | 'districtCode' | 'zip' | 'isDefault'>>;

export const MAX_ADDRESSES_PER_MEMBER = 50;

export const toAddress = (r: Selectable<AddressesTable>): Address => ({
  id: r.id,
  receiverName: r.receiver_name,
  mobile: r.mobile,
  phone: r.phone,
  province: r.province,
  city: r.city,
  district: r.district,
  districtCode: r.district_code,
  address: r.address,
  zip: r.zip,
  isDefault: r.is_default,
});

export async function listAddresses(ctx: AppContext, memberId: number): Promise<Address[]> {
  const rows = await ctx.db
    .selectFrom('addresses')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('is_default', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toAddress);
}

/** Another member's address is reported as missing, never as forbidden, so ids reveal nothing. */
export async function getAddress(db: Db, memberId: number, id: number): Promise<Address> {
  const row = await db
    .selectFrom('addresses')
    .selectAll()
    .where('id', '=', id)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  if (!row) throw notFound('address', { id });
  return toAddress(row);
}

const columns = (input: Partial<AddressInput>) => ({
  receiver_name: input.receiverName,
  mobile: input.mobile,
  phone: input.phone,
  province: input.province,
  city: input.city,
  district: input.district,
  district_code: input.districtCode,
  address: input.address,
  zip: input.zip,
});

async function clearDefault(trx: Db, memberId: number) {
  await trx
    .updateTable('addresses')
    .set({ is_default: false })
    .where('member_id', '=', memberId)
    .where('is_default', '=', true)
    .execute();
}

export async function createAddress(ctx: AppContext, memberId: number, input: AddressInput): Promise<Address> {
  return ctx.db.transaction().execute(async (trx) => {
    // Locking the member row serialises concurrent adds, so the cap and "first address is the default" hold.
    await trx.selectFrom('members').select('id').where('id', '=', memberId).forUpdate().executeTakeFirstOrThrow();
    const existing = await trx
      .selectFrom('addresses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow();
    const count = Number(existing.n);
    if (count >= MAX_ADDRESSES_PER_MEMBER) {
      throw new AppError('unprocessable', `at most ${MAX_ADDRESSES_PER_MEMBER} addresses per member`);
    }
    const isDefault = input.isDefault === true || count === 0;
    if (isDefault) await clearDefault(trx, memberId);
    const row = await trx
      .insertInto('addresses')
      .values({ member_id: memberId, ...columns(input), is_default: isDefault } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAddress(row);
  });
}

export async function updateAddress(
  ctx: AppContext,
  memberId: number,
  id: number,
  input: Partial<AddressInput>,
): Promise<Address> {
  return ctx.db.transaction().execute(async (trx) => {
    await getAddress(trx, memberId, id);
    if (input.isDefault === true) await clearDefault(trx, memberId);
    const row = await trx
      .updateTable('addresses')
      .set({ ...columns(input), is_default: input.isDefault, updated_at: ctx.clock.now() })
      .where('id', '=', id)
      .where('member_id', '=', memberId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAddress(row);
  });
}

export async function deleteAddress(ctx: AppContext, memberId: number, id: number): Promise<void> {
  const result = await ctx.db
    .deleteFrom('addresses')
    .where('id', '=', id)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('address', { id });
}
