// Starts the engine's worker before anything else of the page loads (ECharts' script and the
// page's wasm take most of a second), so its start-up overlaps theirs (issue 6: the demo's first
// chart). The page adopts it (crates/app/src/client.rs) and replays what it said meanwhile (its
// Ready). If this fails, the page starts a worker itself. A classic script without inline code,
// as the Content-Security-Policy asks.
try {
  const worker = new Worker('./worker_loader.js');
  const said = [];
  worker.onmessage = (e) => said.push(e);
  window.forlopEarlyWorker = { worker, said };
} catch (e) {
  console.warn('early worker:', e);
}
