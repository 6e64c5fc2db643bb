#!/usr/bin/env node
// Compacts the municipality borders for the app's map (issue 12, point 3):
//   node scripts/gen-map.mjs [../shared/reference/maps/kommuner-2024-S.geojson] [www/maps/kommuner-2024.json]
// The source (Kartverket's borders via robhop/fylker-og-kommuner, © Kartverket, CC BY 4.0) is
// WGS84 longitude/latitude, 1.26 MB. Here each polygon is projected to UTM zone 33 (EUREF89 /
// UTM 33N, the projection of Norway's official maps), rounded to a 500 m grid, simplified with
// Douglas–Peucker at one grid step, and written as an SVG path of relative integer moves. The
// output is committed (the source lives outside the repository) and copied into dist/ by Trunk;
// the app fetches it only when a map is first shown, and the service worker precaches it.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = process.argv[2] || path.resolve(root, '../shared/reference/maps/kommuner-2024-S.geojson');
const out = process.argv[3] || path.join(root, 'www/maps/kommuner-2024.json');
const STEP = 500; // metres per unit of the SVG

// Transverse Mercator (Snyder 1987, eqs. 8-9…8-10), WGS84, central meridian 15° E, k0 0.9996.
const A = 6378137, F = 1 / 298.257223563, K0 = 0.9996, LON0 = 15 * Math.PI / 180;
const E2 = F * (2 - F), EP2 = E2 / (1 - E2), E4 = E2 * E2, E6 = E4 * E2;
function utm33([lon, lat]) {
  const phi = lat * Math.PI / 180, lam = lon * Math.PI / 180;
  const s = Math.sin(phi), c = Math.cos(phi), t = Math.tan(phi);
  const N = A / Math.sqrt(1 - E2 * s * s), T = t * t, C = EP2 * c * c, a = c * (lam - LON0);
  const M = A * ((1 - E2 / 4 - 3 * E4 / 64 - 5 * E6 / 256) * phi
    - (3 * E2 / 8 + 3 * E4 / 32 + 45 * E6 / 1024) * Math.sin(2 * phi)
    + (15 * E4 / 256 + 45 * E6 / 1024) * Math.sin(4 * phi)
    - (35 * E6 / 3072) * Math.sin(6 * phi));
  const x = K0 * N * (a + (1 - T + C) * a ** 3 / 6 + (5 - 18 * T + T * T + 72 * C - 58 * EP2) * a ** 5 / 120);
  const y = K0 * (M + N * t * (a * a / 2 + (5 - T + 9 * C + 4 * C * C) * a ** 4 / 24
    + (61 - 58 * T + T * T + 600 * C - 330 * EP2) * a ** 6 / 720));
  return [x + 500000, y];
}

// Douglas–Peucker on a closed ring (first point = last point), iterative.
function simplify(pts, tol) {
  if (pts.length <= 4) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  // Split a closed ring at its farthest point from the start, so both halves have ends.
  let far = 1, best = -1;
  for (let i = 1; i < pts.length - 1; i++) {
    const d = (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2;
    if (d > best) { best = d; far = i; }
  }
  keep[far] = 1;
  const stack = [[0, far], [far, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    const [x1, y1] = pts[i], [x2, y2] = pts[j];
    const dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy) || 1;
    let at = -1, dmax = tol;
    for (let k = i + 1; k < j; k++) {
      const d = Math.abs(dy * (pts[k][0] - x1) - dx * (pts[k][1] - y1)) / len;
      if (d > dmax) { dmax = d; at = k; }
    }
    if (at >= 0) { keep[at] = 1; stack.push([i, at], [at, j]); }
  }
  return pts.filter((_, i) => keep[i]);
}

const geo = JSON.parse(fs.readFileSync(src, 'utf8'));
const projected = geo.features.map((f) => {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  return { code: String(f.properties.kommunenummer), name: f.properties.kommunenavn, rings: polys.flat().map((r) => r.map(utm33)) };
});
let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
for (const f of projected) for (const r of f.rings) for (const [x, y] of r) {
  minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
}
const width = Math.ceil((maxX - minX) / STEP) + 2, height = Math.ceil((maxY - minY) / STEP) + 2;
let points = 0;
const municipalities = projected.map((f) => {
  const rings = f.rings.map((r) => {
    // Grid units, y downwards; drop repeated points.
    const grid = [];
    for (const [x, y] of r) {
      const p = [Math.round((x - minX) / STEP) + 1, Math.round((maxY - y) / STEP) + 1];
      const q = grid[grid.length - 1];
      if (!q || q[0] !== p[0] || q[1] !== p[1]) grid.push(p);
    }
    return simplify(grid, 1);
  });
  // Rings that shrank below a triangle vanish, but never a municipality's largest ring: a small
  // island municipality stays on the map as a few grid cells.
  const largest = rings.reduce((b, r, i) => (r.length > rings[b].length ? i : b), 0);
  const d = rings
    .filter((r, i) => r.length >= 4 || i === largest)
    .map((r) => {
      const open = r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r.slice(0, -1) : r;
      points += open.length;
      const moves = [];
      for (let i = 1; i < open.length; i++) moves.push(`${open[i][0] - open[i - 1][0]} ${open[i][1] - open[i - 1][1]}`);
      // A ring of one point still shows as a small square.
      const body = moves.length ? moves.join(' ') : '1 0 0 1 -1 0';
      return `M${open[0][0]} ${open[0][1]}l${body}z`;
    })
    .join('');
  return { code: f.code, name: f.name, d };
}).sort((a, b) => (a.code < b.code ? -1 : 1));
const json = JSON.stringify({
  source: 'Kartverket via robhop/fylker-og-kommuner, Kommuner-S.geojson (2024)',
  credit: '© Kartverket, CC BY 4.0',
  projection: 'UTM 33N (EPSG:25833), 500 m per unit',
  width, height, municipalities,
});
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, json);
console.log(`${path.relative(root, out)}: ${municipalities.length} municipalities, ${points} points, ${json.length} bytes, ${width}×${height}`);
