// Starts the app without an inline script (the Content-Security-Policy forbids them).
// Trunk writes the hashed file names into this tag's data attributes (Trunk.toml pattern_script).
const tag = document.getElementById('forlop-boot');
// Start the worker now, while the page's own wasm loads, so its start-up overlaps the page's
// (issue 6: the demo's first chart). The page adopts it (client.rs) and replays what it said
// meanwhile (its Ready). If this fails, the page starts a worker itself.
try {
  const worker = new Worker('./worker_loader.js');
  const said = [];
  worker.onmessage = (e) => said.push(e);
  window.forlopEarlyWorker = { worker, said };
} catch (e) {
  console.warn('early worker:', e);
}
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
dispatchEvent(new CustomEvent('TrunkApplicationStarted'));

// Offline: the service worker (dist/sw.js, written after the build by scripts/gen-sw.mjs)
// precaches every file of this build. Only over http(s), never file:.
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('service worker:', e));
}
