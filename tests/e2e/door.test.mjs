// The revolving-door module on the demo (issue 8): the table in seed 003's layout is there with
// numbers, its country row equals the engine's door.patients and door.admissions, and the cost
// columns follow a price typed beside the table at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 2000, SEED = 2024, YEAR = 2024; // the app's demo (pages/start.rs)
const digits = (s) => s.replace(/[^0-9]/g, '');

test('revolving door on the demo: the seed-layout table, and costs that follow the prices', async () => {
  const dir = tmpdir('forlop-door-');
  forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forlop-cli-')), 'long.csv');
  forlop(['indicators', '--data', dir, '--year', String(YEAR), '--module', 'door', '--out', out]);
  const row = (id) => fs.readFileSync(out, 'utf8').split('\n').find((l) => l.startsWith(`${id},door,country,NO,`)).split(',');
  const patients = row('door.patients'), admissions = row('door.admissions');
  assert.equal(patients[8], 'false', 'the demo has enough revolving-door patients to show');
  const { browser, page, log } = await launch();
  try {
    await page.goto(`${BASE}?lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    await waitForReport(page);
    assert.equal(await page.locator('#door-table').count(), 0, 'not under another module');
    await page.click('#module-door');
    await page.waitForSelector('#door-table tbody tr');
    const cells = await page.$$eval('#door-table tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
    assert.equal(digits(cells[0]), patients[5], 'country patients = door.patients');
    assert.equal(digits(cells[1]), admissions[5], 'country admissions = door.admissions');
    // Cost in all = admissions × 47 493 (the seed's round), then × 38 873 with a PAM day at 10 000.
    assert.equal(digits(cells[7]), String(Number(admissions[5]) * 47493));
    assert.ok((await page.$$('#door-table tbody tr')).length >= 2, 'municipalities under the country');
    await page.fill('#door-day-price', '10000');
    await page.dispatchEvent('#door-day-price', 'input');
    assert.equal(digits(await page.textContent('#door-per-round')), '38873');
    const after = await page.$$eval('#door-table tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
    assert.equal(digits(after[7]), String(Number(admissions[5]) * 38873));
    await page.screenshot({ path: path.join(ARTIFACTS, '10-door-table.png'), fullPage: false });
    // When the loop turns: 24 hours and 7 weekdays; every weekday bin shown or "–", and the
    // shown weekday counts never exceed the year's admissions of every acute PAM patient.
    assert.equal(await page.locator('#door-times-hour tbody tr').count(), 24);
    assert.equal(await page.locator('#door-times-weekday tbody tr').count(), 7);
    const weekdays = await page.$$eval('#door-times-weekday td.num', (tds) => tds.map((t) => t.textContent));
    assert.ok(weekdays.some((w) => /\d/.test(w)), 'the weekday chart has numbers');
    const meters = await page.locator('#door-times-weekday meter').count();
    assert.equal(meters, weekdays.filter((w) => /\d/.test(w)).length, 'a bar for every shown bin, none for "–"');
    await page.locator('#door-times-hour').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, '11-door-times.png'), fullPage: false });
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
