// The downloadable report (issue 12, point 5) on the demo: with suppression switched OFF on the
// screen (k = 0), "Download report" for the area of ?area= and two modules writes one HTML file
// that, opened with JavaScript disabled, holds exactly the long table's rows of `forlop
// indicators` with the default k = 5 for that area, its health community, region and the
// country (every field), the indicators' definitions, the settings (k = 5, year, area, date),
// the data-quality summary, inline SVG charts, and no script at all. It also prints to PDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { launch, BASE, ARTIFACTS, forlop, forlopIndicators, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 2000, SEED = 2024, YEAR = 2024; // the app's demo (pages/start.rs)
const AREA = '4601'; // crates/synth/src/geography.rs: in "Bjørgvin og Øyane", "Helse Vestfjære"
const CHAIN = [['municipality', AREA], ['health_community', 'Bjørgvin og Øyane'], ['region', 'Helse Vestfjære'], ['country', 'NO']];
const MODULES = ['smi', 'door'];

test('report: one HTML file without scripts, suppressed at k = 5 whatever the screen, equal to the CLI', async () => {
  const dir = tmpdir('forlop-report-');
  forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
  // The CLI with its default suppression (k = 5): the rows of the chosen modules and areas.
  // The report's cells carry §6's nine fields (the interval columns that follow are not in it).
  const cli = forlopIndicators(dir, YEAR, 5).trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 9))
    .filter(([id, , level, area]) => MODULES.includes(id.split('.')[0])
      && CHAIN.some(([l, a]) => l === level && a === area));
  assert.ok(cli.length > 100, `${cli.length} rows`);
  assert.ok(cli.some((r) => r[8] === 'true'), 'some of them suppressed at k = 5');

  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?lang=en&area=municipality:${AREA}`, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    await waitForReport(page);
    // Suppression off on the screen.
    await page.fill('#min-cell', '0');
    await page.dispatchEvent('#min-cell', 'change');
    await page.waitForFunction(() => window.forlopReport?.min_cell === 0, null, { timeout: 60000 });
    await page.waitForSelector('#unsuppressed');
    const pageDefinition = await page.$eval('#indicator-0', (a) => [a.dataset.indicator, a.querySelector('details.definition dd').textContent]);

    await page.click('#report-dialog > summary');
    assert.equal(await page.inputValue('#report-area'), `municipality:${AREA}`, 'the area of ?area=');
    const offered = await page.$$eval('#report-dialog input[type=checkbox]', (cs) => cs.map((c) => c.id.replace('report-module-', '')));
    assert.ok(offered.length >= 4 && MODULES.every((m) => offered.includes(m)), `${offered}`);
    for (const m of offered.filter((m) => !MODULES.includes(m))) await page.uncheck(`#report-module-${m}`);
    for (const m of MODULES) assert.ok(await page.isChecked(`#report-module-${m}`), m);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#report-download')]);
    const name = dl.suggestedFilename();
    assert.match(name, /^forlop_report_4601_2024\.html$/);
    assert.ok(!/IKKE-PRIKKET/.test(name), 'the report is never marked unsuppressed');
    const file = path.join(tmpdir('forlop-report-file-'), name);
    await dl.saveAs(file);
    const html = fs.readFileSync(file, 'utf8');
    fs.copyFileSync(file, path.join(ARTIFACTS, 'report.html'));
    assert.ok(!/<script/i.test(html), 'no <script>');
    assert.ok(!/\son[a-z]+=/i.test(html), 'no event-handler attributes');
    assert.deepEqual(log.errors, [], 'no page errors');

    // Read it as a person would: a fresh browser with JavaScript disabled.
    const reader = await chromium.launch({ executablePath: process.env.CHROME || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const ctx = await reader.newContext({ javaScriptEnabled: false });
      const doc = await ctx.newPage();
      const requests = [];
      doc.on('request', (r) => requests.push(r.url()));
      await doc.goto(`file://${file}`);
      assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'self-contained: nothing fetched');
      // Settings: k = 5 although the screen had 0; the year, the area and the date.
      assert.match(await doc.textContent('#min-cell'), /^k = 5\b/);
      assert.equal((await doc.textContent('#year')).trim(), String(YEAR));
      assert.equal(await doc.getAttribute('#area', 'data-area'), AREA);
      assert.match(await doc.textContent('#made'), /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      assert.match(await doc.textContent('#settings-json'), /"min_cell": 5/);
      // The long table's rows, every field, nothing more and nothing less.
      const rows = await doc.$$eval('td[data-indicator]', (trs) => trs.map((t) => [t.dataset.indicator, t.dataset.group,
        t.dataset.level, t.dataset.area, t.dataset.year, t.dataset.numerator, t.dataset.denominator, t.dataset.value,
        t.dataset.suppressed].join(',')));
      assert.deepEqual([...rows].sort(), cli.map((r) => r.join(',')).sort());
      // …and what is shown in the cells: a suppressed row has no numbers, a shown one its numerator.
      const cells = await doc.$$eval('td[data-indicator]', (tds) => tds.map((t) => ({
        suppressed: t.dataset.suppressed, num: t.dataset.numerator, den: t.dataset.denominator,
        value: t.querySelector('.v').textContent, n: t.querySelector('.n')?.textContent, d: t.querySelector('.d')?.textContent })));
      for (const c of cells) {
        if (c.suppressed === 'true') assert.ok(c.value.startsWith('–') && c.n === undefined, JSON.stringify(c));
        else if (c.num !== '') {
          assert.equal(c.n.replace(/[^0-9]/g, ''), c.num, JSON.stringify(c));
          if (c.den !== '') assert.equal(c.d.replace(/[^0-9]/g, ''), c.den, JSON.stringify(c));
        }
      }
      // One chart per indicator, inline SVG; the definitions as on the page.
      const articles = await doc.$$eval('article.indicator', (as) => as.map((a) => [a.dataset.indicator, !!a.querySelector('svg rect'), a.querySelector('dl.definition dd').textContent]));
      const ids = [...new Set(cli.map((r) => r[0]))].sort();
      assert.deepEqual(articles.map((a) => a[0]).sort(), ids);
      assert.ok(articles.every((a) => a[1] && a[2].length > 20), 'a chart and a definition each');
      assert.equal(articles.find((a) => a[0] === pageDefinition[0])[2], pageDefinition[1]);
      // The data-quality summary: the demo's files with their rows.
      const files = await doc.$$eval('#quality tbody tr th', (ths) => ths.map((t) => t.textContent));
      for (const f of ['persons.csv', 'episodes.csv', 'population.csv']) assert.ok(files.includes(f), `${f} in ${files}`);
      // Modules not chosen are not in it.
      assert.deepEqual(await doc.$$eval('section[data-module]', (ss) => ss.map((s) => s.dataset.module)), MODULES);
      await doc.screenshot({ path: path.join(ARTIFACTS, '14-report.png') });
      const pdf = await doc.pdf({ format: 'A4' });
      assert.ok(pdf.length > 10000, 'prints to PDF');
      fs.writeFileSync(path.join(ARTIFACTS, 'report.pdf'), pdf);
    } finally {
      await reader.close();
    }
  } finally {
    await browser.close();
  }
});
