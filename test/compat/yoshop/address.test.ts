import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The address pages (pages/address/create.vue, update.vue): the form's `region` is the picker's three
 * `{label, value}`; the edit page rebuilds it from address/detail's `region` names and `province_id`, `city_id`,
 * `region_id`, and asks for the region again when any id is 0.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);

async function signedIn() {
  const member = await createMember(t);
  const mobile = `137${String(process.pid % 10000).padStart(4, '0')}${String(member.memberId % 10000).padStart(4, '0')}`;
  await t.ctx.db.updateTable('members').set({ mobile }).where('id', '=', member.memberId).execute();
  const login = await yoshop('POST', 'passport/login', { body: { form: { mobile, password: 'secret123' } } });
  return login.data.token as string;
}

/** What update.vue sends back: the names with the ids address/detail gave. */
const regionOf = (d: {
  region: { province: string; city: string; region: string };
  province_id: number;
  city_id: number;
  region_id: number;
}) => [
  { label: d.region.province, value: d.province_id },
  { label: d.region.city, value: d.city_id },
  { label: d.region.region, value: d.region_id },
];

describe('address add and edit', () => {
  it('a region picked by its administrative codes comes back with the same ids, and an unchanged edit keeps it', async () => {
    const token = await signedIn();
    const form = {
      name: '李四',
      phone: '13900002222',
      detail: '中关村大街 1 号',
      region: [
        { label: '北京市', value: 110000 },
        { label: '北京市', value: 110100 },
        { label: '海淀区', value: 110108 },
      ],
    };
    const added = await yoshop('POST', 'address/add', { token, body: { form } });
    expect(added).toMatchObject({ status: 200, data: { addressId: expect.any(Number) } });
    const addressId = added.data.addressId as number;
    const detail = (await yoshop('GET', 'address/detail', { token, query: { addressId } })).data.detail;
    expect(detail).toEqual({
      address_id: addressId,
      name: '李四',
      phone: '13900002222',
      province_id: 110000,
      city_id: 110100,
      region_id: 110108,
      detail: '中关村大街 1 号',
      region: { province: '北京市', city: '北京市', region: '海淀区' },
      is_default: expect.any(Number),
    });

    const edited = await yoshop('POST', 'address/edit', {
      token,
      body: {
        addressId,
        form: { name: detail.name, phone: detail.phone, detail: '中关村大街 2 号', region: regionOf(detail) },
      },
    });
    expect(edited.status).toBe(200);
    const after = (await yoshop('GET', 'address/detail', { token, query: { addressId } })).data.detail;
    expect(after).toEqual({ ...detail, detail: '中关村大街 2 号' });
    const list = await yoshop('GET', 'address/list', { token });
    expect(list.data.list).toEqual([after]);
  });

  it('the picker’s own ids (the client’s bundled table) are read by their names: the address gets the codes', async () => {
    const token = await signedIn();
    const region = [
      { label: '广东省', value: 1964 },
      { label: '深圳市', value: 1988 },
      { label: '南山区', value: 1992 },
    ];
    const added = await yoshop('POST', 'address/add', {
      token,
      body: { form: { name: '赵六', phone: '13900004444', detail: '科技园 3 号', region } },
    });
    const addressId = added.data.addressId as number;
    const detail = (await yoshop('GET', 'address/detail', { token, query: { addressId } })).data.detail;
    expect(detail).toMatchObject({
      province_id: 440000,
      city_id: 440300,
      region_id: 440305,
      region: { province: '广东省', city: '深圳市', region: '南山区' },
    });
    // picked again as another district: the new names give the new code
    await yoshop('POST', 'address/edit', {
      token,
      body: {
        addressId,
        form: {
          name: '赵六',
          phone: '13900004444',
          detail: '科技园 3 号',
          region: [region[0], region[1], { label: '福田区', value: 1990 }],
        },
      },
    });
    expect((await yoshop('GET', 'address/detail', { token, query: { addressId } })).data.detail).toMatchObject({
      region_id: 440304,
      region: { region: '福田区' },
    });
  });

  it('an incomplete region is refused in the envelope and changes nothing', async () => {
    const token = await signedIn();
    const bad = await yoshop('POST', 'address/add', {
      token,
      body: {
        form: { name: '王五', phone: '13900003333', detail: '1 号', region: [{ label: '北京市', value: 110000 }] },
      },
    });
    expect(bad).toMatchObject({ status: 500, message: expect.stringContaining('请填写完整的收货地址') });
    expect((await yoshop('GET', 'address/list', { token })).data.list).toEqual([]);
  });
});

describe('the address list page', () => {
  it('defaultId puts the default first; 设为默认 moves it; 删除 removes an address', async () => {
    const token = await signedIn();
    expect((await yoshop('GET', 'address/defaultId', { token })).data).toEqual({ defaultId: null });
    const add = async (name: string) =>
      (
        await yoshop('POST', 'address/add', {
          token,
          body: {
            form: {
              name,
              phone: '13900003333',
              detail: `${name}家`,
              region: [
                { label: '北京市', value: 110000 },
                { label: '北京市', value: 110100 },
                { label: '海淀区', value: 110108 },
              ],
            },
          },
        })
      ).data.addressId as number;
    const first = await add('王五');
    const second = await add('赵六');
    expect((await yoshop('GET', 'address/defaultId', { token })).data).toEqual({ defaultId: first });

    expect(await yoshop('POST', 'address/setDefault', { token, body: { addressId: second } })).toMatchObject({
      status: 200,
      message: '设置成功',
    });
    expect((await yoshop('GET', 'address/defaultId', { token })).data).toEqual({ defaultId: second });

    expect(await yoshop('POST', 'address/remove', { token, body: { addressId: first } })).toMatchObject({
      status: 200,
      message: '删除成功',
    });
    const list = (await yoshop('GET', 'address/list', { token })).data.list;
    expect(list.map((a: { address_id: number; name: string }) => [a.address_id, a.name])).toEqual([[second, '赵六']]);

    // another member's address is neither made default nor removed
    const other = await signedIn();
    for (const route of ['address/setDefault', 'address/remove'])
      expect(await yoshop('POST', route, { token: other, body: { addressId: second } })).toMatchObject({ status: 500 });
    expect((await yoshop('GET', 'address/defaultId', { token })).data).toEqual({ defaultId: second });
    expect(await yoshop('GET', 'address/defaultId')).toMatchObject({ status: 401 });
  });
});
