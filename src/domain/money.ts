/**
 * Money as integer fen (1 yuan = 100 fen).
 *
 * Every conversion here works on decimal strings and integers, never on float products such as
 * `yuan * 100`, because 0.1 + 0.2 style errors would silently lose or invent a fen.
 */

/** An integer number of fen. */
export type Fen = number;

const HUNDREDTHS_PER_UNIT = 100n;
const BASIS_POINTS_PER_WHOLE = 10_000n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A plain non-negative decimal with at most two fractional digits: "12", "12.3", "12.34". */
const TWO_DECIMALS = /^(\d+)(?:\.(\d{1,2}))?$/;

export function isFen(n: unknown): n is Fen {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

export function fenToYuanString(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  // Safe integers always stringify without an exponent, so slicing digits is exact.
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * For JSON yuan numbers at the edges only. Going through the string yields the double nearest to
 * the exact decimal (so 30 fen is 0.3, not 0.30000000000000004). Below 10^15 fen every amount
 * round-trips through yuanToFen; above that a double cannot tell neighbouring fen apart.
 */
export function fenToYuanNumber(fen: Fen): number {
  return Number(fenToYuanString(fen));
}

export function yuanToFen(yuan: string | number): Fen {
  const hundredths = parseHundredths(yuan, 'yuan amount');
  if (hundredths > MAX_SAFE) throw new RangeError(`yuan amount too large: ${String(yuan)}`);
  return Number(hundredths);
}

/**
 * A percentage with at most two decimals as an integer count of basis points (hundredths of a
 * percent): 95 → 9500, 87.5 → 8750. Lets callers do percent maths (e.g. 100 − p) in integers.
 */
export function percentToBasisPoints(percent: number): number {
  return Number(parseHundredths(percent, 'percent'));
}

/**
 * fen × percent / 100, rounded half up to a whole fen (2.5 → 3), computed exactly in BigInt.
 *
 * Half up is chosen because the result is usually the amount the buyer still pays (e.g. 95% of the
 * price for a member grade); rounding that up means a discount derived as `price − result` rounds
 * down on an exact half, so the merchant never gives away a fen more than the stated percentage.
 */
export function applyPercent(fen: Fen, percent: number): Fen {
  if (!isFen(fen)) throw new RangeError(`not a non-negative integer number of fen: ${fen}`);
  const basisPoints = BigInt(percentToBasisPoints(percent));
  const numerator = BigInt(fen) * basisPoints;
  const rounded = (numerator + BASIS_POINTS_PER_WHOLE / 2n) / BASIS_POINTS_PER_WHOLE;
  if (rounded > MAX_SAFE) throw new RangeError(`${percent}% of ${fen} fen is too large`);
  return Number(rounded);
}

/**
 * Parses a non-negative decimal with at most two fractional digits into hundredths.
 * Numbers use their shortest round-trip string (String(n)), which is the decimal the author wrote:
 * String(0.1) is "0.1", so 0.1 yuan becomes exactly 10 fen.
 */
function parseHundredths(value: string | number, what: string): bigint {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${what} must be finite: ${value}`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    throw new RangeError(`${what} must be a string or number`);
  }
  const match = TWO_DECIMALS.exec(text);
  if (!match) {
    throw new RangeError(`${what} must be a non-negative decimal with at most 2 decimals: ${JSON.stringify(text)}`);
  }
  const whole = BigInt(match[1] ?? '0');
  const fraction = BigInt((match[2] ?? '').padEnd(2, '0'));
  return whole * HUNDREDTHS_PER_UNIT + fraction;
}
