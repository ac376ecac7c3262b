/**
 * The API document as /docs renders it: the same operations, written as OpenAPI 3.0. Swagger UI reads a 3.1
 * document through a much slower path, and reads every schema of the document before it shows anything: together
 * the page's main thread did ~2.5× the work (bench/docs-page.ts). /openapi.json stays 3.1: this copy is only for
 * the page. What 3.0 lacks is written the 3.0 way: a null alternative becomes `nullable`, `const` an
 * one-value enum, a schema's first `examples` entry its `example`, a numeric exclusive bound a boolean one.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
// a null alternative as written in 3.1, or as already converted below (children are converted first)
const isNullSchema = (value: unknown) =>
  isObject(value) && Object.keys(value).length === 1 && (value.type === 'null' || value.nullable === true);

/** `node` converted; `keyedSchemas` when node is a map of names to schemas (properties), not a schema itself. */
function convert(node: unknown, keyedSchemas = false): unknown {
  if (Array.isArray(node)) return node.map((item) => convert(item));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = keyedSchemas
      ? convert(value)
      : convert(value, key === 'properties' || key === 'patternProperties' || key === 'schemas' || key === '$defs');
  }
  if (keyedSchemas) return out;
  if (Array.isArray(out.type)) {
    const types = out.type.filter((type) => type !== 'null');
    if (types.length < out.type.length) out.nullable = true;
    if (types.length === 1) out.type = types[0];
    else if (types.length === 0) delete out.type;
    else {
      delete out.type;
      out.anyOf = types.map((type) => ({ type }));
    }
  } else if (out.type === 'null') {
    delete out.type;
    out.nullable = true;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const choices = out[key];
    if (!Array.isArray(choices) || !choices.some(isNullSchema)) continue;
    const rest = choices.filter((choice) => !isNullSchema(choice));
    out.nullable = true;
    if (rest.length === 1 && isObject(rest[0]) && rest[0].$ref === undefined) {
      delete out[key];
      Object.assign(out, rest[0]);
    } else out[key] = rest;
  }
  if ('const' in out && !('properties' in node)) {
    out.enum = [out.const];
    delete out.const;
  }
  if (
    Array.isArray(out.examples) &&
    out.examples.length > 0 &&
    ('type' in out || 'enum' in out || 'anyOf' in out || 'nullable' in out)
  ) {
    out.example = out.examples[0];
    delete out.examples;
  }
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[exclusive] === 'number') {
      out[bound] = out[exclusive];
      out[exclusive] = true;
    }
  }
  return out;
}

const LARGE_SCHEMA_CHARS = 400;
const pascal = (name: string) =>
  name.replace(/(^|[^A-Za-z0-9]+)([a-z0-9])/g, (_, _sep, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');

/**
 * A large schema that several operations share (an order, its lines) is written once under components.schemas and
 * referred to: the page reads every schema of the document up front, so each copy costs time; a reference is read
 * when its operation is opened. Named by its title, else by the property that holds it, else by the operation.
 */
function shareRepeatedSchemas(document: Json): void {
  const seen = new Map<string, { count: number; name: string }>();
  const visit = (node: unknown, name: string, count: (text: string, name: string) => void) => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, name, count));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isObject(value))
        for (const [property, schema] of Object.entries(value)) visit(schema, property, count);
      else visit(value, name, count);
    }
    if (node.type === 'object' || node.type === 'array')
      count(JSON.stringify(node), typeof node.title === 'string' ? node.title : name);
  };
  const paths = isObject(document.paths) ? document.paths : {};
  const operationName = (path: string) =>
    path
      .split('/')
      .filter((part) => part && part !== 'v1' && !part.startsWith('{'))
      .join('-');
  for (const [path, item] of Object.entries(paths)) {
    visit(item, operationName(path), (text, name) => {
      if (text.length < LARGE_SCHEMA_CHARS) return;
      const entry = seen.get(text);
      if (entry) entry.count += 1;
      else seen.set(text, { count: 1, name });
    });
  }
  const components = (isObject(document.components) ? document.components : (document.components = {})) as Json;
  const schemas = (isObject(components.schemas) ? components.schemas : (components.schemas = {})) as Json;
  const refOf = new Map<string, string>();
  // largest first: a shared order is named before the shared lines inside it
  for (const [text, { count, name }] of [...seen].sort((a, b) => b[0].length - a[0].length)) {
    if (count < 2) continue;
    let unique = pascal(name) || 'Schema';
    for (let n = 2; unique in schemas; n += 1) unique = `${pascal(name) || 'Schema'}${n}`;
    schemas[unique] = JSON.parse(text);
    refOf.set(text, `#/components/schemas/${unique}`);
  }
  const replace = (node: unknown, isRoot = false): unknown => {
    if (Array.isArray(node)) return node.map((item) => replace(item));
    if (!isObject(node)) return node;
    const ref = isRoot ? undefined : refOf.get(JSON.stringify(node));
    if (ref) return { $ref: ref };
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value)]));
  };
  document.paths = replace(paths);
  for (const name of Object.keys(schemas)) schemas[name] = replace(schemas[name], true);
}

/** The 3.1 document as OpenAPI 3.0.3, for Swagger UI. */
export function swaggerUiDocument(document: Json): Json {
  const converted = { ...(convert(document) as Json), openapi: '3.0.3' };
  shareRepeatedSchemas(converted);
  return converted;
}
