import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { DEMO } from '../../demo/seed-demo.ts';

const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

/**
 * The browser pages (cashier and admin console) are plain ES modules under `web/`, served as they are: no build step,
 * no CDN. Their two libraries come straight from node_modules, so `npm install` is all they need.
 */
const VENDOR_FILES: Record<string, string> = {
  // Preact with hooks and htm tagged templates in one ES module: components without a JSX compiler
  'preact-htm.mjs': fileURLToPath(import.meta.resolve('htm/preact/standalone')),
  'chart.umd.min.js': join(dirname(fileURLToPath(import.meta.resolve('chart.js'))), 'chart.umd.min.js'),
};

/** Each page is one HTML shell; the page's script reads the rest of the path (order number, console section). */
const PAGES = [
  { url: '/pay/:orderNo', file: 'cashier/index.html' },
  { url: '/shop', file: 'shop/index.html' },
  { url: '/admin', file: 'admin/index.html' },
  { url: '/admin/*', file: 'admin/index.html' },
];

export interface WebOptions {
  /** the demo data is seeded (ORDO_SEED_DEMO): the sign-in forms come filled in with the demo accounts */
  demo: boolean;
}

export const webRoutes: FastifyPluginAsync<WebOptions> = async (app, { demo }) => {
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/web/', schemaHide: true, index: false });
  // browsers ask for /favicon.ico on every page whatever the page links: the same icon the pages name
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').sendFile('shared/favicon.svg'),
  );
  // Only a demo ordo names its demo accounts; a real one answers that there is none (never a 404 in the console).
  const demoStaff = DEMO.staff.find((s) => s.role === 'admin')!;
  app.get('/web/demo-accounts.json', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'no-cache').send({
      staff: demo ? { username: demoStaff.username, password: demoStaff.password } : null,
      member: demo ? { username: DEMO.member.username, password: DEMO.member.password } : null,
    }),
  );
  for (const [name, path] of Object.entries(VENDOR_FILES)) {
    app.get(`/web/vendor/${name}`, { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').sendFile(path.split('/').pop()!, dirname(path)),
    );
  }
  for (const page of PAGES) {
    app.get(page.url, { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile(page.file),
    );
  }
};
