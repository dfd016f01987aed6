// The size budget: what each app makes a browser download, compressed, may not grow past
// budget.json — the sizes measured when the cabinet became an app of its own (issue 18) plus
// 10 %. A screen that takes a bundle over it must pay for itself (or the budget is raised on
// purpose, with the reason in docs/performance.md).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { close } from './lib.mjs';
import { measureFirstScreens } from './sizes.mjs';

after(close);

const BUDGET = JSON.parse(readFileSync(new URL('./budget.json', import.meta.url), 'utf8'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

test('each app stays within its size budget, whole and before its first screens', async () => {
  const figures = await measureFirstScreens();
  const over = [];
  for (const [app, screens] of Object.entries(BUDGET.apps)) {
    for (const [screen, limits] of Object.entries(screens)) {
      const measured = figures[app]?.[screen];
      assert.ok(measured, `no figure for ${app} ${screen}`);
      for (const encoding of ['gzip', 'brotli']) {
        const line = `${app} ${screen} ${encoding}: ${kb(measured[encoding])} of ${kb(limits[encoding])}`;
        console.log(line);
        if (measured[encoding] > limits[encoding]) over.push(line);
      }
    }
  }
  assert.deepEqual(over, [], 'over the budget in tests/browser/budget.json');
});
