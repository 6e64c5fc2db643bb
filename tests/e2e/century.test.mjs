// Century rule: DD.MM.YY dates are rejected (ambiguous_century) until the user confirms a rule on
// the quality panel; then the rows are used and the numbers equal the CLI's with --century-pivot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ROOT, ARTIFACTS, forlop, forlopIndicators, assertSameTable, downloadCsv, waitForReport, tmpdir, foreignRequests } from './lib.mjs';

test('DD.MM.YY dates: rejected rows, then a century rule, then rows used', async () => {
  const src = path.join(ROOT, 'tests/fixtures/003-stays-bed-days/input');
  const dir = tmpdir('forlop-century-');
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  // 2021-03-01 → 01.03.21. Fixture 003's dates run from 2019 to 2022.
  const ep = path.join(dir, 'episodes.csv');
  const text = fs.readFileSync(ep, 'utf8');
  fs.writeFileSync(ep, text.replace(/(\d\d)(\d\d)-(\d\d)-(\d\d)/g, '$4.$3.$2'));
  const episodes = text.trim().split('\n').length - 1; // 20 data rows, each with an admit_date
  assert.equal(episodes, 20);
  const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  const expected = forlopIndicators(src, '2019-2021', 5) // the years the app computes for fixture 003;
  // The CLI with the same rule reads the converted file exactly as the original.
  const out = path.join(dir, 'cli.csv');
  forlop(['indicators', '--data', dir, '--year', '2019-2021', '--min-cell', '5', '--century-pivot', '30', '--out', out]);
  assert.equal(fs.readFileSync(out, 'utf8'), expected);
  fs.unlinkSync(out);

  const { browser, page, log } = await launch();
  const episodesRow = '#quality-files tbody tr:has(th:text-is("episodes.csv"))';
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    await page.selectOption('#demo-year', '2021');
    await page.setInputFiles('#file-input', files);
    await waitForReport(page);
    assert.match(await page.textContent('#quality-problems'), /ambiguous_century/);
    assert.equal(await page.textContent(`${episodesRow} td:nth-child(5)`), String(episodes), 'every episode rejected');
    assert.equal(await page.textContent(`${episodesRow} td:nth-child(4)`), '0');
    // The rule is offered, suggested from the analysis year (2021 → 21), and must be confirmed.
    assert.equal(await page.inputValue('#century-pivot'), '21');
    // 22.01.22 must be 2022 here, so the user widens the rule to 30.
    await page.fill('#century-pivot', '30');
    await page.locator('#century-pivot').blur();
    await page.locator('#century').screenshot({ path: path.join(ARTIFACTS, '14-century.png') });
    assert.match(await page.textContent('#century-example'), /01\.01\.30 → 2030, 01\.01\.31 → 1931/);
    await page.evaluate(() => { window.forlopReport = undefined; });
    await page.click('#century-apply');
    await waitForReport(page);
    await page.waitForFunction(() => [...document.querySelectorAll('#quality-files tbody tr')]
      .some((tr) => tr.querySelector('th')?.textContent === 'episodes.csv' && tr.children[4]?.textContent === '0'),
    null, { timeout: 60000 });
    assert.equal(await page.textContent(`${episodesRow} td:nth-child(4)`), String(episodes), 'every episode used');
    assert.doesNotMatch(await page.textContent('#quality'), /ambiguous_century/);
    // The rule stays visible so it can be changed or removed.
    assert.equal(await page.inputValue('#century-pivot'), '30');
    assert.equal(await page.locator('#century-clear').count(), 1);
    assertSameTable((await downloadCsv(page)).text, expected, 'century rule');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
