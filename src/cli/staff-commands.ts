import { createStaff } from '../staff/create-staff.ts';
import { listStaff, resetStaffPassword, setStaffDisabled } from '../staff/manage-staff.ts';
import { merchantOption, newPassword, oneOf, wholeNumber, type DataCommand } from './command-spec.ts';

const usernameOption = { flags: '--username <name>', description: 'the staff account’s sign-in name', required: true };

export const staffCommands: DataCommand[] = [
  {
    name: 'staff create',
    summary: 'a staff account (its password is printed once)',
    options: [
      merchantOption,
      usernameOption,
      {
        flags: '--role <role>',
        description: 'admin or operator (default: operator)',
        parse: oneOf('admin', 'operator'),
      },
    ],
    async run(ctx, o) {
      const role = o.role === 'admin' ? 'admin' : 'operator';
      const secret = newPassword();
      const staff = await createStaff(ctx, Number(o.merchant), {
        username: String(o.username),
        password: secret,
        role,
      });
      return `staff ${staff.id} ${staff.username} (${role}) / ${secret} (shown once)`;
    },
  },
  {
    name: 'staff list',
    summary: 'the staff accounts, with the ids the refund-password route takes',
    options: [
      { flags: '--merchant <id>', description: 'only this merchant’s (default: every merchant’s)', parse: wholeNumber },
    ],
    async run(ctx, o) {
      const staff = await listStaff(ctx, o.merchant === undefined ? undefined : Number(o.merchant));
      if (staff.length === 0) return 'no staff accounts';
      const rows = staff.map((s) => [
        String(s.id),
        String(s.merchantId),
        s.username,
        s.role,
        s.disabled ? 'disabled' : s.lockedUntil && s.lockedUntil > ctx.clock.now() ? 'locked' : 'active',
        s.hasRefundPassword ? 'yes' : 'no',
        s.lastLoginAt ? s.lastLoginAt.toISOString().slice(0, 16).replace('T', ' ') : '-',
      ]);
      const header = ['id', 'merchant', 'username', 'role', 'status', 'refund password', 'last sign-in (UTC)'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      return [header, ...rows]
        .map((r) =>
          r
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        )
        .join('\n');
    },
  },
  {
    name: 'staff disable',
    summary: 'stops an account signing in; its open sessions end at once',
    options: [usernameOption],
    async run(ctx, o) {
      const staff = await setStaffDisabled(ctx, String(o.username), true);
      return `staff ${staff.id} ${staff.username} disabled`;
    },
  },
  {
    name: 'staff enable',
    summary: 'lets a disabled account sign in again',
    options: [usernameOption],
    async run(ctx, o) {
      const staff = await setStaffDisabled(ctx, String(o.username), false);
      return `staff ${staff.id} ${staff.username} enabled`;
    },
  },
  {
    name: 'staff reset-password',
    summary: 'a new sign-in password, printed once; the old one and the account’s open sessions stop working',
    options: [usernameOption],
    async run(ctx, o) {
      const secret = newPassword();
      const staff = await resetStaffPassword(ctx, String(o.username), secret);
      return `staff ${staff.id} ${staff.username} / ${secret} (shown once)`;
    },
  },
];
