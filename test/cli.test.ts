import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/passwords.ts';
import { DATA_COMMANDS } from '../src/cli/commands.ts';
import { emptyDatabase } from './support/empty-database.ts';
import { ordoCli } from './support/ordo-cli.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const oneLine = (text: string) => text.trim().split('\n').length === 1;

describe('npm run ordo: help and usage errors (no database touched)', () => {
  // a folder that does not exist: help and usage errors must not create it
  const env = { DATABASE_URL: '', ORDO_DATA_DIR: '/nonexistent/ordo-cli-help' };

  it('--help, a bare run and every command’s --help print usage and exit 0; the exit codes are listed', async () => {
    const help = await ordoCli(env, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ordo <command> [options]');
    for (const line of [
      '0  done',
      '1  the command was refused',
      '2  the command line is wrong',
      '3  the PGlite data folder is held',
    ])
      expect(help.stdout).toContain(line);
    for (const command of DATA_COMMANDS) expect(help.stdout).toContain(command.name);
    expect(await ordoCli(env)).toEqual({ code: 0, stdout: help.stdout, stderr: '' });

    const names = [...DATA_COMMANDS.map((c) => c.name), 'backup', 'restore'];
    const replies = await Promise.all(names.map((name) => ordoCli(env, ...name.split(' '), '--help')));
    replies.forEach((reply, i) => {
      expect({ name: names[i], code: reply.code, stderr: reply.stderr }).toEqual({
        name: names[i],
        code: 0,
        stderr: '',
      });
      expect(reply.stdout).toContain(`Usage: ordo ${names[i]}`);
    });
    expect((await ordoCli(env, 'staff', 'create', '--help')).stdout).toMatch(
      /--merchant <id>[\s\S]*--username <name>[\s\S]*--role <role>/,
    );
  }, 600_000);

  it('a wrong command, option or value is one clear line and exit 2', async () => {
    const cases: [string[], string][] = [
      [['nonsense'], "ordo: unknown command 'nonsense'"],
      [['staff', 'list', '--bogus'], "ordo: unknown option '--bogus'"],
      [['staff', 'create', '--merchant', '1'], "ordo: required option '--username <name>' not specified"],
      [
        ['staff', 'create', '--merchant', 'one', '--username', 'x'],
        "ordo: option '--merchant <id>' argument 'one' is invalid",
      ],
      [
        ['staff', 'create', '--merchant', '1', '--username', 'x', '--role', 'boss'],
        "ordo: option '--role <role>' argument 'boss' is invalid. it is admin or operator.",
      ],
      [
        ['coupon', 'edit', '--merchant', '1', '--code', 'A', '--ends-at', 'soon'],
        "ordo: option '--ends-at <time|none>' argument 'soon' is invalid",
      ],
      [['backup'], "ordo: missing required argument 'file'"],
    ];
    for (const [args, message] of cases) {
      const reply = await ordoCli(env, ...args);
      expect({ args, code: reply.code, stdout: reply.stdout, oneLine: oneLine(reply.stderr) }).toEqual({
        args,
        code: 2,
        stdout: '',
        oneLine: true,
      });
      expect(reply.stderr).toContain(message);
      expect(reply.stderr).toContain('--help)');
    }
  }, 600_000);
});

describe('npm run ordo', () => {
  it('creates a merchant with its store and admin, and an app whose secret is printed once and kept only sealed', async () => {
    const db = await emptyDatabase('cli');
    cleanups.push(() => db.drop());

    const merchant = await ordoCli(db.env, 'merchant', 'create', '--name', '二号店');
    const [, merchantId, storeId, username, password] = merchant.stdout.match(
      /^merchant (\d+), store (\d+), admin (\S+) \/ (\S+)/,
    )!;
    const app = await ordoCli(
      db.env,
      'app',
      'create',
      '--merchant',
      merchantId!,
      '--name',
      'till',
      '--webhook',
      'http://127.0.0.1:9/hooks',
    );
    const [, appId, secret] = app.stdout.match(/^app (app_[0-9a-f]{16})\nsecret (\S+)/)!;
    expect(await ordoCli(db.env, 'app', 'create', '--merchant', '999999', '--name', 'x')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ordo: no such merchant\n',
    });

    const handle = await db.open();
    try {
      const store = await handle.db
        .selectFrom('stores')
        .select(['merchant_id'])
        .where('id', '=', Number(storeId))
        .executeTakeFirstOrThrow();
      expect(store.merchant_id).toBe(Number(merchantId));
      const staff = await handle.db
        .selectFrom('staff')
        .select(['role', 'password_hash'])
        .where('username', '=', username!)
        .executeTakeFirstOrThrow();
      expect(staff.role).toBe('admin');
      expect(staff.password_hash).not.toContain(password!);
      const row = await handle.db.selectFrom('apps').selectAll().where('app_id', '=', appId!).executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        merchant_id: Number(merchantId),
        webhook_url: 'http://127.0.0.1:9/hooks',
        secret_hash: createHash('sha256').update(secret!).digest('hex'),
      });
      expect(row.secret_encrypted).not.toContain(secret!);
    } finally {
      await handle.close();
    }
  }, 600_000);

  it('lists staff with their ids, disables and enables an account, resets a password (printed once)', async () => {
    const db = await emptyDatabase('cli_staff');
    cleanups.push(() => db.drop());
    const merchant = await ordoCli(db.env, 'merchant', 'create', '--name', '三号店');
    const merchantId = merchant.stdout.match(/^merchant (\d+)/)![1]!;
    const created = await ordoCli(db.env, 'staff', 'create', '--merchant', merchantId, '--username', 'till_one');
    const staffId = created.stdout.match(/^staff (\d+) till_one \(operator\)/)![1]!;

    const listed = await ordoCli(db.env, 'staff', 'list', '--merchant', merchantId);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^id +merchant +username +role +status +refund password +last sign-in/,
    );
    expect(listed.stdout).toMatch(new RegExp(`^${staffId} +${merchantId} +till_one +operator +active +no +-$`, 'm'));

    expect(await ordoCli(db.env, 'staff', 'disable', '--username', 'till_one')).toMatchObject({
      code: 0,
      stdout: `staff ${staffId} till_one disabled\n`,
    });
    expect((await ordoCli(db.env, 'staff', 'list')).stdout).toMatch(
      new RegExp(`^${staffId} +${merchantId} +till_one +operator +disabled`, 'm'),
    );
    expect(await ordoCli(db.env, 'staff', 'enable', '--username', 'till_one')).toMatchObject({
      code: 0,
      stdout: `staff ${staffId} till_one enabled\n`,
    });
    const reset = await ordoCli(db.env, 'staff', 'reset-password', '--username', 'till_one');
    const [, newPassword] = reset.stdout.match(new RegExp(`^staff ${staffId} till_one / (\\S+) \\(shown once\\)`))!;
    expect(await ordoCli(db.env, 'staff', 'disable', '--username', 'nobody')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ordo: staff account not found\n',
    });

    const handle = await db.open();
    try {
      const row = await handle.db
        .selectFrom('staff')
        .select(['password_hash', 'disabled'])
        .where('id', '=', Number(staffId))
        .executeTakeFirstOrThrow();
      expect(row.disabled).toBe(false);
      expect(await verifyPassword(newPassword!, row.password_hash)).toBe(true);
    } finally {
      await handle.close();
    }
  }, 600_000);

  it('creates, edits, lists and deletes coupons by code', async () => {
    const db = await emptyDatabase('cli_coupons');
    cleanups.push(() => db.drop());
    const merchantId = (await ordoCli(db.env, 'merchant', 'create', '--name', '四号店')).stdout.match(
      /^merchant (\d+)/,
    )![1]!;
    const coupon = (...args: string[]) => ordoCli(db.env, 'coupon', ...args, '--merchant', merchantId);

    expect(
      await coupon('create', '--code', 'NEW10', '--kind', 'fixed', '--amount-off', '1000', '--min-spend', '5000'),
    ).toMatchObject({ code: 0, stdout: expect.stringMatching(/^coupon \d+ NEW10: ¥10\.00 off, min spend ¥50\.00\n$/) });
    expect(
      await coupon(
        'edit',
        '--code',
        'NEW10',
        '--kind',
        'percent',
        '--percent-off',
        '15',
        '--max-off',
        '2000',
        '--total-quantity',
        '100',
      ),
    ).toMatchObject({ code: 0, stdout: expect.stringContaining('NEW10: 15% off (at most ¥20.00), min spend ¥50.00') });
    expect(await coupon('edit', '--code', 'NEW10', '--percent-off', '0')).toMatchObject({
      code: 1,
      stderr: 'ordo: a percent coupon needs percentOff between 1 and 99\n',
    });
    expect((await coupon('list')).stdout).toMatch(
      /^\d+ {2}NEW10 {2}"NEW10" {2}15% off \(at most ¥20\.00\), min spend ¥50\.00 {2}- → - \(UTC\) {2}used 0\/100$/m,
    );
    expect(await coupon('edit', '--code', 'NEW10', '--max-off', 'none', '--total-quantity', 'none')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('NEW10: 15% off, min spend ¥50.00'),
    });
    expect(await coupon('delete', '--code', 'NEW10')).toEqual({
      code: 0,
      stdout: 'coupon NEW10 deleted\n',
      stderr: '',
    });
    expect(await coupon('delete', '--code', 'NEW10')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ordo: coupon not found\n',
    });
    expect((await coupon('list')).stdout).toBe('no coupons\n');
  }, 600_000);
});
