// Figures for docs/performance.md: the gzipped and brotli size of the app's wasm and
// JavaScript (as `okno serve` sends them), and the time from navigation to an interactive
// customer card in headless Chromium on localhost.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { BASE, close, newPage, signIn } from './lib.mjs';

const dist = process.argv[2];
const RUNS = 15;

function sizes() {
  const files = readdirSync(dist).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'));
  return files.map((file) => {
    const bytes = readFileSync(join(dist, file));
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } });
    return {
      file: file.replace(/-[0-9a-f]{16}/, ''),
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotli.length,
    };
  });
}

async function cardTimes() {
  const page = await newPage();
  await signIn(page, 'operator');
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    // A fresh navigation each time: the app boots, restores the session, loads the card.
    await page.goto('about:blank');
    const start = Date.now();
    await page.goto(`${BASE}/customers/1`);
    await page.getByTestId('log-contact-submit').waitFor({ state: 'visible' });
    await page.getByTestId('timeline-interaction').first().waitFor();
    times.push(Date.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const files = sizes();
const total = files.reduce((sum, f) => sum + f.gzip, 0);
const totalBrotli = files.reduce((sum, f) => sum + f.brotli, 0);
const times = await cardTimes();
await close();
const median = times[Math.floor(times.length / 2)];
const p90 = times[Math.floor(times.length * 0.9)];

console.log('| file | size | gzipped | brotli |');
console.log('|---|---:|---:|---:|');
for (const f of files) console.log(`| ${f.file} | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`);
console.log(`| **total** | | **${kb(total)}** | **${kb(totalBrotli)}** |`);
console.log('');
console.log(`Navigation to an interactive customer card (${RUNS} runs): median ${median} ms, 90th percentile ${p90} ms, fastest ${times[0]} ms, slowest ${times[times.length - 1]} ms.`);
