import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { backUpDatabase } from '../backup/back-up-database.ts';
import { restoreDatabase } from '../backup/restore-database.ts';
import { loadConfig } from '../config.ts';
import { createApp } from '../merchants/apps.ts';
import { createStore } from '../merchants/stores.ts';
import { createStaff } from '../staff/create-staff.ts';
import { createContext, openConfiguredDatabase } from '../start.ts';

const USAGE = `ordo — manage merchants from the command line (uses DATABASE_URL / ORDO_DATA_DIR like the service)

  npm run ordo -- merchant create --name <name>
      a merchant with one store and an admin account (its password is printed once)
  npm run ordo -- store create --merchant <id> --name <name> [--phone <phone>] [--address <address>]
  npm run ordo -- staff create --merchant <id> --username <name> [--role admin|operator]
      the password is printed once
  npm run ordo -- app create --merchant <id> --name <name> [--webhook <url>]
      an app for the signed merchant API; its secret is printed once
  npm run ordo -- backup <file>
      the whole database into <file> (PostgreSQL: pg_dump archive; PGlite: its data folder, gzipped; stop ordo first)
  npm run ordo -- restore <file>
      replaces the database with the backup in <file> (stop ordo first); keep the master key with your backups`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, merchant: { type: 'string' }, phone: { type: 'string' }, address: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, webhook: { type: 'string' } },
});
const [subject, verb] = positionals;
const fail = (message: string): never => {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
};
const merchantId = () => (Number.isInteger(Number(values.merchant)) && values.merchant ? Number(values.merchant) : fail('--merchant <id> is required'));
const required = (value: string | undefined, flag: string) => value || fail(`--${flag} is required`);
const password = () => randomBytes(9).toString('base64url');

if (subject === 'backup' || subject === 'restore') {
  const file = verb ?? fail(`${subject} needs a file name`);
  try {
    const config = loadConfig();
    if (subject === 'backup') {
      const done = await backUpDatabase(config, file);
      console.log(`backed up the ${done.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} database to ${file} (${done.bytes} bytes)`);
    } else {
      const done = await restoreDatabase(config, file);
      console.log(`restored the ${done.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} database from ${file}`);
    }
    process.exit(0);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr;
    // the command line holds the database URL (and maybe its password): only the tool's own words are shown
    console.error(`ordo: ${subject} failed: ${stderr?.trim() || (err as Error).message.replace(/--dbname=\S+/g, '--dbname=…')}`);
    process.exit(1);
  }
}
if (verb !== 'create' || !['merchant', 'store', 'staff', 'app'].includes(subject ?? '')) fail('unknown command');
const config = { ...loadConfig(), logLevel: 'warn' };
const handle = await openConfiguredDatabase(config);
const ctx = createContext(config, handle);
try {
  if (subject === 'merchant') {
    const merchant = await ctx.db.insertInto('merchants').values({ name: required(values.name, 'name') }).returning('id').executeTakeFirstOrThrow();
    const store = await createStore(ctx, merchant.id, { name: values.name! });
    const secret = password();
    const admin = await createStaff(ctx, merchant.id, { username: `admin${merchant.id}`, password: secret, role: 'admin' });
    console.log(`merchant ${merchant.id}, store ${store.id}, admin ${admin.username} / ${secret} (shown once)`);
  } else if (subject === 'store') {
    const store = await createStore(ctx, merchantId(), { name: required(values.name, 'name'), phone: values.phone, address: values.address });
    console.log(`store ${store.id}`);
  } else if (subject === 'staff') {
    const role = values.role === 'admin' ? 'admin' : values.role === undefined || values.role === 'operator' ? 'operator' : fail('--role is admin or operator');
    const secret = password();
    const staff = await createStaff(ctx, merchantId(), { username: required(values.username, 'username'), password: secret, role });
    console.log(`staff ${staff.id} ${staff.username} (${role}) / ${secret} (shown once)`);
  } else {
    const app = await createApp(ctx, merchantId(), { name: required(values.name, 'name'), webhookUrl: values.webhook });
    console.log(`app ${app.appId}\nsecret ${app.secret}   (shown once: store it in the till's configuration)`);
  }
} catch (err) {
  const message = (err as { code?: string }).code === '23503' ? 'no such merchant' : (err as Error).message;
  console.error(`ordo: ${message}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
