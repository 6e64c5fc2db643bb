// The patient-survey page (issue 9) on the demo survey, used from the keyboard: reached from the
// start page, the demo loaded, the frequency table of `tilfreds` by sector equal to what
// `forlop survey describe` prints on the same generated file, and the regression builder's odds
// ratios equal to `forlop survey regress` for the report's common model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, foreignRequests, tmpdir } from './lib.mjs';

const RESPONDENTS = 10000, SEED = 2023; // the app's demo survey (survey.rs DEMO_*)

/** Presses Tab until the focused element matches `selector`. */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Parses a CSV without quoted commas into rows of fields (header dropped). */
const rows = (csv) => csv.trim().split('\n').slice(1).map((l) => l.split(','));

/** Two numbers agree to 1e-9 relative (wasm's libm and the native one may differ in the last bit). */
function near(a, b, what) {
  if (a === b) return;
  const x = Number(a), y = Number(b);
  assert.ok(a !== '' && b !== '' && Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(y), 1e-300), `${what}: app ${a}, CLI ${b}`);
}

test('survey page on the demo: frequencies and odds ratios equal the CLI, by keyboard', async () => {
  const dir = tmpdir('forlop-survey-');
  forlop(['survey', 'synth', '--out', dir, '--respondents', String(RESPONDENTS), '--seed', String(SEED)]);
  const data = path.join(dir, 'survey_respondents.csv');
  const describe = forlop(['survey', 'describe', '--data', data, '--by', 'sektor', '--item', 'tilfreds']);
  const regress = forlop(['survey', 'regress', '--data', data, '--outcome', 'fornoyd_oppfolging', '--event', '2,3',
    '--model', 'logistic', '--covariates', 'common', '--by', 'sektor']);
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('#survey-link');
    // Keyboard only: to the survey page, then the demo.
    await tabTo(page, '#survey-link');
    await Promise.all([page.waitForURL(/page=survey/), page.keyboard.press('Enter')]);
    await page.waitForSelector('#survey-demo:not([disabled])', { timeout: 30000 });
    assert.equal(await page.textContent('#survey-heading'), 'The patient survey');
    await tabTo(page, '#survey-demo');
    let t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#survey-freq-table tbody tr', { timeout: 60000 });
    await page.waitForSelector('#survey-scale-table tbody tr');
    console.log(`demo survey (${RESPONDENTS}) generated, read and first tables shown: ${Date.now() - t0} ms`);

    // Sector sizes: 10 000 × (21 346, 3 199, 8 913) / 33 458 → 6 380 / 956 / 2 664.
    const sectors = await page.$$eval('#survey-sectors tbody tr', (trs) => trs.map((t) => t.textContent.replace(/[^A-Z0-9]/g, '')));
    assert.deepEqual(sectors, ['AVT2664', 'PHV6380', 'TSB956']);

    // The frequency table of tilfreds by sector = forlop survey describe (k = 5).
    const shown = await page.$$eval('#survey-freq-table tbody tr', (trs) => trs.map((t) => ({
      group: t.dataset.group, value: t.dataset.value,
      n: t.querySelector('.n').textContent, pct: t.querySelector('.pct').textContent,
    })));
    const cli = rows(describe);
    assert.equal(shown.length, cli.length, 'one row per CLI row');
    cli.forEach(([item, group, value, n, percent], i) => {
      const s = shown[i];
      assert.equal(item, 'tilfreds');
      assert.equal(`${s.group}|${s.value}`, `${group}|${value}`);
      assert.equal(s.n.replace(/,/g, ''), n === '' ? '–' : n, `${group} ${value} n`);
      if (percent === '') assert.equal(s.pct, '–');
      else assert.equal(Number(s.pct.replace('%', '')), Number(percent), `${group} ${value} %`);
    });
    assert.ok(shown.some((s) => /\d/.test(s.n)), 'numbers shown');
    // The chart: one stacked column per sector, each summing to 100 % of the valid answers.
    assert.ok(await page.locator('#survey-freq-chart svg rect').count() >= 15);
    // The CSV download is the CLI's file byte for byte.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#survey-freq-csv')]);
    assert.equal(fs.readFileSync(await dl.path(), 'utf8'), describe);
    await page.screenshot({ path: path.join(ARTIFACTS, '20-survey-frequencies.png'), fullPage: false });

    // STAR-P by sector: α shown for each sector.
    const alphas = await page.$$eval('#survey-scale-table tbody tr td:nth-child(5)', (tds) => tds.map((t) => t.textContent));
    assert.equal(alphas.length, 3);
    alphas.forEach((a) => assert.match(a, /^0\.\d{3}$/));

    // The regression builder starts on Table 7-1 (needing more follow-up, the common model, one
    // model per sector): run it from the keyboard.
    await tabTo(page, '#survey-run', 600); // past every covariate checkbox
    t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.survey-model-table tbody tr', { timeout: 60000 });
    console.log(`three logistic fits of the common model shown: ${Date.now() - t0} ms`);
    const cliFit = rows(regress);
    for (const group of ['AVT', 'PHV', 'TSB']) {
      const want = cliFit.find((r) => r[0] === group && r[1] === 'behandlerrelasjon');
      const got = await page.textContent(`.survey-model-table tr[data-group="${group}"][data-term="behandlerrelasjon"] .est`);
      assert.equal(got, Number(want[2]).toFixed(3), `${group} OR of behandlerrelasjon`);
      assert.ok(Number(want[2]) < 1, 'a good relationship, less need for more follow-up');
    }
    assert.equal(await page.locator('.survey-fit svg line').count() > 20, true, 'forest plots drawn');
    // The model CSV agrees with the CLI in every field (numbers to 1e-9 relative).
    const [mdl] = await Promise.all([page.waitForEvent('download'), page.click('#survey-model-csv')]);
    const app = rows(fs.readFileSync(await mdl.path(), 'utf8'));
    assert.equal(app.length, cliFit.length);
    app.forEach((r, i) => {
      const c = cliFit[i];
      assert.deepEqual([r[0], r[1], r[6], r[8]], [c[0], c[1], c[6], c[8]]);
      for (const j of [2, 3, 4, 5, 7]) if (r[j] !== '' || c[j] !== '') near(r[j], c[j], `${c[0]} ${c[1]} column ${j}`);
    });
    await page.locator('.survey-fit').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '21-survey-forest.png'), fullPage: false });

    // The response table from the demo's aggregates: Table 4-1 with the sector shares; the
    // response rates are the report's (the populations are scaled with the respondents):
    // PHV 6 380 / 26 129 = 24.42 %, 6 380 / 24 523 = 26.02 % (survey_response.test.mjs has the rest).
    assert.equal(await page.locator('#survey-rep-table-4-1 tbody tr').count(), 4);
    const phv = await page.$$eval('#survey-rep-table-4-1 tbody tr:nth-child(1) td', (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(phv.slice(0, 6), ['26,129', '24,523', '−1,606', '6,380', '24.42', '26.02']);

    // A file with bad rows: every row accounted for, the problems positioned, no crash.
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'sektor,tilfreds\nPHV,5\nXYZ,3\nPHV,9\nAVT,4\n');
    await page.setInputFiles('#survey-files', bad);
    await page.waitForFunction(() => /bad\.csv/.test(document.querySelector('#survey-rows')?.textContent || ''));
    assert.equal(await page.textContent('#survey-rows'), 'bad.csv: Rows read 4, used 2, rejected 2');
    const issues = await page.$$eval('#survey-issues li', (lis) => lis.map((l) => l.textContent));
    assert.equal(issues.length, 2);
    assert.match(issues[0], /^bad\.csv:3:1 \(sektor\): found «XYZ», expected PHV, TSB or AVT/);
    assert.match(issues[1], /^bad\.csv:4:2 \(tilfreds\): found «9», expected a code 1–5/);
    assert.equal(await page.locator('#survey-representativeness').count(), 0, 'no aggregates with this file');

    // A file without sektor and without tilfreds: the tables fall back to all respondents and
    // the file's first item. 6 × 4 and 5 × 2: 6/11 = 54.5 %, 5/11 = 45.45 → 45.5 % (half up).
    const plain = path.join(dir, 'plain.csv');
    fs.writeFileSync(plain, 'hjelper\n' + '4\n'.repeat(6) + '2\n'.repeat(5));
    await page.setInputFiles('#survey-files', plain);
    await page.waitForSelector('#survey-freq-table tr[data-group="all"][data-value="4"]');
    const pct = (v) => page.textContent(`#survey-freq-table tr[data-group="all"][data-value="${v}"] .pct`);
    assert.equal(await pct('4'), '54.5%');
    assert.equal(await pct('2'), '45.5%');
    assert.equal(await page.inputValue('#survey-item'), 'hjelper');

    // Bilingual: the same page in Norwegian.
    await page.click('#lang-switch');
    assert.equal(await page.textContent('#survey-heading'), 'Pasientundersøkelsen');
    assert.equal(await page.textContent('#survey-freq-table thead th'), 'Gruppe');
    assert.equal(await pct('4'), '54,5\u00a0%');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'nothing leaves the machine');
  } finally {
    await browser.close();
  }
});
