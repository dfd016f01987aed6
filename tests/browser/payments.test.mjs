// Payments in the browser (R-30..R-33): a cashier opens the till, finds a customer by name and
// street alone, takes cash that pays their invoice, prints the receipt, and closes the till
// 10.00 short, which the manager sees in the till reports; finance reverses a payment.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, api, axeViolations, close, newPage, shot, signIn, textMatches, token } from './lib.mjs';

after(close);

/** A demo person with something still to pay, and their oldest invoice still to pay: what a
 * payment pays first. */
async function owingCustomer(financeToken) {
  const list = await api('GET', '/invoices?kind=invoice&limit=200', { token: financeToken });
  assert.equal(list.status, 200);
  for (const owed of list.body.items) {
    if (owed.to_pay_minor <= 0) continue;
    const customer = (await api('GET', `/customers/${owed.customer_id}`, { token: financeToken })).body;
    if (customer.kind !== 'person' || !customer.addresses?.length) continue;
    const theirs = await api('GET', `/invoices?customer_id=${customer.id}&kind=invoice&limit=100`, { token: financeToken });
    const open = theirs.body.items
      .filter((i) => i.to_pay_minor > 0)
      .sort((a, b) => a.due_date.localeCompare(b.due_date) || a.id - b.id);
    return { invoice: open[0], customer };
  }
  throw new Error('the demo has a person with an invoice still to pay');
}

/** `6149` → `61.49`, as a cashier types it. */
function typed(minor) {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

test('a cashier takes cash for a customer found by name and street, prints the receipt and closes the till 10.00 short; the manager sees it', async () => {
  const financeToken = await token('finance');
  const { invoice, customer } = await owingCustomer(financeToken);
  const page = await newPage();
  await signIn(page, 'cashier');

  await page.getByRole('link', { name: 'Till' }).click();
  await page.waitForURL(/\/till$/);
  await page.getByTestId('open-till').locator('input[name=float]').fill('200.00');
  await page.getByTestId('open-till-button').click();
  await textMatches(page.getByTestId('till-expected'), /200\.00/);

  // Found by surname and street, without a number.
  const street = customer.addresses[0].street.split(' ').filter((w) => !w.endsWith('.')).join(' ');
  await page.getByTestId('search').fill(`${customer.last_name} ${street}`);
  await page.getByTestId('search-result').first().getByText(customer.display_name).waitFor();
  await page.getByTestId('search').press('ArrowDown');
  await page.getByTestId('search').press('Enter');
  await page.waitForURL(new RegExp(`/customers/${customer.id}$`));

  const form = page.getByTestId('take-payment');
  // An amount that does not read is refused at its field, with the focus on it.
  await form.locator('input[name=amount]').fill('sixty');
  await page.getByTestId('register-payment').click();
  await textMatches(form.locator('.field-error').first(), /amount/i);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'amount');
  await form.locator('input[name=amount]').fill(typed(invoice.to_pay_minor));
  await page.getByTestId('register-payment').click();
  const outcome = page.getByTestId('payment-outcome');
  await textMatches(outcome.getByTestId('allocation').first(), new RegExp(invoice.number.replaceAll('/', '\\/')));
  await shot(page, 'payment-taken');
  const shown = await api('GET', `/invoices/${invoice.id}`, { token: financeToken });
  assert.equal(shown.body.payment_status, 'paid');

  const download = page.waitForEvent('download');
  await outcome.getByTestId('receipt').click();
  const path = join(mkdtempSync(join(tmpdir(), 'okno-receipt-')), 'receipt.pdf');
  await (await download).saveAs(path);
  assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  assert.match(text, { pl: /Potwierdzenie wpłaty/, ru: /Квитанция об оплате/, en: /Payment receipt/ }[customer.preferred_language]);
  assert.match(text, new RegExp(invoice.number.replaceAll('/', '\\/')));
  assert.match(text, new RegExp(customer.account_number));

  // Closing: the form says what the count means before the till is closed for good.
  await page.getByRole('link', { name: 'Till' }).click();
  await page.waitForURL(/\/till$/);
  await page.getByTestId('till-payment').first().waitFor();
  const till = (await api('GET', '/tills?open=true', { token: financeToken })).body.items.find((t) => t.cashier_name === 'Marek Kamiński');
  assert.equal(till.cash_minor, invoice.to_pay_minor);
  const close = page.getByTestId('close-till');
  await close.locator('input[name=counted]').fill(typed(till.expected_cash_minor - 1000));
  await close.locator('input[name=note]').fill('Brakuje 10 zł');
  await page.getByTestId('close-till-button').click();
  await textMatches(page.getByTestId('close-question'), /10\.00 short/);
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'till-closing');
  await page.getByTestId('close-till-button').click();
  await page.getByTestId('open-till').waitFor();

  const manager = await newPage();
  await signIn(manager, 'manager');
  await manager.getByRole('link', { name: 'Till reports' }).click();
  await manager.waitForURL(/\/tills$/);
  await textMatches(manager.getByTestId('till-row').first().getByTestId('till-difference'), /10\.00 short/);
  await shot(manager, 'till-reports');
  const closed = (await api('GET', `/tills/${till.id}`, { token: financeToken })).body;
  assert.equal(closed.difference_minor, -1000);
});

test('finance reverses a payment after the form says what that does', async () => {
  const financeToken = await token('finance');
  const { customer } = await owingCustomer(financeToken);
  const registered = await api('POST', '/payments', {
    token: financeToken,
    body: { customer_id: customer.id, amount_minor: 1234, currency: 'PLN', method: 'transfer', payer_reference: 'browser test' },
  });
  assert.equal(registered.status, 201);
  const page = await newPage();
  await signIn(page, 'finance');
  await page.getByRole('link', { name: 'Payments' }).click();
  await page.waitForURL(/\/payments$/);
  const row = page.getByTestId('payment-row').filter({ hasText: customer.account_number }).first();
  await row.getByTestId('reverse').click();
  const form = page.getByTestId('reverse-form');
  await textMatches(form, /opposite entry is booked/);
  // Without a reason: refused at the field.
  await page.getByTestId('confirm-reverse').click();
  await textMatches(form.locator('.field-error').first(), /./);
  await form.locator('input[name=reason]').fill('Registered on the wrong customer');
  await page.getByTestId('confirm-reverse').click();
  await page.getByTestId('reverse-form').waitFor({ state: 'detached' });
  const after = await api('GET', `/payments/${registered.body.id}`, { token: financeToken });
  assert.equal(after.body.reversal.reason, 'Registered on the wrong customer');
  await textMatches(page.getByTestId('payment-row').first(), /Reversed/);
});

test('finance imports a bank statement and assigns the transfer no customer could be told from', async () => {
  const financeToken = await token('finance');
  const { customer } = await owingCustomer(financeToken);
  const saved = await api('PUT', '/bank-csv-mappings/Testbank', {
    token: financeToken,
    body: {
      delimiter: ';', has_header: true, date_format: '%d.%m.%Y', decimal_comma: true,
      columns: { reference: 0, booked_on: 1, amount: 3, title: 2 },
    },
  });
  assert.equal(saved.status, 200);
  const stamp = Date.now();
  const today = new Date();
  const day = `${String(today.getDate()).padStart(2, '0')}.${String(today.getMonth() + 1).padStart(2, '0')}.${today.getFullYear()}`;
  const file = join(mkdtempSync(join(tmpdir(), 'okno-statement-')), 'testbank.csv');
  writeFileSync(file, [
    'Ref;Date;Title;Amount',
    `TB-${stamp}-1;${day};Abonament ${customer.account_number.slice(0, 4)} ${customer.account_number.slice(4)};12,34`,
    `TB-${stamp}-2;${day};za internet;56,78`,
  ].join('\n'));

  const page = await newPage();
  await signIn(page, 'finance');
  await page.getByRole('link', { name: 'Statements' }).click();
  await page.waitForURL(/\/payment-imports$/);
  await page.locator('input[name=file]').setInputFiles(file);
  await page.locator('input[name=bank]').fill('Testbank');
  await page.getByTestId('import-button').click();
  const lines = page.getByTestId('import-result').getByTestId('import-line');
  await textMatches(lines.nth(0), /Registered/);
  await textMatches(lines.nth(1), /Unmatched/);
  const waiting = page.getByTestId('unmatched-line').filter({ hasText: 'za internet' });
  await waiting.waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'statement-import');
  // A number nobody has is refused at the field; the customer's is taken.
  await waiting.locator('input[name=account]').fill('100000018');
  await waiting.getByTestId('assign').click();
  await textMatches(waiting.locator('.field-error'), /No customer/);
  await waiting.locator('input[name=account]').fill(customer.account_number);
  await waiting.getByTestId('assign').click();
  await waiting.waitFor({ state: 'detached' });
  const paid = await api('GET', `/payments?customer_id=${customer.id}&limit=10`, { token: financeToken });
  const references = paid.body.items.map((p) => p.external_reference);
  assert.ok(references.includes(`TB-${stamp}-1`) && references.includes(`TB-${stamp}-2`), references.join(', '));
});

test('finance makes prepaid cards and downloads their codes once; a cashier redeems one onto a card, and not twice', async () => {
  const financeToken = await token('finance');
  const { customer } = await owingCustomer(financeToken);
  const page = await newPage();
  await signIn(page, 'finance');
  await page.getByRole('link', { name: 'Prepaid cards' }).click();
  await page.waitForURL(/\/prepaid-cards$/);
  const form = page.getByTestId('card-batch-form');
  await form.locator('input[name=cards]').fill('2');
  await form.locator('input[name=value]').fill('25.00');
  const until = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  await form.locator('input[name=valid_until]').fill(until);
  await page.getByTestId('make-cards').click();
  await page.getByTestId('codes-ready').waitFor();
  const download = page.waitForEvent('download');
  await page.getByTestId('download-codes').click();
  const path = join(mkdtempSync(join(tmpdir(), 'okno-cards-')), 'cards.csv');
  await (await download).saveAs(path);
  const rows = readFileSync(path, 'utf8').trim().split('\n');
  assert.equal(rows[0], 'serial;code;value;currency;valid_until');
  assert.equal(rows.length, 3);
  const code = rows[1].split(';')[1];
  assert.match(code, /^\d{4} \d{4} \d{4} \d{4}$/);
  await textMatches(page.getByTestId('card-batch').first(), /2 cards/);

  const cashier = await newPage();
  await signIn(cashier, 'cashier');
  await cashier.goto(`${BASE}/customers/${customer.id}`);
  const redeem = cashier.getByTestId('redeem-card');
  await redeem.locator('input[name=code]').fill(code);
  await cashier.getByTestId('redeem-button').click();
  await textMatches(cashier.getByTestId('toast').last(), /25\.00/);
  await redeem.locator('input[name=code]').fill(code);
  await cashier.getByTestId('redeem-button').click();
  await textMatches(cashier.getByTestId('toast').last(), /used already/);
  const batches = await api('GET', '/prepaid-card-batches', { token: financeToken });
  assert.equal(batches.body[0].redeemed, 1);
});
