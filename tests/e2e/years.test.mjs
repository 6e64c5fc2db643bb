// Years from the data (issue 12, point 1): a two-year extract uploaded without touching any
// setting shows its latest year and says why; the worker computed both years in one run, the
// CSV export holds one row per year (the CLI's `--year 2020-2021` byte for byte), the year
// selector swaps the cards, and each card's trend has one point per year equal to the CLI's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, forlopIndicators, assertSameTable, downloadCsv, waitForReport, tmpdir } from './lib.mjs';

/** The long table's rows as objects, keyed `indicator,group,level,area,year`. */
function rowsOf(csv) {
  const out = new Map();
  for (const l of csv.trim().split('\n').slice(1)) {
    const f = l.split(',');
    out.set(f.slice(0, 5).join(','), { numerator: f[5], denominator: f[6], value: f[7], suppressed: f[8] });
  }
  return out;
}

test('a 2-year extract: latest year shown without a setting, both years computed, trend = CLI', async () => {
  // forlop synth --year 2021 writes 2020 and 2021 (episodes, contacts, population of both).
  const dir = tmpdir('forlop-years-');
  forlop(['synth', '--out', dir, '--persons', '1000', '--seed', '5', '--year', '2021']);
  const cli = forlopIndicators(dir, '2020-2021', 5);
  const rows = rowsOf(cli);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(dir, f));
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    // No setting touched: the start form still says 2024.
    assert.equal(await page.inputValue('#demo-year'), '2024');
    await page.setInputFiles('#file-input', files);
    const report = await waitForReport(page);
    assert.equal(report.year, 2021, 'the latest complete year of the data');
    assert.deepEqual(report.years, [2020, 2021], 'both years computed in one run');
    const reason = await page.textContent('#year-reason');
    assert.match(reason, /2021 – det siste året med data for hele året og befolkning/, reason);
    // Some stays began in 2019; with no population rows for 2019 it is listed, not computed.
    assert.equal((await page.textContent('#years-present')).trim(), 'År i dataene: 2019, 2020, 2021. Beregnet for: 2020, 2021.');
    assert.deepEqual(await page.$$eval('#show-year option', (os) => os.map((o) => o.value)), ['2021', '2020']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'years-overview.png') });

    // The long table: one row per year, as the CLI writes it for both years.
    const { name, text } = await downloadCsv(page);
    assert.equal(name, 'forlop_long_table_2021.csv');
    assertSameTable(text, cli, 'two years: app export vs `forlop indicators --year 2020-2021`');
    assert.ok(rows.has('smi.patients,all,country,NO,2020') && rows.has('smi.patients,all,country,NO,2021'));

    // Key figures at the top are the shown year's: 2021.
    const keyCountry = () => page.$eval('#key-figures tr[data-indicator="smi.patients"] td:last-child', (td) => td.dataset.value);
    assert.equal(Number(await keyCountry()), Number(rows.get('smi.patients,all,country,NO,2021').value));

    // The trend of smi.patients: 2 points per area, equal to the CLI's rows for 2020 and 2021.
    const card = page.locator('article[data-indicator="smi.patients"]');
    await card.locator('details.trend summary').click();
    await card.locator('.trend-table tbody tr').first().waitFor();
    await card.locator('.trend-chart canvas').waitFor({ timeout: 30000 });
    const trend = await card.locator('.trend-table tbody tr').evaluateAll((trs) => trs.map((tr) =>
      [tr.querySelector('th').textContent, tr.className, [...tr.querySelectorAll('td')].map((td) => td.dataset.value)]));
    const headers = await card.locator('.trend-table thead th').allTextContents();
    assert.deepEqual(headers.slice(1), ['2020', '2021']);
    const [countryName, countryClass, countryValues] = trend[0];
    assert.equal(countryName, 'Landet');
    assert.match(countryClass, /country/);
    assert.equal(countryValues.length, 2);
    assert.deepEqual(countryValues.map(Number), [2020, 2021].map((y) => Number(rows.get(`smi.patients,all,country,NO,${y}`).value)));
    // Every region's line too (the default level), suppressed years as gaps.
    let regions = 0;
    for (const [area, , values] of trend.slice(1)) {
      [2020, 2021].forEach((y, i) => {
        const r = rows.get(`smi.patients,all,region,${area},${y}`);
        assert.ok(r, `the CLI has ${area} ${y}`);
        assert.equal(values[i] === '' ? '' : Number(values[i]), r.value === '' ? '' : Number(r.value), `${area} ${y}`);
      });
      regions++;
    }
    assert.ok(regions >= 2, `a line per region (${regions})`);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'years-trend.png') });

    // The year selector swaps the cards to 2020 without computing again.
    await page.selectOption('#show-year', '2020');
    await page.waitForFunction(() => document.querySelector('#year-reason').textContent.includes('2020'));
    assert.equal(Number(await keyCountry()), Number(rows.get('smi.patients,all,country,NO,2020').value));
    await page.selectOption('#level', 'country');
    await card.locator('details.numbers summary').click();
    const shown = await card.locator('details.numbers tbody tr td.value').first().textContent();
    assert.equal(shown.replace(/\D/g, ''), rows.get('smi.patients,all,country,NO,2020').value);
    // Exports now carry the year shown in their name; the content is both years still.
    const again = await downloadCsv(page);
    assert.equal(again.name, 'forlop_long_table_2020.csv');
    assertSameTable(again.text, cli, 'after switching to 2020');

    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
