import type { Fen } from './money.ts';

/**
 * Splits `total` fen across lines in proportion to `weights` (Hamilton / largest remainder method).
 *
 * Each line first gets floor(total × weight / Σweights); the fen left over (always fewer than the
 * number of lines) go one each to the lines with the largest fractional remainders, ties to the
 * lower index so the result is deterministic. Consequences callers rely on:
 * - the shares add up to exactly `total`, so line discounts always match the order discount;
 * - when total ≤ Σweights no share exceeds its weight (a line is never discounted below zero);
 * - a zero weight gets 0, because its remainder is 0 and only lines with a positive remainder
 *   can receive a leftover fen.
 *
 * Products are computed in BigInt: total × weight can exceed 2^53 for large orders.
 */
export function allocateByLargestRemainder(total: Fen, weights: readonly number[]): Fen[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`total must be a non-negative integer: ${total}`);
  }
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new RangeError(`weights must be non-negative integers: ${weight}`);
    }
  }

  const bigWeights = weights.map((weight) => BigInt(weight));
  const weightSum = bigWeights.reduce((sum, weight) => sum + weight, 0n);
  if (weightSum === 0n) {
    if (total > 0) throw new RangeError(`cannot allocate ${total} across weights that are all zero`);
    return weights.map(() => 0);
  }

  const bigTotal = BigInt(total);
  const shares = bigWeights.map((weight) => (bigTotal * weight) / weightSum);
  const remainders = bigWeights.map((weight) => (bigTotal * weight) % weightSum);

  let leftover = bigTotal - shares.reduce((sum, share) => sum + share, 0n);
  const byLargestRemainder = weights
    .map((_, index) => index)
    .sort((a, b) => compareDescending(remainders[a] ?? 0n, remainders[b] ?? 0n) || a - b);
  for (const index of byLargestRemainder) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }

  return shares.map((share) => Number(share));
}

function compareDescending(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}
