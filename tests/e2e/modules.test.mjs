// Analysis modules in the app (issue 6): `?modules=smi,example` computes the opt-in example
// module too; it shows in the module navigation with its cards, and the exported long table
// equals `forlop indicators --module smi --module example` on the same synthetic extract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, foreignRequests, forlop, assertSameTable, downloadCsv, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 1000, SEED = 2024, YEAR = 2024; // the app's demo seed (pages/start.rs DEMO_SEED)

test('?modules=smi,example: the example module has its navigation entry, cards and CLI long table', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?modules=smi,example`, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    const report = await waitForReport(page);
    assert.deepEqual(report.modules, ['smi', 'example']);

    // The navigation lists both; the first module is shown first.
    await page.waitForSelector('#module-smi[aria-pressed="true"]');
    const example = page.locator('#module-example');
    assert.equal(await example.isDisabled(), false, 'the example module was computed');
    await example.click();
    await page.waitForSelector('#module-example[aria-pressed="true"]');
    const cards = await page.$$eval('article.indicator', (as) => as.map((a) => a.dataset.indicator));
    assert.deepEqual(cards, ['example.gp_patients', 'example.home_visit']);
    await page.waitForSelector('#chart-0 canvas', { timeout: 30000 });
    // Its group comes from its declaration; the SMI split is not offered.
    assert.equal(await page.locator('#group-gp_patients').isChecked(), true);
    assert.equal(await page.locator('#split-on').count(), 0);
    await page.screenshot({ path: path.join(ARTIFACTS, '07-example-module.png') });

    // Reference: the CLI on the same extract, both modules.
    const dir = tmpdir('forlop-modules-');
    forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forlop-cli-')), 'long.csv');
    forlop(['indicators', '--data', dir, '--year', `${YEAR - 1}-${YEAR}`, '--min-cell', '5', '--module', 'smi', '--module', 'example', '--out', out]);
    const cliCsv = fs.readFileSync(out, 'utf8');
    assert.match(cliCsv, /\nexample\.gp_patients,gp_patients,country,NO,/);
    const { text } = await downloadCsv(page);
    assertSameTable(text, cliCsv, 'the exported long table (smi + example) vs `forlop indicators --module`');

    // Back to SMI: its cards again.
    await page.click('#module-smi');
    await page.waitForSelector('article[data-indicator="smi.patients"]');

    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
