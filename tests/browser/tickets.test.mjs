// Technical problems in the browser (R-50..R-53, R-60): the technical support queue in the
// server's SLA order, each row coloured by its flag and saying its time left; the sixth caller
// from a building with an outage, whose card shows the banner before anything else; a "no
// connection" script walked from the card to a leaf that opens a ticket prefilled from the
// outcome, the ticket then showing the path walked; the ticket worked (a visible comment, a
// status change, a refused route without a reason); the script editor naming a broken
// reference at its node; the outage's resolution asking once more with what it does; a
// subscriber reporting a fault in the cabinet, finding it in the list and booking a
// technician; the FAQ without signing in. The new pages fit a phone and pass axe.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, PHONE, api, axeViolations, close, navigatedTo, newPage, shot, signIn, signInToCabinet, textMatches, token,
} from './lib.mjs';

after(close);

/** What the tests learn, for the tests after them. */
const made = {};

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

/** Fails with the server's answer when a call did not give `status`. */
function expectStatus(answer, status, what) {
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * The way through a script to a leaf of `kind`, for a customer whose automatic checks all
 * answer no: the questions with the index of the answer to give, the instructions, and the
 * leaf reached.
 */
function pathToLeaf(body, kind) {
  const byId = Object.fromEntries(body.nodes.map((n) => [n.id, n]));
  const walk = (id) => {
    const { step } = byId[id];
    if (step.kind === kind) return { steps: [], leaf: step };
    switch (step.kind) {
      case 'question':
        for (const [index, answer] of step.answers.entries()) {
          const rest = walk(answer.next);
          if (rest) return { ...rest, steps: [{ id, kind: 'question', index, label: answer.label }, ...rest.steps] };
        }
        return null;
      case 'instruction': {
        const rest = walk(step.next);
        return rest && { ...rest, steps: [{ id, kind: 'instruction' }, ...rest.steps] };
      }
      case 'check':
        return walk(step.if_no);
      default:
        return null;
    }
  };
  return walk(body.start);
}

test('the technical support queue shows the SLA order, colours and time left the server gives', async () => {
  const operatorToken = await token('operator');
  const queue = expectStatus(await api('GET', '/tickets?department=technical_support&limit=200', { token: operatorToken }), 200, 'the queue');
  assert.ok(queue.items.length >= 3, 'the demo has tickets in the technical support queue');
  assert.ok(queue.items.some((t) => t.sla.flag === 'breached'), 'the demo has a breached ticket');

  const page = await newPage();
  await signIn(page, 'operator');
  await page.getByRole('link', { name: 'Tickets', exact: true }).click();
  await page.waitForURL(/\/tickets$/);
  await page.locator('[data-testid=department-tab][data-code=technical_support]').click();
  await page.waitForURL(/department=technical_support/);
  const rows = page.getByTestId('ticket-row');
  await rows.first().waitFor();
  await textMatches(page.getByTestId('count-total'), new RegExp(`^${queue.total}$`));
  await textMatches(page.getByTestId('count-breached'), new RegExp(`^${queue.breached}\\b`));
  await textMatches(page.getByTestId('count-near'), new RegExp(`^${queue.near}\\b`));

  // The rows in the server's order, each with its flag's colour and its time written out.
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => ({
    id: Number(tr.dataset.id),
    flag: tr.dataset.flag,
    classes: tr.className,
    sla: tr.querySelector('[data-testid=sla]').innerText,
  })));
  assert.deepEqual(shown.map((r) => r.id), queue.items.map((t) => t.id), 'the rows keep the SLA order the server gives');
  for (const [i, row] of shown.entries()) {
    const ticket = queue.items[i];
    assert.equal(row.flag, ticket.sla.flag, `${ticket.number}'s flag`);
    assert.match(row.classes, new RegExp(`sla-row-${ticket.sla.flag}`));
    if (ticket.sla.flag === 'breached') assert.match(row.sla, /overdue by (\d+ h )?\d+ (h|min)/, `${ticket.number}: ${row.sla}`);
    if (ticket.sla.flag === 'ok' || ticket.sla.flag === 'near') assert.match(row.sla, /due in (\d+ h )?\d+ (h|min)/, `${ticket.number}: ${row.sla}`);
    if (ticket.sla.flag === 'paused') assert.match(row.sla, /waiting for the customer/);
  }
  // A breached row is red, a row within its time green, at a glance.
  const colours = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-testid=ticket-row]')]
    .map((tr) => [tr.dataset.flag, getComputedStyle(tr.querySelector('td')).borderLeftColor])));
  if (colours.breached && colours.ok) assert.notEqual(colours.breached, colours.ok);
  await shot(page, 'tickets-queue');

  // The counts filter the queue; the filter is in the address.
  await page.getByTestId('count-breached').click();
  await page.waitForURL(/flag=breached/);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=ticket-row]')].every((r) => r.dataset.flag === 'breached'));
  made.ticket = queue.items[0];
  assert.deepEqual(page.errors, []);
});

test('the sixth caller from a building with an outage: the card shows the banner before anything else', async () => {
  const operatorToken = await token('operator');
  const incidents = expectStatus(await api('GET', '/incidents?active=true', { token: operatorToken }), 200, 'the incidents');
  const withTickets = incidents.find((i) => i.category === 'no_connection' && i.ticket_count >= 5);
  assert.ok(withTickets, `the demo has a no-connection outage gathering five tickets: ${JSON.stringify(incidents)}`);
  const detail = expectStatus(await api('GET', `/incidents/${withTickets.id}`, { token: operatorToken }), 200, 'the incident');
  const sixth = detail.affected.find((a) => !a.reported);
  assert.ok(sixth, 'someone in the building has not called yet');
  made.incident = detail;

  const page = await newPage();
  await signIn(page, 'operator');
  await page.goto(`${BASE}/customers/${sixth.customer_id}`);
  const banner = page.getByTestId('outage-banner');
  await banner.waitFor();
  await textMatches(banner, new RegExp(`${withTickets.number.replaceAll('/', '\\/')}[\\s\\S]*No connection`));
  // First in the page: above the customer's name, whatever else the card holds.
  await page.getByTestId('customer-name').waitFor();
  const first = await page.evaluate(() => document.querySelector('main').firstElementChild?.dataset.testid);
  assert.equal(first, 'outage-banner');
  const [bannerBox, nameBox] = [await banner.boundingBox(), await page.getByTestId('customer-name').boundingBox()];
  assert.ok(bannerBox.y < nameBox.y, 'the banner is above the name');
  await shot(page, 'card-outage-banner');
  // The banner leads to the outage, with its tickets and the customers at the address.
  await banner.getByRole('link', { name: withTickets.number }).click();
  await page.waitForURL(new RegExp(`/incidents/${withTickets.id}$`));
  await textMatches(page.getByTestId('incident-tickets'), /Linked tickets: [5-9]/);
  assert.ok(await page.getByTestId('affected').count() >= 6);
  assert.deepEqual(page.errors, []);
});

test('a no-connection script walked from the card ends in a ticket prefilled from its outcome', async () => {
  const operatorToken = await token('operator');
  const scripts = expectStatus(await api('GET', '/diagnostic-scripts', { token: operatorToken }), 200, 'the scripts');
  const summary = scripts.find((s) => s.category === 'no_connection' && s.active);
  assert.ok(summary, 'the demo has a no-connection script');
  const script = expectStatus(await api('GET', `/diagnostic-scripts/${summary.id}`, { token: operatorToken }), 200, 'the script');
  const walked = pathToLeaf(script.body, 'open_ticket');
  assert.ok(walked, 'the script can lead to a ticket when every check says no');
  const { steps: path, leaf } = walked;

  // A customer no check says yes for: active, no open ticket, no outage at the address.
  const customers = expectStatus(await api('GET', '/customers?limit=60', { token: operatorToken }), 200, 'the customers').items;
  let customer;
  for (const c of customers) {
    if (c.status !== 'active') continue;
    const open = expectStatus(await api('GET', `/tickets?customer_id=${c.id}`, { token: operatorToken }), 200, 'tickets');
    const outages = expectStatus(await api('GET', `/customers/${c.id}/outages`, { token: operatorToken }), 200, 'outages');
    if (open.total === 0 && outages.length === 0) { customer = c; break; }
  }
  assert.ok(customer, 'the demo has an active customer without tickets or outages');

  const page = await newPage();
  await signIn(page, 'operator');
  await page.goto(`${BASE}/customers/${customer.id}`);
  const panel = page.getByTestId('customer-tickets');
  await panel.getByTestId('diagnose').click();
  await page.waitForURL(new RegExp(`/customers/${customer.id}/diagnose$`));
  await page.locator('[data-testid=fault-category][data-category=no_connection]').click();
  await page.locator(`[data-testid=start-script][data-script="${summary.id}"]`).click();
  await page.waitForURL(/\?run=\d+$/);
  const found = [];
  for (const [n, step] of path.entries()) {
    if (step.kind === 'question') {
      const question = page.locator(`[data-testid=script-question][data-node="${step.id}"]`);
      await question.waitFor();
      if (n === 0) {
        // The automatic checks made before the first question are on the path already.
        await textMatches(page.getByTestId('script-path'), /checked[\s\S]*→ no/);
        await shot(page, 'script-runner');
        found.push(...await axe(page, 'script runner'));
      }
      await question.getByTestId('answer').nth(step.index).click();
    } else {
      const instruction = page.locator(`[data-testid=script-instruction][data-node="${step.id}"]`);
      await instruction.getByTestId('instruction-done').click();
    }
  }
  const outcome = page.locator('[data-testid=script-outcome][data-outcome=open_ticket]');
  await outcome.waitFor();
  // The form carries what the outcome says.
  const form = outcome.getByTestId('ticket-form');
  await form.getByTestId('from-script').waitFor();
  await page.waitForFunction((department) => document.querySelector('[data-testid=ticket-form] select[name=department]')?.value === department, leaf.department);
  assert.equal(await form.locator('select[name=category]').inputValue(), leaf.category);
  assert.equal(await form.locator('select[name=priority]').inputValue(), leaf.priority);
  assert.notEqual(await form.locator('input[name=title]').inputValue(), '');
  const lastQuestion = path.filter((s) => s.kind === 'question').at(-1);
  if (lastQuestion) assert.match(await form.locator('textarea[name=description]').inputValue(), new RegExp(lastQuestion.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await shot(page, 'script-outcome');
  found.push(...await axe(page, 'script outcome'));
  await form.getByTestId('open-ticket').click();
  await navigatedTo(page, /\/tickets\/\d+$/);
  made.opened = Number(new URL(page.url()).pathname.split('/').pop());
  made.customer = customer;

  // The ticket keeps the path walked, the checks among it.
  const kept = page.getByTestId('ticket-script');
  await kept.waitFor();
  assert.ok(await kept.getByTestId('path-step').count() >= path.length);
  assert.ok(await kept.locator('[data-testid=path-step][data-automatic=true]').count() >= 1, 'the automatic checks are shown');
  await textMatches(page.getByTestId('ticket-department'), /\S/);
  const clocks = page.getByTestId('sla-clock');
  assert.ok(await clocks.count() >= 2);
  await textMatches(clocks.first().getByTestId('clock-left'), /due in/);
  assert.deepEqual(found, []);
  assert.deepEqual(page.errors, []);
});

test('staff work the ticket: a visible comment, a status change, routing that needs a reason', async () => {
  assert.ok(made.opened, 'runs after the script test');
  const page = await newPage();
  await signIn(page, 'operator');
  await page.goto(`${BASE}/tickets/${made.opened}`);
  await page.getByTestId('ticket-page').waitFor();

  // A comment for the customer, marked so on the history.
  const comment = page.getByTestId('comment-form');
  await comment.getByTestId('save-comment').click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'body', null, { timeout: 3000 });
  await comment.locator('textarea[name=body]').fill('Sprawdzamy port w węźle; odezwiemy się do 16:00.');
  await comment.locator('input[name=visibility][value=visible]').check();
  await comment.getByTestId('visible-hint').waitFor();
  await comment.getByTestId('save-comment').click();
  const visible = page.locator('[data-testid=ticket-event][data-kind=comment][data-visible=true]');
  await textMatches(visible, /Sprawdzamy port/);
  await textMatches(visible.getByTestId('event-visibility'), /^visible to the customer$/);

  // Only the statuses the current one allows are offered.
  await page.getByTestId('change-status').click();
  const statusForm = page.getByTestId('status-form');
  const offered = await statusForm.locator('select[name=status] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(offered, ['in_progress', 'waiting_for_customer', 'waiting_for_visit', 'resolved']);
  await statusForm.locator('select[name=status]').selectOption('in_progress');
  await statusForm.getByTestId('save-status').click();
  await textMatches(page.getByTestId('ticket-status').first(), /^in progress$/);

  // Routing needs a reason: the cursor goes there.
  await page.getByTestId('route').click();
  const route = page.getByTestId('route-form');
  await route.getByTestId('save-route').click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'reason', null, { timeout: 3000 });
  await shot(page, 'ticket-route');
  const found = await axe(page, 'ticket');
  assert.deepEqual(found, []);
  assert.deepEqual(page.errors, []);
});

test('the script editor names a broken reference at its node and focuses it; saving makes a new version', async () => {
  const managerToken = await token('manager');
  const scripts = expectStatus(await api('GET', '/diagnostic-scripts', { token: managerToken }), 200, 'the scripts');
  const summary = scripts.find((s) => s.category === 'no_connection');
  const page = await newPage();
  await signIn(page, 'manager');
  await page.goto(`${BASE}/scripts`);
  await page.getByTestId('script-row').first().waitFor();
  await page.goto(`${BASE}/scripts/${summary.id}`);
  const form = page.getByTestId('script-form');
  await textMatches(page.getByTestId('script-version'), new RegExp(`Version ${summary.version}$`));
  // An answer that leads nowhere: the server names the node and answer, the cursor goes there.
  const question = form.locator('[data-testid=script-node]').filter({ has: page.locator('[data-testid=answer-edit]') }).first();
  const index = Number(await question.getAttribute('data-index'));
  await question.locator('[data-testid=answer-edit]').nth(1).locator('select[name=answer_next]').selectOption('');
  await form.getByTestId('save-script').click();
  const summaryBox = page.getByTestId('error-summary');
  await textMatches(summaryBox, new RegExp(`Node ${index + 1} \\([^)]+\\), Answer 2: Next node`));
  await page.waitForFunction((path) => document.activeElement?.closest('[data-path]')?.dataset.path === path, `body.nodes[${index}].step.answers[1].next`, { timeout: 3000 });
  await shot(page, 'script-editor-error');
  // Back as it was: saved as the next version.
  await page.reload();
  await page.getByTestId('script-form').waitFor();
  await page.getByTestId('save-script').click();
  await textMatches(page.getByTestId('script-version'), new RegExp(`Version ${summary.version + 1}$`));
  assert.deepEqual(page.errors, []);
});

test('resolving an outage asks once more, saying it resolves the tickets and tells the customers', async () => {
  assert.ok(made.incident, 'runs after the banner test');
  const page = await newPage();
  await signIn(page, 'manager');
  await page.goto(`${BASE}/incidents`);
  await page.getByTestId('incident-row').first().waitFor();
  await page.goto(`${BASE}/incidents/${made.incident.id}`);
  await page.getByTestId('resolve-incident').click();
  const form = page.getByTestId('incident-action-form');
  await textMatches(form.getByTestId('incident-effect'), /resolves those still open \(\d+\), and tells the affected customers \(\d+\) that the service is back/);
  await form.getByTestId('confirm-incident-action').click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'note', null, { timeout: 3000 });
  await shot(page, 'incident-resolve');
  assert.deepEqual(await axe(page, 'incident'), []);
  assert.deepEqual(page.errors, []);
});

/** A Polish-speaking person with a service and no cabinet yet, with a cabinet now. */
async function subscriberWithService() {
  const [operatorToken, agentToken] = [await token('operator'), await token('agent')];
  const contracts = expectStatus(await api('GET', '/contracts?status=active&limit=200', { token: operatorToken }), 200, 'contracts');
  const seen = new Set();
  for (const contract of [...contracts.items].reverse()) {
    if (seen.has(contract.customer_id) || contract.subscriptions.length === 0) continue;
    seen.add(contract.customer_id);
    const customer = (await api('GET', `/customers/${contract.customer_id}`, { token: operatorToken })).body;
    if (customer.kind !== 'person' || customer.cabinet_active || customer.preferred_language !== 'pl') continue;
    const code = expectStatus(await api('POST', `/customers/${customer.id}/cabinet-activation`, { token: agentToken }), 201, 'activation');
    const password = 'usterka-2026-okno';
    expectStatus(await api('POST', '/cabinet/activate', {
      body: { account_number: customer.account_number, activation_code: code.code, password },
    }), 200, 'activating');
    return { customer, password };
  }
  throw new Error('the demo has a person with a service and no cabinet');
}

test('a subscriber reports a fault in the cabinet, sees it in the list and books a technician', async () => {
  const { customer, password } = await subscriberWithService();
  const phone = await newPage(PHONE, 'pl-PL');
  await signInToCabinet(phone, { accountNumber: customer.account_number, password });
  const found = [];
  await phone.getByTestId('report-fault-link').click();
  await phone.waitForURL(/\/cabinet\/tickets\/new$/);
  const form = phone.getByTestId('fault-form');
  await form.locator('select[name=subscription_id] option').nth(1).waitFor({ state: 'attached' });
  // Sent empty: what to fix is listed at the top, the cursor on the first field.
  await form.getByTestId('send-fault').click();
  await textMatches(phone.getByTestId('error-summary'), /Co nie działa: Wybierz, co nie działa\./);
  await phone.waitForFunction(() => document.activeElement?.getAttribute('name') === 'category', null, { timeout: 3000 });
  found.push(...await wider(phone, 'fault form'), ...await axe(phone, 'fault form'));
  await form.locator('select[name=category]').selectOption('slow');
  await form.locator('input[name=title]').fill('Internet zwalnia wieczorem');
  await form.locator('textarea[name=description]').fill('Od tygodnia po 19:00 prędkość spada poniżej 5 Mb/s.');
  await form.locator('select[name=subscription_id]').selectOption({ index: 1 });
  await shot(phone, 'cabinet-fault-form');
  await form.getByTestId('send-fault').click();
  await navigatedTo(phone, /\/cabinet\/tickets$/);
  const row = phone.getByTestId('my-ticket').filter({ hasText: 'Internet zwalnia wieczorem' });
  await row.waitFor();
  await textMatches(row.getByTestId('ticket-status'), /^nowe$/);
  found.push(...await wider(phone, 'my tickets'), ...await axe(phone, 'my tickets'));
  await shot(phone, 'cabinet-tickets');

  // Its page: book a technician's free slot.
  await row.getByTestId('my-ticket-number').click();
  await phone.waitForURL(/\/cabinet\/tickets\/\d+$/);
  await phone.getByTestId('open-my-booking').click();
  const booking = phone.getByTestId('my-booking-form');
  await booking.getByTestId('book-slot').click();
  await textMatches(booking, /Wybierz termin\./);
  const slot = booking.getByTestId('slot-option').first();
  await slot.waitFor();
  await slot.locator('input').check();
  found.push(...await wider(phone, 'booking'), ...await axe(phone, 'booking'));
  await shot(phone, 'cabinet-booking');
  await booking.getByTestId('book-slot').click();
  await phone.locator('[data-testid=my-visit][data-status=booked]').waitFor();
  assert.equal(await phone.getByTestId('open-my-booking').count(), 0, 'one visit at a time');
  // A comment from the subscriber lands on the history.
  await phone.getByTestId('my-comment-form').locator('textarea[name=body]').fill('Najlepiej po 17:00.');
  await phone.getByTestId('send-comment').click();
  await textMatches(phone.getByTestId('my-ticket-events'), /Najlepiej po 17:00\./);
  found.push(...await wider(phone, 'my ticket'), ...await axe(phone, 'my ticket'));
  await shot(phone, 'cabinet-ticket');
  assert.deepEqual(found, []);
  assert.deepEqual(phone.errors, []);
  made.subscriber = customer;
});

test('the FAQ answers without signing in, in the interface language', async () => {
  const page = await newPage(PHONE, 'pl-PL');
  await page.goto(`${BASE}/cabinet/login`);
  await page.getByTestId('faq-link').click();
  await page.waitForURL(/\/cabinet\/faq$/);
  const articles = page.getByTestId('faq-article');
  await articles.first().waitFor();
  const title = await articles.first().locator('summary').innerText();
  const word = title.split(/[^\p{L}\p{N}]+/u).find((w) => w.length >= 4);
  await page.locator('input[name=q]').fill(word);
  await page.getByTestId('faq-search').click();
  await textMatches(page.getByTestId('faq-articles'), new RegExp(word, 'i'));
  await articles.first().locator('summary').click();
  const found = [...await wider(page, 'faq'), ...await axe(page, 'faq')];
  await shot(page, 'cabinet-faq');
  assert.deepEqual(found, []);
  assert.deepEqual(page.errors, []);
});

test('the new console pages pass axe and fit a phone', async () => {
  assert.ok(made.opened && made.incident, 'runs after the tickets tests');
  const managerToken = await token('manager');
  const scripts = expectStatus(await api('GET', '/diagnostic-scripts', { token: managerToken }), 200, 'the scripts');
  const articles = expectStatus(await api('GET', '/kb-articles?limit=5', { token: managerToken }), 200, 'the articles');
  assert.ok(articles.length > 0, 'the demo has knowledge-base articles');
  const pages = [
    ['/tickets', 'ticket-row'],
    [`/tickets/${made.opened}`, 'ticket-page'],
    [`/customers/${made.customer.id}`, 'customer-tickets'],
    [`/customers/${made.customer.id}/tickets/new`, 'ticket-form'],
    ['/incidents', 'incident-row'],
    [`/incidents/${made.incident.id}`, 'incident-page'],
    ['/visits', 'visits'],
    ['/scripts', 'script-row'],
    [`/scripts/${scripts[0].id}`, 'script-form'],
    ['/kb', 'article'],
    [`/kb/${articles[0].id}`, 'article-body'],
    [`/kb/${articles[0].id}/edit`, 'article-form'],
    ['/tickets/settings', 'sla-form'],
  ];
  const found = [];
  const desk = await newPage();
  await signIn(desk, 'manager');
  for (const [path, testId] of pages) {
    await desk.goto(`${BASE}${path}`);
    await desk.getByTestId(testId).first().waitFor();
    found.push(...await axe(desk, path));
  }
  // The visit plan of a day with slots, and the slots form.
  const slots = expectStatus(await api('GET', '/technician-slots', { token: managerToken }), 200, 'the slots');
  assert.ok(slots.length > 0, 'the demo has technician slots');
  const day = new Date(slots[0].starts_at).toLocaleDateString('sv');
  await desk.goto(`${BASE}/visits?day=${day}`);
  await desk.getByTestId('plan-slot').first().waitFor();
  await desk.getByTestId('open-add-slots').click();
  await textMatches(desk.getByTestId('planned-slots'), /\(8\): 09:00–10:00/);
  await shot(desk, 'visits-day');
  found.push(...await axe(desk, 'visits'));
  // The card's contact form suggests the articles of the topic chosen.
  const topicArticle = articles.find((a) => a.topic_id);
  if (topicArticle) {
    await desk.goto(`${BASE}/customers/${made.customer.id}`);
    await desk.getByTestId('log-contact').locator('select[name=topic]').selectOption(String(topicArticle.topic_id));
    await desk.getByTestId('kb-suggestions').getByTestId('kb-suggestion').first().waitFor();
    found.push(...await axe(desk, 'card with suggestions'));
  }
  assert.deepEqual(desk.errors, []);

  const small = await newPage(PHONE);
  await signIn(small, 'manager');
  const width = [];
  for (const [path, testId] of [...pages, [`/visits?day=${day}`, 'plan-slot'], [`/customers/${made.customer.id}/diagnose`, 'choose-category']]) {
    await small.goto(`${BASE}${path}`);
    await small.getByTestId(testId).first().waitFor();
    await small.waitForLoadState('networkidle');
    width.push(...await wider(small, path));
  }
  await shot(small, 'tickets-phone');
  assert.deepEqual(found, []);
  assert.deepEqual(width, [], 'no page lays out wider than the phone');
  assert.deepEqual(small.errors, []);
});
