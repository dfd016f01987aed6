// What each app makes a browser download, compressed as `okno serve` sends it: the whole bundle
// (from the built files) and what a first screen fetches (from the browser, with its cache
// off). Used by measure.mjs for docs/performance.md and by budget.test.mjs, which holds the
// figures to tests/browser/budget.json.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { BASE, api, newPage, signIn, signInToCabinet, token } from './lib.mjs';

export const DIST = process.env.OKNO_WEB_DIR ?? new URL('../../frontend/dist', import.meta.url).pathname;

/** The two apps: where each is served and where its files are built. */
export const APPS = {
  console: { path: '/', dir: DIST },
  cabinet: { path: '/cabinet/', dir: join(DIST, 'cabinet') },
};

const ASSET = /\.(wasm|js|css)$/;

/** Raw, gzip and brotli bytes of one built file: its precompressed variants where the build wrote them. */
function fileSize(file) {
  const bytes = readFileSync(file);
  const compressed = (suffix, compress) => (existsSync(`${file}.${suffix}`) ? readFileSync(`${file}.${suffix}`).length : compress(bytes).length);
  return {
    raw: bytes.length,
    gzip: compressed('gz', (b) => gzipSync(b, { level: 9 })),
    brotli: compressed('br', (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } })),
  };
}

function total(sizes) {
  return sizes.reduce((sum, s) => ({ raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip, brotli: sum.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });
}

/** Every asset of an app, file by file (hash left out of the name). */
export function bundleFiles(app) {
  const { dir } = APPS[app];
  return readdirSync(dir)
    .filter((name) => ASSET.test(name))
    .sort()
    .map((name) => ({ file: name.replace(/-[0-9a-f]{16}(?=[._])/, ''), ...fileSize(join(dir, name)) }));
}

export function bundleTotal(app) {
  return total(bundleFiles(app));
}

/** The app's assets the page fetches while `action` runs, with the browser's cache off. */
export async function fetchedDuring(page, app, action) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const { path, dir } = APPS[app];
  const names = new Set();
  const listener = (request) => {
    const { pathname } = new URL(request.url());
    const name = pathname.slice(path.length);
    if (pathname.startsWith(path) && !name.includes('/') && ASSET.test(name)) names.add(name);
  };
  page.on('request', listener);
  try {
    await action();
  } finally {
    page.off('request', listener);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.detach();
  }
  return total([...names].map((name) => fileSize(join(dir, name))));
}

/** A subscriber with a cabinet: a demo customer's cabinet activated through the API. */
export async function subscriber() {
  const admin = await token('admin');
  const list = await api('GET', '/customers?kind=person&status=active&limit=50', { token: admin });
  const customer = list.body.items.at(-1);
  const code = await api('POST', `/customers/${customer.id}/cabinet-activation`, { token: admin });
  const password = 'budget-check-2026';
  const activated = await api('POST', '/cabinet/activate', {
    body: { account_number: code.body.account_number, activation_code: code.body.code, password },
  });
  if (activated.status !== 200) throw new Error(`activation: ${activated.status} ${JSON.stringify(activated.body)}`);
  return { accountNumber: code.body.account_number, password };
}

/** Waits for the cabinet's home with the subscriber's data on it. */
export async function cabinetShown(page) {
  await page.getByTestId('my-consents').waitFor();
}

/** Waits for an interactive customer card: the log-contact button and the timeline. */
export async function cardShown(page) {
  await page.getByTestId('log-contact-submit').waitFor({ state: 'visible' });
  await page.getByTestId('timeline-interaction').first().waitFor();
}

/**
 * The figures the budget holds: per app, the whole bundle and what its first screens fetch —
 * the sign-in page, and for a signed-in user the customer card (console) or the home page
 * (cabinet).
 */
export async function measureFirstScreens() {
  const figures = {};
  const staff = await newPage();
  figures.console = {
    whole: bundleTotal('console'),
    sign_in: await fetchedDuring(staff, 'console', async () => {
      await staff.goto(`${BASE}/login`);
      await staff.getByTestId('login-form').waitFor();
    }),
  };
  await signIn(staff, 'operator');
  figures.console.card = await fetchedDuring(staff, 'console', async () => {
    await staff.goto(`${BASE}/customers/1`);
    await cardShown(staff);
  });
  const phone = await newPage();
  figures.cabinet = {
    whole: bundleTotal('cabinet'),
    sign_in: await fetchedDuring(phone, 'cabinet', async () => {
      await phone.goto(`${BASE}/cabinet/login`);
      await phone.getByTestId('login-form').waitFor();
    }),
  };
  await signInToCabinet(phone, await subscriber());
  figures.cabinet.home = await fetchedDuring(phone, 'cabinet', async () => {
    await phone.goto(`${BASE}/cabinet`);
    await cabinetShown(phone);
  });
  for (const page of [staff, phone]) {
    if (page.errors.length) throw new Error(page.errors.join('\n'));
    await page.context().close();
  }
  return figures;
}
