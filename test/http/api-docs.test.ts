import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// The API document's examples are the demo shop's own data, so what /docs shows works against a fresh ordo; and
// the copy /docs renders is an OpenAPI 3.0 document with shared schemas written once (Swagger UI reads a 3.1
// document and repeated schemas far more slowly), while /openapi.json stays 3.1.

type Json = Record<string, any>;
let t: TestApp;
let document: Json;
let uiDocument: Json;

beforeAll(async () => {
  t = await startTestApp();
  document = (await api(t, 'GET', '/openapi.json')).body;
  uiDocument = (await api(t, 'GET', '/docs/json')).body;
});
afterAll(() => t?.close());

const bodySchema = (doc: Json, path: string, method: string) =>
  doc.paths[path][method].requestBody.content['application/json'].schema;

it('shows demo data as examples: a product of the demo shop, its coupon, an order number in the real format', () => {
  const order = bodySchema(document, '/v1/orders', 'post');
  expect(order.properties.lines.items.properties.productId.examples).toEqual([10001]);
  expect(order.properties.couponCode.examples).toEqual(['WELCOME10']);
  const orderNo = document.paths['/v1/orders/{orderNo}'].get.parameters.find((p: Json) => p.name === 'orderNo');
  expect(orderNo.example).toMatch(/^\d{16}$/);
  expect(orderNo.example).toMatch(new RegExp(orderNo.schema.pattern));
});

it('signs in with the example the docs show for the member login', async () => {
  const login = bodySchema(document, '/v1/auth/login', 'post');
  const example = Object.fromEntries(
    Object.entries(login.anyOf?.[0]?.properties ?? login.properties).flatMap(([name, schema]: [string, any]) =>
      schema.examples ? [[name, schema.examples[0]]] : [],
    ),
  );
  expect(example).toMatchObject({ password: 'demo123' });
  const signedIn = await api(t, 'POST', '/v1/auth/login', { body: example });
  expect(signedIn.status).toBe(200);
});

it('gives /docs the same operations as OpenAPI 3.0, each repeated schema once under components', () => {
  expect(document.openapi).toBe('3.1.0');
  expect(uiDocument.openapi).toBe('3.0.3');
  const operations = (doc: Json) =>
    Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods as Json).map((m) => `${m} ${path}`))
      .sort();
  expect(operations(uiDocument)).toEqual(operations(document));
  const text = JSON.stringify(uiDocument);
  expect(text).not.toMatch(/"type":\[|"type":"null"|"const":/); // 3.1-only forms
  expect(text.length).toBeLessThan(JSON.stringify(document).length * 0.75);
  for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
    expect(uiDocument.components.schemas, name).toHaveProperty(name!);
  expect(uiDocument.components.schemas.OrderDetail.properties.orderNo.example).toMatch(/^\d{16}$/);
});
