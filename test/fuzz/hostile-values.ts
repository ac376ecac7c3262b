import fc from 'fast-check';
import { raw } from '../support/schema-samples.ts';

/**
 * fast-check generators of what hostile clients send: wrong types, huge and negative and fractional numbers,
 * unicode and control characters, injection strings, deep and huge JSON, invalid UTF-8 bytes, wrong content types.
 * Values are JSON values (or `raw(...)` literals JavaScript cannot hold), for bodies, queries and paths alike.
 */

const INJECTIONS = [
  "' OR 1=1 --",
  "1'; DROP TABLE orders; --",
  '1 UNION SELECT password_hash FROM staff',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '${7*7}{{7*7}}',
  '%s%s%s%n',
  '\u0000',
  'a\u0000b\u0007\u001b[2J\r\n',
  '\u202egnp.exe',
  '\ud800',
  '１２３',
  '𝟏𝟐𝟑',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '1e308',
  '',
  ' ',
  'null',
  'true',
  '[]',
  '{}',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer({ min: 201, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/**
 * Text PostgreSQL cannot store, around ordinary characters: U+0000 anywhere, and (where JSON carries it as an
 * escape) a lone surrogate. Either must be refused even where a schema would take the rest of the value.
 */
export const nulText: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
  .map(([a, b]) => `${a}\u0000${b}`);
export const unstorableText: fc.Arbitrary<string> = fc.oneof(
  nulText,
  fc
    .tuple(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'),
      fc.string({ maxLength: 8 }),
    )
    .map(([a, c, b]) => `${a}${c}${b}`),
);

/** Numbers no amount, quantity or id should take: negative, fractional, out of every integer range. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, -0.01, 0.001, 1.5, 12.345, 2 ** 31, 2 ** 53 + 2, 2 ** 63, 1e308, -1e308, Number.MIN_VALUE),
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom(raw('1e309'), raw('-1e309'), raw('99999999999999999999999'), raw('-0'), raw('1E-400')),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(true, false, null, {}, [], { $gt: '' }, { $ne: null }, [1, 2, 3]),
);

/** Any hostile JSON value, nested a little. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('a', 'id', '__proto__', 'constructor', '$where'), leaf, { maxKeys: 2 }),
  },
);

/** Ids that name nothing anyone owns: malformed, out of range, or well formed and absent. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  hostileString.filter((s) => !/^\s*\d+\s*$/.test(s)),
  // forms a lenient parser may read as a number: the number they name is one no row has
  fc.constantFrom(
    '-1',
    '0',
    '1.5',
    '9e8',
    '99999999999999999999999',
    '9223372036854775808',
    '0x35A4E901',
    ' 900000001',
    '900000001 ',
    '+900000001',
    '０',
  ),
  fc.integer({ min: 900_000_000, max: 2_147_483_647 }).map(String),
);

/** Bodies no JSON parser should accept, as text. */
export function brokenJson(valid: string): fc.Arbitrary<{ label: string; text: string }> {
  return fc.oneof(
    fc
      .integer({ min: 1, max: Math.max(1, valid.length - 1) })
      .map((n) => ({ label: 'truncated JSON', text: valid.slice(0, n) })),
    fc
      .constantFrom(
        '{"a":',
        "{'a':1}",
        '{"a":NaN}',
        '{"a":01}',
        '{"a":1,}',
        '[1,]',
        '{} x',
        '{"a":"\\x"}',
        '{"a":"\u0001"}',
        'undefined',
        '{a:1}',
      )
      .map((text) => ({ label: 'malformed JSON', text })),
    // V8 parses deep nesting; each parser must still answer 4xx, not exhaust the stack
    fc.integer({ min: 1_000, max: 60_000 }).map((n) => ({ label: `an unclosed array ${n} deep`, text: '['.repeat(n) })),
    fc
      .integer({ min: 1_000, max: 30_000 })
      .map((n) => ({ label: `an unclosed object ${n} deep`, text: '{"a":'.repeat(n) })),
  );
}

/** JSON nested `depth` levels: arrays or objects. */
export const deepJson: fc.Arbitrary<{ label: string; text: string }> = fc
  .tuple(fc.integer({ min: 500, max: 40_000 }), fc.boolean())
  .map(([n, arrays]) =>
    arrays
      ? { label: `JSON arrays ${n} deep`, text: `${'['.repeat(n)}${']'.repeat(n)}` }
      : { label: `JSON objects ${n} deep`, text: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` },
  );

/** Invalid UTF-8 sequences: a lone continuation byte, an overlong slash, a surrogate half, bytes that never occur. */
const INVALID_UTF8 = [
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xff],
  [0xfe, 0xfe],
  [0xc3, 0x28],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** `text` with invalid UTF-8 bytes put in at one place (between JSON tokens or inside a string). */
export function withInvalidUtf8(text: string): fc.Arbitrary<{ label: string; bytes: Buffer }> {
  return fc.tuple(fc.integer({ min: 0, max: text.length }), fc.constantFrom(...INVALID_UTF8)).map(([at, seq]) => ({
    label: `invalid UTF-8 ${seq.map((b) => b.toString(16)).join(' ')} at ${at}`,
    bytes: Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(seq), Buffer.from(text.slice(at))]),
  }));
}

/** Content types no JSON route parses. */
export const foreignContentType: fc.Arbitrary<string> = fc.constantFrom(
  'application/xml',
  'text/html',
  'application/vnd.api+json',
  'application/octet-stream',
  'image/png',
  'not a content type',
  'application/json-patch+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
);

/** Percent-encoding of any string, lone surrogates included (encodeURIComponent throws on them): its UTF-8 bytes. */
export const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
