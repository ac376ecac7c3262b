import { createApp } from '../merchants/apps.ts';
import { createStore } from '../merchants/stores.ts';
import { createStaff } from '../staff/create-staff.ts';
import { merchantOption, newPassword, type DataCommand } from './command-spec.ts';

export const merchantCommands: DataCommand[] = [
  {
    name: 'merchant create',
    summary: 'a merchant with one store and an admin account (its password is printed once)',
    options: [{ flags: '--name <name>', description: 'the merchant’s (and its first store’s) name', required: true }],
    async run(ctx, o) {
      const name = String(o.name);
      const merchant = await ctx.db.insertInto('merchants').values({ name }).returning('id').executeTakeFirstOrThrow();
      const store = await createStore(ctx, merchant.id, { name });
      const secret = newPassword();
      const admin = await createStaff(ctx, merchant.id, {
        username: `admin${merchant.id}`,
        password: secret,
        role: 'admin',
      });
      return `merchant ${merchant.id}, store ${store.id}, admin ${admin.username} / ${secret} (shown once)`;
    },
  },
  {
    name: 'store create',
    summary: 'another store of a merchant',
    options: [
      merchantOption,
      { flags: '--name <name>', description: 'the store’s name', required: true },
      { flags: '--phone <phone>', description: 'its phone number' },
      { flags: '--address <address>', description: 'its address' },
    ],
    async run(ctx, o) {
      const store = await createStore(ctx, Number(o.merchant), {
        name: String(o.name),
        phone: o.phone as string | undefined,
        address: o.address as string | undefined,
      });
      return `store ${store.id}`;
    },
  },
  {
    name: 'app create',
    summary: 'an app for the signed merchant API (a till); its secret is printed once',
    options: [
      merchantOption,
      { flags: '--name <name>', description: 'the app’s name', required: true },
      { flags: '--webhook <url>', description: 'where ordo sends its webhooks' },
    ],
    async run(ctx, o) {
      const app = await createApp(ctx, Number(o.merchant), {
        name: String(o.name),
        webhookUrl: o.webhook as string | undefined,
      });
      return `app ${app.appId}\nsecret ${app.secret}   (shown once: store it in the till's configuration)`;
    },
  },
];
