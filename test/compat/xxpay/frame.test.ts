import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_MENU } from '../../../src/compat/xxpay/console-mapping.ts';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { consoleCall, consoleLogin } from './console-client.ts';

/** The console's frame (routes/console-frame.ts): header, current user, the side menu, and 暂不支持 elsewhere. */

let t: TestApp;
let admin: string;
let cashier: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await consoleLogin(t, DEMO.staff[0]!.username, DEMO.staff[0]!.password);
  cashier = await consoleLogin(t, DEMO.staff[1]!.username, DEMO.staff[1]!.password);
});
afterAll(() => t.close());

describe('xxpay console frame', () => {
  it('mch/get: the merchant, with mchName for the header', async () => {
    const reply = await consoleCall(t, 'mch/get', {}, admin);
    expect(reply.code).toBe(0);
    expect(typeof reply.data.mchName).toBe('string');
    expect(reply.data.mchName.length).toBeGreaterThan(0);
    expect(reply.data.mchId).toBe(DEMO.merchantId);
    expect(reply.data.privateKey).toBe('--');
  });

  it('mch/current: who is signed in, admins as superAdmin and cashiers as operator', async () => {
    const me = await consoleCall(t, 'mch/current', {}, admin);
    expect(me.data).toMatchObject({ loginUserName: 'admin', currentUserRoleType: 'superAdmin', isSuperAdmin: 1 });
    expect(typeof me.data.userId).toBe('number');
    const them = await consoleCall(t, 'mch/current', {}, cashier);
    expect(them.data).toMatchObject({ loginUserName: 'cashier', currentUserRoleType: 'operator' });
  });

  it('mch/menu_get: the tree layui reads, listing exactly the screens whose route answers', async () => {
    const menu = await consoleCall(t, 'mch/menu_get', {}, admin);
    expect(menu.code).toBe(0);
    const needs = new Map<string, string>();
    for (const group of CONSOLE_MENU) {
      if (group.needs) needs.set(group.name, group.needs);
      for (const screen of group.list ?? []) needs.set(`${group.name}/${screen.name}`, screen.needs);
    }
    const listed: string[] = [];
    for (const item of menu.data) {
      for (const field of ['resourceId', 'name', 'title', 'jump', 'icon', 'parentId', 'list'])
        expect(item).toHaveProperty(field);
      expect(Array.isArray(item.list)).toBe(true);
      if (item.list.length === 0) listed.push(item.name);
      for (const child of item.list) {
        expect(child.parentId).toBe(item.resourceId);
        expect(child.jump).toBe(`${item.name}/${child.name}/`);
        listed.push(`${item.name}/${child.name}`);
      }
    }
    expect(listed).toContain('home');
    expect(listed).toEqual(expect.arrayContaining(['order/trade', 'order/pay', 'order/refund']));
    for (const screen of listed) {
      const answer = await consoleCall(t, needs.get(screen)!, { page: 1, limit: 10 }, admin);
      expect(answer.code, `${screen} → ${needs.get(screen)}: ${answer.msg}`).toBe(0);
    }
    // a screen whose route ordo does not serve is not listed
    for (const [screen, route] of needs)
      if (!listed.includes(screen)) expect((await consoleCall(t, route, {}, admin)).msg).toContain('暂不支持');
  });

  it('a console screen ordo has no notion of answers 暂不支持 in the envelope, never a page error', async () => {
    for (const route of ['agentpay/list', 'live/rooms/list', 'sys_article/list', 'mch_mini_config/get']) {
      const reply = await consoleCall(t, route, { page: 1, limit: 10 }, admin);
      expect(reply.code).not.toBe(0);
      expect(reply.code).not.toBe(1002);
      expect(reply.msg).toContain('暂不支持');
    }
  });

  it('without a token the frame answers 1001, which sends the console to its login page', async () => {
    for (const route of ['mch/get', 'mch/current', 'mch/menu_get'])
      expect((await consoleCall(t, route)).code).toBe(1001);
  });
});
