// Exports: the XLSX long table checked cell by cell against the CSV export (read with a small zip
// reader over the central directory + zlib.inflateRawSync, sheet1.xml and sharedStrings.xml), at
// k = 5 and k = 0; and the print view: one indicator per page, each with its definition open and
// the suppression note, through the app's print button and through the browser's own print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, BASE, ROOT, ARTIFACTS, downloadCsv, waitForReport, foreignRequests } from './lib.mjs';

/** The entries of a zip file: name → Buffer (stored or deflated). */
export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'end of central directory found');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
    const n = buf.readUInt16LE(p + 28), x = buf.readUInt16LE(p + 30), c = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + n).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    out[name] = method === 8 ? zlib.inflateRawSync(data) : method === 0 ? data : assert.fail(`method ${method}`);
    p += 46 + n + x + c;
  }
  return out;
}

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The first worksheet as rows of { col: { t, v } } (t = the cell's type attribute). */
export function readSheet(xlsx) {
  const files = unzip(xlsx);
  const shared = [...(files['xl/sharedStrings.xml']?.toString('utf8') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => unxml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  const xml = files['xl/worksheets/sheet1.xml'].toString('utf8');
  const rows = [];
  for (const m of xml.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const [, col, row, attrs, body = ''] = m;
    const t = /\bt="([^"]+)"/.exec(attrs)?.[1] ?? 'n';
    const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
    const text = t === 's' ? shared[Number(v)] : t === 'inlineStr' ? unxml(/<t[^>]*>([\s\S]*?)<\/t>/.exec(body)?.[1] ?? '') : v === undefined ? undefined : unxml(v);
    if (text === undefined) continue;
    (rows[Number(row) - 1] ??= {})[col] = { t, v: text };
  }
  return rows;
}

/** RFC 4180 fields of one CSV line. */
function csvFields(line) {
  const out = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch;
    } else if (ch === '"') q = true; else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

const COLS = 'ABCDEFGHIJK';
const NUMERIC = new Set([4, 5, 6, 7, 9, 10]); // year, numerator, denominator, value, ci_low, ci_high

/** Every CSV field equals its XLSX cell: strings as strings, numbers as numbers, the suppressed
 *  flag as a boolean, empty fields as absent cells; nothing extra in the sheet. */
function assertSameAsCsv(rows, csv, what) {
  const lines = csv.split('\n').filter((l) => l !== '');
  let r = 0;
  if (lines[0].startsWith('# ')) {
    assert.deepEqual(rows[0], { A: { t: 's', v: lines[0].slice(2) } }, `${what}: the NOT SUPPRESSED row`);
    lines.shift();
    r = 1;
  }
  assert.equal(rows.length, lines.length + r, `${what}: as many rows as the CSV`);
  lines.forEach((line, i) => {
    const fields = csvFields(line), row = rows[i + r] ?? {};
    assert.equal(fields.length, 11, `${what}: CSV line ${i + 1}`);
    assert.deepEqual(Object.keys(row).filter((c) => !COLS.includes(c)), [], `${what}: row ${i + r + 1} has no extra columns`);
    fields.forEach((f, j) => {
      const cell = row[COLS[j]], where = `${what}: ${COLS[j]}${i + r + 1} (CSV "${f}")`;
      if (f === '') return assert.equal(cell, undefined, where);
      assert.ok(cell, `${where}: cell missing`);
      if (i > 0 && NUMERIC.has(j)) {
        assert.equal(cell.t, 'n', where);
        assert.equal(Number(cell.v), Number(f), where);
      } else if (i > 0 && j === 8) {
        assert.equal(cell.t, 'b', where);
        assert.equal(cell.v, f === 'true' ? '1' : '0', where);
      } else {
        assert.equal(cell.t, 's', where);
        assert.equal(cell.v, f, where);
      }
    });
  });
}

async function upload(page, fixture) {
  const dir = path.join(ROOT, 'tests/fixtures', fixture, 'input');
  await page.goto(BASE, { waitUntil: 'load' });
  await page.waitForSelector('#file-input:not([disabled])', { state: 'attached', timeout: 30000 });
  await page.selectOption('#demo-year', '2021');
  await page.setInputFiles('#file-input', fs.readdirSync(dir).sort().map((f) => path.join(dir, f)));
  await waitForReport(page);
}

async function downloadXlsx(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}

test('the XLSX export equals the CSV export cell by cell (k = 5 and k = 0)', async () => {
  const { browser, page, log } = await launch();
  try {
    await upload(page, '009-suppression-k5');
    const csv = await downloadCsv(page);
    assert.match(csv.text, /,true,,\n/, 'fixture 009 has suppressed cells (without intervals)');
    assert.match(csv.text, /,false,/, 'and shown ones');
    const xl = await downloadXlsx(page);
    assert.equal(xl.name, csv.name.replace(/\.csv$/, '.xlsx'));
    const rows = readSheet(xl.bytes);
    assertSameAsCsv(rows, csv.text, 'k = 5');
    // A hand-checked cell: the header row, then the first data row's indicator.
    assert.equal(rows[0].A.v, 'indicator');
    assert.equal(rows[0].I.v, 'suppressed');
    assert.equal(rows[0].J.v, 'ci_low');
    assert.equal(rows[0].K.v, 'ci_high');

    await page.evaluate(() => { window.forlopReport = undefined; });
    await page.fill('#min-cell', '0');
    await page.locator('#min-cell').blur();
    await page.waitForSelector('#unsuppressed', { timeout: 60000 });
    await waitForReport(page);
    const csv0 = await downloadCsv(page);
    const xl0 = await downloadXlsx(page);
    assert.match(xl0.name, /^IKKE-PRIKKET_NOT-SUPPRESSED_/);
    const rows0 = readSheet(xl0.bytes);
    assert.equal(rows0[0].A.v, 'IKKE PRIKKET / NOT SUPPRESSED');
    assertSameAsCsv(rows0, csv0.text, 'k = 0');
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});

test('print view: one indicator per page with its definition and the suppression note', async () => {
  const { browser, page, log } = await launch();
  try {
    await upload(page, '001-cohort-groups');
    // Cards are added a few per task after the report: wait for all of them.
    await page.waitForFunction(() => { const c = document.querySelector('#cards'); return c && c.dataset.shown === c.dataset.total; });
    const count = await page.locator('article.indicator').count();
    assert.ok(count >= 5, `indicators shown (${count})`);
    const snapshot = () => [...document.querySelectorAll('article.indicator')].map((a) => ({
      id: a.dataset.indicator,
      definition: a.querySelector('details.definition').open,
      numbers: a.querySelector('details.numbers').open,
      dd: a.querySelector('details.definition dd')?.textContent ?? '',
      note: a.querySelector('.suppression-note')?.textContent ?? '',
      breakAfter: getComputedStyle(a).breakAfter,
    }));
    const check = (cards, what) => {
      assert.equal(cards.length, count, what);
      assert.equal(new Set(cards.map((c) => c.id)).size, count, `${what}: each indicator once`);
      for (const c of cards) {
        assert.ok(c.definition && c.numbers, `${what}: ${c.id} definition and numbers open`);
        assert.ok(c.dd.length > 5, `${what}: ${c.id} has a definition (${c.dd})`);
        assert.match(c.note, /^Prikking: tall under k vises som –.*\(k = 5\)$/, `${what}: ${c.id} suppression note`);
      }
    };

    // The app's print button: the panels are open at the moment window.print() runs.
    await page.evaluate((snap) => {
      // eslint-disable-next-line no-new-func
      const f = new Function(`return (${snap})();`);
      window.print = () => { window.__atPrint = f(); };
    }, snapshot.toString());
    await page.click('#print');
    await page.waitForFunction(() => window.__atPrint !== undefined, null, { timeout: 10000 });
    check(await page.evaluate(() => window.__atPrint), 'print button');
    await page.waitForFunction(() => !document.querySelector('article.indicator details.definition').open);

    // The browser's own print (Ctrl+P): print media and the beforeprint event.
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const cards = await page.evaluate(snapshot);
    check(cards, 'browser print');
    assert.deepEqual([...new Set(cards.map((c) => c.breakAfter))], ['page'], 'a page break after each indicator');
    const visible = await page.evaluate(() => ['.controls', '.chart-actions', '#lang-switch', '#print']
      .map((s) => document.querySelector(s).checkVisibility()));
    assert.deepEqual(visible, [false, false, false, false], 'controls are not printed');
    await page.screenshot({ path: path.join(ARTIFACTS, '13-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    fs.writeFileSync(path.join(ARTIFACTS, '13-print.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) || []).length;
    assert.ok(pages >= count, `at least one page per indicator (${pages} pages, ${count} indicators)`);
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await page.evaluate(() => document.querySelector('article.indicator details.definition').open), false);
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(foreignRequests(log), [], 'only 127.0.0.1 was asked');
  } finally {
    await browser.close();
  }
});
