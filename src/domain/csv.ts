/**
 * One CSV cell. Quoted when it holds a separator, quote or line break; text a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR at the start) gets a leading apostrophe, so a buyer's remark can never become a formula.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as a CSV file spreadsheet programs open right: UTF-8 with a byte-order mark (Chinese text), CRLF lines. */
export function csvFile(rows: (string | number)[][]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
