/**
 * Order numbers: 16 digits, local date `yyyyMMdd` + an 8-digit sequence.
 *
 * The mall client reads order numbers as JSON numbers, so every order number must be an integer
 * no larger than Number.MAX_SAFE_INTEGER (9007199254740991) and must not start with 0 (a leading
 * zero would vanish in the number). That holds for years 1000–9007 (the largest possible number is
 * 9007123199999999); formatOrderNo refuses anything else rather than hand out a number that breaks.
 */

const SEQUENCE_MODULUS = 100_000_000n;
const ORDER_NO = /^\d{16}$/;

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

export function formatOrderNo(at: Date, sequence: number | bigint, timeZone = 'Asia/Shanghai'): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('order time is not a valid date');
  const orderNo = localDateDigits(at, timeZone) + sequenceDigits(sequence);
  if (orderNo.startsWith('0') || Number(orderNo) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`order number ${orderNo} would not survive as a JSON number`);
  }
  return orderNo;
}

export function isOrderNo(s: string): boolean {
  return ORDER_NO.test(s);
}

/** The calendar date where the store is, not UTC: an order at 01:00 in Shanghai belongs to that day. */
function localDateDigits(at: Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}${part('month')}${part('day')}`;
  if (!/^\d{8}$/.test(date)) throw new RangeError(`date outside years 1000–9999 for an order number: ${at.toISOString()}`);
  return date;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    // Pinned calendar and digits so a host locale can never produce Buddhist years or non-ASCII digits.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormatters.set(timeZone, formatter);
  }
  return formatter;
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
