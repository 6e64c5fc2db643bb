// Accessibility (issue 12, point 7): axe-core (npm, run inside the page) finds no serious or
// critical violation on the start page and on the results page with everything a user opens
// (my area, a trend, the quality examples, the area report, the numbers table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch, BASE, ARTIFACTS, waitForReport } from './lib.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the page (evaluated through the DevTools protocol, so the page's CSP, which
 *  allows no inline script, is left as it is) and returns the serious and critical violations. */
export async function seriousViolations(page, what) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')}`).join('\n');
  fs.writeFileSync(path.join(ARTIFACTS, `axe-${what}.json`), JSON.stringify(result.violations, null, 2));
  return { bad, text, all: result.violations.length };
}

test('axe: no serious or critical violations on the start and results pages', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    const start = await seriousViolations(page, 'start');

    await page.goto(`${BASE}?demo=1`, { waitUntil: 'load' });
    await waitForReport(page);
    await page.waitForFunction(() => document.querySelector('#cards')?.dataset.shown === document.querySelector('#cards')?.dataset.total);
    const hc = await page.$eval('#my-area optgroup:nth-of-type(2) option', (o) => o.value);
    await page.selectOption('#my-area', hc);
    await page.click('#quality-examples-details summary').catch(() => {});
    await page.click('#indicator-0 details.trend summary');
    await page.click('#indicator-0 details.numbers summary');
    await page.click('#indicator-0 details.definition summary');
    await page.click('#profile summary');
    await page.waitForSelector('#indicator-0 .trend-chart canvas', { timeout: 30000 });
    await page.waitForSelector('#area-report table');
    const results = await seriousViolations(page, 'results');
    // In English too (other texts, other lengths).
    await page.click('#lang-switch');
    const en = await seriousViolations(page, 'results-en');
    assert.equal(start.bad.length + results.bad.length + en.bad.length, 0,
      `start page:\n${start.text}\nresults page:\n${results.text}\nresults page (en):\n${en.text}`);
    console.log(`axe: start ${start.all}, results ${results.all}, results (en) ${en.all} violations of minor or moderate impact`);
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
