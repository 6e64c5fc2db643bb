// Runs the wasm32-wasip1 build of bench/wasm-read in V8 (Node's node:wasi), the data folder
// preopened as /data:  node bench/wasm-read.mjs WASM DIR [FALLBACK_YEAR [WARM_DIR]]
// WARM_DIR: a small extract read and analysed first, untimed (the code warmed up).
// Add `--cpu-prof` before the script for a V8 CPU profile (see bench/wasm-read.sh). Run Node 20 with
// `--no-incremental-marking`: otherwise its V8 often aborts in a GC that memory.grow starts
// (MarkCompactCollector::ProcessEphemerons, "unreachable code").
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, env } from 'node:process';

const [wasmPath, dir, year = '2024', warm] = argv.slice(2);
if (!wasmPath || !dir) {
  console.error('usage: node bench/wasm-read.mjs WASM DIR [FALLBACK_YEAR [WARM_DIR]]');
  process.exit(2);
}
const wasi = new WASI({
  version: 'preview1',
  args: ['forlop-wasm-read', '/data', year, ...(warm ? ['/warm'] : [])],
  env: {},
  preopens: { '/data': dir, ...(warm ? { '/warm': warm } : {}) },
});
const module = await WebAssembly.compile(await readFile(wasmPath));
// CLOCK=cpu: the program's clock (Instant) reads the process's CPU time (every thread: the
// wasm, V8's compilers, its GC) instead of the wall clock, so its read and analyse times do not
// grow with the machine's load.
const imports = wasi.getImportObject();
let instance;
if (env.CLOCK === 'cpu') {
  const preview1 = { ...imports.wasi_snapshot_preview1 };
  const wall = preview1.clock_time_get;
  preview1.clock_time_get = (id, precision, out) => {
    if (id !== 1) return wall(id, precision, out); // 1: the monotonic clock
    const { user, system } = process.cpuUsage();
    new DataView(instance.exports.memory.buffer).setBigUint64(out, BigInt(user + system) * 1000n, true);
    return 0;
  };
  instance = await WebAssembly.instantiate(module, { ...imports, wasi_snapshot_preview1: preview1 });
} else {
  instance = await WebAssembly.instantiate(module, imports);
}
const cpu = process.cpuUsage();
const code = wasi.start(instance);
const used = process.cpuUsage(cpu);
// On stderr: the CPU time of the whole run (read, inspect and analyse; steadier than their
// wall times on a busy machine) and the wasm memory's final size.
console.error(
  `cpu_s ${((used.user + used.system) / 1e6).toFixed(3)} memory_mb ${(instance.exports.memory.buffer.byteLength / 1e6).toFixed(0)}`,
);
// Exit at once: Node 20 can crash (SIGSEGV) tearing down an instance with a large memory.
process.exit(code);
