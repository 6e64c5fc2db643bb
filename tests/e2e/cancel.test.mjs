// Cancel: a long job stops at once (the worker is terminated), the page stays usable, and a
// fresh worker runs the next job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, foreignRequests } from './lib.mjs';

test('cancel a 100 000-person demo, then run a small one', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', '100000');
    await page.click('#demo');
    await page.waitForSelector('#progress', { timeout: 10000 });
    // The page stays responsive while the worker works: the language switch answers at once.
    const t0 = Date.now();
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const responsiveMs = Date.now() - t0;
    console.log(`METRIC UI response while the worker generates 100 000 persons: ${responsiveMs} ms`);
    assert.ok(responsiveMs < 2000, `the page answered in ${responsiveMs} ms`);
    await page.screenshot({ path: path.join(ARTIFACTS, '11-progress.png') });
    // The bar moves, at most about 20 times a second (the worker posts progress at most every
    // 50 ms within a phase), and the section is built once: the Cancel button under the pointer
    // stays the same element while the bar moves.
    const bar = await page.evaluate(() => new Promise((resolve) => {
      const cancel = document.querySelector('#cancel');
      let moves = 0;
      const seen = new MutationObserver((records) => { moves += records.length; });
      seen.observe(document.querySelector('#progress-bar'), { attributes: true, attributeFilter: ['value'] });
      setTimeout(() => {
        seen.disconnect();
        resolve({ moves, same: document.querySelector('#cancel') === cancel && cancel.isConnected });
      }, 1000);
    }));
    console.log(`METRIC progress bar moves in 1 s while the worker generates: ${bar.moves}`);
    assert.ok(bar.moves >= 2 && bar.moves <= 25, `the bar moved ${bar.moves} times in 1 s`);
    assert.ok(bar.same, 'the Cancel button stayed the same element');
    await page.click('#cancel');
    await page.waitForSelector('#progress', { state: 'detached', timeout: 5000 });
    assert.match(await page.textContent('#error'), /Cancelled/);
    // A fresh worker takes the next job.
    await page.selectOption('#demo-size', '1000');
    await page.click('#demo');
    await page.waitForSelector('#chart-0 canvas', { timeout: 120000 });
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
