import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  applyPercent,
  fenToYuanNumber,
  fenToYuanString,
  isFen,
  percentToBasisPoints,
  yuanToFen,
} from '../../src/domain/money.ts';

const MAX = Number.MAX_SAFE_INTEGER;

describe('isFen', () => {
  it('accepts safe non-negative integers', () => {
    for (const n of [0, 1, 1234, MAX]) expect(isFen(n)).toBe(true);
  });

  it('rejects everything else', () => {
    for (const n of [-1, 1.5, 0.1, NaN, Infinity, -Infinity, MAX + 1, '1', 1n, null, undefined, {}]) {
      expect(isFen(n)).toBe(false);
    }
  });
});

describe('fenToYuanString', () => {
  it.each([
    [1234, '12.34'],
    [5, '0.05'],
    [50, '0.50'],
    [0, '0.00'],
    [100, '1.00'],
    [1200, '12.00'],
    [-150, '-1.50'],
    [-5, '-0.05'],
    [MAX, '90071992547409.91'],
  ])('%i fen → %s', (fen, yuan) => {
    expect(fenToYuanString(fen)).toBe(yuan);
  });

  it('rejects non-integers', () => {
    for (const n of [1.5, NaN, Infinity, MAX + 2]) expect(() => fenToYuanString(n)).toThrow(RangeError);
  });
});

describe('fenToYuanNumber', () => {
  it.each([
    [1234, 12.34],
    [1200, 12],
    [30, 0.3],
    [10, 0.1],
    [1, 0.01],
    [0, 0],
    [-150, -1.5],
  ])('%i fen → %d', (fen, yuan) => {
    expect(fenToYuanNumber(fen)).toBe(yuan);
  });

  it('is the nearest double to the decimal, not an accumulated float', () => {
    expect(fenToYuanNumber(30)).not.toBe(0.1 + 0.2);
    expect(JSON.stringify({ amount: fenToYuanNumber(1999) })).toBe('{"amount":19.99}');
  });
});

describe('yuanToFen', () => {
  it.each<[string | number, number]>([
    ['12.34', 1234],
    ['12.3', 1230],
    ['12', 1200],
    ['0.05', 5],
    ['0', 0],
    ['007.50', 750],
    [12, 1200],
    [0.1, 10],
    [0.29, 29], // 0.29 * 100 = 28.999999999999996 in floats
    [1.15, 115], // 1.15 * 100 = 114.99999999999999
    [19.99, 1999],
    [-0, 0],
    ['90071992547409.91', MAX],
  ])('%s → %i fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each<[unknown]>([
    ['1.234'],
    ['1.230'],
    [1.005],
    ['abc'],
    [''],
    [' 1'],
    ['1 '],
    ['1.'],
    ['.5'],
    ['+1'],
    ['-1'],
    ['1e3'],
    ['0x10'],
    ['1,000'],
    [-1],
    [-0.01],
    [NaN],
    [Infinity],
    [-Infinity],
    [1e-7], // String(1e-7) is "1e-7"
    [1e21], // String(1e21) is "1e+21"
    ['90071992547409.92'],
    ['100000000000000000000'],
    [null],
    [undefined],
    [12n],
  ])('rejects %s', (yuan) => {
    expect(() => yuanToFen(yuan as string)).toThrow(RangeError);
  });

  it('round-trips every safe fen amount through its yuan string', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (fen) => yuanToFen(fenToYuanString(fen)) === fen),
      { numRuns: 500 },
    );
  });

  it('round-trips fen amounts below 10^15 through the yuan number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 15 - 1 }), (fen) => yuanToFen(fenToYuanNumber(fen)) === fen),
      { numRuns: 500 },
    );
  });
});

describe('percentToBasisPoints', () => {
  it('converts percents with up to two decimals exactly', () => {
    expect(percentToBasisPoints(95)).toBe(9500);
    expect(percentToBasisPoints(87.5)).toBe(8750);
    expect(percentToBasisPoints(12.34)).toBe(1234);
    expect(percentToBasisPoints(0)).toBe(0);
  });

  it('rejects more decimals, negatives and non-finite values', () => {
    for (const p of [1.234, -5, NaN, Infinity]) expect(() => percentToBasisPoints(p)).toThrow(RangeError);
  });
});

describe('applyPercent', () => {
  it.each([
    [1000, 95, 950],
    [1234, 100, 1234],
    [1234, 0, 0],
    [5, 50, 3], // 2.5 rounds half up
    [3, 50, 2], // 1.5 rounds half up
    [1, 50, 1], // 0.5 rounds half up
    [1, 49, 0], // 0.49 rounds down
    [999, 87.5, 874], // 874.125
    [1001, 87.5, 876], // 875.875
    [10, 12.5, 1], // 1.25
    [6898, 95, 6553], // 6553.1
    [6553, 90, 5898], // 5897.7
    [10_000, 87.66, 8766],
    [0, 95, 0],
  ])('%i fen × %d%% = %i', (fen, percent, expected) => {
    expect(applyPercent(fen, percent)).toBe(expected);
  });

  it('stays exact where fen × percent passes 2^53', () => {
    // 9007199254740991 × 0.5 = 4503599627370495.5 → rounds half up to …496.
    expect(applyPercent(MAX, 50)).toBe(4_503_599_627_370_496);
    expect(applyPercent(MAX, 99.99)).toBe(Number((BigInt(MAX) * 9999n + 5000n) / 10000n));
  });

  it('rejects bad inputs and results beyond safe integers', () => {
    expect(() => applyPercent(-1, 50)).toThrow(RangeError);
    expect(() => applyPercent(1.5, 50)).toThrow(RangeError);
    expect(() => applyPercent(100, 1.234)).toThrow(RangeError);
    expect(() => applyPercent(100, -1)).toThrow(RangeError);
    expect(() => applyPercent(100, NaN)).toThrow(RangeError);
    expect(() => applyPercent(MAX, 200)).toThrow(RangeError);
  });

  it('rounds half up: the result is within half a fen of the exact value, halves going up', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 100_00 }), (fen, basisPoints) => {
        const result = BigInt(applyPercent(fen, basisPoints / 100));
        // error in units of 1/10000 fen: exact = fen × bp / 10000
        const error = result * 10_000n - BigInt(fen) * BigInt(basisPoints);
        return error > -5_000n && error <= 5_000n;
      }),
      { numRuns: 500 },
    );
  });

  it('never goes above the amount for percents up to 100', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 100_00 }), (fen, basisPoints) => {
        const result = applyPercent(fen, basisPoints / 100);
        return isFen(result) && result <= fen;
      }),
      { numRuns: 300 },
    );
  });
});
