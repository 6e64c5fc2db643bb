// Mapping: a file whose required column has an unknown header is mapped on the mapping screen,
// read again, and then gives the CLI's numbers for the original files; the profile is saved as
// JSON in the engine's format and, loaded again in a fresh page, applies by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ROOT, ARTIFACTS, forlopIndicators, assertSameTable, downloadCsv, waitForReport, tmpdir, foreignRequests } from './lib.mjs';

test('map an unknown column, save the profile, reuse it', async () => {
  const src = path.join(ROOT, 'tests/fixtures/001-cohort-groups/input');
  const dir = tmpdir('forlop-map-');
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  const persons = fs.readFileSync(path.join(dir, 'persons.csv'), 'utf8').split('\n');
  assert.match(persons[0], /^pid,/);
  persons[0] = persons[0].replace(/^pid,/, 'lnr_x,');
  const renamed = path.join(dir, 'persons.csv');
  fs.writeFileSync(renamed, persons.join('\n'));
  const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  const expected = forlopIndicators(src, 2021, 5);

  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.selectOption('#demo-year', '2021');
    await page.setInputFiles('#file-input', files);
    await page.waitForSelector('#mapping select', { timeout: 60000 });
    await page.screenshot({ path: path.join(ARTIFACTS, '12-mapping.png'), fullPage: true });
    await page.selectOption('select#map-persons_csv-pid', 'lnr_x');
    await page.click('#mapping-apply');
    await waitForReport(page);
    assertSameTable((await downloadCsv(page)).text, expected, 'after mapping');

    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#mapping-save')]);
    const profilePath = path.join(dir, 'profile.json');
    fs.copyFileSync(await dl.path(), profilePath);
    assert.deepEqual(JSON.parse(fs.readFileSync(profilePath, 'utf8')),
      { columns: { persons: { lnr_x: 'pid' } }, values: {} });

    // A new visit: load the profile first, then the same files read without any question.
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.setInputFiles('#mapping-file', profilePath);
    await page.selectOption('#demo-year', '2021');
    await page.setInputFiles('#file-input', files.filter((f) => f.endsWith('.csv')));
    await waitForReport(page);
    assertSameTable((await downloadCsv(page)).text, expected, 'with the loaded profile');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
