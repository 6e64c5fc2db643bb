// Keyboard only (issue 12, point 7): the whole flow — open files (and the demo), results, a
// trend, my area, the year, export — with Tab, Shift+Tab, Enter, Space and the arrow keys of a
// <select>; no click, no fill. The browser's own file dialog is answered by the test (a person
// picks the files there with the keyboard too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, forlopIndicators, assertSameTable, waitForReport, tmpdir } from './lib.mjs';

/** Presses Tab (or `key`, e.g. Shift+Tab) until the focused element matches `selector`; fails
 *  after `max` presses. */
async function tabTo(page, selector, key = 'Tab', max = 400) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
    await page.keyboard.press(key);
  }
  throw new Error(`${selector} not reached with ${max} Tab presses; focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
}

test('keyboard only: files → results → trend → my area → export, and the demo', async () => {
  const dir = tmpdir('forlop-keys-');
  forlop(['synth', '--out', dir, '--persons', '600', '--seed', '9', '--year', '2022']);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(dir, f));
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });

    // Open your files: the file input takes focus (its label is drawn as the button) and Space
    // opens the browser's file dialog.
    await tabTo(page, '#file-input');
    const outline = await page.evaluate(() => getComputedStyle(document.querySelector('#drop-zone')).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused file input is visible as a focus ring on its label');
    // Space on the focused input opens the dialog. On a loaded machine the start page can still
    // be re-rendered (the worker getting ready) between the focus and the key, which takes the
    // focus away: then focus it again by Tab and press again (three tries).
    let chooser = null;
    for (let attempt = 0; attempt < 3 && !chooser; attempt++) {
      await tabTo(page, '#file-input');
      [chooser] = await Promise.all([
        page.waitForEvent('filechooser', { timeout: 10000 }).catch(() => null),
        page.keyboard.press('Space'),
      ]);
    }
    assert.ok(chooser, 'Space on the focused file input opens the file dialog');
    await chooser.setFiles(files);
    const report = await waitForReport(page);
    assert.equal(report.year, 2022);

    // The trend of the first card: Tab to its summary, Enter opens it.
    await tabTo(page, '#indicator-0 details.trend summary');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#indicator-0 details.trend[open] .trend-table tbody tr');

    // My area: Shift+Tab back to the chooser, arrow down picks the first municipality.
    await tabTo(page, '#my-area', 'Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('area')?.startsWith('municipality:'));
    await page.waitForSelector('#area-report table');

    // The year: the selector offers 2022 and 2021; ArrowDown shows 2021.
    await tabTo(page, '#show-year', 'Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('#year-reason').textContent.includes('2021'));

    // Export the long table with Enter.
    await tabTo(page, '#export-csv');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const text = fs.readFileSync(await dl.path(), 'utf8');
    assertSameTable(text, forlopIndicators(dir, '2021-2022', 5), 'keyboard export vs CLI');
    await page.screenshot({ path: path.join(ARTIFACTS, 'keyboard-results.png') });

    // The module navigation stays usable: Tab to another module's button, Space shows it.
    await tabTo(page, '#modules button:not([disabled]):not([aria-pressed="true"])', 'Shift+Tab');
    const id = await page.evaluate(() => document.activeElement.id);
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute(`#${id}`, 'aria-pressed'), 'true');

    // The demo, from the top of the page: Tab to its button, Enter.
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await tabTo(page, '#demo');
    await page.keyboard.press('Enter');
    await waitForReport(page);
    await tabTo(page, '#export-xlsx');
    const [xl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Space')]);
    assert.match(xl.suggestedFilename(), /^forlop_long_table_\d{4}\.xlsx$/);
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
