import type { Address } from '../domain/address.ts';
import type { AppContext } from '../context.ts';
import { getAddress, listAddresses } from './address-book.ts';

/** One of the member's addresses (another member's is not found). */
export async function memberAddress(ctx: AppContext, memberId: number, id: number): Promise<Address> {
  return getAddress(ctx.db, memberId, id);
}

/** Where the member ships by default: the address marked default, else their oldest one, else none. */
export async function defaultAddressOf(ctx: AppContext, memberId: number): Promise<Address | null> {
  const all = await listAddresses(ctx, memberId);
  return all.find((a) => a.isDefault) ?? all[0] ?? null;
}
