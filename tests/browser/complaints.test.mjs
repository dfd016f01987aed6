// Complaints in the browser (R-40..R-46): a subscriber files one in the cabinet about an invoice
// and sees its number and the day it is answered by; a manager finds it in the register,
// decides it partly accepted with an amount after a confirmation that says what that issues
// and sends, and sees the decision, the correction note and the answer; the subscriber sees
// the answer too. Staff register one from the customer card and confirm its receipt; the
// monitoring's counts lead to the register filtered so; a preventive measure is recorded and
// done; the register exports as CSV. The new pages fit a phone and pass axe.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BASE, PHONE, api, axeViolations, close, navigatedTo, newPage, shot, signIn, signInToCabinet, textMatches, token,
} from './lib.mjs';

after(close);

/** What the first test files, for the tests after it. */
const made = {};

/** `2027-01-07` as the app writes it in Polish (`07.01.2027`) and English (`7 Jan 2027`). */
function polishDay(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}
function englishDay(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d} ${months[m - 1]} ${y}`;
}

/** The page's width on a phone, with the elements that stick out when it is wider. */
async function wider(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width <= PHONE.width) return [];
  const culprits = await page.evaluate((limit) => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > limit + 0.5)
    .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > limit + 0.5))
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)} px)`), PHONE.width);
  return [`${what}: ${width} px: ${culprits.join(', ')}`];
}

/** axe-core's serious and critical findings on the page, each named by `what`. */
async function axe(page, what) {
  await page.waitForLoadState('networkidle');
  return (await axeViolations(page)).map((v) => `${what}: ${v}`);
}

/** The text of a PDF the page downloads when `click` is done. */
async function downloadedPdf(page, click) {
  const download = page.waitForEvent('download');
  await click();
  const path = join(mkdtempSync(join(tmpdir(), 'okno-pdf-')), 'complaint.pdf');
  await (await download).saveAs(path);
  assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

/** A Polish-speaking demo person with an invoice and no cabinet yet, with a cabinet now. */
async function subscriberWithInvoice() {
  const [financeToken, agentToken] = [await token('finance'), await token('agent')];
  const list = await api('GET', '/invoices?kind=invoice&limit=200', { token: financeToken });
  assert.equal(list.status, 200);
  const seen = new Set();
  // From the oldest: other tests pick customers from the newest invoices.
  for (const invoice of [...list.body.items].reverse()) {
    if (seen.has(invoice.customer_id)) continue;
    seen.add(invoice.customer_id);
    const customer = (await api('GET', `/customers/${invoice.customer_id}`, { token: financeToken })).body;
    if (customer.kind !== 'person' || customer.cabinet_active || customer.preferred_language !== 'pl') continue;
    const code = await api('POST', `/customers/${customer.id}/cabinet-activation`, { token: agentToken });
    assert.equal(code.status, 201);
    const password = 'reklamacja-2026';
    const activated = await api('POST', '/cabinet/activate', {
      body: { account_number: customer.account_number, activation_code: code.body.code, password },
    });
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
    return { customer, password };
  }
  throw new Error('the demo has a Polish-speaking person with an invoice and no cabinet');
}

test('a subscriber files a complaint about an invoice in the cabinet and sees its number and answer day', async () => {
  const { customer, password } = await subscriberWithInvoice();
  made.customer = customer;
  const phone = await newPage(PHONE, 'pl-PL');
  made.phone = phone;
  await signInToCabinet(phone, { accountNumber: customer.account_number, password });
  const found = [];

  await phone.getByTestId('my-complaints-link').click();
  await phone.waitForURL(/\/cabinet\/complaints$/);
  await phone.getByTestId('my-complaints').locator('.panel').waitFor();
  await phone.waitForLoadState('networkidle');
  found.push(...await wider(phone, 'cabinet complaints'), ...await axe(phone, 'cabinet complaints'));

  await phone.getByTestId('file-complaint').click();
  await phone.waitForURL(/\/cabinet\/complaints\/new$/);
  const form = phone.getByTestId('my-complaint-form');
  const invoice = form.locator('input[name=invoice]').first();
  await invoice.waitFor();
  // Sent empty: what to fix is listed at the top, and the cursor is on the first field.
  await form.getByTestId('send-complaint').click();
  await textMatches(phone.getByTestId('error-summary'), /Przedmiot: /);
  await phone.waitForFunction(() => document.activeElement?.getAttribute('name') === 'subject', null, { timeout: 3000 });
  found.push(...await wider(phone, 'cabinet complaint form'), ...await axe(phone, 'cabinet complaint form'));

  await form.locator('input[name=subject]').fill('Opłata za dni bez internetu');
  await form.locator('textarea[name=description]').fill('Naliczono opłatę za dni, w których internet nie działał. Proszę o zwrot 20 zł.');
  made.invoiceNumber = await invoice.getAttribute('data-number');
  await invoice.check();
  await form.locator('input[name=amount_claimed]').fill('20,00');
  await shot(phone, 'cabinet-complaint-form');
  await form.getByTestId('send-complaint').click();
  await navigatedTo(phone, /\/cabinet\/complaints$/);

  // Listed with its number and the day it is answered by.
  const managerToken = await token('manager');
  const mine = await api('GET', `/complaints?customer_id=${customer.id}`, { token: managerToken });
  assert.equal(mine.status, 200);
  const filed = mine.body.items.find((c) => c.subject === 'Opłata za dni bez internetu' && c.channel === 'cabinet');
  assert.ok(filed, 'the complaint is in the register');
  assert.equal(filed.channel, 'cabinet');
  assert.equal(filed.status, 'acknowledged', 'filed in the cabinet, its receipt is confirmed at once');
  Object.assign(made, { id: filed.id, number: filed.number, decideBy: filed.deadlines.decide_by });
  const row = phone.getByTestId('my-complaint').filter({ hasText: filed.number });
  await textMatches(row, new RegExp(`odpowiedź do\\s+${polishDay(filed.deadlines.decide_by).replaceAll('.', '\\.')}`));
  await textMatches(row.getByTestId('days-left'), /^(zostało|zostały|został) \d+ (dni|dzień)$/);
  await shot(phone, 'cabinet-complaints');
  found.push(...await wider(phone, 'cabinet complaints, one filed'));

  // Its page: the deadlines and the confirmation of receipt, to download.
  await row.getByTestId('my-complaint-number').click();
  await phone.waitForURL(new RegExp(`/cabinet/complaints/${filed.id}$`));
  await textMatches(phone.getByTestId('complaint-deadlines'), new RegExp(polishDay(filed.deadlines.decide_by).replaceAll('.', '\\.')));
  await textMatches(phone.getByTestId('claim'), new RegExp(made.invoiceNumber.replaceAll('/', '\\/')));
  const acknowledgement = phone.locator('[data-testid=document][data-kind=complaint_acknowledgement]');
  const text = await downloadedPdf(phone, () => acknowledgement.getByTestId('open-pdf').click());
  assert.match(text, new RegExp(filed.number.replaceAll('/', '\\/')));
  found.push(...await wider(phone, 'cabinet complaint'), ...await axe(phone, 'cabinet complaint'));
  assert.deepEqual(found, []);
  assert.deepEqual(phone.errors, []);
});

test('a manager decides it partly accepted after a confirmation that says what it issues, and sees the note and the answer', async () => {
  assert.ok(made.number, 'runs after the filing test');
  const page = await newPage();
  await signIn(page, 'manager');
  await page.getByRole('link', { name: 'Complaints', exact: true }).click();
  await page.waitForURL(/\/complaints$/);
  await page.locator('input[name=number]').fill(made.number);
  await page.locator('input[name=number]').press('Enter');
  await page.waitForURL(/number=/);
  const row = page.getByTestId('complaint-row').filter({ hasText: made.number });
  await textMatches(row, new RegExp(englishDay(made.decideBy)));
  await textMatches(row.getByTestId('days-left'), /^\d+ days? left$/);
  await row.getByRole('link', { name: made.number }).click();
  await page.waitForURL(new RegExp(`/complaints/${made.id}$`));
  await textMatches(page.getByTestId('complaint-number'), new RegExp(made.number));

  const form = page.getByTestId('decision-form');
  await form.locator('select[name=outcome]').selectOption('partly_accepted');
  // The reasons start from the outcome's template; the ways to appeal under Polish law, which
  // the answer prints after them, are shown beside it rather than typed into it.
  const reasons = form.locator('textarea[name=reasoning]');
  assert.match(await reasons.inputValue(), /accept it in part/);
  assert.doesNotMatch(await reasons.inputValue(), /President of UKE/);
  await textMatches(form.getByTestId('appeal-hint'), /President of UKE/);
  // A partial acceptance needs its amount: the cursor goes there.
  await form.getByTestId('decide').click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'granted', null, { timeout: 3000 });
  await form.locator('input[name=granted]').fill('12,50');
  // What it would give back, line by line, before anything is decided.
  const preview = form.getByTestId('compensation-preview');
  await textMatches(preview, new RegExp(`${made.invoiceNumber.replaceAll('/', '\\/')}[\\s\\S]*→`));
  await textMatches(preview.getByTestId('preview-total'), /PLN\s12\.50/);
  await form.getByTestId('decide').click();
  await textMatches(form.getByTestId('decision-effect'), new RegExp(
    `PLN\\s12\\.50 goes back to the customer — correction notes: ${made.invoiceNumber.replaceAll('/', '\\/')} \\(PLN\\s12\\.50\\)[\\s\\S]*answer is issued and sent to the customer at once`,
  ));
  await shot(page, 'complaint-decision-confirm');
  await form.getByTestId('decide').click();
  await page.getByText('Decided; the answer is sent to the customer.').waitFor();

  const decision = page.getByTestId('complaint-decision');
  await textMatches(decision.getByTestId('decision-outcome'), /^partly accepted$/);
  await textMatches(decision.getByTestId('decision-granted'), /PLN\s12\.50/);
  const note = decision.getByTestId('correction-note');
  await textMatches(note, new RegExp(`${made.invoiceNumber.replaceAll('/', '\\/')}[\\s\\S]*-PLN\\s12\\.50`));
  assert.match(await note.getByRole('link').first().getAttribute('href'), /^\/invoices\/\d+$/);
  await textMatches(page.getByTestId('complaint-status'), /^decided$/);
  assert.equal(await page.getByTestId('decision-form').count(), 0, 'decided: no form any more');
  const answer = page.locator('[data-testid=document][data-kind=complaint_answer]');
  await answer.waitFor();
  const text = await downloadedPdf(page, () => answer.getByTestId('open-pdf').click());
  assert.match(text, new RegExp(made.number.replaceAll('/', '\\/')));
  await textMatches(page.getByTestId('complaint-events'), /Answer sent[\s\S]*Correction note issued[\s\S]*Decided/);
  await shot(page, 'complaint-decided');
  made.decidedUrl = page.url();

  // The correction note is an invoice of the console.
  await note.getByRole('link').first().click();
  await page.waitForURL(/\/invoices\/\d+$/);
  await textMatches(page.getByTestId('invoice-number'), /Correction note/);
  assert.deepEqual(page.errors, []);

  // The subscriber sees the answer.
  const phone = made.phone;
  await phone.reload();
  await textMatches(phone.getByTestId('complaint-decision'), /uwzględniona częściowo[\s\S]*12,50/);
  await phone.locator('[data-testid=document][data-kind=complaint_answer]').waitFor();
  await shot(phone, 'cabinet-complaint-answered');
  assert.deepEqual([...await wider(phone, 'cabinet complaint, answered'), ...await axe(phone, 'cabinet complaint, answered')], []);
  assert.deepEqual(phone.errors, []);
});

test('staff register a complaint from the card, confirm its receipt, and follow the monitoring to the register', async () => {
  assert.ok(made.customer, 'runs after the filing test');
  const customerId = made.customer.id;
  const page = await newPage();
  await signIn(page, 'operator');
  await page.goto(`${BASE}/customers/${customerId}`);
  const panel = page.getByTestId('customer-complaints');
  await panel.getByTestId('complaint-row').filter({ hasText: made.number }).waitFor();
  await panel.getByTestId('new-complaint').click();
  await page.waitForURL(new RegExp(`/customers/${customerId}/complaints/new$`));
  const form = page.getByTestId('complaint-form');
  await textMatches(page.getByTestId('complaint-customer'), new RegExp(made.customer.account_number));
  await form.locator('input[name=invoice]').first().waitFor();
  // The server's verdict lands at the fields, with the cursor on the first of them.
  await form.getByTestId('register-complaint').click();
  await textMatches(page.getByTestId('error-summary'), /Subject: Required\./);
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'subject', null, { timeout: 3000 });
  await form.locator('select[name=channel]').selectOption('letter');
  await form.locator('input[name=subject]').fill('Brak usługi przez weekend');
  await form.locator('textarea[name=description]').fill('Klient pisze, że w sobotę i niedzielę nie działał internet.');
  await form.locator('select[name=topic_id]').selectOption({ index: 1 });
  await form.locator('input[name=amount_claimed]').fill('abc');
  await form.getByTestId('register-complaint').click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'amount_claimed', null, { timeout: 3000 });
  await form.locator('input[name=amount_claimed]').fill('8,00');
  const width = [];
  await shot(page, 'complaint-new');
  await form.getByTestId('register-complaint').click();
  await navigatedTo(page, /\/complaints\/\d+$/);
  await textMatches(page.getByTestId('complaint-status'), /^registered$/);

  // Its receipt is confirmed after saying what that sends.
  await page.getByTestId('acknowledge-receipt').click();
  await textMatches(page.getByTestId('acknowledge-form'), /sent to the customer now/);
  await page.getByTestId('confirm-acknowledge').click();
  await textMatches(page.getByTestId('complaint-status'), /^receipt confirmed$/);
  await page.locator('[data-testid=document][data-kind=complaint_acknowledgement]').waitFor();
  assert.equal(await page.getByTestId('decision-form').count(), 0, 'an operator does not decide');
  assert.deepEqual(page.errors, []);

  // The manager's monitoring: a count leads to the register filtered so.
  const manager = await newPage();
  await signIn(manager, 'manager');
  await manager.goto(`${BASE}/complaints/monitoring`);
  const board = manager.getByTestId('deadline-board');
  await board.waitFor();
  await manager.getByTestId('topic-rating').getByTestId('topic-row').first().waitFor();
  await textMatches(manager.getByTestId('on-time'), /\d+ %/);
  await shot(manager, 'complaint-monitoring');
  await board.getByTestId('board-tomorrow').getByRole('link').click();
  await manager.waitForURL(/\/complaints\?due=tomorrow$/);
  assert.equal(await manager.locator('select[name=due]').inputValue(), 'tomorrow');
  await manager.getByTestId('complaints').waitFor();

  // A preventive measure against a topic, then done.
  await manager.goto(`${BASE}/complaints/monitoring`);
  const measures = manager.getByTestId('measures');
  await measures.getByTestId('add-measure').click();
  const measureForm = measures.getByTestId('measure-form');
  await measureForm.getByTestId('save-measure').click();
  await manager.waitForFunction(() => document.activeElement?.getAttribute('name') === 'topic_id', null, { timeout: 3000 });
  await measureForm.locator('select[name=topic_id]').selectOption({ index: 1 });
  await measureForm.locator('input[name=owner]').fill('Dział techniczny');
  const inAWeek = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  await measureForm.locator('input[name=due_on]').fill(inAWeek);
  await measureForm.locator('textarea[name=description]').fill('Wymiana przełącznika w węźle Mokotów.');
  await measureForm.getByTestId('save-measure').click();
  const measure = measures.getByTestId('measure').filter({ hasText: 'Wymiana przełącznika' });
  await textMatches(measure.getByTestId('measure-state'), /^not done yet$/);
  await measure.getByTestId('mark-done').click();
  await textMatches(measures.getByTestId('measure').filter({ hasText: 'Wymiana przełącznika' }).getByTestId('measure-state'), /^done on /);

  // The register as CSV, fetched with the session's token.
  await manager.goto(`${BASE}/complaints`);
  await manager.getByTestId('complaint-row').first().waitFor();
  const download = manager.waitForEvent('download');
  await manager.getByTestId('export-csv').click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  assert.match(csv, new RegExp(made.number.replaceAll('/', '\\/')));
  assert.deepEqual(manager.errors, []);

  // The new console pages: no serious accessibility finding, and none wider than a phone.
  const found = [];
  for (const [path, testId] of [
    ['/complaints', 'complaint-row'],
    [new URL(made.decidedUrl).pathname, 'complaint-decision'],
    ['/complaints/monitoring', 'deadline-board'],
    [`/customers/${customerId}/complaints/new`, 'complaint-form'],
  ]) {
    await manager.goto(`${BASE}${path}`);
    await manager.getByTestId(testId).first().waitFor();
    found.push(...await axe(manager, path));
  }
  const small = await newPage(PHONE);
  await signIn(small, 'manager');
  for (const [path, testId] of [
    ['/complaints', 'complaint-row'],
    [new URL(made.decidedUrl).pathname, 'complaint-decision'],
    ['/complaints/monitoring', 'deadline-board'],
    [`/customers/${customerId}/complaints/new`, 'complaint-form'],
    [`/customers/${customerId}`, 'customer-complaints'],
  ]) {
    await small.goto(`${BASE}${path}`);
    await small.getByTestId(testId).first().waitFor();
    await small.waitForLoadState('networkidle');
    width.push(...await wider(small, path));
  }
  // An undecided complaint's decision form, on the phone too.
  const undecided = (await api('GET', '/complaints?open=true&limit=1', { token: await token('manager') })).body.items[0];
  await small.goto(`${BASE}/complaints/${undecided.id}`);
  await small.getByTestId('decision-form').locator('select[name=outcome]').selectOption({ index: 1 });
  width.push(...await wider(small, 'decision form'));
  found.push(...await axe(small, 'decision form (phone)'));
  await shot(small, 'complaint-phone');
  assert.deepEqual(found, []);
  assert.deepEqual(width, [], 'no page lays out wider than the phone');
  assert.deepEqual(small.errors, []);
});
