// Billing in the browser: finance bills a month and follows the run; an invoice reads right,
// prints as a PDF and as a duplicate, and is corrected by a note; the customer card shows the
// account; subscribers see their balance, their invoices with PDFs, and until when a prepaid
// balance pays.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, PHONE, api, close, navigatedTo, newPage, shot, signIn, textMatches, token } from './lib.mjs';

after(close);

const SCREENSHOTS = process.env.OKNO_SCREENSHOTS ?? '../output/browser';

/** `YYYY-MM` of the month `back` months before this one. */
function monthBack(back) {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth() - back, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Saves the download `click` starts and returns the PDF's text (poppler's pdftotext). */
async function downloadedPdf(page, click, name) {
  const download = page.waitForEvent('download');
  await click();
  const path = join(mkdtempSync(join(tmpdir(), 'okno-pdf-')), `${name}.pdf`);
  await (await download).saveAs(path);
  assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
  return { path, text: execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }) };
}

/** An invoice of last month whose customer speaks Polish (the demo bills the last two months). */
async function polishInvoice(financeToken) {
  const list = await api('GET', `/invoices?period=${monthBack(1)}&kind=invoice&limit=100`, { token: financeToken });
  assert.equal(list.status, 200);
  for (const invoice of list.body.items) {
    const customer = await api('GET', `/customers/${invoice.customer_id}`, { token: financeToken });
    if (customer.body.preferred_language === 'pl') return { invoice, customer: customer.body };
  }
  throw new Error('the demo has a Polish customer with an invoice of last month');
}

/** Opens the cabinet of `customerId` on a phone, activating it first. */
async function cabinetOf(customerId, password) {
  const agentToken = await token('agent');
  const code = await api('POST', `/customers/${customerId}/cabinet-activation`, { token: agentToken });
  assert.equal(code.status, 201);
  const activated = await api('POST', '/cabinet/activate', {
    body: { account_number: code.body.account_number, activation_code: code.body.code, password },
  });
  assert.equal(activated.status, 200);
  const phone = await newPage(PHONE, 'pl-PL');
  await phone.goto(`${BASE}/cabinet/login`);
  await phone.locator('input[name=username]').fill(code.body.account_number);
  await phone.locator('input[name=password]').fill(password);
  await phone.locator('form button[type=submit]').click();
  await phone.waitForURL(/\/cabinet$/);
  return phone;
}

test('finance bills a month that has ended and follows the run to its end; billing it again adds nothing', async () => {
  const page = await newPage();
  await signIn(page, 'finance');
  await page.getByRole('link', { name: 'Billing' }).click();
  await page.waitForURL(/\/billing$/);
  const runs = page.getByTestId('run-row');
  await runs.first().waitFor();
  assert.equal(await runs.count(), 2, 'the demo billed the last two months');

  const period = monthBack(3);
  const [year, month] = period.split('-').map(Number);
  const label = new Date(year, month - 1, 1).toLocaleString('en-GB', { month: 'long', year: 'numeric' });
  await page.locator('select[name=period]').selectOption(period);
  await page.getByTestId('start-billing').click();
  const run = runs.filter({ hasText: label });
  await textMatches(run.getByTestId('run-status'), /^done$/, 30000);
  assert.equal(await runs.count(), 3);
  const invoiced = Number(await run.getByTestId('run-invoiced').innerText());
  assert.ok(invoiced > 30, `the demo's customers are invoiced (${invoiced})`);
  await shot(page, 'billing-runs');

  // Again: the same run, nobody billed twice.
  await page.getByTestId('start-billing').click();
  await page.getByText('Billing started.').first().waitFor();
  await textMatches(run.getByTestId('run-status'), /^done$/, 30000);
  assert.equal(await runs.count(), 3);
  assert.equal(Number(await run.getByTestId('run-invoiced').innerText()), invoiced);

  const financeToken = await token('finance');
  const list = await api('GET', `/invoices?period=${period}&limit=500`, { token: financeToken });
  assert.equal(list.body.items.length, invoiced);
  assert.equal(new Set(list.body.items.map((i) => i.customer_id)).size, invoiced, 'one invoice per customer');
  const sequence = list.body.items.map((i) => Number(i.number.split('/').pop())).sort((a, b) => a - b);
  assert.equal(sequence.at(-1) - sequence[0] + 1, invoiced, 'the run took an unbroken block of numbers');
  assert.deepEqual(page.errors, []);
});

test('an invoice reads right, prints as a PDF and as a duplicate, and is corrected by a note', async () => {
  const financeToken = await token('finance');
  const { invoice, customer } = await polishInvoice(financeToken);
  const page = await newPage();
  await signIn(page, 'finance');

  // Found through the list's filters.
  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.waitForURL(/\/invoices$/);
  await page.locator('input[name=number]').fill(invoice.number);
  await page.locator('input[name=number]').press('Enter');
  const rows = page.getByTestId('invoice-row');
  await textMatches(page.getByTestId('invoice-table'), new RegExp(invoice.number.replaceAll('/', '\\/')));
  assert.equal(await rows.count(), 1);
  await rows.first().getByRole('link', { name: invoice.number }).click();
  await page.waitForURL(new RegExp(`/invoices/${invoice.id}$`));
  await textMatches(page.getByTestId('invoice-number'), new RegExp(`^Invoice ${invoice.number}$`));
  const lines = page.getByTestId('invoice-line');
  assert.ok((await lines.count()) >= 1);
  await textMatches(page.getByTestId('payment'), new RegExp(customer.account_number));
  // Whether it is still to pay (as payments were put toward it), overdue after its due date.
  const shown = await api('GET', `/invoices/${invoice.id}`, { token: financeToken });
  const expected = { paid: /Nothing left to pay/, overdue: /Overdue/i, open: /to pay/, partly_paid: /to pay/ };
  await textMatches(page.getByTestId('still-to-pay'), expected[shown.body.payment_status]);
  await shot(page, 'invoice');

  const original = await downloadedPdf(page, () => page.getByTestId('invoice-pdf').click(), 'invoice');
  assert.match(original.text, /Faktura VAT/);
  assert.match(original.text, new RegExp(invoice.number.replaceAll('/', '\\/')));
  assert.match(original.text, new RegExp(customer.display_name.split(' ')[0]));
  assert.match(original.text, /Do zapłaty/);
  assert.doesNotMatch(original.text, /DUPLIKAT/);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', original.path, join(SCREENSHOTS, 'invoice-pdf')]);
  const duplicate = await downloadedPdf(page, () => page.getByTestId('invoice-duplicate').click(), 'duplicate');
  assert.match(duplicate.text, /DUPLIKAT z dnia/);
  assert.match(duplicate.text, new RegExp(invoice.number.replaceAll('/', '\\/')));

  // The first line comes down to 10,00 (net); the invoice itself stays as issued.
  await page.getByTestId('correct').click();
  const form = page.getByTestId('correction-form');
  // Nothing is issued before the form has said what the note does and been asked again.
  await form.getByTestId('issue-correction').click();
  await textMatches(form.getByTestId('correction-effect'), new RegExp(`to ${invoice.number.replaceAll('/', '\\/')}; the customer's balance becomes`));
  await form.getByTestId('issue-correction').click();
  await form.locator('.field-error').first().waitFor();
  await form.locator('input[name=line-0]').fill('10,00');
  await form.locator('textarea[name=reason]').fill('Reklamacja: przerwa w usłudze');
  assert.equal(await form.locator('textarea[name=reason]').inputValue(), 'Reklamacja: przerwa w usłudze');
  await form.getByTestId('issue-correction').click();
  await textMatches(form.getByTestId('correction-effect'), /^Correction note of \S*PLN\s[\d,]+\.\d\d to FV\//);
  await form.getByTestId('issue-correction').click();
  await navigatedTo(page, (url) => /\/invoices\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${invoice.id}`));
  await textMatches(page.getByTestId('invoice-number'), /^Correction note FK\/\d{4}\/\d{6}$/);
  await page.getByText('Reklamacja: przerwa w usłudze').waitFor();
  await page.getByRole('link', { name: invoice.number }).first().click();
  await page.waitForURL(new RegExp(`/invoices/${invoice.id}$`));
  await textMatches(page.getByTestId('invoice'), /FK\/\d{4}\/\d{6}/);
  const after = await api('GET', `/invoices/${invoice.id}`, { token: financeToken });
  assert.equal(after.body.gross_minor, invoice.gross_minor, 'the invoice is never changed');
  assert.equal(after.body.corrections.length, 1);
  assert.deepEqual(page.errors, []);
});

test('a fee broken by a pause names the days charged on the invoice', async () => {
  const financeToken = await token('finance');
  // The demo pauses some contracts from the 11th to the 20th of last month.
  const list = await api('GET', `/invoices?period=${monthBack(1)}&kind=invoice&limit=100`, { token: financeToken });
  const [year, month] = monthBack(1).split('-');
  const last = new Date(Number(year), Number(month), 0).getDate();
  const runs = `01.${month}–10.${month}, 21.${month}–${last}.${month}`;
  let paused;
  for (const invoice of list.body.items) {
    const full = await api('GET', `/invoices/${invoice.id}`, { token: financeToken });
    if (full.body.lines.some((l) => l.description.includes(runs))) {
      paused = full.body;
      break;
    }
  }
  assert.ok(paused, `the demo has an invoice of ${monthBack(1)} with a fee line "${runs}"`);
  const line = paused.lines.find((l) => l.description.includes(runs));
  assert.equal(line.days, last - 10);
  const page = await newPage();
  await signIn(page, 'finance');
  await page.goto(`${BASE}/invoices/${paused.id}`);
  const shown = page.getByTestId('invoice-line').filter({ hasText: runs });
  await shown.first().waitFor();
  await textMatches(shown.first(), new RegExp(`\\(${last - 10}(/| of | из )${last}`));
  await shot(page, 'invoice-paused');
  assert.deepEqual(page.errors, []);
});

test('a filtered list keeps its answer when the unfiltered one comes in last', async () => {
  const financeToken = await token('finance');
  const { invoice } = await polishInvoice(financeToken);
  const page = await newPage();
  // The list's first, unfiltered page answers slowly; the filtered one overtakes it.
  let unfilteredAnswered = false;
  await page.route(/\/api\/v1\/invoices\?/, async (route) => {
    if (!route.request().url().includes('number=')) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      unfilteredAnswered = true;
    }
    await route.continue().catch(() => {});
  });
  await signIn(page, 'finance');
  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.waitForURL(/\/invoices$/);
  await page.locator('input[name=number]').fill(invoice.number);
  await page.locator('input[name=number]').press('Enter');
  const rows = page.getByTestId('invoice-row');
  await textMatches(page.getByTestId('invoice-table'), new RegExp(invoice.number.replaceAll('/', '\\/')));
  while (!unfilteredAnswered) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getByRole('link').first().innerText(), invoice.number);
  assert.deepEqual(page.errors, []);
});

test('the invoice list filters by the customer\'s account number and by issue dates, and names the month', async () => {
  const financeToken = await token('finance');
  const { customer } = await polishInvoice(financeToken);
  const mine = await api('GET', `/invoices?customer_id=${customer.id}&limit=100`, { token: financeToken });
  const page = await newPage();
  await signIn(page, 'finance');
  await page.goto(`${BASE}/invoices`);
  await page.locator('input[name=account]').fill(customer.account_number);
  await page.locator('input[name=account]').press('Enter');
  const rows = page.getByTestId('invoice-row');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && (await rows.count()) !== mine.body.items.length) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await rows.count(), mine.body.items.length);
  for (const name of await rows.locator('td:nth-child(2)').allInnerTexts()) assert.equal(name, customer.display_name);
  // Months by name, not "2026-11".
  assert.doesNotMatch(await page.getByTestId('invoice-table').innerText(), /\b\d{4}-\d{2}\b/);
  // Issued after the last of them: none.
  const last = mine.body.items.map((i) => i.issue_date).sort().pop();
  const after = new Date(Date.parse(last) + 86_400_000).toISOString().slice(0, 10);
  await page.locator('input[name=issued_from]').fill(after);
  await page.locator('input[name=issued_from]').dispatchEvent('change');
  await page.getByText(/No invoices/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the customer card shows the account with its invoices', async () => {
  const financeToken = await token('finance');
  const { invoice, customer } = await polishInvoice(financeToken);
  const page = await newPage();
  await signIn(page, 'operator');
  await page.goto(`${BASE}/customers/${customer.id}`);
  const account = page.getByTestId('account');
  await textMatches(account.getByTestId('balance'), /^(To pay|In credit): PLN\s\d/);
  await textMatches(account.getByTestId('entries'), new RegExp(invoice.number.replaceAll('/', '\\/')));
  // What the customer owes reads positive, as on the invoice: the invoice's gross, no minus.
  const row = account.getByTestId('entries').locator('tr', { hasText: invoice.number });
  const amount = await row.locator('td.num').innerText();
  assert.doesNotMatch(amount, /^[-−]/, `the invoice reads ${amount}`);
  assert.deepEqual(page.errors, []);
});

test('a subscriber sees the balance and every invoice and downloads one; a prepaid one sees until when the balance pays', async () => {
  const financeToken = await token('finance');
  const { customer } = await polishInvoice(financeToken);
  const phone = await cabinetOf(customer.id, 'faktury-2026');
  await textMatches(phone.getByTestId('my-account').getByTestId('balance'), /^(Do zapłaty|Nadpłata): \d/);
  const invoices = phone.getByTestId('my-invoice');
  await invoices.first().waitFor();
  const mine = await api('GET', `/invoices?customer_id=${customer.id}&limit=100`, { token: financeToken });
  assert.equal(await invoices.count(), Math.min(12, mine.body.items.length));
  const pdf = await downloadedPdf(phone, () => invoices.first().getByTestId('my-invoice-pdf').click(), 'mine');
  assert.match(pdf.text, /Faktura/);
  assert.match(pdf.text, new RegExp(customer.account_number));
  // Invoices with something still to pay are marked so.
  const shownFirst = mine.body.items.find((i) => i.kind === 'invoice');
  if (shownFirst && shownFirst.to_pay_minor > 0 && shownFirst.id === mine.body.items[0].id) {
    await phone.getByTestId('to-pay').first().waitFor();
  }
  // The payments panel is there, with a receipt for each payment.
  await phone.getByTestId('my-payments').waitFor();
  const payments = await api('GET', `/payments?customer_id=${customer.id}&limit=100`, { token: financeToken });
  assert.equal(await phone.getByTestId('my-payment').count(), Math.min(12, payments.body.items.length));
  await shot(phone, 'cabinet-invoices');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the cabinet fits a 375 px screen (scroll width ${width})`);

  // Someone else's invoice is not there for the asking.
  const other = (await api('GET', '/invoices?limit=100', { token: financeToken })).body.items.find((i) => i.customer_id !== customer.id);
  assert.ok(other);
  const stranger = await phone.evaluate(async (id) => {
    const session = JSON.parse(localStorage.getItem('okno.session') ?? 'null');
    const response = await fetch(`/api/v1/me/invoices/${id}`, { headers: session ? { authorization: `Bearer ${session.access_token}` } : {} });
    return response.status;
  }, other.id);
  assert.ok([401, 404].includes(stranger), `another customer's invoice is not shown (${stranger})`);

  // Prepaid: the demo's prepaid customers have a tariff marked prepaid.
  const agentToken = await token('agent');
  const tariffs = await api('GET', '/tariffs', { token: agentToken });
  const prepaidTariff = tariffs.body.find((t) => t.code === 'internet-prepaid');
  assert.ok(prepaidTariff);
  const contracts = await api('GET', '/contracts?status=active&limit=500', { token: agentToken });
  const prepaidContract = contracts.body.items.find((c) => c.subscriptions.some((s) => s.tariffs.some((t) => t.tariff_id === prepaidTariff.id)));
  assert.ok(prepaidContract, 'the demo has a prepaid customer');
  const prepaid = await cabinetOf(prepaidContract.customer_id, 'doladowanie-2026');
  await textMatches(prepaid.getByTestId('my-account').getByTestId('prepaid'), /saldo (wystarczy do \d{1,2}\.\d{2}\.\d{4}|nie wystarcza)/);
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(prepaid.errors, []);
});
