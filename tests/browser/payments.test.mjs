// Payments in the browser (R-30..R-33): a cashier opens the till, finds a customer by name and
// street alone, takes cash that pays their invoice, prints the receipt, and closes the till
// 10.00 short, which the manager sees in the till reports; finance reverses a payment.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, api, axeViolations, close, newPage, shot, signIn, textMatches, token } from './lib.mjs';

after(close);

/** A demo customer with an invoice still to pay, with their street and surname. */
async function owingCustomer(financeToken) {
  const list = await api('GET', '/invoices?kind=invoice&limit=200', { token: financeToken });
  assert.equal(list.status, 200);
  for (const invoice of list.body.items) {
    if (invoice.to_pay_minor <= 0) continue;
    const customer = (await api('GET', `/customers/${invoice.customer_id}`, { token: financeToken })).body;
    if (customer.kind !== 'person' || !customer.addresses?.length) continue;
    return { invoice, customer };
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
