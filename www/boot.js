// Starts the app without an inline script (the Content-Security-Policy forbids them).
// Trunk writes the hashed file names into this tag's data attributes (Trunk.toml pattern_script).
const tag = document.getElementById('forlop-boot');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
dispatchEvent(new CustomEvent('TrunkApplicationStarted'));

// Offline: the service worker (dist/sw.js, written after the build by scripts/gen-sw.mjs)
// precaches every file of this build. Only over http(s), never file:.
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('service worker:', e));
}
