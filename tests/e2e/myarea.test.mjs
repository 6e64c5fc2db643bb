// "My area" (issue 12, point 2): chosen once, kept in the URL as ?area=<level>:<area> (never in
// storage), marked in every bar chart by a text label (not colour alone), and an area report with
// every indicator for it beside its health community, region and the country, equal to the CLI's
// long table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, forlopIndicators, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 2000, SEED = 2024, YEAR = 2024; // the app's demo (pages/start.rs)

test('my area from the URL: highlighted in the charts, its area report equals the long table', async () => {
  const dir = tmpdir('forlop-myarea-');
  forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
  const [, first] = fs.readFileSync(path.join(dir, 'areas.csv'), 'utf8').trim().split('\n');
  const [code, , hc, region] = first.split(',');
  const cli = new Map(forlopIndicators(dir, `${YEAR - 1}-${YEAR}`, 5).trim().split('\n').slice(1)
    .map((l) => l.split(',')).map((f) => [f.slice(0, 5).join(','), f[7]]));
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?demo=1&area=municipality:${code}`, { waitUntil: 'load' });
    await waitForReport(page);
    assert.equal(await page.inputValue('#my-area'), `municipality:${code}`, 'the chooser shows the area of the URL');

    // Every bar chart marks it: at municipality level the area itself, above it the area holding it.
    await page.selectOption('#level', 'municipality');
    const chart = page.locator('#chart-0');
    await page.waitForFunction(() => document.querySelector('#chart-0')?.dataset.myArea);
    assert.match(await chart.getAttribute('data-my-area'), new RegExp(`^${code} `));
    // The marker is text on the axis: ECharts' own description of the chart reads it out.
    await page.waitForSelector('#chart-0 canvas');
    assert.match(await chart.getAttribute('aria-label'), new RegExp(`${code} [^,]*◀ mitt område`));
    const card = page.locator('#indicator-0');
    await card.locator('details.numbers summary').click();
    const mine = card.locator('details.numbers tbody tr.mine');
    assert.equal(await mine.count(), 1, 'one row is my area');
    assert.match(await mine.locator('th').textContent(), new RegExp(`^${code} .*◀ mitt område$`));
    await chart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'myarea-municipality.png') });
    await page.selectOption('#level', 'health_community');
    await page.waitForFunction((hc) => document.querySelector('#chart-0')?.dataset.myArea === hc, hc);
    assert.match(await card.locator('details.numbers tbody tr.mine th').textContent(), /◀ her ligger mitt område$/);

    // The area report: smi.patients for the municipality, its health community, region, country.
    const row = page.locator('#area-report table[data-module="smi"] tr[data-indicator="smi.patients"] td');
    const values = await row.evaluateAll((tds) => tds.map((td) => td.dataset.value));
    const levels = await page.$$eval('#area-report table[data-module="smi"] thead th[data-level]', (ths) => ths.map((t) => t.dataset.level));
    assert.deepEqual(levels, ['municipality', 'health_community', 'region', 'country']);
    const expected = [['municipality', code], ['health_community', hc], ['region', region], ['country', 'NO']]
      .map(([l, a]) => cli.get(`smi.patients,all,${l},${a},${YEAR}`));
    assert.ok(expected.every((v) => v !== undefined), `the CLI has every row: ${expected}`);
    assert.deepEqual(values.map((v) => (v === '' ? '' : Number(v))), expected.map((v) => (v === '' ? '' : Number(v))));
    // Every indicator of every computed module is in the report.
    const reported = await page.$$eval('#area-report tbody tr', (trs) => trs.length);
    const computed = new Set([...cli.keys()].map((k) => k.split(',')[0]));
    assert.equal(reported, computed.size, 'one row per indicator');
    await page.locator('#area-report').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'myarea-report.png') });

    // Choosing another area writes the URL, not storage; a reload keeps it.
    await page.selectOption('#my-area', `health_community:${hc}`);
    assert.equal(new URL(page.url()).searchParams.get('area'), `health_community:${hc}`);
    assert.equal(new URL(page.url()).searchParams.get('demo'), '1', 'other parameters kept');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes(hc), `nothing about the area in storage: ${stored}`);
    await page.reload({ waitUntil: 'load' });
    await waitForReport(page);
    assert.equal(await page.inputValue('#my-area'), `health_community:${hc}`);
    assert.match(await page.textContent('#area-report-heading'), new RegExp(hc));

    // An area that is not in the data is said so, not silently ignored.
    await page.goto(`${BASE}?demo=1&area=municipality:9999`, { waitUntil: 'load' });
    await waitForReport(page);
    assert.match(await page.textContent('#my-area-missing'), /finnes ikke i dataene: Kommune 9999/);

    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
