// `?demo=1` (scripts/demo.sh) posts the demo job before the worker's wasm is running: the page
// must queue it until the worker says Ready. `?lang=en` starts in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, foreignRequests } from './lib.mjs';

test('?demo=1&lang=en starts on the demo data in English', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?demo=1&lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('#chart-0 canvas', { timeout: 120000 });
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('#results-heading'), 'Results');
    // The module navigation names the module by its declaration's title, and it is shown.
    assert.match(await page.textContent('#module-smi[aria-pressed="true"]'), /serious mental illness/);
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
