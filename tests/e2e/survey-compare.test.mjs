// The survey page's group comparisons and settings (issue 9) on the demo survey: the t test,
// the one-way ANOVA and the item means shown and downloaded equal `forlop survey ttest|anova|
// scale --items` on the same generated file, and the settings panel changes the numbers exactly
// as the CLI's derive flags do. Driven from the keyboard and by clicks, as a person would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, foreignRequests, tmpdir } from './lib.mjs';

const RESPONDENTS = 10000, SEED = 2023; // the app's demo survey (survey.rs DEMO_*)

async function tabTo(page, selector, max = 200) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** CSV lines without quoted commas into rows of fields (header dropped). */
const rows = (csv) => csv.trim().split('\n').slice(1).map((l) => l.split(','));
/** A shown number as JS reads it: no thousands separators, a real minus. */
const shownNumber = (s) => s.replace(/,/g, '').replace('\u2212', '-');
/** What the page shows for a CLI number with `d` decimals. */
const fixed = (x, d) => (x === '' ? '–' : Number(x).toFixed(d).replace(/^-(0\.0+)$/, '$1'));
const pShown = (p) => (p === '' ? '–' : Number(p) < 0.001 ? '<0.001' : Number(p).toFixed(3));

/** Two CSVs agree: same lines and text fields, numbers to 1e-9 relative (wasm's libm and the
 *  native one may differ in the last bit of a p-value). */
function sameCsv(app, cli, what) {
  const a = app.split('\n'), c = cli.split('\n');
  assert.equal(a.length, c.length, `${what}: line count`);
  assert.equal(a[0], c[0], `${what}: header`);
  a.forEach((line, i) => {
    const x = line.split(','), y = c[i].split(',');
    assert.equal(x.length, y.length, `${what} line ${i}`);
    x.forEach((f, j) => {
      if (f === y[j]) return;
      const u = Number(f), v = Number(y[j]);
      assert.ok(f !== '' && y[j] !== '' && Number.isFinite(u) && Math.abs(u - v) <= 1e-9 * Math.max(Math.abs(v), 1e-300),
        `${what} line ${i} field ${j}: app ${f}, CLI ${y[j]}`);
    });
  });
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return fs.readFileSync(await dl.path(), 'utf8');
}

test('survey page: t test, ANOVA, item means and settings equal the CLI', async () => {
  const dir = tmpdir('forlop-survey-cmp-');
  forlop(['survey', 'synth', '--out', dir, '--respondents', String(RESPONDENTS), '--seed', String(SEED)]);
  const data = path.join(dir, 'survey_respondents.csv');
  const cli = (...args) => forlop(['survey', ...args, '--data', data]);
  const ttest = cli('ttest', '--var', 'tj_fastlege', '--between', 'alvorlig_langvarig', '--levels', '1,0', '--by', 'sektor');
  const ttestTilfreds = cli('ttest', '--var', 'tilfreds', '--between', 'kvinne', '--levels', '1,0', '--welch');
  const anova = cli('anova', '--var', 'coc01_tilgang', '--between', 'sektor');
  const items = cli('scale', '--scale', 'star-p', '--by', 'sektor', '--items');
  const ageDefault = cli('describe', '--item', 'aldersgruppe', '--by', 'sektor');
  const ageReported = cli('describe', '--item', 'aldersgruppe', '--by', 'sektor', '--age-source', 'self-report');
  const starDefault = cli('scale', '--scale', 'star-p', '--by', 'sektor');
  const starMin12 = cli('scale', '--scale', 'star-p', '--by', 'sektor', '--star-min-items', '12');
  assert.notEqual(ageDefault, ageReported, 'the age source changes the age groups of the demo');

  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?page=survey&lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('#survey-demo:not([disabled])', { timeout: 30000 });
    await tabTo(page, '#survey-demo');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#survey-scale-table tbody tr', { timeout: 60000 });
    await page.waitForSelector('#survey-settings');
    assert.equal(await page.textContent('#survey-settings-flags'), '(defaults)');

    // t test with the report's defaults (a service between severe-and-long-lasting = 1 and
    // mild/moderate-and-short = 0, per sector), run from the keyboard.
    assert.equal(await page.inputValue('#survey-ttest-var'), 'tj_fastlege');
    assert.equal(await page.inputValue('#survey-ttest-a'), '1');
    assert.equal(await page.inputValue('#survey-ttest-b'), '0');
    await tabTo(page, '#survey-ttest-run');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#survey-ttest-table tbody tr');
    const cliT = rows(ttest);
    assert.equal(await page.locator('#survey-ttest-table tbody tr').count(), cliT.length);
    for (const r of cliT) {
      const [group, , , , na, nb, ma, mb, diff, t, df, p] = r;
      const cell = (c) => page.textContent(`#survey-ttest-table tr[data-group="${group}"] .${c}`);
      assert.equal(shownNumber(await cell('n-a')), na === '' ? '–' : na, `${group} n A`);
      assert.equal(shownNumber(await cell('n-b')), nb === '' ? '–' : nb, `${group} n B`);
      assert.equal(shownNumber(await cell('mean-a')), fixed(ma, 3), `${group} mean A`);
      assert.equal(shownNumber(await cell('mean-b')), fixed(mb, 3), `${group} mean B`);
      assert.equal(shownNumber(await cell('diff')), fixed(diff, 3), `${group} difference`);
      assert.equal(shownNumber(await cell('t')), fixed(t, 3), `${group} t`);
      assert.equal(shownNumber(await cell('df')), df === '' ? '–' : df, `${group} df (Student: n A + n B − 2)`);
      assert.equal(await cell('p'), pShown(p), `${group} p`);
      // Student's df by hand.
      if (na !== '') assert.equal(Number(df), Number(na) + Number(nb) - 2);
    }
    sameCsv(await download(page, '#survey-ttest-csv'), ttest, 'ttest CSV');

    // Another t test chosen by clicks: satisfaction, women (1) vs men (0), Welch, all together.
    await page.selectOption('#survey-ttest-var', 'tilfreds');
    await page.selectOption('#survey-ttest-between', 'kvinne');
    await page.selectOption('#survey-ttest-a', '1');
    await page.selectOption('#survey-ttest-b', '0');
    await page.selectOption('#survey-ttest-by', '');
    await page.check('#survey-ttest-welch');
    await page.click('#survey-ttest-run');
    await page.waitForSelector('#survey-ttest-table tr[data-group="all"]');
    const [all] = rows(ttestTilfreds);
    assert.equal(shownNumber(await page.textContent('#survey-ttest-table tr[data-group="all"] .t')), fixed(all[9], 3));
    assert.equal(shownNumber(await page.textContent('#survey-ttest-table tr[data-group="all"] .df')), Number(all[10]).toFixed(1), 'Welch df, one decimal');
    sameCsv(await download(page, '#survey-ttest-csv'), ttestTilfreds, 'Welch ttest CSV');

    // ANOVA of CONTINU-UM item 1 across the sectors (§4.4), defaults, by click.
    assert.equal(await page.inputValue('#survey-anova-var'), 'coc01_tilgang');
    await page.click('#survey-anova-run');
    await page.waitForSelector('#survey-anova-table tbody tr');
    const cliA = rows(anova);
    assert.equal(cliA.length, 3, 'three sectors');
    for (const [group, , level, n, mean, f, dfb, dfw, p] of cliA) {
      const cell = (c) => page.textContent(`#survey-anova-table tr[data-group="${group}"][data-level="${level}"] .${c}`);
      assert.equal(shownNumber(await cell('n')), n, `${level} n`);
      assert.equal(await cell('mean'), fixed(mean, 3), `${level} mean`);
      assert.equal(shownNumber(await cell('f')), fixed(f, 3), 'F');
      assert.equal(shownNumber(await cell('df')), `${dfb} ${dfw}`, 'df (between, within)');
      assert.equal(await cell('p'), pShown(p), 'p');
      // df by hand: 3 sectors − 1 = 2; N − 3 with N the answered.
      assert.equal(Number(dfb), 2);
    }
    const answered = cliA.reduce((s, r) => s + Number(r[3]), 0);
    assert.equal(Number(cliA[0][7]), answered - 3);
    sameCsv(await download(page, '#survey-anova-csv'), anova, 'anova CSV');

    // Item means of STAR-P by sector (the scale shown at load): 12 items × 3 sectors.
    const cliI = rows(items);
    assert.equal(cliI.length, 36);
    assert.equal(await page.locator('#survey-items-table tbody tr').count(), 36);
    for (const [group, item, n, mean, sd] of cliI) {
      const cell = (c) => page.textContent(`#survey-items-table tr[data-group="${group}"][data-item="${item}"] .${c}`);
      assert.equal(shownNumber(await cell('n')), n === '' ? '–' : n);
      assert.equal(await cell('mean'), fixed(mean, 3), `${group} ${item} mean`);
      assert.equal(await cell('sd'), fixed(sd, 3), `${group} ${item} sd`);
    }
    sameCsv(await download(page, '#survey-items-csv'), items, 'item means CSV');
    await page.locator('#survey-items-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '22-survey-item-means.png'), fullPage: false });

    // Settings. The frequency table of the age groups by sector equals the CLI's default…
    await page.selectOption('#survey-item', 'aldersgruppe');
    await page.waitForSelector('#survey-freq-table tr[data-value="18-24"]');
    assert.equal(await download(page, '#survey-freq-csv'), ageDefault);
    // …and, age from the self-reported birth year chosen from the keyboard, the CLI's
    // --age-source self-report (the demo's birth years make some respondents a year older).
    await page.focus('#survey-set-sex');
    await tabTo(page, '#survey-set-age');
    const t0 = Date.now();
    await page.keyboard.press('ArrowDown'); // register → self-reported birth year (change fires)
    await page.waitForFunction(() => document.querySelector('#survey-settings-flags')?.textContent === '--age-source self-report');
    const freqFor = async (want) => {
      for (let i = 0; i < 100; i++) {
        const got = await download(page, '#survey-freq-csv');
        if (got === want) return got;
        await page.waitForTimeout(100);
      }
      return download(page, '#survey-freq-csv');
    };
    assert.equal(await freqFor(ageReported), ageReported, 'frequencies = describe --age-source self-report');
    console.log(`settings changed, ${RESPONDENTS} respondents derived again and the tables recomputed: ${Date.now() - t0} ms`);
    // The ANOVA shown is recomputed too (the same numbers: the age source does not touch it).
    await page.waitForSelector('#survey-anova-table tbody tr');
    // STAR-P needing all 12 items: the scale's n per sector as `scale --star-min-items 12`.
    await page.fill('#survey-set-star-min', '12');
    await page.press('#survey-set-star-min', 'Enter');
    await page.locator('#survey-set-star-min').blur();
    await page.waitForFunction(() => /--star-min-items 12/.test(document.querySelector('#survey-settings-flags')?.textContent || ''));
    const scaleWant = rows(starMin12);
    await page.waitForFunction((n) => {
      const td = document.querySelector('#survey-scale-table tbody tr td');
      return td && td.textContent.replace(/,/g, '') === n;
    }, scaleWant[0][1], { timeout: 30000 });
    const shownN = await page.$$eval('#survey-scale-table tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent.replace(/,/g, '')));
    assert.deepEqual(shownN, scaleWant.map((r) => r[1]), 'STAR-P n = scale --star-min-items 12');
    // Fewer scores than with one item enough (the demo has skipped items).
    rows(starDefault).forEach((r, i) => assert.ok(Number(scaleWant[i][1]) < Number(r[1]), `${r[0]}: fewer complete STAR-P`));
    assert.equal(await download(page, '#survey-scale-csv'), starMin12, 'scale CSV = the CLI with the flag');
    await page.locator('#survey-settings').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '23-survey-settings.png'), fullPage: false });

    // Back to the defaults by keyboard: the flags say so and the table is the default one.
    await page.focus('#survey-set-sex');
    await tabTo(page, '#survey-set-age');
    await page.keyboard.press('ArrowUp');
    await page.fill('#survey-set-star-min', '1');
    await page.press('#survey-set-star-min', 'Enter');
    await page.locator('#survey-set-star-min').blur();
    await page.waitForFunction(() => document.querySelector('#survey-settings-flags')?.textContent === '(defaults)');
    assert.equal(await freqFor(ageDefault), ageDefault);

    // Norwegian labels.
    await page.click('#lang-switch');
    assert.equal(await page.textContent('#survey-settings-heading'), 'Innstillinger');
    assert.equal(await page.textContent('#survey-compare-heading'), 'Sammenligne grupper');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'nothing leaves the machine');
  } finally {
    await browser.close();
  }
});
