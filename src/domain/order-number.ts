/**
 * Order numbers: 16 digits, local date `yyyyMMdd` + an 8-digit sequence.
 *
 * The mall client reads order numbers as JSON numbers, so every order number must be an integer
 * no larger than Number.MAX_SAFE_INTEGER (9007199254740991) and must not start with 0 (a leading
 * zero would vanish in the number). That holds for years 1000–9007 (the largest possible number is
 * 9007123199999999); formatOrderNo refuses anything else rather than hand out a number that breaks.
 */

import { localTime } from './local-time.ts';

const SEQUENCE_MODULUS = 100_000_000n;
const ORDER_NO = /^\d{16}$/;

export function formatOrderNo(at: Date, sequence: number | bigint, timeZone = 'Asia/Shanghai'): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('order time is not a valid date');
  const orderNo = localDateDigits(at, timeZone) + sequenceDigits(sequence);
  if (orderNo.startsWith('0') || Number(orderNo) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`order number ${orderNo} would not survive as a JSON number`);
  }
  return orderNo;
}

/**
 * The date part of the order numbers made at `at`, for a statement that appends the sequence itself. Checked as
 * formatOrderNo checks a number: a date that passes with sequence 0 passes with any (the largest, 9007123199999999,
 * is still a safe integer).
 */
export function orderNoDate(at: Date, timeZone = 'Asia/Shanghai'): string {
  return formatOrderNo(at, 0, timeZone).slice(0, 8);
}

export function isOrderNo(s: string): boolean {
  return ORDER_NO.test(s);
}

/** The calendar date where the store is, not UTC: an order at 01:00 in Shanghai belongs to that day. */
function localDateDigits(at: Date, timeZone: string): string {
  const { year, month, day } = localTime(at, timeZone);
  const date = `${year}${month}${day}`;
  if (!/^\d{8}$/.test(date))
    throw new RangeError(`date outside years 1000–9999 for an order number: ${at.toISOString()}`);
  return date;
}

/** The sequence wraps every 10^8 so a busy merchant can never overflow the 8 digits. */
function sequenceDigits(sequence: number | bigint): string {
  if (typeof sequence === 'number' && !Number.isSafeInteger(sequence)) {
    throw new RangeError(`order sequence must be an integer: ${sequence}`);
  }
  const value = BigInt(sequence);
  if (value < 0n) throw new RangeError(`order sequence must not be negative: ${sequence}`);
  return String(value % SEQUENCE_MODULUS).padStart(8, '0');
}
