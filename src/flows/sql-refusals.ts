/**
 * A refusal raised by one of the flows' SQL functions (place-order.sql, pay-from-balance.sql):
 * `raise exception '<error code>' using errcode = 'OR001', detail = <details as JSON>`. Null for any other error.
 */
export function sqlRefusal(err: unknown): { code: string; details: Record<string, unknown> } | null {
  const e = err as { code?: string; message?: string; detail?: string };
  if (e?.code !== 'OR001' || !e.message) return null;
  return { code: e.message, details: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {} };
}
