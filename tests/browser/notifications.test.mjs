// Notifications in the browser: an administrator words a message with a live preview,
// staff and the subscriber choose what the customer is told by which channel, the outbox
// sends a failed message again after a confirmation, and a subscriber who forgot the
// password asks for a code and sets a new password from the e-mailed link.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, PHONE, api, axeViolations, close, newPage, shot, signIn, signInToCabinet, textMatches, token,
} from './lib.mjs';

after(close);

/** The name of the element that has the focus, waiting a moment for it to move there. */
async function focusedName(page, name) {
  await page.waitForFunction((n) => document.activeElement?.getAttribute('name') === n, name, { timeout: 2000 }).catch(() => {});
  return page.evaluate(() => document.activeElement?.getAttribute('name'));
}

/** Waits until `check` holds, failing after a few seconds with `what`. */
async function eventually(check, what, timeout = 5000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('an administrator words a message with a live preview; an unknown value is refused at the text; saved, then Okno\'s wording is back', async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await page.goto(`${BASE}/admin/message-templates`);
  const form = page.getByTestId('template-form');
  await form.waitFor();
  await page.locator('select[name=event]').selectOption('payment_received');
  await page.locator('select[name=channel]').selectOption('email');
  await page.locator('select[name=language]').selectOption('en');
  await textMatches(form.locator('h2'), /Payment received · E-mail · English/);
  await textMatches(page.getByTestId('template-state'), /Okno's wording/);
  const body = page.locator('textarea[name=body]');
  const shipped = await body.inputValue();
  assert.match(shipped, /\{\{ customer_name \}\}/);

  // The preview is the message a real customer would get, in a sandboxed frame.
  const preview = page.getByTestId('template-preview');
  const customer = await preview.getByTestId('preview-customer').innerText();
  const name = customer.match(/As (.+) \(account/)[1];
  const frame = page.frameLocator('[data-testid=preview-frame]');
  await textMatches(frame.locator('body'), new RegExp(`Dear ${name}`));
  assert.equal(await page.getByTestId('preview-frame').getAttribute('sandbox'), '');

  // It follows the typing; a value clicked in the list goes where the cursor is.
  await body.fill('<p>Thank you, {{ customer_name }}!</p><p>Account: </p>');
  await textMatches(frame.locator('body'), new RegExp(`Thank you, ${name}!`));
  await body.focus();
  await page.evaluate(() => {
    const area = document.querySelector('textarea[name=body]');
    const at = area.value.indexOf('</p>', area.value.indexOf('Account:'));
    area.setSelectionRange(at, at);
  });
  await page.getByTestId('variable').filter({ hasText: '{{ account_number }}' }).click();
  assert.equal(await body.inputValue(), '<p>Thank you, {{ customer_name }}!</p><p>Account: {{ account_number }}</p>');
  await textMatches(frame.locator('body'), /Account: \d{9}/);

  // A value the message does not have is refused at the text, with the focus there.
  await body.fill('<p>Dear {{ customer_name }}, {{ no_such_value }}</p>');
  await textMatches(preview.getByTestId('preview-failed'), /Uses a value this message does not have/);
  await page.getByTestId('save-template').click();
  const error = form.locator('.field-error');
  await textMatches(error, /Uses a value this message does not have/);
  assert.equal(await focusedName(page, 'body'), 'body');
  assert.equal(await body.getAttribute('aria-invalid'), 'true');
  await shot(page, 'template-refused');

  // Saved once it reads; the page says whose wording it is.
  await body.fill('<p>Dear {{ customer_name }}, thank you for your payment of {{ amount }}.</p>');
  await page.locator('input[name=subject]').fill('Thank you for {{ amount }}');
  await textMatches(page.getByTestId('preview-subject'), /Thank you for \S+/);
  await page.getByTestId('save-template').click();
  await textMatches(page.getByTestId('template-state'), /Your wording, changed by .+ on /);
  assert.equal(await error.count(), 0);
  await textMatches(page.getByTestId('changed-templates'), /Payment received · E-mail · English/);
  const admin = await token('admin');
  const stored = (await api('GET', '/message-templates', { token: admin })).body
    .find((t) => t.event === 'payment_received' && t.channel === 'email' && t.language === 'en');
  assert.equal(stored.customized, true);
  assert.equal(stored.subject, 'Thank you for {{ amount }}');
  await shot(page, 'template-saved');
  assert.deepEqual(await axeViolations(page), []);

  // Back to Okno's wording, after a confirmation that says what is lost.
  await page.getByTestId('revert-template').click();
  const confirm = page.getByTestId('revert-confirm');
  await textMatches(confirm, /Your wording is deleted/);
  await page.getByTestId('confirm-revert').click();
  await textMatches(page.getByTestId('template-state'), /Okno's wording/);
  assert.equal(await body.inputValue(), shipped);
  assert.equal(await page.getByTestId('changed-templates').count(), 0);
  assert.equal(await page.getByTestId('revert-template').count(), 0);

  // An SMS has no subject; its preview is its text.
  await page.locator('select[name=channel]').selectOption('sms');
  await textMatches(form.locator('h2'), /Payment received · SMS · English/);
  assert.equal(await page.locator('input[name=subject]').count(), 0);
  await textMatches(preview.getByTestId('preview-sms'), /\S/);
  assert.deepEqual(page.errors, []);
});

test('an agent changes what a customer is told on the card; a required message stays on; a technician only sees it', async () => {
  const agentToken = await token('agent');
  // A customer with messages, for the way from the card to the outbox.
  const written = await api('GET', '/messages?event=invoice_issued&limit=1', { token: agentToken });
  const customerId = written.body.items[0].customer_id;
  const before = (await api('GET', `/customers/${customerId}/notification-preferences`, { token: agentToken })).body;
  const choice = before.find((p) => p.event === 'payment_received' && p.channel === 'sms');
  const required = before.find((p) => p.required);
  assert.ok(choice && required, 'the customer has an optional and a required message');

  const page = await newPage();
  await signIn(page, 'agent');
  await page.goto(`${BASE}/customers/${customerId}`);
  const panel = page.getByTestId('notification-preferences');
  await panel.waitFor();
  const box = panel.getByTestId('preference-payment_received-sms');
  await box.waitFor();
  assert.equal(await box.isChecked(), choice.enabled);
  // Its name is the message and the channel, as the grid's headers say them.
  assert.equal(await panel.getByRole('checkbox', { name: 'Payment received SMS' }).getAttribute('data-testid'), 'preference-payment_received-sms');
  await box.click();
  await textMatches(page.getByTestId('toast').last(), /The choice is saved\./);
  assert.equal(await box.isChecked(), !choice.enabled);
  const after = (await api('GET', `/customers/${customerId}/notification-preferences`, { token: agentToken })).body;
  assert.equal(after.find((p) => p.event === 'payment_received' && p.channel === 'sms').enabled, !choice.enabled);

  // A required message is ticked and cannot be unticked; the row says why.
  const locked = panel.getByTestId(`preference-${required.event}-${required.channel}`);
  assert.equal(await locked.isChecked(), true);
  assert.equal(await locked.isDisabled(), true);
  await textMatches(panel.getByTestId(`preference-${required.event}`), /Always sent/);
  const refused = await api('PUT', `/customers/${customerId}/notification-preferences`, {
    token: agentToken, body: { event: required.event, channel: required.channel, enabled: false },
  });
  assert.equal(refused.status, 422);
  await shot(page, 'card-notification-preferences');

  // The card's messages lead to the outbox narrowed to this customer.
  await page.getByTestId('all-messages').click();
  await page.waitForURL(new RegExp(`/messages\\?customer_id=${customerId}$`));
  await textMatches(page.getByTestId('customer-filter'), new RegExp(`Only customer ${customerId}`));
  await page.getByTestId('outbox-table').waitFor();
  const customers = await page.getByTestId('outbox-row').evaluateAll((rows) => rows.map((r) => r.querySelector('a').textContent));
  assert.ok(customers.length > 0 && customers.every((c) => c === `#${customerId}`), customers.join());
  assert.deepEqual(page.errors, []);

  // Without customers_write the choices are shown, not changed.
  const technician = await newPage();
  await signIn(technician, 'technician');
  await technician.goto(`${BASE}/customers/${customerId}`);
  const shown = technician.getByTestId('notification-preferences');
  await shown.getByTestId('preference-payment_received-sms').waitFor();
  assert.equal(await shown.getByTestId('preference-payment_received-sms').isDisabled(), true);
  await textMatches(shown, /You can see these choices but not change them/);
  assert.deepEqual(technician.errors, []);
});

test('the outbox filters by status, sends a failed message again after a confirmation, and says why when it cannot', async () => {
  const operatorToken = await token('operator');
  const failed = (await api('GET', '/messages?status=failed&limit=50', { token: operatorToken })).body.items;
  const bouncing = new Set((await api('GET', '/email-bounces', { token: operatorToken })).body.map((b) => b.address));
  const message = failed.find((m) => !['cabinet_activation', 'password_reset'].includes(m.event) && !bouncing.has(m.recipient))
    ?? failed.find((m) => !['cabinet_activation', 'password_reset'].includes(m.event));
  assert.ok(message, 'the demo has a failed message');

  const page = await newPage();
  await signIn(page, 'operator');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Messages' }).click();
  await page.waitForURL(/\/messages$/);
  await page.getByTestId('outbox-table').waitFor();
  await page.locator('select[name=status]').selectOption('failed');
  await page.waitForURL(/\/messages\?status=failed$/);
  const rows = page.getByTestId('outbox-row');
  await eventually(async () => (await rows.count()) > 0
    && (await rows.evaluateAll((all) => all.every((r) => r.dataset.status === 'failed'))), 'only failed messages');
  const row = page.locator(`[data-testid=outbox-row][data-id="${message.id}"]`);
  await textMatches(row, new RegExp(message.last_error.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  // The filter is in the address: a reload (or a link) shows the same list.
  await page.reload();
  await page.getByTestId('outbox-table').waitFor();
  assert.equal(await page.locator('select[name=status]').inputValue(), 'failed');

  // A second window still shows the message as failed, for the refusal below.
  const stale = await newPage();
  await signIn(stale, 'operator');
  await stale.goto(`${BASE}/messages?status=failed`);
  await stale.locator(`[data-testid=outbox-row][data-id="${message.id}"]`).waitFor();

  await row.getByTestId('resend').click();
  const confirm = page.getByTestId('resend-confirm');
  await textMatches(confirm, new RegExp(`Send the message “Invoice issued” to ${message.recipient.replace('.', '\\.')} again\\?`));
  await shot(page, 'outbox-resend-confirm');
  await confirm.getByTestId('confirm-resend').click();
  await textMatches(page.getByTestId('toast').last(), /back in the queue/);
  await eventually(async () => (await row.count()) === 0, 'the message leaves the failed list');
  const resent = (await api('GET', `/messages?customer_id=${message.customer_id}&limit=50`, { token: operatorToken })).body.items
    .find((m) => m.id === message.id);
  assert.notEqual(resent.status, 'failed');

  // Sent again already: the server refuses, and its reason is shown.
  await stale.locator(`[data-testid=outbox-row][data-id="${message.id}"]`).getByTestId('resend').click();
  await stale.getByTestId('confirm-resend').click();
  await textMatches(stale.getByTestId('resend-refused'), /It is not sent again: the message is \w+: only a failed one is sent again/);
  assert.deepEqual([...page.errors, ...stale.errors], []);
});

test('the outbox lists the addresses that bounce; clearing one says what it does first', async () => {
  const admin = await token('admin');
  const address = `bounces.${Date.now()}@example.pl`;
  const reported = await api('POST', '/email-bounces', { token: admin, body: { address, reason: '550 5.1.1 mailbox unknown' } });
  assert.equal(reported.status, 201, JSON.stringify(reported.body));
  const page = await newPage();
  await signIn(page, 'agent');
  await page.goto(`${BASE}/messages`);
  const bounce = page.getByTestId('bounce').filter({ hasText: address });
  await bounce.waitFor();
  await bounce.getByTestId('clear-bounce').click();
  const confirm = page.getByTestId('clear-confirm');
  await textMatches(confirm, /E-mails will go to this address again/);
  await confirm.getByTestId('confirm-clear').click();
  await textMatches(page.getByTestId('toast').last(), new RegExp(`E-mails go to ${address.replace(/\./g, '\\.')} again`));
  await eventually(async () => (await bounce.count()) === 0, 'the address leaves the list');
  const left = (await api('GET', '/email-bounces', { token: admin })).body;
  assert.ok(!left.some((b) => b.address === address));
  assert.deepEqual(page.errors, []);
});

test('a subscriber who forgot the password asks for a code and gets the same answer whatever; too many requests are said so', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${BASE}/cabinet/login`);
  await page.getByTestId('forgot-password').click();
  await page.waitForURL(/\/cabinet\/forgot$/);
  const form = page.getByTestId('forgot-form');
  await form.waitFor();

  // Nothing typed: the field says so and has the focus.
  await form.locator('button[type=submit]').click();
  await textMatches(form.locator('.field-error'), /Required\./);
  assert.equal(await focusedName(page, 'login'), 'login');
  assert.deepEqual(await axeViolations(page), []);

  await page.locator('input[name=login]').fill('100 000 017');
  await form.locator('button[type=submit]').click();
  const sent = page.getByTestId('reset-sent');
  await textMatches(sent, /If the account exists and its cabinet is active, a one-time code is on its way/);
  assert.equal(await page.getByTestId('to-activation').getAttribute('href'), '/cabinet/activate?account=100000017');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page fits a phone (scroll width ${width})`);
  await shot(page, 'cabinet-forgot-sent');
  assert.deepEqual(await axeViolations(page), []);

  // The server's limit per connection: said in plain words.
  const limited = await newPage(PHONE);
  await limited.route('**/api/v1/cabinet/password-reset', (route) => route.fulfill({
    status: 429,
    headers: { 'content-type': 'application/problem+json', 'retry-after': '3600' },
    body: JSON.stringify({ type: 'about:blank', title: 'Too many failed logins', status: 429, code: 'login_locked', detail: 'retry in 3600 s' }),
  }));
  await limited.goto(`${BASE}/cabinet/forgot`);
  await limited.locator('input[name=login]').fill('anna.kowalska@example.pl');
  await limited.getByTestId('forgot-form').locator('button[type=submit]').click();
  await textMatches(limited.getByTestId('too-many'), /Too many requests from this connection\. Please try again later\./);
  assert.deepEqual([...page.errors, ...limited.errors], []);
});

test('the e-mailed link fills in the account number and the code; the page fits a new password as well as a first one', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${BASE}/cabinet/activate?account=100000017&code=K7M2QX9P`);
  await page.getByTestId('activate-form').waitFor();
  assert.equal(await page.locator('input[name=account_number]').inputValue(), '100000017');
  assert.equal(await page.locator('input[name=activation_code]').inputValue(), 'K7M2QX9P');
  assert.match(await page.locator('h1').innerText(), /Set your cabinet password/);
  assert.match(await page.locator('.lead').innerText(), /replaces a forgotten password/);
  // A wrong or spent code is refused as before.
  await page.locator('input[name=password]').fill('nowe-haslo-2026');
  await page.locator('input[name=repeat]').fill('nowe-haslo-2026');
  await page.getByTestId('activate-form').locator('button[type=submit]').click();
  await assert.doesNotReject(page.getByText('The account number and code do not match, or the code has expired.').waitFor());
  assert.deepEqual(page.errors, []);
});

test('a subscriber chooses in the cabinet which messages come by e-mail and by SMS', async () => {
  const agentToken = await token('agent');
  const list = await api('GET', '/customers?kind=person&status=active&limit=50', { token: agentToken });
  let subscriber;
  for (const c of list.body.items.slice(10)) {
    const card = await api('GET', `/customers/${c.id}`, { token: agentToken });
    if (!card.body.cabinet_active) { subscriber = card.body; break; }
  }
  assert.ok(subscriber, 'the demo has a person without a cabinet');
  const code = await api('POST', `/customers/${subscriber.id}/cabinet-activation`, { token: agentToken });
  assert.equal(code.status, 201);
  const password = 'powiadomienia-2026';
  const activated = await api('POST', '/cabinet/activate', {
    body: { account_number: subscriber.account_number, activation_code: code.body.code, password },
  });
  assert.equal(activated.status, 200, JSON.stringify(activated.body));

  const phone = await newPage(PHONE);
  await signInToCabinet(phone, { accountNumber: subscriber.account_number, password });
  // Signing in switches to the subscriber's language; these checks read English.
  await phone.getByTestId('lang-EN').click();
  const panel = phone.getByTestId('notification-preferences');
  await panel.waitFor();
  const box = panel.getByTestId('preference-contract_ending-sms');
  await box.waitFor();
  const was = await box.isChecked();
  await box.click();
  await textMatches(phone.getByTestId('toast').last(), /The choice is saved\./);
  const mine = await api('GET', `/customers/${subscriber.id}/notification-preferences`, { token: agentToken });
  assert.equal(mine.body.find((p) => p.event === 'contract_ending' && p.channel === 'sms').enabled, !was);
  const locked = panel.getByTestId('preference-password_reset-email');
  assert.equal(await locked.isDisabled(), true);
  assert.equal(await locked.isChecked(), true);
  await textMatches(panel.getByTestId('preference-password_reset'), /Always sent: the law requires it, or you ask for it/);
  await panel.scrollIntoViewIfNeeded();
  await shot(phone, 'cabinet-notification-preferences');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the cabinet fits a phone (scroll width ${width})`);
  assert.deepEqual(await axeViolations(phone), []);
  assert.deepEqual(phone.errors, []);
});
