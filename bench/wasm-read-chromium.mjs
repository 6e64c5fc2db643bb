// Runs bench/wasm-read's wasm32-wasip1 build in headless Chromium (the browser's V8, not
// Node's), on the page's main thread, with a CPU profile of the run:
//   node bench/wasm-read-chromium.mjs WASM DIR [OUT.cpuprofile | -]
// The files go in as a bundle on the program's standard input (no file system in a page); a
// few WASI calls are answered here. Summarise the profile with bench/cpuprofile-top.mjs.
// CHROME_FLAGS="--js-flags=--no-liftoff" adds switches to Chromium's command line.
// WARM_DIR=DIR: that (small) folder is read and analysed first, unprofiled, by another instance
// of the same module, so the profiled run is on V8's optimised code as in the warmed-up worker;
// WARM_ROUNDS=N times (1).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';

const [wasmPath, dir, out] = process.argv.slice(2);
if (!wasmPath || !dir) {
  console.error('usage: node bench/wasm-read-chromium.mjs WASM DIR [OUT.cpuprofile]');
  process.exit(2);
}
const bundleOf = (folder) => {
  const parts = [];
  for (const name of fs.readdirSync(folder).filter((n) => /\.(csv|xlsx|txt)$/.test(n)).sort()) {
    const data = fs.readFileSync(path.join(folder, name));
    const n = Buffer.from(name);
    const len = (x) => { const b = Buffer.alloc(4); b.writeUInt32LE(x); return b; };
    parts.push(len(n.length), n, len(data.length), data);
  }
  return Buffer.concat(parts);
};
const bundle = bundleOf(dir);
const warmBundle = process.env.WARM_DIR ? bundleOf(process.env.WARM_DIR) : null;
const wasm = fs.readFileSync(wasmPath);
const server = http.createServer((req, res) => {
  if (req.url === '/bench.wasm') { res.writeHead(200, { 'content-type': 'application/wasm' }); res.end(wasm); }
  else if (req.url === '/bundle') { res.writeHead(200); res.end(bundle); }
  else if (req.url === '/warm' && warmBundle) { res.writeHead(200); res.end(warmBundle); }
  else { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>bench</title>'); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forlop-wasmread-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROME || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
    // CHROME_FLAGS: more switches, e.g. `--js-flags=--no-liftoff` (wasm in TurboFan only).
    ...(process.env.CHROME_FLAGS ?? '').split(' ').filter(Boolean)],
});
const page = browser.pages()[0] ?? (await browser.newPage());
await page.goto(base);
await page.evaluate(async () => {
  window.__bundle = new Uint8Array(await (await fetch('bundle')).arrayBuffer());
  window.__module = await WebAssembly.compileStreaming(fetch('bench.wasm'));
});
// One run of the module on `window[key]`'s bundle: its standard output, time and memory.
const runOn = (key) => page.evaluate((key) => {
  const input = window[key];
  let at = 0;
  let text = '';
  let memory;
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  const args = ['forlop-wasm-read', '-', '2024'].map((a) => new TextEncoder().encode(a + '\0'));
  const EBADF = 8;
  const t0 = performance.now();
  const wasi = {
    args_sizes_get(argc, size) {
      view().setUint32(argc, args.length, true);
      view().setUint32(size, args.reduce((s, a) => s + a.length, 0), true);
      return 0;
    },
    args_get(argv, buf) {
      let p = buf;
      args.forEach((a, i) => { view().setUint32(argv + 4 * i, p, true); bytes().set(a, p); p += a.length; });
      return 0;
    },
    environ_sizes_get(n, size) { view().setUint32(n, 0, true); view().setUint32(size, 0, true); return 0; },
    environ_get() { return 0; },
    sched_yield() { return 0; },
    random_get(p, len) { crypto.getRandomValues(bytes().subarray(p, p + len)); return 0; },
    clock_time_get(_id, _precision, out) {
      view().setBigUint64(out, BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)), true);
      return 0;
    },
    fd_read(fd, iovs, n, nread) {
      if (fd !== 0) return EBADF;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const ptr = view().getUint32(iovs + 8 * i, true);
        const len = view().getUint32(iovs + 8 * i + 4, true);
        const chunk = input.subarray(at, Math.min(at + len, input.length));
        bytes().set(chunk, ptr);
        at += chunk.length;
        total += chunk.length;
        if (chunk.length < len) break;
      }
      view().setUint32(nread, total, true);
      return 0;
    },
    fd_write(fd, iovs, n, nwritten) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const ptr = view().getUint32(iovs + 8 * i, true);
        const len = view().getUint32(iovs + 8 * i + 4, true);
        const s = new TextDecoder().decode(bytes().slice(ptr, ptr + len));
        if (fd === 1) text += s; else console.error(s);
        total += len;
      }
      view().setUint32(nwritten, total, true);
      return 0;
    },
    fd_close() { return 0; },
    fd_fdstat_get() { return EBADF; },
    fd_filestat_get() { return EBADF; },
    fd_prestat_get() { return EBADF; },
    fd_prestat_dir_name() { return EBADF; },
    fd_readdir() { return EBADF; },
    path_filestat_get() { return EBADF; },
    path_open() { return EBADF; },
    proc_exit(code) { throw new Error(`exit ${code}`); },
  };
  const instance = new WebAssembly.Instance(window.__module, { wasi_snapshot_preview1: wasi });
  memory = instance.exports.memory;
  instance.exports._start();
  return { text, ms: performance.now() - t0, memory_mb: memory.buffer.byteLength / 1e6 };
}, key);
if (warmBundle) {
  await page.evaluate(async () => { window.__warm = new Uint8Array(await (await fetch('warm')).arrayBuffer()); });
  for (let i = 0; i < Number(process.env.WARM_ROUNDS ?? 1); i++) await runOn('__warm');
}
const cdp = await browser.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
// OUT "-": no profile (the sampling slows the run by a tenth).
if (out !== '-') await cdp.send('Profiler.start');
const result = await runOn('__bundle');
const { profile } = out !== '-' ? await cdp.send('Profiler.stop') : {};
console.log(result.text.trim());
console.error(`total ${result.ms.toFixed(0)} ms, memory ${result.memory_mb.toFixed(0)} MB, ${await browser.browser()?.version?.() ?? ''}`);
if (out && out !== '-') fs.writeFileSync(out, JSON.stringify(profile));
await browser.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
