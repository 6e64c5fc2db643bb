// Reading an upload in more than one worker (issue 11): the main worker reads one piece of the
// big tables, a helper worker the other, and the main worker joins them. What the user sees must
// be exactly what one worker shows (`?workers=1`): the data-quality tables, every issue example,
// and every cell of the long table (which is also `forlop indicators`' for the same files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, forlop, forlopIndicators, assertSameTable, downloadCsv, waitForReport, tmpdir } from './lib.mjs';

function filesIn(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(dir, f));
}

/** Uploads `files` with `?workers=N` and reads what the page shows. */
async function upload(page, files, workers, year) {
  await page.goto(`${BASE}?workers=${workers}`, { waitUntil: 'load' });
  await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
  await page.selectOption('#demo-year', String(year));
  await page.setInputFiles('#file-input', files);
  const report = await waitForReport(page, 300000);
  const timings = Object.fromEntries(report.timings);
  // The data-quality panel as the user reads it: per file (name, kind chosen, rows read, used,
  // rejected, …) and per issue code, cell by cell; then every example with its file and line.
  const tables = await page.$$eval('#quality-files, #quality-problems', (ts) => ts.map((t) =>
    [...t.querySelectorAll('tr')].map((r) => [...r.cells].map((c) => {
      const select = c.querySelector('select');
      return select ? `[${select.value}]` : c.textContent.trim();
    }))));
  const examples = await page.$$eval('#quality-examples li', (lis) => lis.map((l) => l.textContent.trim()));
  const totals = await page.textContent('#quality-totals');
  const { text } = await downloadCsv(page);
  return { report, timings, tables, examples, totals, text };
}

for (const format of ['canonical', 'norwegian']) {
  test(`an upload read by two workers shows exactly what one worker shows (${format})`, { timeout: 900000 }, async () => {
    const dir = tmpdir('forlop-mw-');
    // With defects, so the quality report has rejections, warnings and duplicates on both sides
    // of the cut (duplicate_row is found over both pieces' hashes). The Norwegian extract is
    // `;`-separated Windows-1252 with DD.MM.YYYY dates: cut in its decoded text.
    forlop(['synth', '--out', dir, '--persons', '3000', '--seed', '11', '--year', '2023', '--defects', '--format', format]);
    const files = filesIn(dir);
    // Pieces are at least 1 MiB: episodes must be over 2 MiB to be cut in two at all, or this
    // would compare one worker with itself (and `joined_files` below would be missing).
    const episodes = files.find((f) => f.endsWith('episodes.csv'));
    assert.ok(fs.statSync(episodes).size > 2.2 * 1024 * 1024, `${path.basename(episodes)} is large enough to cut (${fs.statSync(episodes).size} B)`);
    const { browser, page, log } = await launch();
    try {
      const two = await upload(page, files, 2, 2023);
      // Two pieces: the main worker's and the helper's, and a big table joined from them.
      assert.equal(two.timings.pieces, 2, `the helper's piece reached the main worker: ${JSON.stringify(two.timings)}`);
      assert.ok(two.timings.joined_files >= 1, `a big table was joined from the pieces: ${JSON.stringify(two.timings)}`);
      const one = await upload(page, files, 1, 2023);
      assert.equal(one.timings.pieces, undefined, 'one worker: no pieces');
      assert.equal(one.timings.joined_files, undefined, 'one worker: nothing joined');

      assert.ok(one.tables[0].length >= 7, 'a row per file (and the header)');
      assert.ok(one.tables[1].length > 5, 'issue codes are listed');
      assert.deepEqual(two.tables, one.tables, 'the data-quality tables, cell by cell');
      assert.deepEqual(two.examples, one.examples, 'every issue example, with its line');
      assert.ok(one.examples.some((e) => /\.csv:\d+/.test(e)), 'examples name a file and a line');
      assert.equal(two.totals, one.totals);
      assert.equal(two.report.rows, one.report.rows);
      assertSameTable(two.text, one.text, `two workers vs one (${format}): the long table`);
      // …and one worker's is the CLI's, so both are right, not merely equal.
      assertSameTable(one.text, forlopIndicators(dir, one.report.years, 5), `one worker vs \`forlop indicators\` (${format})`);
      assert.deepEqual(log.errors, [], 'no page errors');
    } finally {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('cancel ends the helpers too, and the next upload is read in pieces again', { timeout: 900000 }, async () => {
  const dir = tmpdir('forlop-mw-');
  // About 22 MB: long enough to press Cancel while it is read.
  forlop(['synth', '--out', dir, '--persons', '10000', '--seed', '5', '--year', '2023']);
  const files = filesIn(dir);
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?workers=2`, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.selectOption('#demo-year', '2023');
    await page.setInputFiles('#file-input', files);
    await page.waitForSelector('#progress', { timeout: 10000 });
    await page.click('#cancel');
    await page.waitForSelector('#progress', { state: 'detached', timeout: 5000 });
    assert.equal(await page.evaluate(() => window.forlopReport), undefined, 'cancelled before a report');
    assert.ok(await page.$('#error'), 'the page says it was cancelled');
    // The same page, fresh workers: the next upload is read by two workers again.
    await page.setInputFiles('#file-input', files);
    const report = await waitForReport(page, 300000);
    const timings = Object.fromEntries(report.timings);
    assert.equal(timings.pieces, 2, `the fresh helper's piece reached the fresh main worker: ${JSON.stringify(timings)}`);
    assert.ok(timings.joined_files >= 1);
    const { text } = await downloadCsv(page);
    assertSameTable(text, forlopIndicators(dir, report.years, 5), 'after cancel, two workers vs `forlop indicators`');
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
