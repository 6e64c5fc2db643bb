// Forløp service worker: after the first visit the app loads with the network gone.
// TEMPLATE: scripts/gen-sw.mjs replaces the two placeholders after `trunk build`, listing every
// file of dist/ (with Trunk's hashed names) and a version hash of their contents.
const VERSION = '__FORLOP_SW_VERSION__';
const PRECACHE = __FORLOP_SW_FILES__;
const CACHE = `forlop-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((f) => new Request(f, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('forlop-') && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Cache first for this build's files; the page itself falls back to the cached index.html.
// Nothing else is fetched: the app never talks to any other origin.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(req, { ignoreSearch: true });
      if (hit) return hit;
      try {
        return await fetch(req);
      } catch (e) {
        if (req.mode === 'navigate') {
          const index = await cache.match('./index.html');
          if (index) return index;
        }
        throw e;
      }
    }),
  );
});
