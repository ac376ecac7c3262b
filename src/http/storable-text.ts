/**
 * PostgreSQL cannot store every JavaScript string: text refuses U+0000 ("invalid byte sequence for encoding
 * UTF8: 0x00"), and json refuses a lone UTF-16 surrogate such as the one JSON's `"\ud800"` decodes to ("invalid
 * input syntax for type json"; in text it silently turns into U+FFFD). Either is a client's mistake, found here.
 */
const UNSTORABLE = /[\u0000\p{Surrogate}]/u;

/** Why a parsed request part (strings, keys, nested plain objects and arrays) cannot be stored, or null. */
export function unstorableTextIn(part: unknown): string | null {
  const seen = new WeakSet<object>();
  const stack = [part];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem) return problem;
    } else if (value !== null && typeof value === 'object' && !seen.has(value) && holdsText(value)) {
      // multipart parts point back at the whole body: each object once
      seen.add(value);
      for (const [key, item] of Object.entries(value)) {
        const problem = unstorableText(key);
        if (problem) return problem;
        stack.push(item);
      }
    }
  }
  return null;
}

function unstorableText(text: string): string | null {
  const found = UNSTORABLE.exec(text)?.[0];
  if (found === undefined) return null;
  return found === '\u0000'
    ? 'text may not contain the character U+0000'
    : 'text may not contain a lone surrogate (U+D800–U+DFFF): send well-formed UTF-16 or UTF-8';
}

/** Parsed data (object literals, JSON, query objects of any prototype), not file contents, streams or dates. */
function holdsText(value: object): boolean {
  return (
    !ArrayBuffer.isView(value) && !(value instanceof Date) && typeof (value as { pipe?: unknown }).pipe !== 'function'
  );
}
