import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatOrderNo, isOrderNo } from '../../src/domain/order-number.ts';

describe('formatOrderNo', () => {
  it('uses the local date in Shanghai by default', () => {
    // 17:00 UTC is 01:00 the next day in Shanghai.
    expect(formatOrderNo(new Date('2026-11-21T17:00:00Z'), 42)).toBe('2026112200000042');
    expect(formatOrderNo(new Date('2026-11-21T15:59:59.999Z'), 42)).toBe('2026112100000042');
    expect(formatOrderNo(new Date('2026-11-21T16:00:00Z'), 42)).toBe('2026112200000042');
  });

  it('uses the given time zone', () => {
    const at = new Date('2026-11-21T17:00:00Z');
    expect(formatOrderNo(at, 1, 'UTC')).toBe('2026112100000001');
    expect(formatOrderNo(new Date('2026-01-01T05:00:00Z'), 1, 'America/Los_Angeles')).toBe('2025123100000001');
  });

  it('wraps the sequence every 10^8 and zero-pads it to 8 digits', () => {
    const at = new Date('2026-03-05T04:00:00Z');
    expect(formatOrderNo(at, 0)).toBe('2026030500000000');
    expect(formatOrderNo(at, 99_999_999)).toBe('2026030599999999');
    expect(formatOrderNo(at, 100_000_000)).toBe('2026030500000000');
    expect(formatOrderNo(at, 123_456_789)).toBe('2026030523456789');
    expect(formatOrderNo(at, Number.MAX_SAFE_INTEGER)).toBe('2026030554740991');
    expect(formatOrderNo(at, 7n)).toBe('2026030500000007');
    expect(formatOrderNo(at, 10n ** 30n + 7n)).toBe('2026030500000007');
  });

  it('produces numbers that survive a JSON number round trip', () => {
    const orderNo = formatOrderNo(new Date('2026-12-31T12:00:00Z'), 99_999_999);
    const asNumber = Number(orderNo);
    expect(Number.isSafeInteger(asNumber)).toBe(true);
    expect(JSON.parse(JSON.stringify({ orderNo: asNumber })).orderNo.toString()).toBe(orderNo);
  });

  it('accepts the last year whose numbers are still safe integers and refuses the next', () => {
    const lastSafe = formatOrderNo(new Date('9007-12-31T00:00:00Z'), 99_999_999);
    expect(lastSafe).toBe('9007123199999999');
    expect(Number(lastSafe)).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(() => formatOrderNo(new Date('9008-01-01T00:00:00Z'), 0)).toThrow(RangeError);
  });

  it('refuses years that do not have four digits', () => {
    expect(() => formatOrderNo(new Date('0999-06-01T00:00:00Z'), 0)).toThrow(RangeError);
  });

  it('rejects bad sequences, dates and time zones', () => {
    const at = new Date('2026-11-21T17:00:00Z');
    for (const sequence of [-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => formatOrderNo(at, sequence)).toThrow(RangeError);
    }
    expect(() => formatOrderNo(at, -1n)).toThrow(RangeError);
    expect(() => formatOrderNo(new Date('not a date'), 1)).toThrow(RangeError);
    expect(() => formatOrderNo(at, 1, 'Not/AZone')).toThrow(RangeError);
  });

  it('always gives 16 digits that are a safe integer and start with the Shanghai date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: 2n ** 64n })),
        (at, sequence) => {
          const orderNo = formatOrderNo(at, sequence);
          expect(isOrderNo(orderNo)).toBe(true);
          expect(Number.isSafeInteger(Number(orderNo))).toBe(true);
          expect(String(Number(orderNo))).toBe(orderNo);
          // Shanghai has been UTC+8 without daylight saving since 1991.
          const shanghaiDate = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
          expect(orderNo.slice(0, 8)).toBe(shanghaiDate);
          expect(BigInt(orderNo.slice(8))).toBe(BigInt(sequence) % 100_000_000n);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('isOrderNo', () => {
  it('accepts exactly 16 ASCII digits', () => {
    expect(isOrderNo('2026112200000042')).toBe(true);
    expect(isOrderNo('0000000000000000')).toBe(true);
  });

  it.each([
    '',
    '202611220000004',
    '20261122000000420',
    '2026112200000O42',
    ' 2026112200000042',
    '2026112200000042\n',
    '2026-11-22-00042',
    '２０２６１１２２００００００４２',
  ])('rejects %j', (s) => {
    expect(isOrderNo(s)).toBe(false);
  });
});
