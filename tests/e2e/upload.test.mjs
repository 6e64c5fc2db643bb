// Uploading files: a clean canonical fixture, a `;` + Windows-1252 Norwegian extract, and a
// malformed file. The app's long table must equal `forlop indicators` for the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { csvToXlsx } from './xlsx.mjs';
import { launch, BASE, ROOT, ARTIFACTS, foreignRequests, forlop, forlopIndicators, assertSameTable, downloadCsv, waitForReport, tmpdir } from './lib.mjs';

function filesIn(dir) {
  return fs.readdirSync(dir).filter((f) => /\.(csv|xlsx)$/.test(f)).sort().map((f) => path.join(dir, f));
}

async function uploadAndCompare(page, dir, year, label) {
  await page.goto(BASE, { waitUntil: 'load' });
  await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
  await page.selectOption('#demo-year', String(year)); // the analysis year shared with the demo form
  await page.setInputFiles('#file-input', filesIn(dir));
  const report = await waitForReport(page);
  assert.equal(report.year, year);
  const cli = forlopIndicators(dir, report.years, 5); // every year the app computed
  const { text } = await downloadCsv(page);
  assertSameTable(text, cli, `${label}: the app's long table vs \`forlop indicators\``);
  return report;
}

test('upload: canonical fixture, a ;+Windows-1252 extract and .xlsx files agree with the CLI; malformed file is explained', async () => {
  const { browser, page, log } = await launch();
  try {
    // 1. A hand-made fixture (canonical CSV).
    const fixture = path.join(ROOT, 'tests/fixtures/001-cohort-groups/input');
    await uploadAndCompare(page, fixture, 2021, 'fixture 001');
    const kinds = await page.$$eval('#quality-files tbody tr', (rows) =>
      rows.map((r) => [r.querySelector('th').textContent, r.querySelector('select').value]));
    assert.deepEqual(Object.fromEntries(kinds), { 'areas.csv': 'areas', 'episodes.csv': 'episodes', 'persons.csv': 'persons' });
    await page.screenshot({ path: path.join(ARTIFACTS, '07-upload-fixture.png'), fullPage: false });

    // 2. A Norwegian register export: `;`, Windows-1252, DD.MM.YYYY, NPR codes.
    const nor = tmpdir('forlop-nor-');
    forlop(['synth', '--out', nor, '--persons', '400', '--seed', '7', '--year', '2023', '--format', 'norwegian']);
    const raw = fs.readFileSync(filesIn(nor).find((f) => f.endsWith('persons.csv')));
    assert.ok(raw.includes(Buffer.from(';')), 'the Norwegian extract is ;-separated');
    await uploadAndCompare(page, nor, 2023, 'norwegian ;+cp1252');
    await page.screenshot({ path: path.join(ARTIFACTS, '08-upload-norwegian.png'), fullPage: false });

    // 3. Excel: persons and episodes as .xlsx (inline strings and numbers), areas as CSV.
    const xdir = tmpdir('forlop-xlsx-');
    for (const f of ['persons', 'episodes']) {
      fs.writeFileSync(path.join(xdir, `${f}.xlsx`), csvToXlsx(fs.readFileSync(path.join(fixture, `${f}.csv`), 'utf8')));
    }
    fs.copyFileSync(path.join(fixture, 'areas.csv'), path.join(xdir, 'areas.csv'));
    await uploadAndCompare(page, xdir, 2021, 'xlsx');
    // …and the numbers are those of the CSV originals.
    assertSameTable(forlopIndicators(xdir, 2021, 5), forlopIndicators(fixture, 2021, 5), 'xlsx vs csv (CLI)');

    // 4. A malformed file: a readable message naming the file and a line, never a blank page.
    const bad = tmpdir('forlop-bad-');
    const badFile = path.join(bad, 'personer.csv');
    fs.writeFileSync(badFile, Buffer.from('pid;fodselsar;kjonn\n"p1;19\x0080;K\np2;abc\n'));
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.setInputFiles('#file-input', [badFile]);
    await page.waitForSelector('#error', { timeout: 60000 });
    const message = await page.textContent('#error');
    assert.match(message, /personer\.csv:\d+/, `the message names the file and line: ${message}`);
    const examples = await page.textContent('#quality');
    assert.match(examples, /personer\.csv:\d+/);
    await page.screenshot({ path: path.join(ARTIFACTS, '09-malformed.png'), fullPage: true });

    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
