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
  if (typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  return typeof value;
}
