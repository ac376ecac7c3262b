/**
 * The JSON shape of a value — its keys (sorted) and value types at every level, with every distinct element shape
 * of an array — so a dialect's answer can be compared with a seed's sample regardless of the values.
 */
export function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = new Map<string, unknown>();
    for (const element of value) shapes.set(JSON.stringify(shape(element)), shape(element));
    return { array: [...shapes.values()] };
  }
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  return typeof value;
}

/** The balanced `{…}` block of a seed document that starts at `from` (strings and escapes respected). */
export function jsonBlockAt(text: string, from: number): string {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error(`no balanced JSON block from offset ${from}`);
}
