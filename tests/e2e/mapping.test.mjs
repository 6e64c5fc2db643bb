// Mapping: a file whose column has an unknown header is mapped on the mapping screen (which offers
// every canonical column of the file's table), read again, and then gives the CLI's numbers for
// the file with the canonical header; the profile is saved as JSON in the engine's format and,
// loaded again in a fresh page, applies by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ROOT, ARTIFACTS, forlopIndicators, assertSameTable, downloadCsv, waitForReport, tmpdir, foreignRequests } from './lib.mjs';

/** A copy of a fixture's input with one header of one file renamed. */
function renamedCopy(fixture, file, from, to) {
  const src = path.join(ROOT, 'tests/fixtures', fixture, 'input');
  const dir = tmpdir('forlop-map-');
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
  const cols = lines[0].split(',');
  assert.ok(cols.includes(from), `${file} has a ${from} column`);
  lines[0] = cols.map((c) => (c === from ? to : c)).join(',');
  fs.writeFileSync(path.join(dir, file), lines.join('\n'));
  return { src, dir, files: fs.readdirSync(dir).sort().map((f) => path.join(dir, f)) };
}

async function openPage(page) {
  await page.goto(BASE, { waitUntil: 'load' });
  await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
  await page.selectOption('#demo-year', '2021');
}

/** Switches suppression off (k = 0) and waits for the new report. */
async function suppressionOff(page) {
  await page.evaluate(() => { window.forlopReport = undefined; });
  await page.fill('#min-cell', '0');
  await page.locator('#min-cell').blur();
  await page.waitForSelector('#unsuppressed', { timeout: 60000 });
  await waitForReport(page);
}

/** The app's CSV export without its "NOT SUPPRESSED" comment line (the CLI has none). */
async function exportedTable(page) {
  return (await downloadCsv(page)).text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
}

const line = (csv, prefix) => csv.split('\n').find((l) => l.startsWith(prefix));

test('map an unknown required column, save the profile, reuse it', async () => {
  const { src, dir, files } = renamedCopy('001-cohort-groups', 'persons.csv', 'pid', 'lnr_x');
  // The app computes every year of the data up to its latest complete one: 2020 and 2021.
  const expected = forlopIndicators(src, '2020-2021', 5);

  const { browser, page, log } = await launch();
  try {
    await openPage(page);
    await page.setInputFiles('#file-input', files);
    await page.waitForSelector('#mapping select', { timeout: 60000 });
    await page.screenshot({ path: path.join(ARTIFACTS, '12-mapping.png'), fullPage: true });
    assert.match(await page.textContent('#mapping .missing'), /pid/, 'the missing required column is named');
    // The unknown header is offered every persons column, the required one marked.
    const options = await page.$$eval('select#map-persons_csv-lnr_x option', (os) => os.map((o) => [o.value, o.textContent]));
    assert.deepEqual(options.slice(1), [['pid', 'pid *'], ['birth_year', 'birth_year'], ['age', 'age'],
      ['sex', 'sex'], ['municipality', 'municipality'], ['death_date', 'death_date']]);
    await page.selectOption('select#map-persons_csv-lnr_x', 'pid');
    await page.click('#mapping-apply');
    await waitForReport(page);
    assertSameTable((await downloadCsv(page)).text, expected, 'after mapping');

    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#mapping-save')]);
    const profilePath = path.join(dir, 'profile.json');
    fs.copyFileSync(await dl.path(), profilePath);
    assert.deepEqual(JSON.parse(fs.readFileSync(profilePath, 'utf8')),
      { columns: { persons: { lnr_x: 'pid' } }, values: {} });

    // A new visit: load the profile first, then the same files read without any question.
    await openPage(page);
    await page.setInputFiles('#mapping-file', profilePath);
    await page.setInputFiles('#file-input', files.filter((f) => f.endsWith('.csv')));
    await waitForReport(page);
    assertSameTable((await downloadCsv(page)).text, expected, 'with the loaded profile');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});

test('map an unknown optional column (hastegrad_kode → urgency) and see the number change', async () => {
  const { src, dir, files } = renamedCopy('003-stays-bed-days', 'episodes.csv', 'urgency', 'hastegrad_kode');
  // Fixture 003 has dates in 2019–2022; the app computes 2019–2021 (2022 is not complete).
  const canonical = forlopIndicators(src, '2019-2021', 0);
  const unmapped = forlopIndicators(dir, '2019-2021', 0);
  const probe = 'smi.admitted_acute,all,country,NO,2021,';
  // Fixture 003: 4 of the 11 admitted persons had an acute stay; without an urgency column no
  // stay is acute and the DOGN stays lacking urgency are rejected, leaving 0 of 3.
  // §6's nine columns (the interval columns follow them).
  const nine = (row) => row.split(',').slice(0, 9).join(',');
  assert.equal(nine(line(canonical, probe)), `${probe}4,11,36.36363636363637,false`);
  assert.equal(nine(line(unmapped, probe)), `${probe}0,3,0,false`);

  const { browser, page, log } = await launch();
  try {
    await openPage(page);
    await page.setInputFiles('#file-input', files);
    await waitForReport(page);
    // Without urgency the DOGN stays are rejected and the rows left end in September 2021: the
    // app takes 2020, the latest complete year, and says why; the analyst types 2021.
    assert.match(await page.textContent('#year-reason'), /2020 – .*09\.09\.2021/);
    await page.evaluate(() => { window.forlopReport = undefined; });
    await page.fill('#year', '2021');
    await page.locator('#year').blur();
    await waitForReport(page);
    await suppressionOff(page);
    const before = await exportedTable(page);
    // The CLI is asked for the years the app computed (2020, and 2021 asked for).
    const years = () => page.evaluate(() => window.forlopReport.years);
    assert.deepEqual(await years(), [2020, 2021]);
    assertSameTable(before, forlopIndicators(dir, await years(), 0), 'unknown optional column, unmapped');
    assert.equal(nine(line(before, probe)), `${probe}0,3,0,false`);

    // The optional column is offered for the unknown header although nothing required is missing.
    const sel = 'select#map-episodes_csv-hastegrad_kode';
    await page.waitForSelector(sel, { timeout: 60000 });
    assert.equal(await page.locator('#mapping .missing').count(), 0, 'no required column is missing');
    const values = await page.$$eval(`${sel} option`, (os) => os.map((o) => o.value));
    assert.ok(values.includes('urgency') && values.includes('admit_date') && values.includes('discharged_to'),
      `every episodes column is offered: ${values}`);
    await page.selectOption(sel, 'urgency');
    await page.evaluate(() => { window.forlopReport = undefined; });
    await page.click('#mapping-apply');
    await waitForReport(page);
    const after = await exportedTable(page);
    assert.equal(nine(line(after, probe)), `${probe}4,11,36.36363636363637,false`);
    assert.deepEqual(await years(), [2019, 2020, 2021]);
    assertSameTable(after, canonical, 'optional column mapped');
    await page.screenshot({ path: path.join(ARTIFACTS, '12b-mapping-optional.png'), fullPage: true });

    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#mapping-save')]);
    const profilePath = path.join(dir, 'profile.json');
    fs.copyFileSync(await dl.path(), profilePath);
    assert.deepEqual(JSON.parse(fs.readFileSync(profilePath, 'utf8')),
      { columns: { episodes: { hastegrad_kode: 'urgency' } }, values: {} });

    // Reloaded with the saved profile: the same numbers, and nothing left to map.
    await openPage(page);
    await page.setInputFiles('#mapping-file', profilePath);
    await page.setInputFiles('#file-input', files.filter((f) => f.endsWith('.csv')));
    await waitForReport(page);
    await suppressionOff(page);
    const reloaded = await exportedTable(page);
    assert.equal(nine(line(reloaded, probe)), `${probe}4,11,36.36363636363637,false`);
    assertSameTable(reloaded, canonical, 'optional column, loaded profile');
    assert.equal(await page.locator(sel).count(), 0, 'the mapped header is not asked about again');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
