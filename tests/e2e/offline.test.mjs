// Offline: after the first visit the service worker serves the app with the network gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, foreignRequests } from './lib.mjs';

test('a reload with the network blocked still renders the app and runs the demo', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    // Wait until the service worker controls the page (installed, precached, claimed).
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      }
    });
    await browser.setOffline(true);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    const intro = await page.textContent('#intro');
    assert.match(intro, /Forløp/);
    // The worker (and its wasm) come from the cache too: the demo runs offline.
    await page.selectOption('#demo-size', '1000');
    await page.click('#demo');
    await page.waitForSelector('#chart-0 canvas', { timeout: 120000 });
    await page.screenshot({ path: path.join(ARTIFACTS, '10-offline.png'), fullPage: false });
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
