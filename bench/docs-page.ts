// How long /docs takes to show all its operations in Chromium, as ordo serves it (an OpenAPI 3.0 copy with shared
// schemas) and fed the 3.1 document of /openapi.json instead (how it was served before). Runs alternate, so both
// see the same machine load. Usage: npx tsx bench/docs-page.ts http://127.0.0.1:8080 [runs]
import { chromium, type Page } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const runs = Number(process.argv[3] ?? 3);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});

type Profile = {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
};

/** Wall time to every operation shown, and the page's main thread busy time (CPU profile samples not idle). */
async function measure(variant: 'as served' | 'openapi 3.1') {
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  if (variant === 'openapi 3.1')
    await page.route('**/docs/json', async (route) =>
      route.fulfill({ response: await route.fetch({ url: `${base}/openapi.json` }) }),
    );
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const started = Date.now();
  await page.goto(`${base}/docs`);
  await page.waitForFunction(() => document.querySelectorAll('.opblock').length >= 90, null, {
    timeout: 180_000,
    polling: 50,
  });
  const wallMs = Date.now() - started;
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const busyMs = Math.round(
    profile.samples.reduce((sum, id, i) => sum + (idle.has(id) ? 0 : (profile.timeDeltas[i] ?? 0)), 0) / 1000,
  );
  const operations = await page.locator('.opblock').count();
  await page.close();
  return { variant, wallMs, busyMs, operations };
}

await fetch(`${base}/docs/json`); // the page's document is built on its first request
for (let i = 0; i < runs; i++)
  for (const variant of ['as served', 'openapi 3.1'] as const) console.log(JSON.stringify(await measure(variant)));
await browser.close();
