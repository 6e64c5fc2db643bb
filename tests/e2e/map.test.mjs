// The map panel on the demo (issue 12, point 3): the borders are fetched only when the map is
// first opened; every municipality of the results is painted from the CLI's long table (its value
// in a colour class, suppressed hatched — never a colour —, not estimable grey); codes that are
// not on the 2024 map are listed beside it; at health-community level municipalities take their
// community's value; "my area" from ?area= is outlined and named; Kartverket is credited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, BASE, ARTIFACTS, forlop, forlopIndicators, waitForReport, tmpdir } from './lib.mjs';

const PERSONS = 2000, SEED = 2024, YEAR = 2024; // the app's demo (pages/start.rs)
const MY_HC = 'Bjørgvin og Øyane'; // crates/synth/src/geography.rs: 4601, 4626, 4627, 4631, 4632

function longTable(dir) {
  const rows = forlopIndicators(dir, YEAR, 5).trim().split('\n').slice(1).map((l) => l.split(','));
  return rows.map(([indicator, group, level, area, year, num, den, value, suppressed]) =>
    ({ indicator, group, level, area, year, num, den, value, suppressed: suppressed === 'true' }));
}

test('map on the demo: lazy borders, values from the long table, hatching, unmapped codes, my area', async () => {
  const dir = tmpdir('forlop-map-');
  forlop(['synth', '--out', dir, '--persons', String(PERSONS), '--seed', String(SEED), '--year', String(YEAR)]);
  const long = longTable(dir);
  const { browser, page, log } = await launch();
  // What the page itself asked for (the service worker precaches the borders in the background
  // after the first load; the page must not wait for them).
  const asked = [];
  page.on('request', (r) => asked.push(r.url()));
  try {
    await page.goto(`${BASE}?lang=en&area=health_community:${encodeURIComponent(MY_HC)}`, { waitUntil: 'load' });
    await page.waitForSelector('#demo:not([disabled])', { timeout: 30000 });
    await page.selectOption('#demo-size', String(PERSONS));
    await page.selectOption('#demo-year', String(YEAR));
    await page.click('#demo');
    await waitForReport(page);
    await page.waitForSelector('#indicator-0');
    assert.ok(!asked.some((u) => u.includes('kommuner-2024.json')), 'borders not fetched by the page before the map is opened');
    const id = await page.getAttribute('#indicator-0', 'data-indicator');
    assert.ok(id.startsWith('smi.'), id);
    // The first module (smi) and its first group ("all"), the map's default indicator = the first card's.
    const rows = long.filter((r) => r.indicator === id && r.group === 'all');
    await page.click('#map-panel > summary');
    await page.waitForSelector('#map-drawing svg path[data-code="0301"]', { timeout: 30000 });
    assert.ok(asked.some((u) => u.includes('maps/kommuner-2024.json')), 'borders fetched when opened');
    assert.equal(await page.$$eval('#map-drawing svg path[data-code]', (ps) => ps.length), 357, 'all 357 municipalities of 2024');

    // Municipality level: every municipality of the long table, painted from its row.
    assert.equal(await page.inputValue('#map-level'), 'municipality');
    const paint = async () => page.$$eval('#map-drawing svg path[data-code]', (ps) =>
      Object.fromEntries(ps.map((p) => [p.dataset.code, { paint: p.dataset.paint, value: p.dataset.value, fill: p.getAttribute('fill'), title: p.textContent }])));
    let shown = await paint();
    const municipalities = rows.filter((r) => r.level === 'municipality');
    assert.ok(municipalities.length >= 39);
    const unmapped = await page.textContent('#map-unmapped');
    let onMap = 0, hatched = 0, coloured = 0;
    for (const r of municipalities) {
      const p = shown[r.area];
      if (!p) {
        assert.ok(unmapped.includes(r.area), `${r.area} is not on the map and is listed beside it`);
        continue;
      }
      onMap++;
      if (r.suppressed) {
        hatched++;
        assert.equal(p.paint, 'suppressed', `${r.area} suppressed`);
        assert.equal(p.fill, 'url(#map-hatch)', `${r.area} hatched, not a colour`);
        assert.equal(p.value, '', `${r.area} has no value`);
      } else if (r.value === '') {
        assert.equal(p.paint, 'no-data', `${r.area} not estimable`);
      } else {
        coloured++;
        assert.match(p.paint, /^class-[0-4]$/, `${r.area} coloured`);
        assert.equal(Number(p.value), Number(r.value), `${r.area} = long table`);
      }
    }
    // The demo's codes that exist in 2024 (4601 Bergen, 5001 Trondheim, …) are on the map; the
    // invented ones (0312, 0402, …) are not.
    assert.ok(onMap >= 20 && hatched >= 3 && coloured >= 5, `on map ${onMap}, hatched ${hatched}, coloured ${coloured}`);
    assert.ok(unmapped.includes('0312'), '0312 listed');
    // The lowest and highest values shown get the lightest and darkest class.
    const values = municipalities.filter((r) => !r.suppressed && r.value !== '' && shown[r.area]);
    const all = municipalities.filter((r) => !r.suppressed && r.value !== '').map((r) => Number(r.value));
    const lo = values.find((r) => Number(r.value) === Math.min(...all));
    if (lo) assert.equal(shown[lo.area].paint, 'class-0');
    const hi = values.find((r) => Number(r.value) === Math.max(...all));
    if (hi) assert.equal(shown[hi.area].paint, 'class-4');
    // A municipality with no row is grey.
    assert.equal(shown['3101'].paint, 'no-data');
    // The legend: five classes, hatched = suppressed; the credit under the map.
    assert.equal(await page.locator('#map-legend li').count(), 7);
    assert.match(await page.textContent('#map-legend li[data-paint="suppressed"]'), /suppressed/);
    assert.ok(await page.isVisible('#map-credit'));
    assert.match(await page.textContent('#map-credit'), /© Kartverket, CC BY 4\.0/);
    // My area (?area=): its municipalities on the map outlined, its name and value beside.
    const mine = await page.$$eval('#map-drawing svg [data-mine]', (ps) => ps.map((p) => p.dataset.mine).sort());
    assert.deepEqual(mine, ['4601', '4626', '4627', '4631', '4632']);
    // …and enlarged beside the map: the same outlines, in a view a few tens of km around them.
    const zoomed = await page.$$eval('#map-zoom svg [data-mine]', (ps) => ps.map((p) => p.dataset.mine).sort());
    assert.deepEqual(zoomed, mine);
    const [, , zw] = (await page.getAttribute('#map-zoom svg', 'viewBox')).split(' ').map(Number);
    assert.ok(zw > 0 && zw < 600, `zoom width ${zw} grid units (the country is 2 385)`);
    const hcRow = rows.find((r) => r.level === 'health_community' && r.area === MY_HC);
    // Named with its value as the card's table shows it (a count whole, anything else to one decimal).
    const myText = await page.textContent('#map-my-area');
    const v = Number(hcRow.value);
    assert.ok(myText.includes(`${MY_HC}: ${v.toFixed(0)}`) || myText.includes(`${MY_HC}: ${v.toFixed(1)}`), `${myText} ~ ${v}`);
    await page.locator('#map-panel').screenshot({ path: path.join(ARTIFACTS, '12-map-municipality.png') });

    // Health-community level: 4601 and 4626 both take their community's value.
    await page.selectOption('#map-level', 'health_community');
    await page.waitForFunction(() => document.querySelector('#map-drawing svg path[data-code="4626"]')?.dataset.paint !== 'suppressed'
      || document.querySelector('#map-level').value === 'health_community');
    shown = await paint();
    for (const code of ['4601', '4626']) {
      if (hcRow.suppressed) assert.equal(shown[code].paint, 'suppressed');
      else assert.equal(Number(shown[code].value), Number(hcRow.value), `${code} = ${MY_HC}`);
      assert.match(shown[code].title, new RegExp(MY_HC));
    }
    await page.locator('#map-panel').screenshot({ path: path.join(ARTIFACTS, '13-map-health-community.png') });
    assert.deepEqual(log.errors, [], 'no page errors');
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
  } finally {
    await browser.close();
  }
});
