// Shared helpers of the browser tests: one headless Chromium, a fresh context per test,
// signing in through the real login form, screenshots into the test output folder.

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.OKNO_URL ?? 'http://127.0.0.1:8080';
const SCREENSHOTS = process.env.OKNO_SCREENSHOTS ?? '../output/browser';
mkdirSync(SCREENSHOTS, { recursive: true });

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 375, height: 812 };

let browser;

export async function launch() {
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return browser;
}

export async function close() {
  await browser?.close();
  browser = undefined;
}

/** A fresh page (own storage) at the given size, failing the test on page errors. */
export async function newPage(viewport = DESKTOP, locale = 'en-GB') {
  const context = await (await launch()).newContext({ viewport, locale });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // A panic in the app aborts it; its message reaches the console first.
  page.on('console', (m) => { if (m.type() === 'error' && m.text().includes('panicked')) errors.push(m.text()); });
  // Anything the Content-Security-Policy refuses is a fault of the app (or of the policy).
  page.on('console', (m) => { if (m.text().includes('Content Security Policy')) errors.push(m.text()); });
  page.errors = errors;
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in as a demo staff user through the login form and waits for their start page. */
export async function signIn(page, username, { password = 'demo', landing = /\/customers/ } = {}) {
  await page.goto(`${BASE}/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: /sign in|zaloguj|войти/i }).click();
  await page.waitForURL(landing);
}

/** Signs a subscriber in through the cabinet's form and waits for the cabinet. */
export async function signInToCabinet(page, { accountNumber, password }) {
  await page.goto(`${BASE}/cabinet/login`);
  await page.locator('input[name=username]').fill(accountNumber);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(/\/cabinet$/);
}

/** Waits until `locator`'s text matches `pattern`, failing after a few seconds. */
export async function textMatches(locator, pattern, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await locator.innerText().catch(() => '');
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected text matching ${pattern}, got ${JSON.stringify(text)}`);
}

/**
 * Waits for the page to go to `url` after an action that saves something. When the app shows
 * an error instead, fails at once with the error's text and the answers the server refused,
 * rather than with a bare timeout that hides why.
 */
export async function navigatedTo(page, url, timeout = 30000) {
  const refused = [];
  const onResponse = (response) => {
    if (response.status() >= 400) refused.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
  };
  page.on('response', onResponse);
  const error = page.locator('.toast-error').first();
  try {
    const shown = await Promise.race([
      page.waitForURL(url, { timeout }).then(() => null),
      error.waitFor({ timeout }).then(() => error.innerText()),
    ]);
    if (shown !== null) {
      throw new Error(`expected to go to ${url}; the app said ${JSON.stringify(shown)} (${refused.join('; ')})`);
    }
  } finally {
    page.off('response', onResponse);
  }
}

/** Calls the API directly, e.g. to prepare data; returns the parsed JSON. */
export async function api(method, path, { token, body } = {}) {
  const response = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function token(username, password = 'demo') {
  const { body } = await api('POST', '/auth/login', { body: { username, password } });
  return body.access_token;
}

/** Picks the option of a `<select>` whose label contains `text`. */
export async function choose(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}

/**
 * axe-core's serious and critical violations on the page as it stands, one line each with
 * the elements. Run through the DevTools protocol, which the app's CSP does not govern.
 */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
