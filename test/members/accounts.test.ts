import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logInWithSmsCode, SANDBOX_SMS_CODE } from '../../src/members/log-in-with-sms-code.ts';
import { api } from '../support/api.ts';
import { createMember } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('member accounts', () => {
  it('registers with a username, signs in and out, and the token stops working after logout', async () => {
    const registered = await api(t, 'POST', '/v1/auth/register', {
      body: { username: 'alice_01', password: 'secret123', platform: 'H5' },
    });
    expect(registered.status).toBe(201);
    const me = await api(t, 'GET', '/v1/me', { token: registered.body.token });
    expect(me.body).toMatchObject({
      username: 'alice_01',
      nickname: 'alice_01',
      balance: 0,
      points: 0,
      platform: 'H5',
    });

    const wrong = await api(t, 'POST', '/v1/auth/login', { body: { username: 'alice_01', password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    const unknown = await api(t, 'POST', '/v1/auth/login', {
      body: { username: 'nobody_here', password: 'secret123' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);

    const login = await api(t, 'POST', '/v1/auth/login', { body: { username: 'alice_01', password: 'secret123' } });
    expect(login.status).toBe(200);
    const stored = await t.ctx.db
      .selectFrom('auth_tokens')
      .select('token_hash')
      .where('subject_id', '=', login.body.memberId)
      .execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(login.body.token);

    expect((await api(t, 'POST', '/v1/auth/logout', { token: login.body.token })).status).toBe(204);
    expect((await api(t, 'GET', '/v1/me', { token: login.body.token })).status).toBe(401);
    expect((await api(t, 'GET', '/v1/me', { token: registered.body.token })).status).toBe(200);
  });

  it('registers with a mobile number, refuses duplicates, and stores only an scrypt hash', async () => {
    const first = await api(t, 'POST', '/v1/auth/register', { body: { mobile: '13900001111', password: 'secret123' } });
    expect(first.status).toBe(201);
    const again = await api(t, 'POST', '/v1/auth/register', {
      body: { mobile: '13900001111', password: 'other-pass' },
    });
    expect(again.status).toBe(409);
    const row = await t.ctx.db
      .selectFrom('members')
      .select(['password_hash', 'nickname'])
      .where('mobile', '=', '13900001111')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('secret123');
    expect(row.nickname).toBe('139****1111');
    expect(
      (await api(t, 'POST', '/v1/auth/login', { body: { mobile: '13900001111', password: 'secret123' } })).status,
    ).toBe(200);
    const neither = await api(t, 'POST', '/v1/auth/register', { body: { password: 'secret123' } });
    expect(neither.status).toBe(400);
  });

  it('expires tokens after their lifetime', async () => {
    const member = await createMember(t);
    expect((await api(t, 'GET', '/v1/me', { token: member.token })).status).toBe(200);
    t.clock.advance(25 * 3600_000); // test tokens live 24 h
    expect((await api(t, 'GET', '/v1/me', { token: member.token })).status).toBe(401);
  });

  it('edits the profile', async () => {
    const member = await createMember(t);
    const edited = await api(t, 'PATCH', '/v1/me', {
      token: member.token,
      body: { nickname: '小李', gender: 2, regionCode: '440300', region: '广东省 深圳市' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ nickname: '小李', gender: 2, regionCode: '440300', region: '广东省 深圳市' });
  });
});

describe('SMS sign-in', () => {
  it('works with the fixed code only in sandbox mode, for a known mobile', async () => {
    await api(t, 'POST', '/v1/auth/register', { body: { mobile: '13900002222', password: 'secret123' } });
    const input = { merchantId: 10001, mobile: '13900002222', code: SANDBOX_SMS_CODE };
    expect((await logInWithSmsCode(t.ctx, input)).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(logInWithSmsCode(t.ctx, { ...input, code: '000000' })).rejects.toMatchObject({ code: 'bad_sms_code' });
    await expect(logInWithSmsCode(t.ctx, { ...input, mobile: '13900009999' })).rejects.toMatchObject({
      code: 'unknown_mobile',
    });
    await expect(
      logInWithSmsCode({ ...t.ctx, config: { ...t.ctx.config, sandbox: false } }, input),
    ).rejects.toMatchObject({ code: 'bad_sms_code' });
  });
});

describe('address book', () => {
  const address = {
    receiverName: '王',
    mobile: '13700000000',
    province: '广东省',
    city: '深圳市',
    district: '龙岗区',
    districtCode: '440307',
    address: '爱联 123 号',
  };

  it('makes the first address the default and keeps exactly one default', async () => {
    const member = await createMember(t);
    const a = await api(t, 'POST', '/v1/addresses', { token: member.token, body: address });
    const b = await api(t, 'POST', '/v1/addresses', { token: member.token, body: { ...address, receiverName: '赵' } });
    expect([a.body.isDefault, b.body.isDefault]).toEqual([true, false]);
    const switched = await api(t, 'PATCH', `/v1/addresses/${b.body.id}`, {
      token: member.token,
      body: { isDefault: true },
    });
    expect(switched.body.isDefault).toBe(true);
    const list = await api(t, 'GET', '/v1/addresses', { token: member.token });
    expect(list.body.map((x: any) => [x.id, x.isDefault])).toEqual([
      [b.body.id, true],
      [a.body.id, false],
    ]);
    expect((await api(t, 'DELETE', `/v1/addresses/${a.body.id}`, { token: member.token })).status).toBe(204);
    expect((await api(t, 'GET', `/v1/addresses/${a.body.id}`, { token: member.token })).status).toBe(404);
  });
});

describe('cart', () => {
  it('adds, merges, updates, selects and removes lines with totals in fen', async () => {
    const member = await createMember(t);
    const guitar = 10003; // demo guitar: 799 yuan, options 普通款 +10 and 加厚款 +30
    const options = (await api(t, 'GET', `/v1/products/${guitar}`)).body.options.map((o: any) => o.id);
    let cart = await api(t, 'POST', '/v1/cart/items', {
      token: member.token,
      body: { productId: guitar, optionIds: options, quantity: 1 },
    });
    expect(cart.status).toBe(201);
    cart = await api(t, 'POST', '/v1/cart/items', {
      token: member.token,
      body: { productId: guitar, optionIds: [...options].reverse(), quantity: 2 },
    });
    expect(cart.body.items).toHaveLength(1);
    expect(cart.body.items[0]).toMatchObject({
      quantity: 3,
      unitPrice: 83900,
      lineTotal: 251700,
      spec: '普通款,加厚款',
    });
    cart = await api(t, 'POST', '/v1/cart/items', { token: member.token, body: { productId: guitar, quantity: 1 } });
    expect(cart.body).toMatchObject({ totalQuantity: 4, selectedTotal: 251700 + 79900, allSelected: true });

    const plainLine = cart.body.items.find((i: any) => i.optionIds.length === 0);
    cart = await api(t, 'PATCH', `/v1/cart/items/${plainLine.id}`, { token: member.token, body: { selected: false } });
    expect(cart.body).toMatchObject({ selectedQuantity: 3, selectedTotal: 251700, allSelected: false });
    cart = await api(t, 'PUT', '/v1/cart/selection', { token: member.token, body: { selected: true } });
    expect(cart.body.allSelected).toBe(true);
    cart = await api(t, 'PATCH', `/v1/cart/items/${plainLine.id}`, { token: member.token, body: { quantity: 5 } });
    expect(cart.body.totalQuantity).toBe(8);
    cart = await api(t, 'DELETE', `/v1/cart/items/${plainLine.id}`, { token: member.token });
    expect(cart.body.totalQuantity).toBe(3);
  });

  it('refuses an option of another product and a product that is off sale', async () => {
    const member = await createMember(t);
    const foreignOption = (await api(t, 'GET', '/v1/products/10003')).body.options[0].id;
    const wrong = await api(t, 'POST', '/v1/cart/items', {
      token: member.token,
      body: { productId: 10001, optionIds: [foreignOption], quantity: 1 },
    });
    expect(wrong.status).toBe(400);
    await t.ctx.db.updateTable('products').set({ on_sale: false }).where('id', '=', 10002).execute();
    try {
      const offSale = await api(t, 'POST', '/v1/cart/items', {
        token: member.token,
        body: { productId: 10002, quantity: 1 },
      });
      expect(offSale.status).toBe(422);
      expect((await api(t, 'GET', '/v1/products/10002')).status).toBe(404);
    } finally {
      await t.ctx.db.updateTable('products').set({ on_sale: true }).where('id', '=', 10002).execute();
    }
  });
});
