/**
 * The peer in the benchmark: a stock Vendure (bench/peers/vendure/, its own package.json and lockfile, installed on
 * first use, never one of ordo's dependencies) on the same throwaway PostgreSQL cluster as ordo, in its own database,
 * seeded with the same catalog through Vendure's own import and measured with the same two loads: an order read by
 * its code as its customer, and a checkout of one product.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { flowLoad, jsonClient, readLoad, type Span } from '../load.ts';
import { measure } from '../measure.ts';
import type { PostgresCluster } from '../postgres-cluster.ts';
import { freePort, startServer, type Server } from '../processes.ts';
import type { Row } from '../report.ts';
import { pick, type Scenario } from '../scenarios.ts';

const folder = join(import.meta.dirname, 'vendure');
const repo = join(import.meta.dirname, '../..');
/** the payment method populate.ts creates: Vendure derives its code from the name "Settle at once" */
const PAYMENT_METHOD = 'settle-at-once';
/** the one shipping method populate.ts creates (free, as ordo's checkout is a pickup) */
const SHIPPING_METHOD_ID = '1';
/** the checkout buys one of the first 100 products, as ordo's checkout buys one of its 100 checkout SKUs */
const CHECKOUT_VARIANTS = 100;
/** Vendure's CPU per read halves once the JIT is warm: each load first runs this long, unmeasured */
const WARM_UP: Span = { seconds: 15 };
const ADDRESS = { fullName: 'Bench Buyer', streetLine1: '1 Bench Road', city: 'Shanghai', countryCode: 'CN' };

export interface PeerSizes {
  products: number;
  /** registered customers whose orders the read load reads, and how many orders each places (3 lines each) */
  readers: number;
  ordersPerReader: number;
}

export interface PeerReport {
  name: string;
  seedSeconds: number;
  coldStartMs: number;
  /** the order read and the checkout, measured as ordo's rows are */
  rows: Row[];
}

const ORDER_READ = `query OrderByCode($code: String!) {
  orderByCode(code: $code) {
    code state orderPlacedAt totalWithTax
    lines { quantity linePriceWithTax productVariant { name sku } }
    shippingAddress { fullName streetLine1 city }
    payments { method amount state }
  }
}`;

/** Installs the pinned Vendure from its lockfile the first time the peer is asked for. */
function installOnFirstUse(): void {
  if (existsSync(join(folder, 'node_modules/@vendure/core'))) return;
  console.error('  installing Vendure into bench/peers/vendure (first use)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: folder, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The same catalog as ordo's bench data: `Bench product g` at 10.00 + (g mod 500) yuan, SKU `B<g>`, for Vendure's import. */
function writeCatalogCsv(products: number, file: string): void {
  const header =
    'name,slug,description,assets,facets,optionGroups,optionValues,sku,price,taxCategory,stockOnHand,trackInventory,variantAssets,variantFacets';
  const rows = Array.from({ length: products }, (_, i) => {
    const g = i + 1;
    const price = ((1000 + (g % 500) * 100) / 100).toFixed(2);
    return `Bench product ${g},bench-product-${g},A product of the benchmark catalog,,,,,B${g},${price},standard,100000000,false,,`;
  });
  writeFileSync(file, [header, ...rows].join('\n') + '\n');
}

function runToEnd(script: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}:\n${output}`))));
  });
}

type Call = ReturnType<typeof jsonClient>;

/** One Shop API operation; answers the data and the session token Vendure hands out (or the one sent). */
async function shop(
  call: Call,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data: any; token: string | undefined }> {
  const reply = await call('POST', '/shop-api', { token, body: { query, variables } });
  if (reply.status !== 200 || reply.body?.errors)
    throw new Error(`Vendure answered ${reply.status}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  const issued = reply.headers['vendure-auth-token'];
  const data = reply.body.data;
  const result = Object.values(data ?? {})[0] as { errorCode?: string; message?: string } | null;
  if (result?.errorCode) throw new Error(`Vendure refused: ${result.errorCode} ${result.message}`);
  return { data, token: typeof issued === 'string' ? issued : token };
}

const ADD_ITEM = `mutation ($id: ID!) { addItemToOrder(productVariantId: $id, quantity: 1) { ... on Order { code } ... on ErrorResult { errorCode message } } }`;
const SET_CUSTOMER = `mutation ($email: String!) { setCustomerForOrder(input: { emailAddress: $email, firstName: "Bench", lastName: "Buyer" }) { ... on Order { code } ... on ErrorResult { errorCode message } } }`;
const SET_ADDRESS = `mutation ($input: CreateAddressInput!) { setOrderShippingAddress(input: $input) { ... on Order { code } ... on ErrorResult { errorCode message } } }`;
const SET_SHIPPING = `mutation ($id: [ID!]!) { setOrderShippingMethod(shippingMethodId: $id) { ... on Order { code } ... on ErrorResult { errorCode message } } }`;
const TO_PAYMENT = `mutation { transitionOrderToState(state: "ArrangingPayment") { ... on Order { code } ... on ErrorResult { errorCode message } } }`;
const PAY = `mutation ($method: String!) { addPaymentToOrder(input: { method: $method, metadata: {} }) { ... on Order { code state } ... on ErrorResult { errorCode message } } }`;

/**
 * Vendure's checkout of the products in `variantIds`, one each: as a guest (a fresh session, then
 * `setCustomerForOrder`) when `email` is given, else in the signed-in session of `token`. Answers the order's code.
 */
async function checkout(
  call: Call,
  variantIds: number[],
  session: { email: string } | { token: string },
): Promise<string> {
  let token = 'token' in session ? session.token : undefined;
  let code = '';
  for (const id of variantIds) {
    const added = await shop(call, token, ADD_ITEM, { id: String(id) });
    token = added.token;
    code = added.data.addItemToOrder.code;
  }
  if ('email' in session) await shop(call, token, SET_CUSTOMER, { email: session.email });
  await shop(call, token, SET_ADDRESS, { input: ADDRESS });
  await shop(call, token, SET_SHIPPING, { id: [SHIPPING_METHOD_ID] });
  await shop(call, token, TO_PAYMENT);
  const paid = await shop(call, token, PAY, { method: PAYMENT_METHOD });
  if (paid.data.addPaymentToOrder.state !== 'PaymentSettled')
    throw new Error(`Vendure order ${code} is ${paid.data.addPaymentToOrder.state} after its payment`);
  return code;
}

/** Registers the readers through the Shop API, signs each in and has each place its orders; answers what the read load reads. */
async function seedReaders(base: string, sizes: PeerSizes): Promise<{ code: string; token: string }[]> {
  const call = jsonClient(base, 4);
  const orders: { code: string; token: string }[] = [];
  const readers = Array.from({ length: sizes.readers }, (_, i) => i);
  const seedOne = async (i: number) => {
    const email = `reader${i}@bench.test`;
    await shop(
      call,
      undefined,
      `mutation ($email: String!) { registerCustomerAccount(input: { emailAddress: $email, password: "bench123", firstName: "Bench", lastName: "Reader" }) { ... on Success { success } ... on ErrorResult { errorCode message } } }`,
      { email },
    );
    const { token } = await shop(
      call,
      undefined,
      `mutation ($email: String!) { login(username: $email, password: "bench123") { ... on CurrentUser { id } ... on ErrorResult { errorCode message } } }`,
      { email },
    );
    for (let n = 0; n < sizes.ordersPerReader; n++) {
      const first = ((i * sizes.ordersPerReader + n) * 3) % CHECKOUT_VARIANTS;
      const lines = [first + 1, ((first + 1) % CHECKOUT_VARIANTS) + 1, ((first + 2) % CHECKOUT_VARIANTS) + 1];
      orders.push({ code: await checkout(call, lines, { token: token! }), token: token! });
    }
  };
  for (let i = 0; i < readers.length; i += 4) await Promise.all(readers.slice(i, i + 4).map(seedOne));
  return orders;
}

function readScenario(orders: { code: string; token: string }[], span: Span, connections: number): Scenario {
  return {
    name: 'order read by code (Vendure)',
    unit: 'req/s',
    run: (base) =>
      readLoad(base, span, connections, () => {
        const o = pick(orders);
        return {
          path: '/shop-api',
          headers: { authorization: `Bearer ${o.token}` },
          body: { query: ORDER_READ, variables: { code: o.code } },
        };
      }),
  };
}

function checkoutScenario(span: Span, buyers: number): Scenario {
  return {
    name: 'checkout, 1 product (Vendure)',
    unit: 'orders/s',
    run(base) {
      const call = jsonClient(base, buyers);
      return flowLoad(span, buyers, async (worker) => {
        const variant = 1 + Math.floor(Math.random() * CHECKOUT_VARIANTS);
        await checkout(call, [variant], { email: `buyer${worker}@bench.test` });
        return true;
      });
    },
  };
}

/**
 * Runs the peer on `cluster` (ordo must have stopped: PostgreSQL's CPU is counted over all its backends) and
 * answers its rows, cold start and seeding time. `span` and `connections` are the ones ordo's loads used.
 */
export async function benchVendure(
  cluster: PostgresCluster,
  sizes: PeerSizes,
  load: { span: Span; connections: number; smoke: boolean },
): Promise<PeerReport> {
  installOnFirstUse();
  const version = JSON.parse(readFileSync(join(folder, 'node_modules/@vendure/core/package.json'), 'utf8'))
    .version as string;
  console.error(`\n== Vendure ${version} on the same cluster`);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database vendure_bench');
  await admin.end();
  const databaseUrl = cluster.url.replace(/\/postgres$/, '/vendure_bench');
  const env = { DATABASE_URL: databaseUrl, VENDURE_DISABLE_TELEMETRY: 'true' };
  const scratch = mkdtempSync(join(tmpdir(), 'ordo-bench-vendure-'));
  let server: Server | undefined;
  try {
    const csv = join(scratch, 'products.csv');
    writeCatalogCsv(sizes.products, csv);
    const seedStarted = performance.now();
    await runToEnd('bench/peers/vendure/populate.ts', { ...env, PORT: String(await freePort()), PRODUCTS_CSV: csv });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.error(`  imported ${sizes.products} products in ${seedSeconds.toFixed(1)} s`);

    const starts: number[] = [];
    for (let i = 0; i < (load.smoke ? 1 : 3); i++) {
      await server?.stop();
      server = await startServer('bench/peers/vendure/server.ts', env, '/health', repo);
      starts.push(server.startMs);
    }
    const coldStartMs = starts.sort((a, b) => a - b)[Math.floor(starts.length / 2)]!;
    console.error(`  cold start to ready: ${starts.map((ms) => ms.toFixed(0)).join(', ')} ms`);

    const orders = await seedReaders(server!.base, sizes);
    // the read load counts 2xx: check once that a read answers the order, not a GraphQL error in a 200
    const probe = await shop(jsonClient(server!.base, 1), orders[0]!.token, ORDER_READ, { code: orders[0]!.code });
    if (probe.data.orderByCode?.code !== orders[0]!.code) throw new Error('Vendure did not answer its own order');
    console.error(`  ${orders.length} orders placed by ${sizes.readers} signed-in customers`);

    const warmUp = load.smoke ? { operations: 5 } : WARM_UP;
    const rows = [
      await measure(
        readScenario(orders, load.span, load.connections),
        server!,
        cluster.pid(),
        readScenario(orders, warmUp, load.connections),
      ),
      await measure(
        checkoutScenario(load.span, load.connections),
        server!,
        cluster.pid(),
        checkoutScenario(warmUp, load.connections),
      ),
    ];
    return { name: `Vendure ${version}`, seedSeconds, coldStartMs, rows };
  } finally {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
