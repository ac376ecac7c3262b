import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { allocateByLargestRemainder } from '../../src/domain/allocation.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('allocateByLargestRemainder', () => {
  it('splits a 1000-fen coupon over 1000/2000/3001 as 167/333/500', () => {
    // Quotas 166.64 / 333.28 / 500.08: floors 166+333+500 = 999, the one leftover fen goes to
    // the largest remainder (line 1, .64).
    expect(allocateByLargestRemainder(1000, [1000, 2000, 3001])).toEqual([167, 333, 500]);
  });

  it('splits proportionally when it divides evenly', () => {
    expect(allocateByLargestRemainder(600, [100, 200, 300])).toEqual([100, 200, 300]);
    expect(allocateByLargestRemainder(60, [100, 200, 300])).toEqual([10, 20, 30]);
  });

  it('breaks remainder ties towards the lower index', () => {
    expect(allocateByLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateByLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocateByLargestRemainder(1, [5, 5])).toEqual([1, 0]);
  });

  it('gives nothing to zero weights, even when leftover fen remain', () => {
    expect(allocateByLargestRemainder(10, [0, 5, 5])).toEqual([0, 5, 5]);
    expect(allocateByLargestRemainder(1, [0, 1, 1])).toEqual([0, 1, 0]);
    expect(allocateByLargestRemainder(7, [0, 0, 3, 0])).toEqual([0, 0, 7, 0]);
  });

  it('allocates the whole total when it exceeds the weights', () => {
    // Quotas 3.33 / 6.67: floors 3 + 6, leftover goes to the .67.
    expect(allocateByLargestRemainder(10, [1, 2])).toEqual([3, 7]);
  });

  it('handles zero totals and empty or all-zero weights', () => {
    expect(allocateByLargestRemainder(0, [3, 4])).toEqual([0, 0]);
    expect(allocateByLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(allocateByLargestRemainder(0, [])).toEqual([]);
    expect(allocateByLargestRemainder(5, [5])).toEqual([5]);
  });

  it('stays exact when total × weight passes 2^53', () => {
    // Quotas MAX·MAX/(MAX+1) = MAX − 1 + 1/(MAX+1) and MAX/(MAX+1): floors MAX−1 and 0, and the
    // leftover fen goes to the second line, whose remainder (MAX) is far larger.
    expect(allocateByLargestRemainder(MAX, [MAX, 1])).toEqual([MAX - 1, 1]);
    const shares = allocateByLargestRemainder(MAX, [MAX, MAX, MAX]);
    expect(shares).toEqual([3_002_399_751_580_331, 3_002_399_751_580_330, 3_002_399_751_580_330]);
  });

  it('rejects a positive total over weights that are all zero', () => {
    expect(() => allocateByLargestRemainder(1, [0, 0])).toThrow(RangeError);
    expect(() => allocateByLargestRemainder(1, [])).toThrow(RangeError);
  });

  it('rejects totals and weights that are not non-negative integers', () => {
    for (const total of [-1, 1.5, NaN, Infinity, MAX + 1]) {
      expect(() => allocateByLargestRemainder(total, [1])).toThrow(RangeError);
    }
    for (const weight of [-1, 0.5, NaN, Infinity]) {
      expect(() => allocateByLargestRemainder(1, [1, weight])).toThrow(RangeError);
    }
  });

  const weightsArb = fc.array(fc.nat({ max: 10_000_000 }), { minLength: 1, maxLength: 30 });

  it('always sums exactly to the total and gives zero weights nothing', () => {
    fc.assert(
      fc.property(weightsArb, fc.maxSafeNat(), (weights, total) => {
        fc.pre(sum(weights) > 0);
        const shares = allocateByLargestRemainder(total, weights);
        expect(shares).toHaveLength(weights.length);
        expect(shares.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(total));
        shares.forEach((share, i) => {
          expect(Number.isSafeInteger(share) && share >= 0).toBe(true);
          if (weights[i] === 0) expect(share).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('never gives a line more than its weight when the total fits within the weights', () => {
    fc.assert(
      fc.property(
        weightsArb.chain((weights) => fc.tuple(fc.constant(weights), fc.nat({ max: sum(weights) }))),
        ([weights, total]) => {
          const shares = allocateByLargestRemainder(total, weights);
          shares.forEach((share, i) => expect(share).toBeLessThanOrEqual(weights[i] ?? 0));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps every share within one fen of its exact proportional quota', () => {
    fc.assert(
      fc.property(weightsArb, fc.nat({ max: 1_000_000_000 }), (weights, total) => {
        fc.pre(sum(weights) > 0);
        const weightSum = BigInt(sum(weights));
        const shares = allocateByLargestRemainder(total, weights);
        shares.forEach((share, i) => {
          // share − quota, scaled by Σweights: floor(quota) ≤ share ≤ floor(quota) + 1
          const scaledError = BigInt(share) * weightSum - BigInt(total) * BigInt(weights[i] ?? 0);
          expect(scaledError > -weightSum && scaledError < weightSum).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});
