// Browser timings for BENCHMARKS.md ("Browser (headless Chromium)"): download sizes of dist/
// (raw and gzip), page load → first chart on the demo, and read+compute of ~100 k and ~1 M-row
// extracts uploaded as files (and ~10 M rows with PERF10M=1), with the tab's peak memory. Slow,
// so it runs only with PERF=1:
//   PERF=1 [PERF10M=1] bash tests/e2e/run.sh tests/e2e/perf.test.mjs
// PERF_QUERY is added to the page's address for the uploads, e.g. PERF_QUERY='?workers=1' to read
// with the main worker alone (by default the page uses min(cores, 4) workers, issue 11).
// PERF_PICK_MS (default 1000): how long the "user" takes to pick the files after the page is up
// (the worker warms up meanwhile).
// Prints METRIC lines and writes tests/artifacts/perf.json; asserts only that the runs finished
// with the expected row counts (timings depend on the machine and its load).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { launch, BASE, ROOT, ARTIFACTS, tmpdir } from './lib.mjs';

const skip = process.env.PERF !== '1' && 'set PERF=1 to measure';
const results = { date: new Date().toISOString(), loadavg: os.loadavg(), cpus: os.cpus().length, query: process.env.PERF_QUERY ?? '', runs: {} };
const record = (key, value, line) => {
  results.runs[key] = value;
  console.log(`METRIC ${line}`);
  fs.writeFileSync(path.join(ARTIFACTS, 'perf.json'), JSON.stringify(results, null, 2) + '\n');
};

/** The release CLI makes the extracts (synth is instant there); the debug one otherwise. */
function synth(persons) {
  const release = path.join(ROOT, 'target/release/forlop');
  const bin = fs.existsSync(release) ? release : (process.env.FORLOP_BIN || path.join(ROOT, 'target/debug/forlop'));
  const dir = tmpdir('forlop-perf-');
  execFileSync(bin, ['synth', '--out', dir, '--persons', String(persons), '--seed', '11', '--year', '2024']);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(dir, f));
  const rows = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length - 1, 0);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  return { files, rows, bytes };
}

test('download sizes of dist/ (raw and gzip -9)', { skip }, () => {
  const dist = path.join(ROOT, 'dist');
  const sizes = {};
  // dist/ has folders too (icons/, maps/): every file, by its path under dist/.
  const files = fs.readdirSync(dist, { recursive: true })
    .filter((f) => fs.statSync(path.join(dist, f)).isFile()).sort();
  for (const f of files) {
    const buf = fs.readFileSync(path.join(dist, f));
    sizes[f] = { raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
    console.log(`METRIC size ${f}: ${buf.length} B raw, ${sizes[f].gzip} B gzip`);
  }
  const total = Object.values(sizes).reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip }), { raw: 0, gzip: 0 });
  record('sizes', { files: sizes, total }, `size total: ${total.raw} B raw, ${total.gzip} B gzip`);
  assert.ok(Object.keys(sizes).some((f) => f.endsWith('_bg.wasm')), 'the app wasm is in dist/');
});

/** Samples, every 100 ms, the resident memory of one browser's processes (found by its profile
 *  folder, then its descendants in /proc): the peak of the largest renderer (the tab: the page
 *  and its workers) and of all of them together. `stop()` returns both in MB. */
function memorySampler(userDataDir) {
  const read = (f) => { try { return fs.readFileSync(f, 'utf8'); } catch { return ''; } };
  const procs = () => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
    const stat = read(`/proc/${pid}/stat`);
    const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
    const rss = Number((read(`/proc/${pid}/status`).match(/VmRSS:\s+(\d+)/) || [0, 0])[1]) / 1024;
    return { pid, ppid, rss, cmd: read(`/proc/${pid}/cmdline`) };
  });
  let tab = 0, total = 0;
  const sample = () => {
    const all = procs();
    const roots = all.filter((p) => p.cmd.includes(userDataDir) && !p.cmd.includes('--type='));
    const mine = new Set(roots.map((p) => p.pid));
    for (let grew = true; grew;) {
      grew = false;
      for (const p of all) if (!mine.has(p.pid) && mine.has(p.ppid)) { mine.add(p.pid); grew = true; }
    }
    const ours = all.filter((p) => mine.has(p.pid));
    tab = Math.max(tab, ...ours.filter((p) => p.cmd.includes('--type=renderer')).map((p) => p.rss), 0);
    total = Math.max(total, ours.reduce((n, p) => n + p.rss, 0));
  };
  const timer = setInterval(sample, 100);
  return { stop: () => { clearInterval(timer); sample(); return { tab_mb: Math.round(tab), browser_mb: Math.round(total) }; } };
}

/** The longest long task that ended after the page took in the report (the shown year's, when
 *  the other years follow; 0 when none). */
const longestAfterReport = () => {
  const at = window.forlopReport?.first_at ?? Infinity;
  return Math.round(Math.max(0, ...window.__long.filter(([s, d]) => s + d >= at).map(([, d]) => d)));
};

/** A 50 ms ticker on the page from its first script: the longest gap, split by whether the
 *  report had reached the page (`working`: the worker reads and computes) or not (`rendering`:
 *  the page takes in the report, builds the cards and draws the charts). */
const TICKER = () => {
  // The browser's own long tasks (> 50 ms) too, with their start, to tell the ones that took in
  // and drew the report (ending after `forlopReport.at`) from the page's start-up.
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  // The moment the first chart's canvas is inserted (a poll from the test sees it later on a
  // busy machine).
  new MutationObserver((records, observer) => {
    if (document.querySelector('#chart-0 canvas')) {
      window.__firstChart = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
  // When the files were given (the input's `change`), on the page's clock.
  document.addEventListener('change', () => { window.__input ??= performance.now(); }, true);
  // When the page posted them to the worker (the job with `files`).
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (msg, ...rest) {
    if (msg && msg.files !== undefined) window.__posted ??= performance.now();
    const out = post.call(this, msg, ...rest);
    if (msg && msg.files !== undefined) window.__postReturned ??= performance.now();
    return out;
  };
  window.__gap = { working: 0, rendering: 0 };
  let last = performance.now();
  window.__ticker = setInterval(() => {
    const now = performance.now();
    const phase = window.forlopFirstReportAt === undefined ? 'working' : 'rendering';
    window.__gap[phase] = Math.max(window.__gap[phase], now - last);
    last = now;
  }, 50);
};

/** Every card of the shown module exists (cards are added a few per task) and has its chart
 *  (a card's trend chart is drawn only when its section is opened, so it is not waited for). */
const allCharts = () => {
  const cards = document.querySelector('#cards');
  return cards && cards.dataset.shown === cards.dataset.total
    && [...document.querySelectorAll('.chart:not(.trend-chart)')].every((c) => c.querySelector('canvas'));
};

/** The time to first chart on the page's own clock, split into its steps (ms): `input_to_job`
 *  the page's change handler and the job's message to the worker (`of_it_post_to_job` from
 *  the page's `postMessage` call to the worker's taking the job); `copy`, `read` in the worker;
 *  `read_to_analyse` the gap between them (the load view's message); `analyse` the shown year's
 *  analysis and its view (`view` apart in builds before the shown year came first);
 *  `view_to_report` the report's message (encode, structured clone, decode, the
 *  page's state); `report_to_chart` the cards and the first chart's drawing; `other_years` the
 *  rest of the analysis (other years, other modules), after the first view (not part of the
 *  time to first chart), `rest_after_chart` when the worker began it after the first chart.
 *  The worker's `at_*` stamps are on `performance.timeOrigin + now()`, the clock every thread
 *  shares. */
const pageSteps = () => {
  const w = Object.fromEntries(window.forlopReport.timings);
  const at = (k) => w[k] - performance.timeOrigin;
  const start = window.__input ?? 0;
  const copy = w.copy ?? w.generate ?? 0;
  const steps = {
    first_chart: window.__firstChart - start,
    input_to_job: at('at_job') - start,
    of_it_post_to_job: window.__posted === undefined ? 0 : at('at_job') - window.__posted,
    of_it_post_call: window.__posted === undefined ? 0 : window.__postReturned - window.__posted,
    of_it_post_to_message: window.__posted === undefined ? 0 : at('at_message') - window.__posted,
    warm_up_done_before_input: start - at('at_warm_up_done'),
    copy,
    read: w.read,
    read_to_analyse: at('at_view_done') - (w.view ?? 0) - w.analyse - at('at_read_done'),
    analyse: w.analyse,
    // Only from builds that timed the view apart.
    ...(w.view === undefined ? {} : { view: w.view }),
    view_to_report: window.forlopReport.first_at - at('at_view_done'),
    report_to_chart: window.__firstChart - window.forlopReport.first_at,
    other_years: w.analyse_other_years ?? 0,
    // Negative: the rest of the analysis began before the first chart, beside the page's drawing.
    rest_after_chart: w.at_other_years_asked === undefined ? NaN : at('at_other_years_asked') - window.__firstChart,
  };
  return Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, Math.round(v)]));
};
const stepsText = (s) => Object.entries(s).map(([k, v]) => `${k} ${v}`).join(', ');

test('page load → first chart on the demo (?demo=1)', { skip }, async () => {
  const times = [];
  for (let i = 0; i < 3; i++) {
    // A fresh profile each time: a first visit, nothing cached by the service worker.
    const { browser, page } = await launch();
    try {
      await browser.addInitScript(TICKER);
      await page.goto(`${BASE}?demo=1`, { waitUntil: 'commit' });
      await page.waitForSelector('#chart-0 canvas', { timeout: 300000 });
      // performance.now() counts from the navigation's start.
      const t = await page.evaluate(() => ({
        chart: window.__firstChart ?? performance.now(),
        load: performance.getEntriesByType('navigation')[0].loadEventEnd,
        report: window.forlopReport,
      }));
      await page.waitForFunction(allCharts, null, { timeout: 120000 });
      // Every year computed (the shown year's report drew the first chart; the others follow).
      await page.waitForFunction(() => window.forlopReport !== undefined, null, { timeout: 120000 });
      t.report = await page.evaluate(() => window.forlopReport);
      const gap = await page.evaluate(() => { clearInterval(window.__ticker); return window.__gap; });
      const longTask = await page.evaluate(longestAfterReport);
      const steps = await page.evaluate(pageSteps);
      console.log(`METRIC demo run ${i + 1}: from navigation start ${stepsText(steps)} ms`);
      times.push({ page_steps: steps, chart: t.chart, load: t.load, rows: t.report?.rows, worker_ms: Object.fromEntries(t.report?.timings ?? []),
        gap_working_ms: Math.round(gap.working), gap_rendering_ms: Math.round(gap.rendering), long_task_after_report_ms: longTask });
    } finally {
      await browser.close();
    }
  }
  const best = times.reduce((a, b) => (a.chart <= b.chart ? a : b));
  const steps = Object.entries(best.worker_ms).filter(([k]) => !k.startsWith('at_')).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  record('demo_first_chart_ms', times, `demo first chart: best of 3 ${best.chart.toFixed(0)} ms from navigation start (load event ${best.load.toFixed(0)} ms; worker: ${steps} ms); all ${times.map((t) => t.chart.toFixed(0)).join(', ')}; longest main-thread stall after the report ${times.map((t) => t.gap_rendering_ms).join(', ')} ms (ticker gap; longest task ${times.map((t) => t.long_task_after_report_ms).join(', ')} ms), before it ${times.map((t) => t.gap_working_ms).join(', ')} ms`);
});

// 10 M rows (594 MB) only with PERF10M=1 too: ~3 min a run and 0.6 GB of disk (deleted after).
const uploads = [['100k', 2700, 90000, 2], ['1M', 27000, 900000, 2]];
if (process.env.PERF10M === '1') uploads.push(['10M', 270000, 9900000, 1]);
for (const [label, persons, minRows, times] of uploads) {
  test(`upload ~${label} rows as files: read + compute`, { skip, timeout: 1800000 }, async () => {
    const { files, rows, bytes } = synth(persons);
    assert.ok(rows > minRows, `about ${label} rows (${rows})`);
    const runs = [];
    for (let i = 0; i < times; i++) {
      const { browser, page, userDataDir } = await launch();
      const memory = memorySampler(userDataDir);
      try {
        await page.goto(BASE + (process.env.PERF_QUERY ?? ''), { waitUntil: 'load' });
        await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
        // The main thread's longest stall (a 50 ms ticker), split by whether the stall ended
        // before the report reached the page (reading/computing in the worker) or after it
        // (the page decoding the report, building the tables and drawing every chart).
        await page.evaluate(TICKER);
        // A person takes a moment to pick the files; the worker warms up meanwhile (300 ms
        // after its start, engine::warm_up), as it would for them.
        await page.waitForTimeout(Number(process.env.PERF_PICK_MS ?? 1000));
        const t0 = Date.now();
        await page.setInputFiles('#file-input', files);
        // The first chart, or a message (an extract over the browser's limit must be refused
        // with one).
        await page.waitForFunction(() => document.querySelector('#chart-0 canvas') || document.querySelector('#error'), null, { timeout: 1500000 });
        const chart = Date.now() - t0;
        const error = await page.$('#error');
        if (error) {
          const message = await error.textContent();
          runs.push({ refused_ms: chart, message, ...memory.stop() });
          console.log(`METRIC upload ${label}: stopped after ${chart} ms: ${message}`);
          assert.match(message, /MB \(about [\d,]+ rows\)|MB \(omtrent [\d\u202f]+ rader\)/, 'the message names the size the browser can take');
          continue;
        }
        // The whole report: every year computed (the shown year's came first and drew the chart).
        await page.waitForFunction(() => window.forlopReport !== undefined, null, { timeout: 120000 });
        const report = Date.now() - t0;
        // Charts are drawn one per task after the first: keep the ticker running until every
        // card has its chart, so their drawing counts in the stall too.
        await page.waitForFunction(allCharts, null, { timeout: 120000 });
        const gap = await page.evaluate(() => { clearInterval(window.__ticker); return window.__gap; });
        const longTask = await page.evaluate(longestAfterReport);
        const used = await page.$$eval('#quality-files tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
        const worker = await page.evaluate(() => Object.fromEntries(window.forlopReport.timings));
        const steps = await page.evaluate(pageSteps);
        console.log(`METRIC upload ${label} run ${i + 1}: on the page's clock ${stepsText(steps)} ms (test's clock: first chart ${chart} ms)`);
        runs.push({ report, chart, page_steps: steps, mb_per_s_to_chart: +(bytes / 1e3 / chart).toFixed(1), ...memory.stop(), worker,
          gap_working_ms: Math.round(gap.working), gap_rendering_ms: Math.round(gap.rendering), long_task_after_report_ms: longTask, rows_read_cells: used });
      } finally {
        memory.stop();
        await browser.close();
      }
    }
    // The generated extract (57 MB for 1 M rows, 590 MB for 10 M) is not kept.
    fs.rmSync(path.dirname(files[0]), { recursive: true, force: true });
    const done = runs.filter((r) => r.report !== undefined);
    if (done.length === 0) {
      record(`upload_${label}`, { persons, rows, bytes, runs }, `upload ${rows} rows (${(bytes / 1e6).toFixed(1)} MB): refused: ${runs[0].message}`);
      return;
    }
    const best = done.reduce((a, b) => (a.report <= b.report ? a : b));
    const steps = Object.entries(best.worker).filter(([k]) => !k.startsWith('at_')).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    record(`upload_${label}`, { persons, rows, bytes, runs },
      `upload ${rows} rows (${(bytes / 1e6).toFixed(1)} MB, ${files.length} files): read+compute best of ${times} ${best.report} ms, first chart ${best.chart} ms (${best.mb_per_s_to_chart} MB/s), peak memory: tab ${best.tab_mb} MB, browser ${best.browser_mb} MB (worker: ${steps}); longest main-thread stall ${best.gap_working_ms} ms while the worker worked, ${best.gap_rendering_ms} ms while the page took in and drew the results (longest task ${done.map((r) => r.long_task_after_report_ms).join(', ')} ms); all ${done.map((r) => r.report).join(', ')} ms`);
  });
}
