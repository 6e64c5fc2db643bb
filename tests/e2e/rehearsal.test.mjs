// The page's rehearsal (crates/app/src/rehearsal.rs): while the user picks files, the page takes
// the worker's warm-up results in off screen, so its own code is warm at the upload. Nothing of
// it may reach the page the user sees, nor cut the worker's warm-up short; the upload that
// follows shows the user's own files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ROOT, waitForReport } from './lib.mjs';

test('rehearsal: the warm-up report is taken in off screen, never shown, and the upload is the user\'s', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    // The worker posts its first warm-up round's results 300 ms after it starts.
    await page.waitForFunction(() => window.forlopRehearsal?.at !== undefined, null, { timeout: 60000 });
    // Nothing of it is in the document: no results, no cards, no charts, no quality panel.
    const shown = await page.evaluate(() => ({
      results: document.querySelectorAll('article.indicator, [id^="chart-"], #quality-files').length,
      report: window.forlopReport,
    }));
    assert.deepEqual(shown, { results: 0, report: undefined });
    // Taken down once it has built every card, while the user picks files.
    await page.waitForFunction(() => window.forlopRehearsal?.down !== undefined, null, { timeout: 60000 });
    const rehearsal = await page.evaluate(() => window.forlopRehearsal);
    assert.ok(rehearsal.cards > 0 && rehearsal.down >= rehearsal.at, `rehearsal: ${JSON.stringify(rehearsal)}`);
    // Every card of the shown module, and taken down as soon as they are built (the page says so
    // itself), well before the 5 s it may stand at most.
    assert.equal(rehearsal.cards, rehearsal.total, `rehearsal: ${JSON.stringify(rehearsal)}`);
    assert.ok(rehearsal.down - rehearsal.at < 4000, `rehearsal: ${JSON.stringify(rehearsal)}`);
    // Laid out once before it went (in and out of the document within one task).
    assert.ok(rehearsal.layout >= 0, `rehearsal: ${JSON.stringify(rehearsal)}`);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.rehearsal-stage, [aria-hidden="true"] #cards').length), 0);
    // Out of sight by the style sheet's class: the Content-Security-Policy refuses style attributes.
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
    // The worker's other warm-up rounds (the rehearsal sent it nothing that would end them).
    await page.waitForTimeout(3000);

    const fixture = path.join(ROOT, 'tests/fixtures/001-cohort-groups/input');
    const files = fs.readdirSync(fixture).filter((f) => f.endsWith('.csv')).sort();
    await page.setInputFiles('#file-input', files.map((f) => path.join(fixture, f)));
    const report = await waitForReport(page);
    await page.waitForSelector('#chart-0 canvas', { timeout: 60000 });
    // The warm-up ran to its end: a message from the rehearsal's page would have ended it
    // (`warm_up` is 0 then).
    const { warm_up, memory_at_job_mb, memory_read_mb } = Object.fromEntries(report.timings);
    assert.ok(warm_up > 0, `warm-up: ${warm_up}`);
    // While idle the worker took its working memory (96 MB, every byte written once: worker.rs,
    // take_working_memory) and freed it, and the upload was read in it: the memory did not grow.
    assert.ok(memory_at_job_mb >= 96, `memory at the job: ${memory_at_job_mb} MB`);
    assert.equal(memory_read_mb, memory_at_job_mb, 'the upload read in the memory taken while idle');
    // Nothing of it came back with the upload.
    assert.deepEqual(await page.evaluate(() => window.forlopRehearsal), rehearsal);
    // The quality panel lists the user's files, not the warm-up's.
    const listed = await page.$$eval('#quality-files tbody tr th', (cells) => cells.map((c) => c.textContent).sort());
    assert.deepEqual(listed, files);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
