import { verifyPassword } from '../auth/passwords.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { DEMO } from '../demo/seed-demo.ts';

/** What production mode (ORDO_ENV or NODE_ENV = production) refuses in the settings themselves. */
export function productionProblems(config: Config): string[] {
  if (!config.production) return [];
  const problems: string[] = [];
  if (config.sandbox)
    problems.push('the payment sandbox is on: set ORDO_SANDBOX=false (it fakes payments and SMS codes)');
  if (config.seedDemo) problems.push('demo data seeding is on: set ORDO_SEED_DEMO=false');
  if (!config.masterKey)
    problems.push(
      'no master key: set ORDO_MASTER_KEY (openssl rand -base64 32) instead of a key file next to the data',
    );
  return problems;
}

/** The demo accounts that still open with their published passwords. */
export async function demoPasswordsInUse(handle: DatabaseHandle): Promise<string[]> {
  const open: string[] = [];
  const member = await handle.db
    .selectFrom('members')
    .select('password_hash')
    .where('merchant_id', '=', DEMO.merchantId)
    .where('username', '=', DEMO.member.username)
    .executeTakeFirst();
  if (member && (await verifyPassword(DEMO.member.password, member.password_hash)))
    open.push(`member ${DEMO.member.username}`);
  for (const account of DEMO.staff) {
    const staff = await handle.db
      .selectFrom('staff')
      .select(['password_hash', 'disabled'])
      .where('username', '=', account.username)
      .executeTakeFirst();
    if (staff && !staff.disabled && (await verifyPassword(account.password, staff.password_hash)))
      open.push(`staff ${account.username}`);
  }
  return open;
}

function refuse(err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  // an operator's mistake, not a bug: the list of problems, no stack trace
  console.error(err.message);
  process.exit(1);
}

/** The configuration from the environment, or (with every problem listed on stderr) exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    const config = loadConfig(env);
    const problems = productionProblems(config);
    if (problems.length) throw new ConfigError(problems.map((p) => `production mode: ${p}`));
    return config;
  } catch (err) {
    refuse(err);
  }
}

/** In production mode, exit 1 while a demo account still opens with its published password. */
export async function refuseDemoPasswordsInProduction(config: Config, handle: DatabaseHandle): Promise<void> {
  if (!config.production) return;
  const open = await demoPasswordsInUse(handle);
  if (open.length === 0) return;
  await handle.close();
  refuse(
    new ConfigError(
      open.map(
        (who) => `production mode: the demo ${who} still has its published password: change it or disable the account`,
      ),
    ),
  );
}
