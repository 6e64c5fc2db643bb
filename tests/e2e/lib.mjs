// Shared set-up for the browser tests: Debian's chromium through playwright-core, a request log,
// console and CSP-violation capture, the CLI for reference numbers.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BASE = process.env.BASE_URL || 'http://127.0.0.1:8765/';
export const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forlop-e2e-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROME || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      // Chromium itself (not the page) tries Google hosts; answer NOTFOUND locally.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  const log = { requests: [], console: [], csp: [], errors: [] };
  const watch = (page) => {
    page.on('request', (r) => log.requests.push(r.url()));
    page.on('console', (m) => {
      log.console.push(`${m.type()}: ${m.text()}`);
      if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) log.csp.push(m.text());
    });
    page.on('pageerror', (e) => log.errors.push(e.message));
  };
  browser.on('page', watch);
  // Requests made by the worker and the service worker go through the context too.
  browser.on('request', (r) => log.requests.push(r.url()));
  await browser.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = browser.pages()[0] || await browser.newPage();
  watch(page);
  // The profile (about 20 MB) goes with the browser: a thousand test runs left 20 GB in /tmp.
  const close = browser.close.bind(browser);
  browser.close = async (...args) => {
    await close(...args);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { browser, page, log, userDataDir };
}

/** Every URL the page, its workers and the service worker asked for is on 127.0.0.1. */
export function foreignRequests(log) {
  return [...new Set(log.requests)].filter((u) => /^(https?|wss?):/.test(u) && !/^https?:\/\/127\.0\.0\.1[:/]/.test(u));
}

/** The CLI for reference numbers (built by run.sh). */
export function forlop(args) {
  const bin = process.env.FORLOP_BIN || path.join(ROOT, 'target/debug/forlop');
  return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

/** `forlop indicators` on a directory, read back from its --out file. `year`: a year, a range
 *  (`'2020-2021'`) or an array of years (each given as `--year`). */
export function forlopIndicators(dir, year, k) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forlop-cli-')), 'long.csv');
  const years = (Array.isArray(year) ? year : [year]).flatMap((y) => ['--year', String(y)]);
  forlop(['indicators', '--data', dir, ...years, '--min-cell', String(k), '--out', out]);
  return fs.readFileSync(out, 'utf8');
}

/** Asserts two long tables are equal, reporting the first differing line (not 1 MB of text). */
export function assertSameTable(actual, expected, what) {
  if (actual === expected) return;
  const stem = path.join(ARTIFACTS, what.replace(/[^a-z0-9]+/gi, '_').slice(0, 40));
  fs.writeFileSync(`${stem}.app.csv`, actual);
  fs.writeFileSync(`${stem}.cli.csv`, expected);
  const a = actual.split('\n'), e = expected.split('\n');
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  throw new Error(`${what}: differs at line ${i + 1} (app ${a.length} lines, CLI ${e.length})\n  app: ${a[i]}\n  cli: ${e[i]}`);
}

/** Clicks the CSV export and returns the downloaded text and file name. */
export async function downloadCsv(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

export async function waitForReport(page, timeout = 120000) {
  await page.waitForFunction(() => window.forlopReport !== undefined, null, { timeout });
  return page.evaluate(() => window.forlopReport);
}

/** nb formatting of an integer as fmt.rs does it (U+202F between thousands). */
export function nbCount(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202F');
}

export function tmpdir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
