// Correcting a table kind: the user's choice is sent back to the worker, which re-reads the
// files it holds (no new upload) with SourceFile.kind set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { launch, BASE, ROOT, waitForReport, foreignRequests } from './lib.mjs';

test('a corrected table kind re-reads the held files', async () => {
  const dir = path.join(ROOT, 'tests/fixtures/001-cohort-groups/input');
  const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.selectOption('#demo-year', '2021');
    await page.setInputFiles('#file-input', files);
    await waitForReport(page);
    const usedBefore = await page.textContent('#quality-files tbody tr:nth-child(1) td:nth-child(4)');
    assert.equal(usedBefore, '4', 'areas.csv: 4 rows used');
    // Say areas.csv is a population table: it lacks population's columns, so nothing is used.
    await page.selectOption('#kind-0', 'population');
    await page.evaluate(() => { window.forlopReport = undefined; });
    await page.click('#reread');
    await page.waitForFunction(() => {
      const cell = document.querySelector('#quality-files tbody tr:nth-child(1) td:nth-child(4)');
      return cell && cell.textContent === '0';
    }, null, { timeout: 60000 });
    assert.equal(await page.inputValue('#kind-0'), 'population');
    assert.match(await page.textContent('#quality'), /areas\.csv:\d+ .*year/);
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
