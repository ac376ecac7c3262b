/**
 * A WAL position as PostgreSQL prints a pg_lsn (`16/B374D848`): how far the primary had written when an answer was
 * given, and how far a replica has replayed. Read-your-writes compares the two.
 */
export const WAL_POSITION_PATTERN = '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$';
const WAL_POSITION = new RegExp(WAL_POSITION_PATTERN);

export function isWalPosition(text: string): boolean {
  return WAL_POSITION.test(text);
}

/** The position as one number (high word, low word), so positions compare with `<`. */
export function walOffset(position: string): bigint {
  const [high = '0', low = '0'] = position.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}
