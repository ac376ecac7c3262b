import { InvalidArgumentError } from 'commander';
import {
  couponIdByCode,
  createCoupon,
  deleteCoupon,
  listCoupons,
  updateCoupon,
  type Coupon,
  type CouponChanges,
} from '../coupons/coupons.ts';
import {
  merchantOption,
  moment,
  oneOf,
  wholeNumber,
  type DataCommand,
  type OptionSpec,
  type OptionValues,
} from './command-spec.ts';

const code = (value: string): string => {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(value)) throw new InvalidArgumentError('1 to 32 letters, digits, _ or -.');
  return value;
};
const wholeOrNone = (value: string) => (value === 'none' ? value : wholeNumber(value));

const codeOption: OptionSpec = {
  flags: '--code <code>',
  description: 'the code shoppers type',
  required: true,
  parse: code,
};
const termOptions: OptionSpec[] = [
  { flags: '--title <title>', description: 'what shoppers see' },
  { flags: '--kind <kind>', description: 'fixed (an amount off) or percent', parse: oneOf('fixed', 'percent') },
  {
    flags: '--amount-off <fen>',
    description: 'a fixed coupon’s amount off, in fen (1000 = ¥10.00)',
    parse: wholeNumber,
  },
  { flags: '--percent-off <n>', description: 'a percent coupon’s discount, 1 to 99', parse: wholeNumber },
  { flags: '--max-off <fen|none>', description: 'the most a percent coupon takes off, in fen', parse: wholeOrNone },
  { flags: '--min-spend <fen>', description: 'the least an order must cost, in fen', parse: wholeNumber },
  {
    flags: '--starts-at <time|none>',
    description: 'valid from (RFC 3339, e.g. 2026-12-01T00:00:00+08:00)',
    parse: moment,
  },
  { flags: '--ends-at <time|none>', description: 'valid until', parse: moment },
  { flags: '--total-quantity <n|none>', description: 'how many orders may use it', parse: wholeOrNone },
];

const orNull = <T>(value: unknown, convert: (v: string | number) => T): T | null | undefined =>
  value === undefined ? undefined : value === 'none' ? null : convert(value as string | number);

function termsFrom(o: OptionValues): CouponChanges {
  const terms: CouponChanges = {
    title: o.title as string | undefined,
    kind: o.kind as Coupon['kind'] | undefined,
    amountOff: o.amountOff as number | undefined,
    percentOff: o.percentOff as number | undefined,
    maxOff: orNull(o.maxOff, Number),
    minSpend: o.minSpend as number | undefined,
    startsAt: orNull(o.startsAt, (v) => new Date(v)),
    endsAt: orNull(o.endsAt, (v) => new Date(v)),
    totalQuantity: orNull(o.totalQuantity, Number),
  };
  return Object.fromEntries(Object.entries(terms).filter(([, value]) => value !== undefined));
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const describe = (c: Coupon) =>
  `${c.kind === 'fixed' ? `${yuan(c.amountOff)} off` : `${c.percentOff}% off${c.maxOff === null ? '' : ` (at most ${yuan(c.maxOff)})`}`}, min spend ${yuan(c.minSpend)}`;

export const couponCommands: DataCommand[] = [
  {
    name: 'coupon list',
    summary: 'a merchant’s coupons, with their terms and use',
    options: [merchantOption],
    async run(ctx, o) {
      const coupons = await listCoupons(ctx, Number(o.merchant));
      if (coupons.length === 0) return 'no coupons';
      const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');
      return coupons
        .map(
          (c) =>
            `${c.id}  ${c.code}  "${c.title}"  ${describe(c)}  ${day(c.startsAt)} → ${day(c.endsAt)} (UTC)  used ${c.usedQuantity}/${c.totalQuantity ?? '∞'}`,
        )
        .join('\n');
    },
  },
  {
    name: 'coupon create',
    summary: 'a coupon code: an amount or a percentage off, with a minimum spend',
    options: [
      merchantOption,
      codeOption,
      ...termOptions.map((option) => (option.flags.startsWith('--kind') ? { ...option, required: true } : option)),
    ],
    async run(ctx, o) {
      const terms = termsFrom(o);
      const coupon = await createCoupon(ctx, Number(o.merchant), {
        ...terms,
        code: String(o.code),
        kind: terms.kind!,
        minSpend: terms.minSpend ?? 0,
        title: terms.title ?? String(o.code),
      });
      return `coupon ${coupon.id} ${coupon.code}: ${describe(coupon)}`;
    },
  },
  {
    name: 'coupon edit',
    summary: 'changes a coupon’s terms (its code stays); "none" clears a limit or a date',
    options: [merchantOption, codeOption, ...termOptions],
    async run(ctx, o) {
      const merchantId = Number(o.merchant);
      const coupon = await updateCoupon(
        ctx,
        merchantId,
        await couponIdByCode(ctx, merchantId, String(o.code)),
        termsFrom(o),
      );
      return `coupon ${coupon.id} ${coupon.code}: ${describe(coupon)}`;
    },
  },
  {
    name: 'coupon delete',
    summary: 'deletes a coupon no order has used (end a used one with coupon edit --ends-at)',
    options: [merchantOption, codeOption],
    async run(ctx, o) {
      const merchantId = Number(o.merchant);
      await deleteCoupon(ctx, merchantId, await couponIdByCode(ctx, merchantId, String(o.code)));
      return `coupon ${o.code} deleted`;
    },
  },
];
