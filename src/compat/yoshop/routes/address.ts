import { createAddress, deleteAddress, listAddresses, updateAddress } from '../../../addresses/address-book.ts';
import { defaultAddressOf, memberAddress } from '../../../addresses/member-address.ts';
import { regionCode } from '../../region-code.ts';
import { ok, toYoshopAddress } from '../mapping.ts';
import { bad, obj, reqInt, reqStr, type Params } from '../params.ts';
import type { MemberRoutes } from '../route-table.ts';

const ADDRESS_FORM_ERROR = '请填写完整的收货地址: name, phone, region, detail';

/**
 * The address form: name, phone, detail and `region` as the picker's three `{label, value}` (province, city,
 * district). The client's picker ids are its own bundled table's, which ordo does not have: a district value that is
 * an administrative code is kept as it is, otherwise the code is found from the three names.
 */
function addressForm(form: Params) {
  const name = reqStr(form, 'name', 50).trim();
  const phone = reqStr(form, 'phone', 20).trim();
  const detail = reqStr(form, 'detail', 200).trim();
  const region = form.region;
  if (!name || !phone || !detail || !Array.isArray(region) || region.length !== 3) throw bad(ADDRESS_FORM_ERROR);
  const parts = region.map((r: unknown) => {
    if (!r || typeof r !== 'object') throw bad(ADDRESS_FORM_ERROR);
    const label = (r as Params).label;
    if (typeof label !== 'string' || !label || label.length > 50) throw bad(ADDRESS_FORM_ERROR);
    return { label, value: (r as Params).value };
  });
  const districtCode =
    typeof parts[2]!.value === 'number' || typeof parts[2]!.value === 'string' ? String(parts[2]!.value) : '';
  const names = { province: parts[0]!.label, city: parts[1]!.label, district: parts[2]!.label };
  return {
    receiverName: name,
    mobile: phone,
    ...names,
    districtCode: /^\d{6}$/.test(districtCode) ? districtCode : regionCode(names),
    address: detail,
  };
}

/** The member's address book. */
export const addressRoutes: MemberRoutes = {
  'address/list': async ({ ctx, member }) =>
    ok({ list: (await listAddresses(ctx, member.memberId)).map(toYoshopAddress) }),
  'address/defaultId': async ({ ctx, member }) =>
    ok({ defaultId: (await defaultAddressOf(ctx, member.memberId))?.id ?? null }),
  'address/detail': async ({ ctx, member, p }) =>
    ok({ detail: toYoshopAddress(await memberAddress(ctx, member.memberId, reqInt(p, 'addressId'))) }),
  'address/add': async ({ ctx, member, p }) => {
    const created = await createAddress(ctx, member.memberId, addressForm(obj(p, 'form')!));
    return ok({ addressId: created.id }, '添加成功');
  },
  'address/edit': async ({ ctx, member, p }) => {
    await updateAddress(ctx, member.memberId, reqInt(p, 'addressId'), addressForm(obj(p, 'form')!));
    return ok([], '更新成功');
  },
  'address/setDefault': async ({ ctx, member, p }) => {
    await updateAddress(ctx, member.memberId, reqInt(p, 'addressId'), { isDefault: true });
    return ok([], '设置成功');
  },
  'address/remove': async ({ ctx, member, p }) => {
    await deleteAddress(ctx, member.memberId, reqInt(p, 'addressId'));
    return ok([], '删除成功');
  },
};
