// An upload larger than the browser can hold is refused at once, before a byte is read, with a
// message naming the size it can take; the page stays usable. The real limit is 800 MB
// (engine::MAX_UPLOAD_BYTES, measured with 10 M rows in BENCHMARKS.md); `?max_upload_mb=`
// lowers it here so the test needs a small extract only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, waitForReport, tmpdir, foreignRequests } from './lib.mjs';

test('an upload over the limit is refused at once with the size it can take; under it, it is read', async () => {
  const dir = tmpdir('forlop-limit-');
  forlop(['synth', '--out', dir, '--persons', '300', '--seed', '7', '--year', '2024']);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(dir, f));
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  // The limit: half the extract, in MB with one decimal (≥ 0.1 MB).
  const limitMb = Math.max(0.1, Math.floor(bytes / 2 / 1e5) / 10);
  assert.ok(limitMb * 1e6 < bytes, `the limit ${limitMb} MB is below the extract's ${bytes} B`);
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?lang=en&max_upload_mb=${limitMb}`, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.setInputFiles('#file-input', files);
    await page.waitForSelector('#error', { timeout: 10000 });
    const message = await page.textContent('#error');
    // Sizes in MB with one decimal below 10 MB; rows = limit / 58 B, to two significant digits.
    const mb = (b) => (b < 1e7 ? (b / 1e6).toFixed(1) : Math.round(b / 1e6).toLocaleString('en-US'));
    const totalMb = mb(bytes);
    const limitBytes = Math.floor(limitMb * 1e6);
    const rows = Math.floor(limitBytes / 58);
    const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(rows, 1))) - 1);
    const rowsText = (Math.floor(rows / unit) * unit).toLocaleString('en-US');
    const limitText = mb(limitBytes);
    assert.ok(message.includes(`The files add up to ${totalMb} MB.`), message);
    assert.ok(message.includes(`up to ${limitText} MB (about ${rowsText} rows)`), message);
    assert.match(message, /command-line tool forlop/);
    // Nothing was read: no progress bar, no quality panel, no report.
    assert.equal(await page.$('#progress'), null);
    assert.equal(await page.$('#quality-files'), null);
    assert.equal(await page.evaluate(() => window.forlopReport), undefined);
    await page.screenshot({ path: path.join(ARTIFACTS, 'limit-refused.png') });
    // In Norwegian too.
    await page.click('#lang-switch');
    assert.match(await page.textContent('#error'), /Filene er til sammen [\d,]+ MB\. Nettleseren kan lese uttrekk på opptil/);

    // The page is usable: the same files under a limit above them are read and analysed.
    await page.goto(`${BASE}?lang=en&max_upload_mb=${Math.ceil(bytes / 1e6) + 1}`, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.setInputFiles('#file-input', files);
    const report = await waitForReport(page);
    assert.ok(report.rows > 0, 'a report came');
    assert.equal(await page.$('#error'), null);
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
