import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// The demo catalog's pictures are drawings of the product (shapes, gradients), not a tile with the picture's name
// written on it; each product has a main picture and a gallery of other views, all served by ordo itself.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

type Product = { id: number; coverUrl: string; imageUrls: string[] };

it('gives every demo product a drawn main picture and at least two more views', async () => {
  const page = await api(t, 'GET', '/v1/products?pageSize=50');
  const products = page.body.items as Product[];
  expect(products.length).toBeGreaterThanOrEqual(5);
  for (const product of products) {
    expect(product.imageUrls[0]).toBe(product.coverUrl);
    expect(new Set(product.imageUrls).size).toBeGreaterThanOrEqual(3);
    for (const url of product.imageUrls) {
      const picture = await t.app.inject({ method: 'GET', url });
      expect(picture.statusCode, url).toBe(200);
      expect(picture.headers['content-type']).toBe('image/svg+xml');
      expect(picture.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(picture.body.match(/<(path|rect|circle|ellipse)\b/g)!.length, url).toBeGreaterThan(10);
      const slug = url.replace(/^.*\/|\.svg$/g, '');
      expect(picture.body).not.toContain(`>${slug}<`);
    }
  }
});

it('answers 404 in the canonical envelope for a picture it does not have', async () => {
  const missing = await api(t, 'GET', '/media/demo/no-such-thing.svg');
  expect(missing.status).toBe(404);
  expect(missing.body.error.code).toBe('not_found');
});
