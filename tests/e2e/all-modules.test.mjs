// Every published module on the demo data (issues 7 and 8): each has its entry in the module
// navigation, one card per indicator of the registry, and numbers on the page — not only
// suppressed cells — for the synthetic demo, so a teacher sees every analysis work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 2000, SEED = 2024, YEAR = 2024; // the app's demo (pages/start.rs)
const MODULES = { smi: 'smi.', ready: 'ready.', door: 'door.', path: 'path.', flow: 'flow.', ladder: 'ladder.' };

test('demo: every module has its navigation entry, its cards and unsuppressed numbers', async () => {
  // The registry's indicators per module, from the CLI on the same extract.
  const dir = tmpdir('forlop-all-modules-');
  forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forlop-cli-')), 'long.csv');
  forlop(['indicators', '--data', dir, '--year', String(YEAR), '--out', out]);
  const rows = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    const report = await waitForReport(page);
    assert.deepEqual(report.modules, Object.keys(MODULES));
    for (const [id, prefix] of Object.entries(MODULES)) {
      const ids = [...new Set(rows.filter((r) => r[0].startsWith(prefix)).map((r) => r[0]))];
      // The CLI shows some unsuppressed number for this module at k = 5.
      assert.ok(rows.some((r) => r[0].startsWith(prefix) && r[8] === 'false' && r[7] !== ''),
        `${id}: the CLI has unsuppressed values`);
      await page.click(`#module-${id}`);
      await page.waitForSelector(`#module-${id}[aria-pressed="true"]`);
      await page.waitForFunction(() => {
        const c = document.querySelector('#cards');
        return c && c.dataset.total !== '0' && c.dataset.shown === c.dataset.total;
      }, null, { timeout: 60000 });
      const cards = await page.$$eval('article.indicator', (as) => as.map((a) => a.dataset.indicator));
      assert.deepEqual([...cards].sort(), [...ids].sort(), `${id}: one card per indicator`);
      const values = await page.$$eval('td.num.value', (tds) => tds.map((t) => t.textContent.trim()));
      assert.ok(values.some((v) => /\d/.test(v)), `${id}: the page shows numbers`);
      await page.screenshot({ path: path.join(ARTIFACTS, `08-module-${id}.png`) });
    }
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
