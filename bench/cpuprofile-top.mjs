// Self time by function in a V8 CPU profile (`node --cpu-prof`), split by the phase each sample
// falls in: "read" (the tables), "inspect" (the mapping panel's look at each file; the worker's
// `read` is both) or "analyse", by bench/wasm-read's functions of those names, or "other".
//   node bench/cpuprofile-top.mjs FILE.cpuprofile [TOP=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const TOP = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));

/** Rust's v0 mangling (the standard library's), roughly: its identifiers joined by `::`. */
function demangleV0(name) {
  const s = name.replace(/^_?_R/, '');
  const parts = [];
  for (let i = 0; i < s.length; ) {
    // A crate's disambiguator `Cs<base62>_` is not a name.
    const cs = /^Cs[0-9A-Za-z]*_/.exec(s.slice(i));
    if (cs) { i += cs[0].length; continue; }
    const n = /^(\d+)_?/.exec(s.slice(i));
    if (n && Number(n[1]) > 0) {
      const start = i + n[0].length;
      parts.push(s.slice(start, start + Number(n[1])));
      i = start + Number(n[1]);
      continue;
    }
    i += 1;
  }
  return parts.join('::') || name;
}

/** Rust's legacy mangling (`_ZN3foo3bar17h0123456789abcdefE`) → `foo::bar`. */
function demangle(name) {
  if (/^_?_R/.test(name)) return demangleV0(name);
  const m = /^_?_ZN(.*)E$/.exec(name);
  if (!m) return name;
  let s = m[1];
  const parts = [];
  while (s.length) {
    const n = /^(\d+)/.exec(s);
    if (!n) break;
    const len = Number(n[1]);
    parts.push(s.slice(n[1].length, n[1].length + len));
    s = s.slice(n[1].length + len);
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts
    .join('::')
    .replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$RF\$/g, '&')
    .replace(/\$u20\$/g, ' ').replace(/\$u27\$/g, "'").replace(/\$u7b\$/g, '{')
    .replace(/\$u7d\$/g, '}').replace(/\$C\$/g, ',').replace(/\$BP\$/g, '*')
    .replace(/\.\./g, '::');
}

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nameOf = (n) => demangle(n.callFrame.functionName || `(${n.callFrame.url || 'anonymous'})`);

const phaseCache = new Map();
function phase(id) {
  if (phaseCache.has(id)) return phaseCache.get(id);
  let p = 'other';
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = nameOf(byId.get(cur));
    if (/^forlop_wasm_read::inspect$/.test(name)) { p = 'inspect'; break; }
    if (/^forlop_wasm_read::read$/.test(name)) { p = 'read'; break; }
    if (/^forlop_wasm_read::analyse$/.test(name)) { p = 'analyse'; break; }
  }
  phaseCache.set(id, p);
  return p;
}

// A sample's phase: its stack's, or, for samples outside the wasm (the garbage collector, the
// runtime's memory.grow), the phase whose first and last samples it falls between.
const { samples, timeDeltas } = prof;
const at = [];
let clock = 0;
for (let i = 0; i < samples.length; i++) at.push((clock += timeDeltas[i]));
const window = {};
for (let i = 0; i < samples.length; i++) {
  const p = phase(samples[i]);
  if (p === 'other') continue;
  window[p] ??= [at[i], at[i]];
  window[p][1] = at[i];
}
const self = { read: new Map(), inspect: new Map(), analyse: new Map(), other: new Map() };
const total = { read: 0, inspect: 0, analyse: 0, other: 0 };
for (let i = 0; i < samples.length; i++) {
  // The interval after a sample is charged to it.
  const dt = (timeDeltas[i + 1] ?? 0) / 1000;
  const id = samples[i];
  let p = phase(id);
  if (p === 'other') {
    for (const [q, [a, b]] of Object.entries(window)) if (at[i] >= a && at[i] <= b) p = q;
  }
  const name = nameOf(byId.get(id));
  self[p].set(name, (self[p].get(name) ?? 0) + dt);
  total[p] += dt;
}
for (const p of ['read', 'inspect', 'analyse', 'other']) {
  console.log(`\n## ${p}: ${total[p].toFixed(0)} ms of samples`);
  const rows = [...self[p]].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [name, ms] of rows) {
    console.log(`${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total[p]).toFixed(1).padStart(5)} %  ${name}`);
  }
}
