// Contracts in the browser: an agent takes a new customer to a signed contract (in Polish),
// the manager approves it, it is active and its PDF reads right; the subscriber asks for
// another tariff in the cabinet and staff carry it out; a retention agent starts at the
// worklist; the price list takes a new version.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, PHONE, api, choose, close, newPage, shot, signIn, textMatches, token } from './lib.mjs';

after(close);

/** The contract the first test makes, for the tests after it. */
const made = {};

/** The text of a downloaded PDF, through poppler's pdftotext. */
function pdfText(path) {
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

test('an agent takes a new customer to a contract, the manager approves it and it is active', async () => {
  const agent = await newPage(undefined, 'pl-PL');
  await signIn(agent, 'agent');

  // A customer who has nothing yet.
  await agent.goto(`${BASE}/customers/new`);
  await agent.locator('input[name=first_name]').fill('Zofia');
  await agent.locator('input[name=last_name]').fill('Wiśniewska');
  await agent.locator('.list-field').first().locator('input').first().fill('+48 601 202 303');
  await agent.getByTestId('save-customer').click();
  await agent.waitForURL(/\/customers\/\d+$/);
  made.customerId = agent.url().split('/').pop();
  await agent.getByTestId('customer-contracts').getByText('Brak umów.').waitFor();

  // The wizard: a tariff at the service address; the server's errors show at their fields.
  await agent.getByTestId('new-contract').click();
  await agent.waitForURL(/\/contracts\/new$/);
  const wizard = agent.getByTestId('contract-wizard');
  await wizard.locator('select[name=tariff] option', { hasText: 'Światłowód 300' }).waitFor({ state: 'attached' });
  await agent.getByTestId('create-contract').click();
  await assert.doesNotReject(wizard.locator('.field-error').first().waitFor());
  const row = wizard.getByTestId('service-row');
  await choose(row.locator('select[name=tariff]'), 'Światłowód 300');
  await row.locator('input[name=street]').fill('ul. Źródlana');
  await row.locator('input[name=building]').fill('5');
  await row.locator('input[name=apartment]').fill('3');
  await row.locator('input[name=postal_code]').fill('00-238');
  await row.locator('input[name=city]').fill('Łódź');
  await textMatches(agent.getByTestId('monthly-total'), /59,99/);
  await shot(agent, 'contract-wizard');
  await agent.getByTestId('create-contract').click();
  await agent.waitForURL(/\/contracts\/\d+$/);
  made.contractId = agent.url().split('/').pop();
  assert.equal(await agent.getByTestId('contract-status').innerText(), 'projekt');
  // The draft prints for the customer to read and sign, marked as a draft.
  const draftDownload = agent.waitForEvent('download');
  await agent.getByTestId('print-draft').click();
  const draftPdf = join(mkdtempSync(join(tmpdir(), 'okno-pdf-')), 'draft.pdf');
  await (await draftDownload).saveAs(draftPdf);
  const draftText = pdfText(draftPdf);
  assert.match(draftText, /PROJEKT/);
  assert.match(draftText, /jeszcze nie podpisana/);

  // Signed: the contract PDF is issued, in the customer's language, with its diacritics.
  await agent.getByTestId('action-sign').click();
  await agent.getByTestId('confirm-action').click();
  await textMatches(agent.getByTestId('contract-status'), /^podpisana$/);
  made.number = (await agent.getByTestId('contract-number').innerText()).replace(/^Umowa /, '');
  const download = agent.waitForEvent('download');
  await agent.getByTestId('documents').getByTestId('open-pdf').first().click();
  const pdf = join(mkdtempSync(join(tmpdir(), 'okno-pdf-')), 'contract.pdf');
  await (await download).saveAs(pdf);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(pdf);
  assert.match(text, /Wiśniewska Zofia/);
  assert.match(text, /ul\. Źródlana 5\/3, 00-238 Łódź/);
  assert.match(text, /Światłowód 300/);
  assert.match(text, new RegExp(made.number.replaceAll('/', '\\/')));
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(process.env.OKNO_SCREENSHOTS ?? '../output/browser', 'contract-pdf')]);
  assert.deepEqual(agent.errors, []);

  // The manager's queue: signed at their point today; approving starts the service.
  const manager = await newPage();
  await signIn(manager, 'manager');
  await manager.getByRole('link', { name: 'Approvals' }).click();
  await manager.waitForURL(/\/contracts\/approvals$/);
  const queued = manager.getByTestId('approval-row').filter({ hasText: made.number });
  await queued.waitFor();
  await shot(manager, 'approvals');
  await queued.getByTestId('approve').click();
  // Approving says what it starts before it does.
  await textMatches(queued.getByTestId('approve-effect'), /^Service starts on /);
  await queued.getByTestId('confirm-approve').click();
  await assert.doesNotReject(manager.getByText(`Contract ${made.number} approved.`).waitFor());
  await queued.waitFor({ state: 'detached' });

  await agent.reload();
  await textMatches(agent.getByTestId('contract-status'), /^aktywna$/);
  await agent.getByTestId('contract-events').getByText('Zatwierdzona', { exact: true }).waitFor();
  await shot(agent, 'contract-active');
  assert.deepEqual(manager.errors, []);
});

test('the subscriber asks for a faster tariff in the cabinet and an agent carries it out', async () => {
  assert.ok(made.contractId, 'runs after the contract test');
  const agentToken = await token('agent');
  const code = await api('POST', `/customers/${made.customerId}/cabinet-activation`, { token: agentToken });
  assert.equal(code.status, 201);
  const activated = await api('POST', '/cabinet/activate', {
    body: { account_number: code.body.account_number, activation_code: code.body.code, password: 'zofia-haslo-2026' },
  });
  assert.equal(activated.status, 200);

  const phone = await newPage(PHONE, 'pl-PL');
  await phone.goto(`${BASE}/cabinet/login`);
  await phone.locator('input[name=username]').fill(code.body.account_number);
  await phone.locator('input[name=password]').fill('zofia-haslo-2026');
  await phone.locator('form button[type=submit]').click();
  await phone.waitForURL(/\/cabinet$/);
  const service = phone.getByTestId('my-service');
  await textMatches(service, /Światłowód 300 · 73,79\s+zł miesięcznie/);
  await phone.getByTestId('ask-tariff-change').click();
  const form = phone.getByTestId('request-form');
  await choose(form.locator('select[name=tariff_id]'), 'Światłowód 600');
  await form.locator('textarea[name=note]').fill('Proszę o szybszy internet.');
  await form.getByTestId('send-request').click();
  await textMatches(phone.getByTestId('my-requests'), /Zmiana taryfy .* na Światłowód 600 od .* oczekuje/s);
  await phone.getByTestId('documents').getByTestId('document').first().waitFor();
  await shot(phone, 'cabinet-services');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the cabinet fits a 375 px screen (scroll width ${width})`);

  const agent = await newPage();
  await signIn(agent, 'agent');
  await agent.getByRole('link', { name: 'Requests' }).click();
  const request = agent.getByTestId('request').filter({ hasText: made.number });
  await textMatches(request, /to Światłowód 600 from/);
  await request.getByTestId('accept-request').click();
  await request.waitFor({ state: 'detached' });
  await agent.goto(`${BASE}/contracts/${made.contractId}`);
  await textMatches(agent.getByTestId('contract-services'), /Światłowód 600/);

  await phone.reload();
  await textMatches(phone.getByTestId('my-requests'), /przyjęty/);
  await textMatches(service, /Od .*: Światłowód 600/);
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(agent.errors, []);
});

test('a retention agent starts at the worklist and takes a contract off it by recording the call', async () => {
  const page = await newPage(undefined, 'ru-RU');
  await signIn(page, 'retention', { landing: /\/retention$/ });
  const items = page.getByTestId('retention-item');
  await items.first().waitFor();
  const before = await items.count();
  assert.ok(before > 0, 'the demo has contracts ending soon');
  await shot(page, 'retention-worklist');
  const first = items.first();
  const number = await first.locator('a[href^="/contracts/"]').innerText();
  await first.getByTestId('retention-outcome').selectOption('offer_sent');
  await first.locator('input[type=text]').fill('Предложена скидка 10 % при продлении');
  await first.getByTestId('record-retention').click();
  await page.getByTestId('retention-item').filter({ hasText: number }).waitFor({ state: 'detached' });
  assert.equal(await items.count(), before - 1);
  assert.deepEqual(page.errors, []);
});

test('a contract under notice shows its last day, and the notice is withdrawn after saying what that does', async () => {
  const agentToken = await token('agent');
  const list = await api('GET', '/contracts?status=active&limit=100', { token: agentToken });
  assert.equal(list.status, 200);
  const noticed = list.body.items.find((c) => c.terminated_on && c.ends_on === c.terminated_on);
  assert.ok(noticed, 'the demo has an active contract under notice');
  const page = await newPage(undefined, 'pl-PL');
  await signIn(page, 'agent');
  await page.goto(`${BASE}/contracts/${noticed.id}`);
  // Still active, with its last day beside the status and among the facts.
  await textMatches(page.getByTestId('contract-status').first(), /^aktywna$/);
  const [y, m, d] = noticed.ends_on.split('-');
  const shown = `${d}.${m}.${y}`;
  await textMatches(page.getByTestId('contract-ends-on'), new RegExp(`^do ${shown.replaceAll('.', '\\.')}$`));
  await textMatches(page.getByTestId('termination-notice'), new RegExp(shown.replaceAll('.', '\\.')));
  await textMatches(page.getByTestId('contract-events'), /Wypowiedzenie/);

  // The form says what withdrawing the notice does before it is done.
  await page.getByTestId('action-cancel_termination').click();
  await textMatches(page.getByTestId('action-form'), new RegExp(`Wypowiedzenie kończące się ${shown.replaceAll('.', '\\.')} zostaje cofnięte`));
  await shot(page, 'contract-notice');
  await page.locator('textarea[name=reason]').fill('Rabat 20% na 12 miesięcy');
  await page.getByTestId('confirm-action').click();
  await page.getByTestId('contract-ends-on').waitFor({ state: 'detached' });
  await textMatches(page.getByTestId('contract-events'), /Wypowiedzenie cofnięte/);
  const kept = await api('GET', `/contracts/${noticed.id}`, { token: agentToken });
  assert.equal(kept.body.status, 'active');
  assert.equal(kept.body.terminated_on, undefined);

  // A termination's form says that a later last day is a notice.
  await page.getByTestId('action-terminate').click();
  await textMatches(page.getByTestId('action-form'), /Późniejszy dzień oznacza wypowiedzenie/);
  assert.deepEqual(page.errors, []);
});

test('a draft is changed in the wizard and, when the customer decides against it, cancelled', async () => {
  const agentToken = await token('agent');
  const customers = await api('GET', '/customers?kind=person&status=active&limit=1', { token: agentToken });
  const customer = await api('GET', `/customers/${customers.body.items[0].id}`, { token: agentToken });
  const tariffs = await api('GET', '/tariffs', { token: agentToken });
  const tariff = tariffs.body.find((t) => t.code === 'internet-300');
  const today = new Date().toISOString().slice(0, 10);
  const created = await api('POST', '/contracts', {
    token: agentToken,
    body: {
      customer_id: customer.body.id, channel: 'visit', start_date: today,
      subscriptions: [{ tariff_id: tariff.id, service_address: { ...customer.body.addresses[0], kind: 'service' } }],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const page = await newPage();
  await signIn(page, 'agent');
  await page.goto(`${BASE}/contracts/${created.body.id}`);
  await page.getByTestId('edit-draft').click();
  await page.waitForURL(/\/edit$/);
  await page.locator('select[name=term]').selectOption('24');
  await page.getByTestId('create-contract').click();
  await page.waitForURL(new RegExp(`/contracts/${created.body.id}$`));
  const changed = await api('GET', `/contracts/${created.body.id}`, { token: agentToken });
  assert.equal(changed.body.status, 'draft');
  assert.ok(changed.body.end_date, 'a 24-month term now');

  await page.getByTestId('action-cancel').click();
  await textMatches(page.getByTestId('action-form'), /nothing was signed/);
  await page.getByTestId('confirm-action').click();
  await textMatches(page.getByTestId('contract-status'), /^cancelled$/);
  assert.equal(await page.getByTestId('print-draft').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a manager publishes new prices; a cashier reads the price list but cannot change it', async () => {
  const manager = await newPage();
  await signIn(manager, 'manager');
  await manager.getByRole('link', { name: 'Price list' }).click();
  const tv = manager.getByTestId('tariff-row').filter({ hasText: 'Telewizja Start' });
  await tv.getByTestId('publish-version').click();
  const form = manager.getByTestId('version-form');
  await form.locator('input[name=monthly_fee]').fill('abc');
  await form.getByTestId('save-version').click();
  await form.getByText('Not an amount (e.g. 74,99).').waitFor();
  await form.locator('input[name=monthly_fee]').fill('32,50');
  await form.getByTestId('save-version').click();
  await textMatches(tv.getByTestId('upcoming'), /PLN\s32\.50 from/);
  await shot(manager, 'price-list');

  const cashier = await newPage();
  await signIn(cashier, 'cashier');
  await cashier.goto(`${BASE}/price-list`);
  await cashier.getByTestId('tariff-row').first().waitFor();
  assert.equal(await cashier.getByTestId('publish-version').count(), 0);
  assert.equal(await cashier.getByTestId('new-tariff').count(), 0);
  assert.equal(await cashier.getByRole('link', { name: 'Approvals' }).count(), 0);
});
