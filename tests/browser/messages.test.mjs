// Messages to customers on the card: the demo's billing wrote one per invoice; the
// card shows each with its channel and status, and says why one did not go.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, api, axeViolations, close, newPage, shot, signIn, token } from './lib.mjs';

after(close);

test('the card lists the messages sent to the customer and why one was not sent, also on a phone', async () => {
  const agentToken = await token('agent');
  const suppressed = await api('GET', '/messages?status=suppressed&event=invoice_issued&limit=1', { token: agentToken });
  assert.equal(suppressed.status, 200);
  assert.equal(suppressed.body.items.length, 1, 'the demo has a customer without the e-mail consent');
  const message = suppressed.body.items[0];

  for (const viewport of [undefined, PHONE]) {
    const page = await newPage(viewport);
    await signIn(page, 'agent');
    await page.goto(`${BASE}/customers/${message.customer_id}`);
    const panel = page.getByTestId('messages');
    await panel.waitFor();
    // The invoice's own row: a reminder (a contract ending) written later may come first.
    const row = panel.locator('[data-testid=message][data-status=suppressed]').filter({ hasText: 'Invoice issued' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /Invoice issued/);
    assert.ok((await row.getByTestId('message-reason').innerText()).startsWith('Why: '));
    await shot(page, viewport ? 'card-messages-phone' : 'card-messages');
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  }
});
