// Installable (issue 12, point 6): the page links a valid web app manifest (name, start_url,
// display standalone, 192/512 and maskable PNG icons that exist at their stated sizes), Chromium
// itself finds no installability error, and the service worker precaches the manifest, the
// icons and the map's borders, so the installed app opens offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from './lib.mjs';

/** Width and height of a PNG from its IHDR chunk. */
function pngSize(buf) {
  assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

test('manifest: served, valid, installable, precached', async () => {
  const { browser, page, log } = await launch();
  try {
    await page.goto(BASE, { waitUntil: 'load' });
    const href = await page.$eval('link[rel="manifest"]', (l) => l.href);
    assert.equal(href, new URL('manifest.webmanifest', BASE).href);
    const res = await page.request.get(href);
    assert.equal(res.status(), 200);
    const manifest = JSON.parse(await res.text());
    assert.equal(manifest.short_name, 'Forløp');
    assert.match(manifest.name, /^Forløp/);
    assert.equal(manifest.display, 'standalone');
    assert.equal(new URL(manifest.start_url, href).href, BASE, 'starts at the app, relative to the manifest');
    assert.equal(new URL(manifest.scope, href).href, BASE);
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    const sizes = [];
    for (const icon of manifest.icons) {
      const r = await page.request.get(new URL(icon.src, href).href);
      assert.equal(r.status(), 200, icon.src);
      const [w, h] = pngSize(await r.body());
      assert.equal(`${w}x${h}`, icon.sizes, `${icon.src} is ${icon.sizes}`);
      assert.equal(icon.type, 'image/png');
      sizes.push(`${icon.sizes} ${icon.purpose}`);
    }
    for (const need of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(sizes.includes(need), `${need} in ${sizes}`);
    // Chromium's own verdict.
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'Chromium: installable');
    const { url: manifestUrl, errors } = await cdp.send('Page.getAppManifest');
    assert.equal(manifestUrl, href);
    assert.deepEqual(errors, [], 'Chromium parses the manifest without errors');
    // Precached: in the list the build wrote, and in the cache once the service worker is active.
    const sw = await (await page.request.get(new URL('sw.js', BASE).href)).text();
    for (const f of ['./manifest.webmanifest', './icons/icon-192.png', './icons/icon-512.png', './icons/icon-maskable-512.png', './maps/kommuner-2024.json']) {
      assert.ok(sw.includes(`"${f}"`), `${f} in the precache list`);
    }
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const name = (await caches.keys()).find((k) => k.startsWith('forlop-'));
      return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    });
    for (const f of ['/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png', '/maps/kommuner-2024.json']) {
      assert.ok(cached.includes(f), `${f} cached (${cached.length} files)`);
    }
    assert.deepEqual(log.errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
