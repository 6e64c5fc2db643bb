// Timings in headless Chromium (printed as METRIC lines; asserted only loosely). Set PERF=0 to skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, BASE, forlop, waitForReport, tmpdir } from './lib.mjs';

const skip = process.env.PERF === '0';

test('load + compute of a ~100 000-row extract uploaded as files', { skip }, async () => {
  const dir = tmpdir('forlop-perf-');
  forlop(['synth', '--out', dir, '--persons', '3000', '--seed', '11', '--year', '2024']);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => path.join(dir, f));
  const rows = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length - 1, 0);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const { browser, page } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
    const t0 = Date.now();
    await page.setInputFiles('#file-input', files);
    await waitForReport(page, 300000);
    const ms = Date.now() - t0;
    await page.waitForSelector('#chart-0 canvas', { timeout: 60000 });
    const chartMs = Date.now() - t0;
    console.log(`METRIC upload ${rows} rows (${(bytes / 1e6).toFixed(1)} MB, 6 files): read+compute ${ms} ms, first chart ${chartMs} ms`);
    assert.ok(rows > 90000, `about 100 000 rows (${rows})`);
  } finally {
    await browser.close();
  }
});

test('demo of 10 000 persons: generate + read + compute', { skip }, async () => {
  const { browser, page } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', '10000');
    const t0 = Date.now();
    await page.click('#demo');
    await waitForReport(page, 300000);
    console.log(`METRIC demo 10 000 persons: generate+read+compute ${Date.now() - t0} ms`);
  } finally {
    await browser.close();
  }
});
