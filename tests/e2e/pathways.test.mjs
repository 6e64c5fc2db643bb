// Pathways, flows and the care ladder on the demo (issue 7): the follow-up step chart has the six
// windows and the country's line carries the CLI's values (a gap, not 0, where suppressed), the
// kind and the group can be chosen, the flow Sankey has links and its table the CLI's counts with
// "–" where suppressed, and the care-ladder matrix has the CLI's transition counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 2000, SEED = 2024, YEAR = 2024; // the app's demo (pages/start.rs)
const WINDOWS = [3, 7, 14, 30, 90, 365];
const digits = (s) => s.replace(/[^0-9]/g, '');

/** The CLI's long table on the demo's data: `cli(id, group, level, area)` → its row's fields. */
function cliTable() {
  const dir = tmpdir('forlop-path-');
  forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forlop-cli-')), 'long.csv');
  forlop(['indicators', '--data', dir, '--year', String(YEAR), '--out', out]);
  const rows = new Map();
  for (const line of fs.readFileSync(out, 'utf8').split('\n').slice(1)) {
    const f = line.split(',');
    if (f.length >= 9) rows.set(`${f[0]}|${f[1]}|${f[2]}|${f[3]}`, f);
  }
  return (id, group = 'all', level = 'country', area = 'NO') => {
    const r = rows.get(`${id}|${group}|${level}|${area}`);
    assert.ok(r, `CLI row ${id} ${group} ${level} ${area}`);
    return { suppressed: r[8] === 'true', value: r[7] === '' ? null : Number(r[7]), numerator: r[5] };
  };
}

/** The option of the ECharts chart in `sel`, once drawn (charts are drawn one per task). */
async function chartOption(page, sel) {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    return el && window.echarts.getInstanceByDom(el);
  }, sel, { timeout: 30000 });
  return page.evaluate((s) => {
    const o = window.echarts.getInstanceByDom(document.querySelector(s)).getOption();
    return JSON.parse(JSON.stringify(o));
  }, sel);
}

const pointValue = (d) => (d !== null && typeof d === 'object' ? d.value : d);

/** Checks the follow-up table's country row and the chart's country line against the CLI. */
async function checkCurve(page, cli, kind, group) {
  const texts = await page.$$eval('#followup-table tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
  assert.equal(texts.length, 6, 'six windows in the table');
  // Wait for the chart of this choice (the caption names the kind), then read its country line.
  let option;
  for (let i = 0; i < 50; i++) {
    option = await chartOption(page, '#followup-chart');
    const want = WINDOWS.map((w) => cli(`path.${kind}_${w}`, group));
    const got = option.series[0].data.map(pointValue);
    if (want.every((c, j) => (c.suppressed ? got[j] === '-' : got[j] === c.value))) break;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(option.xAxis[0].data, WINDOWS.map((w) => `day ${w}`), 'x axis: the six windows');
  assert.equal(option.series[0].name, 'Country', 'the first line is the country');
  assert.ok(option.series[0].lineStyle.width > option.series[1].lineStyle.width, 'the country drawn strongest');
  assert.equal(option.series[0].step, 'start', 'a step chart, each share drawn over the interval leading to its day');
  WINDOWS.forEach((w, j) => {
    const c = cli(`path.${kind}_${w}`, group);
    const point = pointValue(option.series[0].data[j]);
    if (c.suppressed) {
      assert.equal(point, '-', `${kind}_${w}: suppressed is a gap, not 0`);
      assert.match(texts[j], /^–/, `${kind}_${w}: the table shows the mark`);
      assert.equal(digits(texts[j]), '', `${kind}_${w}: no number for a suppressed cell`);
    } else {
      assert.equal(point, c.value, `${kind}_${w}: the chart's point is the CLI's value`);
      assert.equal(texts[j], `${c.value.toFixed(1)}%`, `${kind}_${w}: the table shows the CLI's value`);
    }
  });
  return option;
}

test('pathways, flows and the care ladder on the demo agree with the CLI', async () => {
  const cli = cliTable();
  // Plausibility of the demo's numbers (the engine's, so also the CLI's): GP follow-up grows
  // with the window and is neither empty nor everyone; with the data ending with the analysis
  // year every 365-day window is censored, so that point is suppressed (0 discharges < k).
  const gp = WINDOWS.map((w) => cli(`path.gp_${w}`));
  assert.ok(gp.slice(0, 5).every((c) => !c.suppressed), 'GP follow-up shown for 3–90 days');
  assert.ok(gp[0].value > 0 && gp[0].value < gp[3].value && gp[3].value < gp[4].value && gp[4].value < 100,
    `GP follow-up grows with the window: ${gp.map((c) => c.value)}`);
  assert.ok(gp[5].suppressed && Number(cli('path.censored_365').numerator) > 0, '365 days: every window censored');

  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    await waitForReport(page);
    assert.equal(await page.locator('#followup').count(), 0, 'not under another module');

    // Follow-up curve: GP by default, group "all", regions + the country.
    await page.click('#module-path');
    await page.waitForSelector('#followup-table tbody tr');
    assert.equal(await page.inputValue('#followup-kind'), 'gp');
    const option = await checkCurve(page, cli, 'gp', 'all');
    assert.ok(option.series.length >= 2, 'a line per area beside the country');
    assert.match(await page.textContent('#followup-gaps'), /Country: day 365/, 'the gap is said in words');
    // The censored row: 365-day windows left out, as the CLI counts them.
    const censored = await page.$$eval('#followup-table tfoot td', (tds) => tds.map((t) => t.textContent));
    assert.equal(digits(censored[5]), cli('path.censored_365').numerator);
    await page.locator('#followup').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '12-followup-curve.png'), fullPage: false });

    // Another kind, then another group (the first chosen above).
    await page.selectOption('#followup-kind', 'outpatient');
    await checkCurve(page, cli, 'outpatient', 'all');
    await page.check('#group-ready');
    await page.uncheck('#group-all');
    await page.waitForFunction(() => /Ready for discharge/.test(document.querySelector('#followup-table caption').textContent));
    await checkCurve(page, cli, 'outpatient', 'ready');

    // Flows: referrer → inpatient stay → destination, group "all" again, the country.
    await page.click('#module-flow');
    await page.waitForSelector('#flow-table tbody tr', { state: 'attached' });
    const flows = await page.$$eval('#flow-table tbody tr', (trs) => trs.map((tr) => ({
      from: tr.dataset.from, to: tr.dataset.to, text: tr.querySelector('td.value').textContent })));
    // 5 referrers × inpatient + 7 destinations.
    assert.equal(flows.length, 12);
    let hidden = 0, drawn = 0;
    for (const f of flows) {
      const id = f.from.startsWith('ref:')
        ? `flow.${f.from.slice(4)}_to_${f.to.slice(4)}` : `flow.discharged_${f.to.slice(4)}`;
      const c = cli(id);
      if (c.suppressed) {
        hidden++;
        assert.match(f.text, /^–/, `${id}: the mark`);
        assert.equal(digits(f.text), '', `${id}: no number`);
      } else {
        if (c.value > 0) drawn++;
        assert.equal(digits(f.text), String(c.value), `${id}: the CLI's count`);
      }
    }
    assert.ok(hidden > 0, 'the demo has suppressed flows at country level');
    assert.match(await page.textContent('#flow-hidden'), new RegExp(`^${hidden} flows? (is|are) suppressed`));
    const sankey = await chartOption(page, '#flow-chart');
    assert.equal(sankey.series[0].type, 'sankey');
    assert.ok(drawn >= 5, `plausible flows: ${drawn} links`);
    assert.equal(sankey.series[0].links.length, drawn, 'a link per shown count above 0, none for a suppressed one');
    // With day treatment and outpatient contacts: 5 referrers × 3 levels + 7 destinations.
    await page.check('#flow-contacts');
    await page.waitForFunction(() => document.querySelectorAll('#flow-table tbody tr').length === 22);
    const outpatient = await page.$eval('#flow-table tr[data-from="ref:gp"][data-to="lvl:outpatient"] td.value', (td) => td.textContent);
    const gpOutpatient = cli('flow.gp_to_outpatient');
    assert.equal(gpOutpatient.suppressed ? '' : String(gpOutpatient.value), digits(outpatient));
    await page.uncheck('#flow-contacts');
    await page.locator('#flow-sankey').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '13-flow-sankey.png'), fullPage: false });

    // Care ladder: the matrix equals the CLI's counts, for the country and for a region.
    await page.click('#module-ladder');
    await page.waitForSelector('#ladder-matrix tbody tr');
    const checkMatrix = async (level, area) => {
      const cells = await page.$$eval('#ladder-matrix tbody td.value', (tds) => tds.map((td) => ({
        from: td.parentElement.dataset.level, to: td.dataset.to, text: td.textContent })));
      assert.equal(cells.length, 12, '4 × 4 levels less the diagonal');
      let shown = 0, marked = 0, positive = 0;
      for (const c of cells) {
        const want = cli(`ladder.${c.from}_to_${c.to}`, 'all', level, area);
        if (want.suppressed) {
          marked++;
          assert.match(c.text, /^–/);
          assert.equal(digits(c.text), '', `ladder.${c.from}_to_${c.to}: no number`);
        } else {
          shown++;
          if (want.value > 0) positive++;
          assert.equal(digits(c.text), String(want.value), `ladder.${c.from}_to_${c.to} ${area}`);
        }
      }
      return { shown, marked, positive };
    };
    const country = await checkMatrix('country', 'NO');
    assert.match(await page.textContent('#ladder-hidden'), new RegExp(`^${country.marked} cells? (is|are) suppressed`));
    assert.ok(country.shown >= 5 && country.marked >= 1, `plausible ladder: ${JSON.stringify(country)}`);
    assert.match(await page.textContent('#ladder-matrix caption'), new RegExp(cli('ladder.persons').numerator.replace(/\B(?=(\d{3})+(?!\d))/g, ',')));
    const ladderChart = await chartOption(page, '#ladder-chart');
    assert.equal(ladderChart.series[0].links.length, country.positive, 'a link per count above 0');
    const region = await page.$$eval('#ladder-area option', (os) => os.map((o) => [o.value, o.textContent]).find(([v]) => v !== ''));
    await page.selectOption('#ladder-area', region[0]);
    await page.waitForFunction((name) => document.querySelector('#ladder-matrix caption').textContent.includes(name), region[1]);
    await checkMatrix('region', region[1]);
    await page.locator('#care-ladder').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '14-care-ladder.png'), fullPage: false });
    // Bokmål: the same matrix, its words in Norwegian.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('#ladder-heading').textContent === 'Omsorgstrappen: overganger');
    assert.match(await page.textContent('#ladder-matrix caption'), /^Overganger i året/);
    assert.equal(await page.textContent('#ladder-matrix tbody tr:first-child th'), 'Hjemme uten tjenester');
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
