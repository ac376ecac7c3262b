/**
 * The attempt an order "was paid with or is being paid with", as the seed APIs show one payment per order: one
 * that received money (a refunded one only if no other did), else the latest attempt, else none.
 */
export function chosenPayment<P extends { id: number; status: string }>(payments: readonly P[]): P | null {
  const rank = (p: P) =>
    p.status === 'paid' || p.status === 'partially_refunded' ? 2 : p.status === 'refunded' ? 1 : 0;
  let best: P | null = null;
  for (const p of payments) {
    if (!best || rank(p) > rank(best) || (rank(p) === rank(best) && p.id > best.id)) best = p;
  }
  return best;
}
