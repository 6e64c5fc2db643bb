// The cost calculator of the acute loop (issue 8): with no data loaded, typed patients and
// admissions give the rows of seed 003's appendix — Askøy and Øygarden 2020 — and a changed price
// updates the totals at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, foreignRequests } from './lib.mjs';

const digits = (s) => s.replace(/[^0-9,.]/g, '');

async function type(page, id, value) {
  await page.fill(`#${id}`, String(value));
  await page.dispatchEvent(`#${id}`, 'input');
}

async function outputs(page) {
  const out = {};
  for (const id of ['per-patient', 'pam', 'other', 'round', 'cost-per-patient', 'total']) {
    out[id] = digits(await page.textContent(`#calc-out-${id}`));
  }
  return out;
}

test('cost calculator: Askøy and Øygarden 2020 from typed inputs, no data needed', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?lang=en`, { waitUntil: 'load' });
    await page.click('#cost-calculator summary');
    // Askøy 2020: 15 patients, 75 admissions → 5.0; 33 620 + 13 873 = 47 493 per round;
    // 237 465 per patient; 3 561 975 in all.
    await type(page, 'calc-patients', 15);
    await type(page, 'calc-admissions', 75);
    assert.deepEqual(await outputs(page), {
      'per-patient': '5.0', pam: '33,620', other: '13,873', round: '47,493',
      'cost-per-patient': '237,465', total: '3,561,975',
    });
    // Øygarden 2020: 19 patients, 114 admissions → 6.0; 284 958; 5 414 202.
    await type(page, 'calc-patients', 19);
    await type(page, 'calc-admissions', 114);
    const o = await outputs(page);
    assert.deepEqual([o['per-patient'], o['cost-per-patient'], o.total], ['6.0', '284,958', '5,414,202']);
    await page.screenshot({ path: path.join(ARTIFACTS, '09-cost-calculator.png') });
    // A price typed with a decimal comma: a PAM day at 10 000 → 25 000 + 13 873 = 38 873 a round;
    // 114 × 38 873 = 4 431 522.
    await type(page, 'calc-day-price', '10000');
    const p = await outputs(page);
    assert.deepEqual([p.pam, p.round, p.total], ['25,000', '38,873', '4,431,522']);
    // No data was loaded, and nothing left the machine.
    assert.equal(await page.locator('#cards').count(), 0);
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
