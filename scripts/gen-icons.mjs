#!/usr/bin/env node
// Draws the app's icons (www/icons/icon-192.png, icon-512.png, icon-maskable-512.png) from
// www/icons/icon.svg with headless Chromium, so the PNGs are reproducible from the committed SVG.
// The PNGs are committed; run this only after changing the SVG:
//   node scripts/gen-icons.mjs
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, 'www/icons');
const svg = fs.readFileSync(path.join(dir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROME || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
// The SVG is full-bleed with its drawing inside the central 80 %, so one drawing serves both
// the plain icons and the maskable one (whose platform mask may cut up to the outer 10 %).
for (const [name, size] of [['icon-192.png', 192], ['icon-512.png', 512], ['icon-maskable-512.png', 512]]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const html = `<!DOCTYPE html><html><body style="margin:0">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`;
  await page.setContent(html);
  await page.screenshot({ path: path.join(dir, name), omitBackground: false, clip: { x: 0, y: 0, width: size, height: size } });
  await page.close();
  console.log(`www/icons/${name}`);
}
await browser.close();
