// The survey page's "Response and representativeness" section (issue 9, Tables 4-1 … 4-9): on
// the demo survey every shown number equals `forlop survey response --table …` on the same
// generated aggregates file, the CSV downloads are the CLI's bytes, and an aggregates file
// uploaded alone with a bad row is read with the row counted and positioned, `*` kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, foreignRequests, tmpdir } from './lib.mjs';

const RESPONDENTS = 10000, SEED = 2023; // the app's demo survey (survey.rs DEMO_*)
const TABLES = ['4-1', '4-2', '4-3', '4-4', '4-5', '4-6', 'alder', '4-7', '4-8', '4-9'];

/** A CSV's rows of fields (header dropped); fields may be quoted. */
function rows(csv) {
  return csv.trim().split('\n').slice(1).map((line) => {
    const out = []; let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) { if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c; }
      else if (c === '"') q = true; else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
    }
    out.push(cur);
    return out;
  });
}

/** The page's table `id` as [raw key cells …, shown cells …] per row. */
async function shownTable(page, id) {
  return page.$$eval(`#survey-rep-table-${id} tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => (
    c.tagName === 'TH' ? c.dataset.v : c.textContent))));
}

/** A shown cell against the CLI's: the same number (the page groups thousands with `,` and
 * writes the column's decimals), `*`, empty, or the flag in words. */
function sameCell(shown, cli, what) {
  if (cli === 'true' || cli === 'false') return assert.equal(shown, cli === 'true' ? 'Yes' : '', what);
  if (cli === '' || cli === '*' || Number.isNaN(Number(cli))) return assert.equal(shown, cli, what);
  assert.equal(Number(shown.replace(/,/g, '').replace('\u2212', '-')), Number(cli), what);
}

function compare(shown, cliCsv, id) {
  const cli = rows(cliCsv);
  assert.equal(shown.length, cli.length, `table ${id}: one row per CLI row`);
  cli.forEach((r, i) => r.forEach((v, j) => sameCell(shown[i][j], v, `table ${id} row ${i + 1} (${r[0]} ${r[1]}) column ${j + 1}`)));
  return cli.length;
}

test('response and representativeness tables equal the CLI on the demo and on an uploaded file', async () => {
  const dir = tmpdir('forlop-survey-response-');
  forlop(['survey', 'synth', '--out', dir, '--respondents', String(RESPONDENTS), '--seed', String(SEED)]);
  const agg = path.join(dir, 'survey_aggregates.csv');
  const cli = Object.fromEntries(TABLES.map((id) => [id, forlop(['survey', 'response', '--aggregates', agg, '--table', id])]));
  const cliAll = forlop(['survey', 'response', '--aggregates', agg, '--table', 'all']);
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?page=survey&lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('#survey-demo:not([disabled])', { timeout: 30000 });
    await page.click('#survey-demo');
    await page.waitForSelector('#survey-rep-table-4-1 tbody tr', { timeout: 60000 });
    assert.equal(await page.textContent('#survey-rep-heading'), 'Response and representativeness');
    const dataRows = fs.readFileSync(agg, 'utf8').trim().split('\n').length - 1;
    assert.equal(await page.textContent('#survey-rep-rows'), `survey_aggregates.csv: Rows read ${dataRows.toLocaleString('en')}, rejected 0`);

    // Every table of the demo, every cell, equals the CLI's.
    let cells = 0;
    for (const id of TABLES) {
      const shown = await shownTable(page, id);
      cells += compare(shown, cli[id], id) * rows(cli[id])[0].length;
    }
    assert.ok(cells > 1500, `${cells} cells compared`);

    // Numbers worked out by hand. Table 4-1, PHV: 6 380 / 26 129 = 24.42 %, / 24 523 = 26.02 %
    // (the report's populations scaled by 10 000 / 33 458, half up).
    const t41 = await shownTable(page, '4-1');
    assert.deepEqual(t41[0].slice(0, 7), ['PHV', '26,129', '24,523', '\u22121,606', '6,380', '24.42', '26.02']);
    // Table 4-5, PHV total population: Table 4-5's 87 164 × 10 000 / 33 458 = 26 052 split
    // 53 847 : 33 317 → 16 094 women = 61.8 %, the report's share.
    const t45 = await shownTable(page, '4-5');
    const phvTotal = t45.find((r) => r[0] === 'PHV' && r[1] === 'totalpop');
    assert.deepEqual(phvTotal.slice(2, 6), ['16,094', '9,958', '26,052', '61.8']);
    // Flagged rows are marked (|difference| > 1 point) and the marks agree with the CLI.
    const flaggedCli = rows(cli['4-2']).filter((r) => r[7] === 'true').length;
    assert.equal(await page.locator('#survey-rep-table-4-2 tbody tr.flagged').count(), flaggedCli);

    // Downloads: open a table as a person would, then its CSV is the CLI's file; and all
    // tables in one long CSV.
    await page.click('#survey-rep-4-2 summary');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#survey-rep-csv-4-2')]);
    assert.equal(fs.readFileSync(await dl.path(), 'utf8'), cli['4-2']);
    await page.click('#survey-rep-4-8 summary');
    const [dl8] = await Promise.all([page.waitForEvent('download'), page.click('#survey-rep-csv-4-8')]);
    assert.equal(fs.readFileSync(await dl8.path(), 'utf8'), cli['4-8']);
    const [all] = await Promise.all([page.waitForEvent('download'), page.click('#survey-rep-all-csv')]);
    assert.equal(fs.readFileSync(await all.path(), 'utf8'), cliAll);
    await page.locator('#survey-rep-4-8').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '22-survey-representativeness.png'), fullPage: false });

    // An aggregates file alone, with a bad row and suppressed cells: the tables update, the
    // row is counted and positioned, `*` stays `*` (not 0), and the CLI agrees.
    const own = path.join(dir, 'populasjon.csv');
    fs.writeFileSync(own, 'sektor;populasjon;inndeling;kategori;antall\n'
      + 'TSB;totalpop;helseforetak;Helse Bergen HF;1953\nTSB;utvalg;helseforetak;Helse Bergen HF;294\n'
      + 'TSB;totalpop;helseforetak;Crux TSB Stavanger;23\nTSB;utvalg;helseforetak;Crux TSB Stavanger;*\n'
      + 'TSB;totalpop;helseforetak;Total;17257\nTSB;utvalg;helseforetak;Total;3199\n'
      + 'TSB;utvalg;helseforetak;A-senteret;ca. 85\n');
    await page.setInputFiles('#survey-files', own);
    await page.waitForFunction(() => /populasjon\.csv/.test(document.querySelector('#survey-rep-rows')?.textContent || ''));
    assert.equal(await page.textContent('#survey-rep-rows'), 'populasjon.csv: Rows read 7, rejected 1');
    const issues = await page.$$eval('#survey-rep-issues li', (lis) => lis.map((l) => l.textContent));
    assert.equal(issues.length, 1);
    assert.match(issues[0], /^populasjon\.csv:8:5 \(antall\): found «ca\. 85», expected a whole number ≥ 0, or \* for a suppressed count$/);
    const t43 = await shownTable(page, '4-3');
    // Helse Bergen: 1 953 / 17 257 = 11.3 %, 294 / 3 199 = 9.2 %, −2.1 points, flagged.
    assert.deepEqual(t43[0], ['TSB', 'Helse Bergen HF', '1,953', '11.3', '294', '9.2', '\u22122.1', 'Yes']);
    assert.deepEqual(t43[1].slice(2, 6), ['23', '0.1', '*', '']);
    compare(t43, forlop(['survey', 'response', '--aggregates', own, '--table', '4-3']), '4-3 (upload)');
    assert.equal(await page.locator('#survey-rep-table-4-1').count(), 0, 'no Table 4-1 without sector totals');

    // Bilingual.
    await page.click('#lang-switch');
    assert.equal(await page.textContent('#survey-rep-heading'), 'Svar og representativitet');
    assert.equal(await page.textContent('#survey-rep-rows'), 'populasjon.csv: Rader lest 7, avvist 1');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'nothing leaves the machine');
  } finally {
    await browser.close();
  }
});
