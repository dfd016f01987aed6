// The operator console: search, the one-window card, logging a contact, consents, languages,
// the customer form, what each role sees, and how the forms say why a save failed.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, close, newPage, shot, signIn, api, textMatches, token } from './lib.mjs';

after(close);

test('an operator finds a customer by a phone fragment, logs a contact and withdraws a consent', async () => {
  const page = await newPage();
  await signIn(page, 'operator');
  await page.getByTestId('search').fill('600 100');
  const result = page.getByTestId('search-result').first();
  await result.waitFor();
  assert.match(await result.innerText(), /Kowalska Anna/);
  await shot(page, 'operator-search');

  await page.getByTestId('search').press('ArrowDown');
  // The suggestion the arrows are on is the one a screen reader reads.
  const active = await page.getByTestId('search').getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  await page.getByTestId('search').press('Enter');
  await page.waitForURL(/\/customers\/1$/);
  assert.equal(await page.getByTestId('customer-name').innerText(), 'Kowalska Anna');

  const form = page.getByTestId('log-contact');
  await form.locator('select[name=channel]').selectOption('visit');
  await form.locator('textarea[name=summary]').fill('Asks when the technician will come; date confirmed.');
  await form.getByTestId('log-contact-submit').click();
  const newest = page.getByTestId('timeline-interaction').first();
  await assert.doesNotReject(newest.getByText('Asks when the technician will come; date confirmed.').waitFor());
  assert.match(await newest.innerText(), /Visit/);
  assert.equal(await form.locator('textarea[name=summary]').inputValue(), '', 'the form is ready for the next contact');
  assert.match(page.url(), /\/customers\/1$/, 'the operator stays on the card');

  const marketing = page.getByTestId('consent-marketing');
  assert.equal(await marketing.getByTestId('consent-state').innerText(), 'given');
  await marketing.getByRole('button', { name: 'Withdraw' }).click();
  await assert.doesNotReject(marketing.getByTestId('consent-state').getByText('not given').waitFor());
  await assert.doesNotReject(page.getByTestId('timeline').getByText('Consent withdrawn: Marketing').waitFor());
  await shot(page, 'operator-card');
  assert.deepEqual(page.errors, []);
});

test('the console speaks Polish and Russian, and remembers the choice', async () => {
  const page = await newPage();
  await signIn(page, 'operator');
  await page.goto(`${BASE}/customers/1`);
  await page.getByTestId('customer-name').waitFor();
  assert.equal(await page.locator('.log-contact h2').innerText(), 'Log this contact');

  await page.getByTestId('lang-PL').click();
  assert.equal(await page.locator('.log-contact h2').innerText(), 'Zarejestruj kontakt');
  assert.equal(await page.getByRole('link', { name: 'Klienci' }).count(), 1);
  await shot(page, 'card-pl');

  await page.getByTestId('lang-RU').click();
  assert.equal(await page.locator('.log-contact h2').innerText(), 'Зарегистрировать обращение');
  assert.match(await page.getByTestId('consents').innerText(), /Согласия/);
  await shot(page, 'card-ru');

  await page.reload();
  await page.getByTestId('customer-name').waitFor();
  assert.equal(await page.locator('.log-contact h2').innerText(), 'Зарегистрировать обращение');
  // Dates follow the language: 23.11.2026, not 23 Nov 2026.
  assert.match(await page.locator('.timeline-time').first().innerText(), /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
  assert.deepEqual(page.errors, []);
});

test('a cashier does not see the administration; an administrator does', async () => {
  const cashier = await newPage();
  await signIn(cashier, 'cashier');
  assert.equal(await cashier.getByTestId('admin-menu').count(), 0);
  assert.equal(await cashier.getByRole('link', { name: 'New customer' }).count(), 0);
  await cashier.goto(`${BASE}/admin/users`);
  await assert.doesNotReject(cashier.getByText('You are not allowed to do this.').waitFor());
  await shot(cashier, 'cashier-no-admin');

  const admin = await newPage();
  await signIn(admin, 'admin');
  await admin.getByTestId('admin-menu').click();
  await admin.getByRole('link', { name: 'Audit log' }).click();
  await admin.getByTestId('audit').waitFor();
  assert.match(await admin.getByTestId('audit').innerText(), /customer\.(read|search)|auth\.login/);
  await shot(admin, 'admin-audit');
});

test('the customer form shows the server\'s errors at their fields and a conflicting edit', async () => {
  const page = await newPage();
  await signIn(page, 'agent');
  await page.goto(`${BASE}/customers/new`);
  await page.locator('input[name=last_name]').fill('Wrona');
  await page.locator('.list-field').first().locator('input').first().fill('12');
  await page.getByTestId('save-customer').click();
  await assert.doesNotReject(page.locator('.field-error', { hasText: 'Required.' }).first().waitFor());
  await assert.doesNotReject(page.locator('.field-error', { hasText: 'A phone number has 7 to 15 digits.' }).waitFor());
  // The summary at the top names it too, as a link to the field.
  await textMatches(page.getByTestId('error-summary'), /A phone number has 7 to 15 digits\./);
  await shot(page, 'customer-form-errors');

  await page.locator('input[name=first_name]').fill('Teresa');
  await page.locator('.list-field').first().locator('input').first().fill('+48 602 111 222');
  await page.getByTestId('save-customer').click();
  await page.waitForURL(/\/customers\/\d+$/);
  assert.equal(await page.getByTestId('customer-name').innerText(), 'Wrona Teresa');
  const id = page.url().split('/').pop();

  // Two people edit the same customer; the second learns of the first's change.
  const other = await newPage();
  await signIn(other, 'operator');
  await other.goto(`${BASE}/customers/${id}/edit`);
  await page.goto(`${BASE}/customers/${id}/edit`);
  await other.locator('input[name=first_name]').waitFor();
  await page.locator('input[name=first_name]').waitFor();
  await other.locator('textarea[name=notes]').fill('Prefers e-mail.');
  await other.getByTestId('save-customer').click();
  await other.waitForURL(/\/customers\/\d+$/);

  await page.locator('input[name=first_name]').fill('Teodora');
  await page.getByTestId('save-customer').click();
  await assert.doesNotReject(page.getByTestId('version-conflict').waitFor());
  assert.equal(await page.locator('textarea[name=notes]').inputValue(), 'Prefers e-mail.', 'the fresh data is shown');
  await shot(page, 'customer-form-conflict');
  await page.locator('input[name=first_name]').fill('Teodora');
  await page.getByTestId('save-customer').click();
  await page.waitForURL(/\/customers\/\d+$/);
  assert.equal(await page.getByTestId('customer-name').innerText(), 'Wrona Teodora');
  const card = await api('GET', `/customers/${id}`, { token: await token('admin') });
  assert.equal(card.body.notes, 'Prefers e-mail.');
});

test('a customer registered already is shown before a second record is made, and can be made anyway', async () => {
  const admin = await token('admin');
  const list = await api('GET', '/customers?kind=person&limit=50', { token: admin });
  const known = list.body.items.find((c) => c.phone);
  assert.ok(known, 'a demo person with a phone');
  const page = await newPage();
  await signIn(page, 'agent');
  await page.goto(`${BASE}/customers/new`);
  await page.locator('input[name=first_name]').fill('Ktoś');
  await page.locator('input[name=last_name]').fill('Inny');
  // The same number typed the way people say it.
  const bare = known.phone.replace(/^\+48/, '').replace(/(\d{3})(?=\d)/g, '$1 ');
  await page.locator('.list-field').first().locator('input').first().fill(bare);
  await page.getByTestId('save-customer').click();
  const found = page.getByTestId('duplicate');
  await textMatches(found.first(), new RegExp(`${known.account_number}.*same phone`));
  assert.match(page.url(), /\/customers\/new$/, 'nothing registered yet');
  await shot(page, 'customer-duplicates');
  await page.getByTestId('create-anyway').click();
  await page.waitForURL(/\/customers\/\d+$/);
  assert.equal(await page.getByTestId('customer-name').innerText(), 'Inny Ktoś');
  assert.deepEqual(page.errors, []);
});

test('an administrator creates an API key and sees its secret once', async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await page.goto(`${BASE}/admin/api-keys`);
  await page.locator('input[name=name]').fill('Payment gateway');
  await page.getByRole('button', { name: 'Create' }).click();
  const secret = await page.getByTestId('api-key-secret').locator('code').innerText();
  assert.match(secret, /^okno_[a-z0-9]+_/);
  await shot(page, 'admin-api-key');
  const me = await api('GET', '/auth/me', { token: secret });
  assert.equal(me.body.role, 'integration');
  await page.reload();
  assert.equal(await page.getByTestId('api-key-secret').count(), 0);
});

test('an API key gets an expiry day, and revoking it is confirmed first', async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await page.goto(`${BASE}/admin/api-keys`);
  // A failed save puts the focus on the first field at fault.
  await page.locator('input[name=expires_at]').fill('2020-01-01');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('input[name=name][aria-invalid=true]').waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'name');
  await page.locator('input[name=name]').fill('Meter reader');
  await page.getByRole('button', { name: 'Create' }).click();
  // The name is fine now: the day in the past is the first field at fault.
  await page.locator('input[name=name]:not([aria-invalid=true])').waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'expires_at');
  assert.equal(await page.locator('input[name=expires_at]').getAttribute('aria-invalid'), 'true');

  const nextYear = new Date().getUTCFullYear() + 1;
  await page.locator('input[name=expires_at]').fill(`${nextYear}-06-30`);
  await page.getByRole('button', { name: 'Create' }).click();
  const secret = await page.getByTestId('api-key-secret').locator('code').innerText();
  const keys = await api('GET', '/api-keys', { token: await token('admin') });
  const key = keys.body.find((k) => k.name === 'Meter reader');
  assert.equal(key.expires_at, `${nextYear}-06-30T00:00:00Z`);

  const row = page.getByTestId('api-keys').locator('tr', { hasText: 'Meter reader' });
  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByTestId('revoke-confirm');
  assert.match(await confirm.innerText(), /Every request with this key stops working at once; this cannot be undone/);
  // Cancelling changes nothing.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await api('GET', '/auth/me', { token: secret })).status, 200);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByTestId('confirm-revoke').click();
  await row.getByText('revoked').waitFor();
  assert.equal((await api('GET', '/auth/me', { token: secret })).status, 401);
  await page.setViewportSize({ width: 375, height: 800 });
  await shot(page, 'admin-api-keys-narrow');
  assert.deepEqual(page.errors, []);
});

test('leaving a page while its data is on the way does not break the app', async () => {
  // The customer list answers slowly; the operator goes on to another page before it does.
  const page = await newPage();
  let held = 0;
  await page.route(/\/api\/v1\/customers\?/, async (route) => {
    held += 1;
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue().catch(() => {});
  });
  await signIn(page, 'operator');
  await page.getByRole('link', { name: 'Contracts' }).click();
  await page.waitForURL(/\/contracts$/);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.ok(held > 0, 'the customer list was asked for');
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('heading', { name: 'Customers' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('opening another card while the first one loads shows the one opened last', async () => {
  const operator = await token('operator');
  const customers = (await api('GET', '/customers?limit=2', { token: operator })).body.items;
  assert.equal(customers.length, 2);
  const [first, second] = customers;
  const page = await newPage();
  // The first card answers slowly; the operator opens the second meanwhile.
  let firstAnswered = false;
  await page.route(new RegExp(`/api/v1/customers/${first.id}(\\?|$)`), async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    firstAnswered = true;
    await route.continue().catch(() => {});
  });
  await signIn(page, 'operator');
  const open = async (customer) => {
    await page.getByTestId('search').fill(customer.account_number);
    await page.getByTestId('search-result').first().getByText(customer.display_name).waitFor();
    await page.getByTestId('search').press('ArrowDown');
    await page.getByTestId('search').press('Enter');
    await page.waitForURL(new RegExp(`/customers/${customer.id}$`));
  };
  await open(first);
  await open(second);
  await page.getByTestId('customer-name').getByText(second.display_name, { exact: true }).waitFor();
  while (!firstAnswered) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await page.getByTestId('customer-name').innerText(), second.display_name);
  assert.deepEqual(page.errors, []);
});

/** Answers the page's POSTs to `path` with `answer` (a route handler); other methods pass. */
async function onPost(page, path, answer) {
  await page.route(`**/api/v1${path}`, (route) => (route.request().method() === 'POST' ? answer(route) : route.continue()));
}

test('the sales-point form says so when the server cannot be reached, on a phone too', async () => {
  const page = await newPage(PHONE);
  await signIn(page, 'admin');
  await onPost(page, '/sales-points', (route) => route.abort('internetdisconnected'));
  await page.goto(`${BASE}/admin/sales-points`);
  await page.getByText('Open a sales point').click();
  const form = page.locator('details form');
  await form.locator('input[name=code]').fill('WRO-2');
  await form.locator('input[name=name]').fill('Wrocław Rynek');
  await form.locator('input[name=address]').fill('Rynek 1, 50-101 Wrocław');
  await form.getByRole('button', { name: 'Create' }).click();
  const alert = form.getByRole('alert');
  await assert.doesNotReject(alert.getByText('The server cannot be reached. Check the connection and try again.').waitFor());
  const box = await alert.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, 'the note fits the screen');
  await shot(page, 'sales-point-offline-phone');
  assert.deepEqual(page.errors, []);
});

test('the topic form says in the interface language when the server refuses', async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await onPost(page, '/topics', (route) => route.fulfill({
    status: 403,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden' }),
  }));
  await page.goto(`${BASE}/admin/topics`);
  await page.getByTestId('lang-PL').click();
  await page.getByText('Dodaj temat').click();
  const form = page.locator('details form');
  await form.locator('input[name=code]').fill('roaming');
  await form.locator('input[name=name_en]').fill('Roaming');
  await form.getByRole('button', { name: 'Utwórz' }).click();
  await assert.doesNotReject(form.getByRole('alert').getByText('Nie masz uprawnień do tej czynności.').waitFor());
  await shot(page, 'topic-refused-pl');
  assert.deepEqual(page.errors, []);
});

test('a phone\'s error shows under that phone when a blank row stands above it', async () => {
  const page = await newPage();
  await signIn(page, 'agent');
  await page.goto(`${BASE}/customers/new`);
  await page.locator('input[name=first_name]').fill('Teresa');
  await page.locator('input[name=last_name]').fill('Wrona');
  const phones = page.locator('.list-field').first();
  await phones.getByRole('button', { name: 'Add' }).click();
  const rows = phones.locator('.list-row');
  // The first row stays blank, so the request carries the second row's number alone.
  await rows.nth(1).locator('input[type=tel]').fill('12');
  await page.getByTestId('save-customer').click();
  const error = 'A phone number has 7 to 15 digits.';
  await assert.doesNotReject(rows.nth(1).getByText(error).waitFor());
  assert.equal(await rows.nth(0).locator('.field-error').count(), 0, 'the blank row has no error');
  assert.equal(await rows.nth(1).locator('input[type=tel]').getAttribute('aria-invalid'), 'true');
  await shot(page, 'customer-form-phone-row');

  // The blank row goes; the error stays with its number.
  await rows.nth(0).getByRole('button', { name: 'Remove' }).click();
  assert.equal(await rows.count(), 1);
  await assert.doesNotReject(rows.nth(0).getByText(error).waitFor());
  assert.equal(await rows.nth(0).locator('input[type=tel]').inputValue(), '12');
  assert.deepEqual(page.errors, []);
});

test('the app runs under its Content-Security-Policy, without inline scripts allowed', async () => {
  const answer = await fetch(`${BASE}/`);
  const policy = answer.headers.get('content-security-policy') ?? '';
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);
  assert.match(answer.headers.get('permissions-policy') ?? '', /camera=\(\)/);
  const page = await newPage();
  await signIn(page, 'finance', { landing: /\/(billing|invoices|customers)/ });
  await page.goto(`${BASE}/billing`);
  // A run with nothing done yet has a bar 0 % wide: present, but not visible.
  const bar = page.locator('.progress > span').first();
  await bar.waitFor({ state: 'attached' });
  assert.match(await bar.evaluate((e) => e.style.width), /%$/);
  assert.deepEqual(page.errors, []);
});
