// Every screen as axe-core reads it (no serious or critical violation) and the staff console
// at phone width: nothing wider than the phone, the menu behind its button.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, api, axeViolations, close, newPage, signIn, textMatches, token } from './lib.mjs';

after(close);

/** A customer, a contract and an invoice of the demo, to open. */
async function demoRecords() {
  const finance = await token('finance');
  const invoices = await api('GET', '/invoices?kind=invoice&limit=1', { token: finance });
  const contracts = await api('GET', '/contracts?status=active&limit=1', { token: finance });
  assert.equal(invoices.status, 200);
  assert.equal(contracts.status, 200);
  const invoice = invoices.body.items[0];
  return { customer: invoice.customer_id, invoice: invoice.id, contract: contracts.body.items[0].id };
}

async function settled(page, testId) {
  await page.getByTestId(testId).first().waitFor();
  await page.waitForLoadState('networkidle');
}

test('the screens have no serious or critical accessibility violations', async () => {
  const { customer, invoice, contract } = await demoRecords();
  const found = [];
  const check = async (page, what) => {
    for (const v of await axeViolations(page)) found.push(`${what}: ${v}`);
  };

  const publicPage = await newPage();
  await publicPage.goto(`${BASE}/login`);
  await settled(publicPage, 'login-form');
  await check(publicPage, 'sign-in');
  await publicPage.goto(`${BASE}/cabinet/activate`);
  await publicPage.locator('form').first().waitFor();
  await check(publicPage, 'activation');
  await publicPage.goto(`${BASE}/cabinet/forgot`);
  await settled(publicPage, 'forgot-form');
  await check(publicPage, 'forgotten password');

  const admin = await newPage();
  await signIn(admin, 'admin');
  for (const [path, testId] of [
    ['/customers', 'customer-results'],
    [`/customers/${customer}`, 'customer-card'],
    ['/customers/new', 'customer-form'],
    [`/contracts/${contract}`, 'contract-page'],
    ['/contracts/approvals', 'approvals'],
    ['/invoices', 'invoice-table'],
    [`/invoices/${invoice}`, 'invoice'],
    ['/billing', 'run-row'],
    ['/messages', 'outbox-table'],
    ['/admin/message-templates', 'template-form'],
  ]) {
    await admin.goto(`${BASE}${path}`);
    await settled(admin, testId);
    await check(admin, path);
  }
  // A page the role may not see says so under a heading.
  const cashier = await newPage();
  await signIn(cashier, 'cashier');
  await cashier.goto(`${BASE}/billing`);
  await settled(cashier, 'not-allowed');
  await check(cashier, 'not allowed');
  assert.deepEqual(found, []);
  assert.deepEqual([...publicPage.errors, ...admin.errors, ...cashier.errors], []);
});

test('the staff console fits a phone: one column, the menu behind its button', async () => {
  const { customer, invoice, contract } = await demoRecords();
  const page = await newPage(PHONE);
  await signIn(page, 'admin');
  const wider = [];
  for (const [path, testId] of [
    ['/customers', 'customer-results'],
    [`/customers/${customer}`, 'customer-card'],
    ['/customers/new', 'customer-form'],
    [`/contracts/${contract}`, 'contract-page'],
    [`/invoices/${invoice}`, 'invoice'],
    ['/messages', 'outbox-table'],
    ['/admin/message-templates', 'template-form'],
  ]) {
    await page.goto(`${BASE}${path}`);
    await settled(page, testId);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > PHONE.width) {
      // Name the elements that stick out, innermost first, so a failure says what to fix.
      const culprits = await page.evaluate((limit) => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > limit + 0.5)
        .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > limit + 0.5))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)} px)`), PHONE.width);
      wider.push(`${path}: ${width} px: ${culprits.join(', ')}`);
    }
  }
  assert.deepEqual(wider, [], 'no page lays out wider than the phone');

  // The menu opens from its button and folds again when a link is followed.
  const nav = page.getByRole('navigation', { name: 'main' });
  assert.equal(await nav.isVisible(), false);
  await page.getByTestId('nav-toggle').click();
  await nav.getByRole('link', { name: 'Invoices' }).click();
  await page.waitForURL(/\/invoices$/);
  assert.equal(await nav.isVisible(), false);
  assert.equal(await page.getByTestId('logout').isVisible(), true, 'signing out is at hand');
  assert.deepEqual(page.errors, []);
});

test('a failed save lists what to fix at the top and puts the cursor on the first field', async () => {
  const page = await newPage();
  await signIn(page, 'agent');
  await page.goto(`${BASE}/customers/new`);
  const form = page.getByTestId('customer-form');
  await form.waitFor();
  await form.locator('button[type=submit]').last().click();
  const summary = page.getByTestId('error-summary');
  await textMatches(summary, /First name: Required\./);
  // The focus moves once the summary is drawn: wait for it a moment rather than racing it.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'first_name', null, { timeout: 2000 }).catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'first_name');
  // Following a link of the summary goes to its field; typing there clears its message.
  await summary.getByRole('link', { name: /Last name/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'last_name');
  await page.keyboard.type('Nowak');
  await textMatches(summary, /^(?![\s\S]*Last name)/);
  assert.deepEqual(page.errors, []);
});
