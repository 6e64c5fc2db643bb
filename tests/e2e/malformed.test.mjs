// Issue 14 in the browser: the reader's findings reach the quality panel. An unclosed quote on
// line 466 of a synth extract's episodes.csv is shown with its file and line, only that row is
// lost (the app's long table equals `forlop indicators` on the same files, which recovers the
// same way), and one table in two files is refused by name, not counted twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, forlopIndicators, assertSameTable, downloadCsv, waitForReport, tmpdir } from './lib.mjs';

function filesIn(dir) {
  return fs.readdirSync(dir).filter((f) => /\.(csv|txt|xlsx)$/.test(f)).sort().map((f) => path.join(dir, f));
}

async function upload(page, dir) {
  await page.goto(BASE, { waitUntil: 'load' });
  await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
  await page.selectOption('#demo-year', '2021');
  await page.setInputFiles('#file-input', filesIn(dir));
  return waitForReport(page);
}

test('malformed: an unclosed quote shows in the quality panel at its line, and only its row is lost', async () => {
  const { browser, page, log } = await launch();
  try {
    const dir = tmpdir('forlop-quote-');
    forlop(['synth', '--out', dir, '--persons', '300', '--seed', '1', '--year', '2021']);
    // The defect of issue 14: sed -i '466s/,PAM,/,"PAM,/' episodes.csv
    const file = path.join(dir, 'episodes.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.ok(lines[465].includes(',PAM,'), lines[465]);
    lines[465] = lines[465].replace(',PAM,', ',"PAM,');
    fs.writeFileSync(file, lines.join('\n'));

    await upload(page, dir);
    const rows = await page.$$eval('#quality-files tbody tr', (trs) => trs.map((r) => r.textContent));
    const episodes = rows.find((r) => r.includes('episodes.csv'));
    assert.ok(episodes, `episodes.csv is listed: ${rows}`);
    const problems = await page.textContent('#quality-problems');
    assert.match(problems, /unclosed_quote/);
    const examples = await page.textContent('#quality-examples');
    assert.match(examples, /episodes\.csv:466 et anførselstegn åpnes her/, examples);
    await page.screenshot({ path: path.join(ARTIFACTS, 'malformed-unclosed-quote.png'), fullPage: true });

    const { text } = await downloadCsv(page);
    assertSameTable(text, forlopIndicators(dir, '2020-2021', 5), 'unclosed quote: app vs CLI');

    // One table in two files: refused by name in the panel, never added up.
    fs.copyFileSync(path.join(dir, 'persons.csv'), path.join(dir, 'personer.csv'));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(',"PAM,', ',PAM,'));
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.setInputFiles('#file-input', filesIn(dir));
    await page.waitForSelector('#quality-examples', { state: 'attached', timeout: 60000 });
    const twice = await page.textContent('#quality-examples');
    assert.match(twice, /to filer for tabellen persons \(persons\.csv, personer\.csv\)|to filer for tabellen persons \(personer\.csv, persons\.csv\)/, twice);

    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
