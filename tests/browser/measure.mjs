// Figures for docs/performance.md: per app, the compressed size of its files and of what its
// first screens fetch; the time from navigation to an interactive customer card on localhost;
// and the time to an interactive cabinet and card over a throttled "fast 3G" line.

import { BASE, close, newPage, signIn, signInToCabinet } from './lib.mjs';
import { APPS, bundleFiles, cabinetShown, cardShown, measureFirstScreens, subscriber } from './sizes.mjs';

const RUNS = 15;
const THROTTLED_RUNS = 5;
/** "Fast 3G" as Lighthouse simulates it: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. */
const FAST_3G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };

/** Milliseconds from a fresh navigation to `url` until `shown` resolves, `runs` times, sorted. */
async function navigationTimes(page, url, shown, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    await page.goto('about:blank');
    const start = Date.now();
    await page.goto(url);
    await shown(page);
    times.push(Date.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/** The same over a throttled line with the cache off: every run downloads the app again. */
async function throttledTimes(page, url, shown) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  let encoding;
  page.on('response', (response) => {
    if (response.url().endsWith('.wasm')) encoding = response.headers()['content-encoding'] ?? 'none';
  });
  const times = await navigationTimes(page, url, shown, THROTTLED_RUNS);
  await cdp.detach();
  return { times, encoding };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const summary = (times) => `median ${times[Math.floor(times.length / 2)]} ms, fastest ${times[0]} ms, slowest ${times[times.length - 1]} ms`;

const figures = await measureFirstScreens();

const staff = await newPage();
await signIn(staff, 'operator');
const card = await navigationTimes(staff, `${BASE}/customers/1`, cardShown, RUNS);
const cardFast3g = await throttledTimes(staff, `${BASE}/customers/1`, cardShown);
const phone = await newPage();
await signInToCabinet(phone, await subscriber());
const cabinetFast3g = await throttledTimes(phone, `${BASE}/cabinet`, cabinetShown);
await close();

for (const app of Object.keys(APPS)) {
  console.log(`\n${app}:\n`);
  console.log('| file | size | gzipped | brotli |');
  console.log('|---|---:|---:|---:|');
  for (const f of bundleFiles(app)) console.log(`| ${f.file} | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`);
}
console.log('\n| app | downloaded | gzipped | brotli |');
console.log('|---|---|---:|---:|');
for (const [app, screens] of Object.entries(figures)) {
  for (const [screen, size] of Object.entries(screens)) console.log(`| ${app} | ${screen} | ${kb(size.gzip)} | ${kb(size.brotli)} |`);
}
console.log(`\nInteractive customer card on localhost (${RUNS} runs): ${summary(card)}, 90th percentile ${card[Math.floor(card.length * 0.9)]} ms.`);
console.log(`Over fast 3G, cache off (${THROTTLED_RUNS} runs each; the wasm came ${cabinetFast3g.encoding}-encoded):`);
console.log(`- the cabinet's home with the subscriber's data: ${summary(cabinetFast3g.times)}`);
console.log(`- the customer card: ${summary(cardFast3g.times)}`);
console.log('\nbudget.json at these figures plus 10 %:');
const budget = { apps: {} };
for (const [app, screens] of Object.entries(figures)) {
  budget.apps[app] = {};
  for (const [screen, size] of Object.entries(screens)) {
    budget.apps[app][screen] = { gzip: Math.round(size.gzip * 1.1), brotli: Math.round(size.brotli * 1.1) };
  }
}
console.log(JSON.stringify(budget, null, 2));
