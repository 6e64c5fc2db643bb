// Demo flow end to end: click demo → chart → table → the national count equals the CLI's for
// the same synthetic extract; the CSV export equals `forlop indicators` byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, foreignRequests, forlop, forlopIndicators, assertSameTable, downloadCsv, waitForReport, nbCount, tmpdir } from './lib.mjs';

const PERSONS = 1000, SEED = 2024, YEAR = 2024; // the app's demo seed (pages/start.rs DEMO_SEED)

test('demo data: chart, table, national number and CSV agree with the CLI', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.screenshot({ path: path.join(ARTIFACTS, '01-start.png'), fullPage: true });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    await page.waitForSelector('#chart-0 canvas', { timeout: 120000 });
    const firstChartMs = await page.evaluate(() => performance.now());
    console.log(`METRIC page load → first chart (demo ${PERSONS} persons): ${firstChartMs.toFixed(0)} ms`);
    const report = await waitForReport(page);
    assert.ok(report.rows > 0, 'the report has rows');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, '02-quality.png'), fullPage: true, clip: { x: 0, y: 0, width: 1100, height: 1600 } });
    await page.evaluate(() => document.querySelector('#results').scrollIntoView());
    await page.screenshot({ path: path.join(ARTIFACTS, '03-results-top.png') });
    await page.evaluate(() => document.querySelector('#indicator-1').scrollIntoView());
    await page.screenshot({ path: path.join(ARTIFACTS, '04-chart.png') });

    // The quality panel accounts for every demo file.
    const files = await page.$$eval('#quality-files tbody tr', (rows) => rows.length);
    assert.equal(files, 6, 'six demo files in the quality panel');

    // Reference: the CLI on the same extract.
    const dir = tmpdir('forlop-demo-');
    forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
    // The app computes every year of the extract (Y−1 and Y): the CLI with the same years.
    const cliCsv = forlopIndicators(dir, `${YEAR - 1}-${YEAR}`, 5);
    const { name, text } = await downloadCsv(page);
    assert.equal(name, `forlop_long_table_${YEAR}.csv`);
    assertSameTable(text, cliCsv, 'the exported long table vs `forlop indicators`');

    // The variation between areas (issue 13): byte for byte `forlop indicators --variation`.
    const varFile = path.join(tmpdir('forlop-variation-'), 'variation.csv');
    forlop(['indicators', '--data', dir, '--year', `${YEAR - 1}-${YEAR}`, '--min-cell', '5',
      '--out', path.join(path.dirname(varFile), 'long.csv'), '--variation', varFile]);
    const [vd] = await Promise.all([page.waitForEvent('download'), page.click('#export-variation')]);
    assert.equal(vd.suggestedFilename(), `forlop_variation_${YEAR}.csv`);
    const appVariation = fs.readFileSync(await vd.path(), 'utf8');
    assert.ok(appVariation.split('\n').length > 100, 'variation rows for every indicator, group and level');
    assertSameTable(appVariation, fs.readFileSync(varFile, 'utf8'), 'the variation export vs `forlop indicators --variation`');

    // XLSX: built in the worker, downloaded as a zip container with the same name pattern.
    const [xl] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    assert.equal(xl.suggestedFilename(), `forlop_long_table_${YEAR}.xlsx`);
    const xbytes = fs.readFileSync(await xl.path());
    assert.equal(xbytes.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(xbytes.length > 10000, `xlsx of ${xbytes.length} bytes`);

    // Chart exports: PNG from the canvas, SVG from a second render with the SVG renderer.
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#indicator-0 button.png')]);
    assert.equal(png.suggestedFilename(), `forlop_smi_patients_${YEAR}.png`);
    assert.equal(fs.readFileSync(await png.path()).subarray(1, 4).toString('latin1'), 'PNG');
    const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#indicator-0 button.svg')]);
    assert.equal(svg.suggestedFilename(), `forlop_smi_patients_${YEAR}.svg`);
    const svgText = fs.readFileSync(await svg.path(), 'utf8');
    assert.match(svgText, /<svg[\s\S]*Helse/, 'an SVG with the area names');

    // A known national number on screen: smi.patients, all, country.
    const row = cliCsv.split('\n').find((l) => l.startsWith(`smi.patients,all,country,NO,${YEAR},`));
    assert.ok(row, 'the CLI has the national patient count');
    const national = Number(row.split(',')[7]);
    await page.selectOption('#level', 'country');
    const card = page.locator('article[data-indicator="smi.patients"]');
    await card.locator('details.numbers summary').click();
    const cell = await card.locator('tbody tr').first().locator('td.value').textContent();
    assert.equal(cell, nbCount(national), `national smi.patients shown as ${nbCount(national)}`);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '05-table.png'), fullPage: false });

    // Municipality level: suppressed cells are marked, never drawn as bars.
    await page.selectOption('#level', 'municipality');
    await page.evaluate(() => document.querySelector('#indicator-2').scrollIntoView());
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, '05-municipality-suppressed.png') });

    // Area profile: one municipality beside its region and the country.
    await page.click('#profile summary');
    const firstArea = await page.$eval('#profile-area option:nth-child(2)', (o) => o.value);
    await page.selectOption('#profile-area', firstArea);
    const prof = await page.$$eval('#profile-table tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    assert.ok(prof.length > 20, `every indicator in the profile (${prof.length})`);
    const patients = prof.find((r) => r[0] === 'Pasienter');
    assert.ok(patients, 'the profile lists the patient count');
    assert.equal(patients[3], nbCount(national), 'the profile shows the national count');
    assert.notEqual(patients[2], '', 'and the region');
    await page.locator('#profile').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '05b-profile.png') });
    await page.click('#profile summary');
    await page.selectOption('#level', 'country');

    // English switch formats numbers the English way.
    await page.click('#lang-switch');
    const en = await card.locator('tbody tr').first().locator('td.value').textContent();
    assert.equal(en, national.toLocaleString('en-US'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    // k = 0: banner, and the export says NOT SUPPRESSED in its name and first line.
    await page.fill('#min-cell', '0');
    await page.press('#min-cell', 'Enter');
    await page.locator('#min-cell').blur();
    await page.waitForSelector('#unsuppressed', { timeout: 60000 });
    const un = await downloadCsv(page);
    assert.match(un.name, /^IKKE-PRIKKET_NOT-SUPPRESSED_/);
    assert.equal(un.text.split('\n')[0], '# IKKE PRIKKET / NOT SUPPRESSED');
    await page.screenshot({ path: path.join(ARTIFACTS, '06-unsuppressed-en.png'), fullPage: false });

    // Several groups split by substance use: up to five series, Okabe–Ito colours and decals.
    await page.selectOption('#level', 'region');
    await page.check('#group-schizophrenia');
    await page.check('#group-bipolar');
    await page.check('#split-on');
    // Charts are drawn one per browser task after a change: wait for #chart-2's new option.
    const series = await page.waitForFunction(() => {
      const n = echarts.getInstanceByDom(document.querySelector('#chart-2'))?.getOption().series.length;
      return n === 5 && n;
    }, null, { timeout: 10000 }).then((h) => h.jsonValue()).catch(() => page.evaluate(() =>
      echarts.getInstanceByDom(document.querySelector('#chart-2')).getOption().series.length));
    assert.equal(series, 5, 'three groups × two parts, capped at five series');
    await page.evaluate(() => document.querySelector('#indicator-2').scrollIntoView());
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, '06b-five-series.png') });

    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
    assert.deepEqual(log.csp, [], 'no CSP messages in the console');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
    fs.writeFileSync(path.join(ARTIFACTS, 'demo-requests.txt'), [...new Set(log.requests)].join('\n') + '\n');
  } finally {
    await browser.close();
  }
});
