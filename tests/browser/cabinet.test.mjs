// The subscriber cabinet on a phone-sized screen: activation with the operator's code,
// signing in, the subscriber's own data and consents.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, api, close, newPage, shot, signIn, textMatches, token } from './lib.mjs';

after(close);

test('a subscriber activates the cabinet with the code from the operator and signs in', async () => {
  const operator = await newPage();
  await signIn(operator, 'operator');
  await operator.goto(`${BASE}/customers/2`);
  await operator.getByTestId('customer-name').waitFor();
  const accountNumber = await operator.locator('.card-facts .mono').first().innerText();
  await operator.getByTestId('issue-activation').click();
  const code = await operator.getByTestId('activation-code').locator('.secret-value').innerText();
  assert.match(code, /^[A-Z2-9]{8}$/);
  await shot(operator, 'operator-activation-code');

  const phone = await newPage(PHONE, 'pl-PL');
  await phone.goto(`${BASE}/cabinet/activate`);
  await phone.locator('input[name=account_number]').fill(accountNumber);
  await phone.locator('input[name=activation_code]').fill(code.toLowerCase());
  await phone.locator('input[name=password]').fill('moje-haslo-2026');
  await phone.locator('input[name=repeat]').fill('moje-haslo-2026');
  await shot(phone, 'cabinet-activate');
  await phone.locator('form button[type=submit]').click();
  await phone.waitForURL(/\/cabinet$/);
  await phone.getByTestId('cabinet').locator('h1').waitFor();
  // Greeted by the given name first, as one speaks to a person.
  assert.match(await phone.locator('h1').innerText(), /Jan Nowak/);
  await shot(phone, 'cabinet-home');

  // Signing out and in again with the account number and the new password.
  await phone.getByTestId('logout').click();
  await phone.waitForURL(/\/cabinet\/login$/);
  await phone.locator('input[name=username]').fill(accountNumber);
  await phone.locator('input[name=password]').fill('moje-haslo-2026');
  await phone.locator('form button[type=submit]').click();
  await phone.waitForURL(/\/cabinet$/);
  await phone.getByTestId('my-consents').waitFor();

  // The subscriber changes a consent; the operator sees it on the card.
  const marketing = phone.getByTestId('my-consent-marketing');
  const before = await marketing.isChecked();
  await marketing.click();
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 50 && (await marketing.isChecked()) === before; i++) await phone.waitForTimeout(100);
  });
  assert.equal(await marketing.isChecked(), !before);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the cabinet fits a 375 px screen (scroll width ${width})`);
  assert.deepEqual(phone.errors, []);

  // Staff pages are not for subscribers.
  await phone.goto(`${BASE}/customers`);
  await phone.waitForURL(/\/cabinet$/);
});

test('a wrong activation code is refused with a clear message', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${BASE}/cabinet/activate`);
  await page.locator('input[name=account_number]').fill('100000025');
  await page.locator('input[name=activation_code]').fill('WRONG123');
  await page.locator('input[name=password]').fill('moje-haslo-2026');
  await page.locator('input[name=repeat]').fill('moje-haslo-2026');
  await page.locator('form button[type=submit]').click();
  await assert.doesNotReject(page.getByText('The account number and code do not match, or the code has expired.').waitFor());
});

test('a subscriber who activates in another language keeps it, and is offered it for letters too', async () => {
  const agentToken = await token('agent');
  const admin = await token('admin');
  const list = await api('GET', '/customers?kind=person&status=active&limit=50', { token: admin });
  let polish;
  for (const c of list.body.items.slice(5)) {
    const card = await api('GET', `/customers/${c.id}`, { token: admin });
    if (card.body.preferred_language === 'pl' && !card.body.cabinet_active) { polish = card.body; break; }
  }
  assert.ok(polish, 'a Polish-speaking demo customer without a cabinet');
  const code = await api('POST', `/customers/${polish.id}/cabinet-activation`, { token: agentToken });
  const phone = await newPage(PHONE, 'pl-PL');
  await phone.goto(`${BASE}/cabinet/activate`);
  await phone.getByTestId('lang-EN').click();
  await phone.locator('input[name=account_number]').fill(code.body.account_number);
  await phone.locator('input[name=activation_code]').fill(code.body.code);
  await phone.locator('input[name=password]').fill('english-please');
  await phone.locator('input[name=repeat]').fill('english-please');
  await phone.locator('form button[type=submit]').click();
  await phone.waitForURL(/\/cabinet$/);
  const offer = phone.getByTestId('language-offer');
  await textMatches(offer, /^Your letters and invoices come in Polish/);
  await phone.getByTestId('profile-form').locator('button[type=submit]').click();
  await offer.waitFor({ state: 'detached' });
  const card = await api('GET', `/customers/${polish.id}`, { token: admin });
  assert.equal(card.body.preferred_language, 'en');
  assert.deepEqual(phone.errors, []);
});
