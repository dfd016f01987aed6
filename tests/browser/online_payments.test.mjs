// Paying online from the cabinet on a phone: "Pay online" beside an invoice opens the
// payment gateway's page (the demo's stand-in for Stripe), paying there brings the subscriber
// back to a page that waits for the gateway's signed word, and the invoice then shows paid —
// in the cabinet and on the staff's invoice list.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, api, axeViolations, close, newPage, shot, signInToCabinet, token } from './lib.mjs';

after(close);

/** A demo person with an invoice still to pay and no cabinet yet, with a cabinet now. */
async function subscriberWhoOwes() {
  const [financeToken, agentToken] = [await token('finance'), await token('agent')];
  const list = await api('GET', '/invoices?kind=invoice&limit=200', { token: financeToken });
  assert.equal(list.status, 200);
  for (const owed of list.body.items) {
    if (owed.to_pay_minor <= 0) continue;
    const customer = (await api('GET', `/customers/${owed.customer_id}`, { token: financeToken })).body;
    if (customer.kind !== 'person' || customer.cabinet_active) continue;
    const code = await api('POST', `/customers/${customer.id}/cabinet-activation`, { token: agentToken });
    assert.equal(code.status, 201);
    const password = 'paying-online-2026';
    const activated = await api('POST', '/cabinet/activate', {
      body: { account_number: customer.account_number, activation_code: code.body.code, password },
    });
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
    return { customer, password, financeToken };
  }
  throw new Error('the demo has a person with an invoice to pay and no cabinet');
}

test('a subscriber pays an invoice online from the cabinet on a phone, and the invoice shows paid', async () => {
  const { customer, password, financeToken } = await subscriberWhoOwes();
  const phone = await newPage(PHONE);
  await signInToCabinet(phone, { accountNumber: customer.account_number, password });

  const invoice = phone.getByTestId('my-invoice').filter({ has: phone.getByTestId('pay-online') }).first();
  await invoice.waitFor();
  const number = (await invoice.locator('.document-title .mono').innerText()).trim();
  const before = await api('GET', `/invoices?customer_id=${customer.id}&kind=invoice&limit=100`, { token: financeToken });
  const owed = before.body.items.find((i) => i.number === number);
  assert.ok(owed.to_pay_minor > 0, `${number} has something to pay`);
  await shot(phone, 'cabinet-pay-online');
  await invoice.getByTestId('pay-online').click();

  // The gateway's page: the amount the server worked out, nothing typed by the subscriber.
  await phone.waitForURL(/\/fake-gateway\/pay\/cs_test_/);
  const amount = `${Math.floor(owed.to_pay_minor / 100)}.${String(owed.to_pay_minor % 100).padStart(2, '0')} PLN`;
  const pay = phone.locator('button[name=decision][value=pay]');
  assert.equal((await pay.innerText()).trim(), `Pay ${amount}`);
  await shot(phone, 'gateway-page');
  await pay.click();

  // Back in the cabinet, the page shows what the gateway confirmed.
  await phone.waitForURL(/\/cabinet\/online-payments\/\d+$/);
  await phone.locator('[data-testid=online-status][data-status=paid]').waitFor({ timeout: 15000 });
  assert.ok((await phone.getByTestId('online-payment').innerText()).includes(number));
  await shot(phone, 'cabinet-online-paid');
  assert.deepEqual(await axeViolations(phone), []);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the page fits a 375 px screen (scroll width ${width})`);

  await phone.getByTestId('back-to-cabinet').click();
  await phone.waitForURL(/\/cabinet$/);
  const paidInvoice = phone.getByTestId('my-invoice').filter({ hasText: number });
  await paidInvoice.waitFor();
  assert.equal(await paidInvoice.getByTestId('pay-online').count(), 0, 'nothing left to pay online');
  assert.equal(await paidInvoice.getByTestId('to-pay').count(), 0);
  await phone.getByTestId('my-payment').first().waitFor();

  const after = await api('GET', `/invoices?customer_id=${customer.id}&kind=invoice&limit=100`, { token: financeToken });
  const paid = after.body.items.find((i) => i.number === number);
  assert.deepEqual([paid.payment_status, paid.to_pay_minor], ['paid', 0]);
  assert.deepEqual(phone.errors, []);
});

test('a top-up below the least amount is refused at its field, with the focus on it', async () => {
  const { customer, password } = await subscriberWhoOwes();
  const phone = await newPage(PHONE);
  await signInToCabinet(phone, { accountNumber: customer.account_number, password });
  const form = phone.getByTestId('top-up');
  await form.locator('input[name=amount_minor]').fill('0.50');
  await form.getByTestId('top-up-button').click();
  await form.locator('[aria-invalid=true]').waitFor();
  assert.equal(await phone.evaluate(() => document.activeElement?.getAttribute('name')), 'amount_minor');
  assert.match(phone.url(), /\/cabinet$/, 'still in the cabinet');
});
