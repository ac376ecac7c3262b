import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS, REQUEST_ERROR_CODES } from '../../src/errors.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { api } from '../support/api.ts';
import { startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * One rule for refusals: the specific code is `error.code` at the top level, never hidden in `details.code` under a
 * generic one, and every code the API can answer is listed, with its status and meaning, in /openapi.json.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('error codes', () => {
  it('each specific code keeps the HTTP status its refusal had before it left details.code', () => {
    expect(ERROR_STATUS).toMatchObject({
      insufficient_balance: 422,
      insufficient_points: 422,
      exceeds_refundable: 422,
      exceeds_deposit: 422,
      method_not_available: 422,
      address_required: 422,
      settled: 409,
      refund_password: 403,
      invalid_auth_code: 400,
      bad_sms_code: 401,
      unknown_mobile: 401,
    });
  });

  it('no use case hides a code in details: AppError details never carry a `code`, no dialect reads one', () => {
    const offenders = sourceFiles(join(import.meta.dirname, '../../src')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const lineOf = (index: number) => text.slice(0, index).split('\n').length;
      // a literal code in the details (`{ code: 'exceeds_refundable' }`), however the call is wrapped over lines; a
      // coupon's own code value is data, not this
      const inDetails = [...text.matchAll(/new AppError\(/g)]
        .filter((m) => /\bcode:\s*['`"]/.test(text.slice(m.index, text.indexOf(');', m.index) + 2)))
        .map((m) => `${file}:${lineOf(m.index)}`);
      const readsDetails = [...text.matchAll(/details\??\.code\b/g)].map((m) => `${file}:${lineOf(m.index)}`);
      return [...inDetails, ...readsDetails];
    });
    expect(offenders).toEqual([]);
  });

  it('/openapi.json lists every code, with its status and meaning, in the one Error schema every route refers to', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const code = doc.components.schemas.Error.properties.error.properties.code;
    const every = { ...ERROR_CODES, ...REQUEST_ERROR_CODES };
    expect([...code.enum].sort()).toEqual(Object.keys(every).sort());
    for (const [name, { status, description }] of Object.entries(every)) {
      expect(code['x-enumDescriptions'][name]).toBe(description);
      expect(code.description).toContain(`| \`${name}\` | ${status} |`);
    }
    expect(doc.paths['/v1/orders'].post.responses['422'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('the README lists every code with its status', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const [name, { status }] of Object.entries({ ...ERROR_CODES, ...REQUEST_ERROR_CODES }))
      expect(readme).toContain(`| \`${name}\` | ${status} |`);
  });

  it('refusals answer their specific code at the top level: address_required, insufficient_balance', async () => {
    const admin = await staffToken(t);
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: 1_000, stock: 5 });
    const noAddress = await api(t, 'POST', '/v1/orders', {
      token: buyer.token,
      body: { lines: [{ productId: product.id, quantity: 1 }] },
      headers: { 'idempotency-key': `codes-${Date.now()}` },
    });
    expect(noAddress.status).toBe(422);
    expect(noAddress.body.error).toEqual({ code: 'address_required', message: expect.any(String), details: {} });

    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
    const broke = await startPayment(t, buyer.token, placed.body.orderNo, { method: 'balance', client: 'H5' });
    expect(broke.status).toBe(422);
    expect(broke.body.error).toEqual({
      code: 'insufficient_balance',
      message: 'the balance is not enough',
      details: {},
    });
  });
});
