#!/usr/bin/env node
// Writes dist/sw.js from the template Trunk copied there: the precache list is every file in dist/
// (Trunk's hashed names), the version a hash of their contents. Run after `trunk build`.
// usage: node scripts/gen-sw.mjs [distDir]
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dist = process.argv[2] || 'dist';
const swPath = path.join(dist, 'sw.js');
const template = fs.readFileSync(swPath, 'utf8');
if (!template.includes('__FORLOP_SW_FILES__')) {
  console.error(`${swPath} is not the template (already generated?); run trunk build first`);
  process.exit(1);
}
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
const files = walk(dist)
  .map((f) => path.relative(dist, f).split(path.sep).join('/'))
  .filter((f) => f !== 'sw.js')
  .sort();
const hash = createHash('sha256');
for (const f of files) {
  hash.update(f);
  hash.update(fs.readFileSync(path.join(dist, f)));
}
const version = hash.digest('hex').slice(0, 16);
const list = ['./', ...files.map((f) => `./${f}`)];
fs.writeFileSync(swPath, template
  .replace('__FORLOP_SW_VERSION__', version)
  .replace('__FORLOP_SW_FILES__', JSON.stringify(list, null, 2)));
console.log(`dist/sw.js: ${list.length} files, version ${version}`);
