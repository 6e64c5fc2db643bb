// Issue 13 on the page: a rate's chart carries 95 % whiskers and the national band, the areas
// whose interval lies wholly above or below the country's value are marked in words, the numbers
// table shows each interval and a line under the chart gives the variation between areas — all
// checked against `forlop indicators` (+ --variation) on the same synthetic extract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ROOT, ARTIFACTS, forlop, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 1000, SEED = 2024, YEAR = 2024; // the app's demo
const ID = 'smi.patients_per_1000';
const LEVEL = 'health_community'; // the demo has health communities above and below the country

/** CSV lines → objects by header (fields here hold no quoted commas: ids, region names, numbers). */
function table(text) {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/** Equal to the 8 significant digits the CSV writes its interval limits with. */
const same = (a, b) => Math.abs(a - Number(b)) <= 5e-8 * Math.abs(Number(b));

/** nb number text → number ("12,3" → 12.3, thin spaces dropped). */
const nb = (s) => Number(s.replace(/[\u202F\u00A0 ]/g, '').replace(',', '.').replace('−', '-'));

test('a rate per 1 000: whiskers, national band, above/below marks, CI column and variation line', async () => {
  const dir = tmpdir('forlop-ci-');
  forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
  const out = tmpdir('forlop-ci-out-');
  forlop(['indicators', '--data', dir, '--year', String(YEAR), '--out', path.join(out, 'long.csv'),
    '--variation', path.join(out, 'variation.csv')]);
  const rows = table(fs.readFileSync(path.join(out, 'long.csv'), 'utf8'))
    .filter((r) => r.indicator === ID && r.group === 'all');
  const country = rows.find((r) => r.level === 'country');
  const regions = rows.filter((r) => r.level === LEVEL);
  assert.ok(country.ci_low !== '' && regions.some((r) => r.ci_low !== ''), 'the CLI has intervals');
  const nat = Number(country.value);
  const side = (r) => (Number(r.ci_low) > nat ? 'above' : Number(r.ci_high) < nat ? 'below' : null);
  const expectedMarks = regions.filter((r) => r.ci_low !== '' && side(r)).map((r) => [r.area, side(r)]).sort();
  assert.ok(expectedMarks.length > 0, 'the demo has areas whose interval excludes the country');
  const variation = table(fs.readFileSync(path.join(out, 'variation.csv'), 'utf8'))
    .find((r) => r.indicator === ID && r.group === 'all' && r.level === LEVEL);

  const { browser, page } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    await waitForReport(page);
    await page.selectOption('#level', LEVEL);
    const card = page.locator(`article[data-indicator="${ID}"]`);
    await card.scrollIntoViewIfNeeded();
    const chartId = await card.locator('div.chart:not(.trend-chart)').getAttribute('id');
    // Wait for the region chart's option (drawn one chart per browser task).
    const opt = await page.waitForFunction((id) => {
      const o = echarts.getInstanceByDom(document.getElementById(id))?.getOption();
      return o && o.yAxis[0].data.length > 1 && o.series[0].markArea ? o : null;
    }, chartId, { timeout: 20000 }).then((h) => h.jsonValue());
    const s = opt.series[0];

    // The national band is the country's interval.
    const band = s.markArea.data[0];
    assert.ok(same(band[0].xAxis, country.ci_low), 'band from ci_low');
    assert.ok(same(band[1].xAxis, country.ci_high), 'band to ci_high');
    // One whisker per region with an interval, from its ci_low to its ci_high.
    const whiskers = s.markLine.data.filter((d) => Array.isArray(d));
    const withCi = regions.filter((r) => r.ci_low !== '');
    assert.equal(whiskers.length, withCi.length, 'a whisker per region with an interval');
    for (const r of withCi) {
      const w = whiskers.find((x) => x[0].coord[1] === r.area);
      assert.ok(w, `whisker of ${r.area}`);
      assert.ok(same(w[0].coord[0], r.ci_low) && same(w[1].coord[0], r.ci_high), r.area);
    }
    // The value axis reaches the highest upper limit, so no whisker is cut off (ECharts drops it).
    assert.ok(opt.xAxis[0].max >= Math.max(...withCi.map((r) => Number(r.ci_high))), 'axis covers every whisker');
    // Above/below: the same regions as the CLI's intervals say, with words, not colour alone.
    const marks = (s.markPoint?.data ?? []).filter((m) => m.versusCountry)
      .map((m) => [m.coord[1], m.label.formatter.startsWith('▲') ? 'above' : 'below']).sort();
    assert.deepEqual(marks, expectedMarks, 'marked areas');
    for (const m of (s.markPoint?.data ?? []).filter((m) => m.versusCountry)) {
      assert.match(m.label.formatter, /^(▲ over landet|▼ under landet)$/);
    }
    console.log(`METRIC health communities marked above/below the country: ${marks.length} of ${withCi.length}`);

    // The numbers table: each region's 95 % KI, rounded to one decimal as shown.
    await card.locator('details.numbers summary').click();
    const shown = await card.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
      [tr.querySelector('th').textContent, tr.querySelector('td.ci').textContent]));
    for (const r of regions) {
      const [, text] = shown.find(([a]) => a === r.area) ?? [];
      assert.notEqual(text, undefined, `row of ${r.area}`);
      if (r.ci_low === '') { assert.equal(text, '', `${r.area}: no interval`); continue; }
      const [lo, hi] = text.split(' – ').map(nb);
      assert.ok(Math.abs(lo - Number(r.ci_low)) <= 0.051 && Math.abs(hi - Number(r.ci_high)) <= 0.051, `${r.area}: ${text}`);
    }

    // The variation line under the chart: the CLI's number of regions and its extremal quotient.
    const line = await card.locator('p.variation').textContent();
    assert.match(line, /^Variasjon mellom områdene \(Helsefellesskap\)/);
    assert.ok(line.includes(`Alle: ${variation.areas} områder med minst 10 tilfeller`), line);
    if (variation.extremal_quotient !== '') {
      const eq = nb(line.match(/høyeste \/ laveste ([\d,]+)/)[1]);
      assert.ok(Math.abs(eq - Number(variation.extremal_quotient)) <= 0.006, line);
    }
    await page.waitForTimeout(300);
    await card.screenshot({ path: path.join(ARTIFACTS, 'ci-health-community-chart.png') });
  } finally {
    await browser.close();
  }
});

test('a population without sex: no standardised card, the note says why, the crude rate stands', async () => {
  // Fixture 002's population has age bands but no sex column.
  const dir = path.join(ROOT, 'tests/fixtures/002-population-rate/input');
  const { browser, page } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.selectOption('#demo-year', '2021');
    await page.setInputFiles('#file-input', fs.readdirSync(dir).sort().map((f) => path.join(dir, f)));
    await waitForReport(page);
    await page.waitForFunction(() => { const c = document.querySelector('#cards'); return c && c.dataset.total !== '0' && c.dataset.shown === c.dataset.total; });
    const cards = await page.$$eval('article.indicator', (as) => as.map((a) => a.dataset.indicator));
    assert.ok(cards.includes(ID), 'the crude rate has its card');
    assert.ok(!cards.includes(`${ID}_std`), 'no card for the standardised rate');
    assert.match(await page.locator('#summary').textContent(), /Befolkningstabellen mangler alder eller kjønn/);
  } finally {
    await browser.close();
  }
});
