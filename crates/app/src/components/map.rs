//! The map panel (issue 12, point 3): municipalities coloured by an indicator of the shown
//! module — at municipality level by their own value, at health-community or region level by
//! their area's value — as an inline SVG drawn from the 2024 borders (© Kartverket, CC BY 4.0).
//!
//! The borders (`www/maps/kommuner-2024.json`, made by `scripts/gen-map.mjs`: UTM 33, 500 m
//! grid, SVG paths) are fetched the first time the panel is opened, never before, so the first
//! chart does not wait for them; the service worker precaches them for offline use.
//!
//! Suppressed areas are hatched, never coloured as a value; municipalities without data are
//! light grey; codes in the results that are not on the map are listed beside it. The user's
//! area (`?area=<level>:<area>`) is outlined and named in the caption (never colour alone).
//! Everything but the fetch and the panel is pure and tested natively.

use crate::i18n::{tr, Key};
use crate::meta::{self, UnitKind};
use crate::protocol::ReportView;
use crate::selection::{level_label, series_for, Selection};
use crate::AppState;
use forlop_core::output::{format_number, Cell, Level};
use forlop_core::text::Lang;
use leptos::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Where the borders are, relative to the page (Trunk copies `www/maps/` into `dist/maps/`).
pub const GEOMETRY_URL: &str = "maps/kommuner-2024.json";

/// Five sequential classes (ColorBrewer "Blues"), light = low; distinguishable in greyscale.
pub const CLASSES: [&str; 5] = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

/// Fill of a municipality without data (not in the results, or not estimable).
pub const NO_DATA: &str = "#ececec";

/// Id of the hatch pattern of suppressed areas.
pub const HATCH_ID: &str = "map-hatch";

/// The borders as `scripts/gen-map.mjs` writes them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Geometry {
    /// The credit the licence asks for.
    pub credit: String,
    /// Width of the drawing in grid units.
    pub width: u32,
    /// Height of the drawing in grid units.
    pub height: u32,
    /// Every municipality, by code.
    pub municipalities: Vec<Shape>,
}

/// One municipality's outline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Shape {
    /// Four-digit code, as in the canonical tables.
    pub code: String,
    /// Its name on the map.
    pub name: String,
    /// SVG path data.
    pub d: String,
}

/// How a municipality is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Class `i` of the [`Scale`].
    Class(usize),
    /// Suppressed: hatched.
    Suppressed,
    /// Not estimable, or not in the results: grey.
    NoData,
}

impl Paint {
    /// The SVG fill.
    pub fn fill(self) -> String {
        match self {
            Paint::Class(i) => CLASSES[i.min(CLASSES.len() - 1)].to_string(),
            Paint::Suppressed => format!("url(#{HATCH_ID})"),
            Paint::NoData => NO_DATA.to_string(),
        }
    }

    /// A short name for tests and styling (`class-2`, `suppressed`, `no-data`).
    pub fn name(self) -> String {
        match self {
            Paint::Class(i) => format!("class-{i}"),
            Paint::Suppressed => "suppressed".into(),
            Paint::NoData => "no-data".into(),
        }
    }
}

/// Equal-interval classes between the smallest and largest value shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Scale {
    /// The scale of `values` (finite ones); `None` without any.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Scale> {
        let mut out: Option<Scale> = None;
        for v in values.into_iter().filter(|v| v.is_finite()) {
            let s = out.get_or_insert(Scale { min: v, max: v });
            s.min = s.min.min(v);
            s.max = s.max.max(v);
        }
        out
    }

    /// Number of classes: one when every value is the same.
    pub fn classes(&self) -> usize {
        if self.max > self.min {
            CLASSES.len()
        } else {
            1
        }
    }

    /// The class of `v`: `[min + i·w, min + (i+1)·w)`, the last one closed.
    pub fn class_of(&self, v: f64) -> usize {
        let n = self.classes();
        if n == 1 {
            return 0;
        }
        let w = (self.max - self.min) / n as f64;
        (((v - self.min) / w).floor().max(0.0) as usize).min(n - 1)
    }

    /// Lower and upper bound of class `i`.
    pub fn bounds(&self, i: usize) -> (f64, f64) {
        let n = self.classes();
        let w = (self.max - self.min) / n as f64;
        let hi = if i + 1 >= n {
            self.max
        } else {
            self.min + w * (i + 1) as f64
        };
        (self.min + w * i as f64, hi)
    }
}

/// One municipality of the results as the map paints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shade {
    /// How it is painted.
    pub paint: Paint,
    /// Its label and value, for the tooltip and the list of codes not on the map.
    pub title: String,
    /// The value at full precision, as in the long table (empty when there is none).
    pub value: String,
    /// Whether it lies in the user's area (outlined).
    pub mine: bool,
}

/// What the map shows for one indicator, group and level.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapModel {
    /// The colour scale; `None` when no value is shown.
    pub scale: Option<Scale>,
    /// Per municipality code of the results.
    pub shades: HashMap<String, Shade>,
    /// Municipalities of the results whose code is not on the map: title, in the engine's order.
    pub unmapped: Vec<String>,
    /// The user's area, as a label with its value, when set and found.
    pub mine: Option<String>,
}

/// The area whose value colours municipality `m` at `level`.
fn colouring_area(report: &ReportView, m: usize, level: Level) -> Option<usize> {
    let a = report.areas.get(m)?;
    match level {
        Level::Municipality => Some(m),
        Level::HealthCommunity => a.health_community,
        Level::Region => a.region,
        Level::Country => report.areas_at(Level::Country).first().copied(),
    }
}

/// Whether municipality `m` lies in area `area` (of any level).
fn lies_in(report: &ReportView, m: usize, area: usize) -> bool {
    let Some(x) = report.areas.get(m) else {
        return false;
    };
    m == area
        || x.health_community == Some(area)
        || x.region == Some(area)
        || report
            .areas
            .get(area)
            .is_some_and(|a| a.level == Level::Country)
}

/// The value of a cell as shown, with the unit.
fn value_text(cell: Option<Cell>, unit: UnitKind, lang: Lang) -> String {
    match cell {
        Some(Cell::Value { value, .. }) => meta::format_value(unit, value, lang),
        Some(Cell::Suppressed(_)) => format!("– ({})", tr(Key::Suppressed, lang)),
        Some(Cell::NotEstimable { .. }) => format!("– ({})", tr(Key::NotEstimable, lang)),
        None => tr(Key::MapNoData, lang).to_string(),
    }
}

/// The map of `result` for `group` at `level`; `on_map` tells whether a code has a shape;
/// `my_area` is an index into the report's areas.
pub fn model(
    report: &ReportView,
    result: usize,
    group: usize,
    level: Level,
    my_area: Option<usize>,
    on_map: &dyn Fn(&str) -> bool,
    lang: Lang,
) -> MapModel {
    let mut out = MapModel::default();
    let Some(r) = report.results.get(result) else {
        return out;
    };
    let unit = meta::unit_kind(&r.id);
    let municipalities = report.areas_at(Level::Municipality);
    let cell_of =
        |m: usize| colouring_area(report, m, level).and_then(|a| report.cell(r, group, a));
    // The scale spans the values of the areas that colour the map.
    let colouring: Vec<usize> = if level == Level::Municipality {
        municipalities.clone()
    } else {
        report.areas_at(level)
    };
    out.scale = Scale::of(
        colouring
            .iter()
            .filter_map(|&a| report.cell(r, group, a).and_then(|c| c.value())),
    );
    for &m in &municipalities {
        let cell = cell_of(m);
        let paint = match (cell, out.scale) {
            (Some(Cell::Value { value, .. }), Some(s)) => Paint::Class(s.class_of(value)),
            (Some(Cell::Suppressed(_)), _) => Paint::Suppressed,
            _ => Paint::NoData,
        };
        let mut title = report.area_label(m, lang);
        if level != Level::Municipality {
            if let Some(a) = colouring_area(report, m, level) {
                title = format!("{title} ({})", report.area_label(a, lang));
            }
        }
        let title = format!("{title}: {}", value_text(cell, unit, lang));
        let code = report.areas[m].name.clone();
        if !on_map(&code) {
            out.unmapped.push(title.clone());
        }
        let value = match cell {
            Some(Cell::Value { value, .. }) => format_number(value),
            _ => String::new(),
        };
        let mine = my_area.is_some_and(|a| lies_in(report, m, a));
        out.shades.insert(
            code,
            Shade {
                paint,
                title,
                value,
                mine,
            },
        );
    }
    out.mine = my_area.filter(|&a| a < report.areas.len()).map(|a| {
        format!(
            "{}: {}",
            report.area_label(a, lang),
            value_text(report.cell(r, group, a), unit, lang)
        )
    });
    out
}

/// Escapes text for XML.
fn escape(s: &str) -> String {
    crate::charts::escape_html(s)
}

/// The map as SVG markup: one path per municipality (fill, `data-code`, `data-paint`,
/// `data-value`, a `<title>`), the hatch pattern, and the user's area outlined on top.
pub fn svg(geometry: &Geometry, model: &MapModel, caption_id: &str, lang: Lang) -> String {
    let whole = [0.0, 0.0, geometry.width as f64, geometry.height as f64];
    svg_view(geometry, model, caption_id, lang, whole, HATCH_ID)
}

/// The map as [`svg`] draws it, showing only `view` (`[x, y, width, height]` in grid units),
/// with its own hatch pattern id (ids are unique in a page) scaled to the view.
pub fn svg_view(
    geometry: &Geometry,
    model: &MapModel,
    caption_id: &str,
    lang: Lang,
    view: [f64; 4],
    hatch_id: &str,
) -> String {
    // About 150 stripes across the view, whatever its size.
    let p = (view[2].max(view[3]) / 150.0).max(0.5);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" class=\"map-svg\" \
         role=\"img\" aria-labelledby=\"{caption_id}\">\
         <defs><pattern id=\"{hatch_id}\" patternUnits=\"userSpaceOnUse\" width=\"{p:.2}\" height=\"{p:.2}\" \
         patternTransform=\"rotate(45)\"><rect width=\"{p:.2}\" height=\"{p:.2}\" fill=\"#ffffff\"/>\
         <rect width=\"{:.2}\" height=\"{p:.2}\" fill=\"#555555\"/></pattern></defs>\
         <g stroke=\"#7a7a7a\" stroke-width=\"0.4\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">",
        view[0],
        view[1],
        view[2],
        view[3],
        p * 0.375,
    );
    let mut mine = String::new();
    for s in &geometry.municipalities {
        let (paint, title, value) = match model.shades.get(&s.code) {
            Some(sh) => (sh.paint, sh.title.clone(), sh.value.as_str()),
            None => (
                Paint::NoData,
                format!("{} {}: {}", s.code, s.name, tr(Key::MapNoData, lang)),
                "",
            ),
        };
        let fill = match paint {
            Paint::Suppressed => format!("url(#{hatch_id})"),
            other => other.fill(),
        };
        out.push_str(&format!(
            "<path d=\"{d}\" fill=\"{fill}\" vector-effect=\"non-scaling-stroke\" data-code=\"{code}\" \
             data-paint=\"{paint}\" data-value=\"{value}\"><title>{title}</title></path>",
            d = s.d,
            code = escape(&s.code),
            paint = paint.name(),
            title = escape(&title),
        ));
        if model.shades.get(&s.code).is_some_and(|sh| sh.mine) {
            mine.push_str(&format!(
                "<path d=\"{}\" data-mine=\"{}\" vector-effect=\"non-scaling-stroke\"/>",
                s.d,
                escape(&s.code)
            ));
        }
    }
    out.push_str("</g>");
    if !mine.is_empty() {
        out.push_str(&format!(
            "<g class=\"map-mine\" fill=\"none\" stroke=\"#d55e00\" stroke-width=\"1.2\" \
             stroke-linejoin=\"round\">{mine}</g>"
        ));
    }
    out.push_str("</svg>");
    out
}

/// The bounding box `[min x, min y, max x, max y]` of a path as `scripts/gen-map.mjs` writes
/// it (`M x y l dx dy … z` per ring); `None` without a point.
pub fn path_bbox(d: &str) -> Option<[f64; 4]> {
    let mut bb: Option<[f64; 4]> = None;
    let mut add = |x: f64, y: f64| {
        let b = bb.get_or_insert([x, y, x, y]);
        *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    };
    for ring in d.split('M').filter(|r| !r.trim().is_empty()) {
        let ring = ring.trim().trim_end_matches('z');
        let (start, moves) = ring.split_once('l').unwrap_or((ring, ""));
        let start: Vec<f64> = start
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        let [mut x, mut y] = match start[..] {
            [x, y, ..] => [x, y],
            _ => continue,
        };
        add(x, y);
        let moves: Vec<f64> = moves
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        for m in moves.chunks_exact(2) {
            x += m[0];
            y += m[1];
            add(x, y);
        }
    }
    bb
}

/// The view around the user's area on the map: the bounding box of its municipalities, with a
/// margin of a fifth of its size (at least 20 km) on every side; `None` when none is on the map.
pub fn zoom_view(geometry: &Geometry, model: &MapModel) -> Option<[f64; 4]> {
    let mut bb: Option<[f64; 4]> = None;
    for s in &geometry.municipalities {
        if !model.shades.get(&s.code).is_some_and(|sh| sh.mine) {
            continue;
        }
        if let Some(b) = path_bbox(&s.d) {
            let u = bb.get_or_insert(b);
            *u = [
                u[0].min(b[0]),
                u[1].min(b[1]),
                u[2].max(b[2]),
                u[3].max(b[3]),
            ];
        }
    }
    let [x0, y0, x1, y1] = bb?;
    // 40 grid units = 20 km.
    let margin = ((x1 - x0).max(y1 - y0) / 5.0).max(40.0);
    Some([
        x0 - margin,
        y0 - margin,
        x1 - x0 + 2.0 * margin,
        y1 - y0 + 2.0 * margin,
    ])
}

/// The legend's swatch of the user's area: the outline drawn around it on the map.
const MINE_SWATCH: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"18\" height=\"14\" \
    aria-hidden=\"true\"><rect x=\"1\" y=\"1\" width=\"16\" height=\"12\" fill=\"none\" \
    stroke=\"#d55e00\" stroke-width=\"2\"/></svg>";

/// A legend swatch as SVG markup.
fn swatch(fill: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"18\" height=\"14\" aria-hidden=\"true\">\
         <rect x=\"0.5\" y=\"0.5\" width=\"17\" height=\"13\" fill=\"{fill}\" stroke=\"#7a7a7a\"/></svg>"
    )
}

/// "My area" (the page's `?area=`, [`AppState::my_area`]) as an index into the report's areas.
fn my_area(report: &ReportView, mine: &Option<(Level, String)>) -> Option<usize> {
    crate::components::area_report::my_area_index(report, mine)
}

thread_local! {
    /// The borders once fetched, for every later map.
    static GEOMETRY: std::cell::RefCell<Option<Arc<Geometry>>> = const { std::cell::RefCell::new(None) };
}

async fn fetch_geometry() -> Result<Geometry, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let js = |e: wasm_bindgen::JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(GEOMETRY_URL))
        .await
        .map_err(js)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js)?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(js)?)
        .await
        .map_err(js)?
        .as_string()
        .ok_or("not text")?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// The map panel of the shown module: an indicator and a level to choose, the map, its legend,
/// the codes not on the map and the credit. Collapsed at first; the borders load when opened.
#[component]
pub fn MapPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let geometry = RwSignal::new(GEOMETRY.with(|g| g.borrow().clone()).map(Ok::<_, String>));
    let indicator = RwSignal::new(None::<usize>);
    let level = RwSignal::new(Level::Municipality);
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        if !open || geometry.get_untracked().is_some() {
            return;
        }
        leptos::task::spawn_local(async move {
            let got = fetch_geometry().await.map(Arc::new);
            if let Ok(g) = &got {
                GEOMETRY.with(|c| *c.borrow_mut() = Some(g.clone()));
            }
            geometry.set(Some(got));
        });
    };
    // The indicators of the shown module: (result index, title).
    let choices = Memo::new(move |_| {
        let l = lang.get();
        let m = sel.module.get();
        state.report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.results_of(m)
                        .into_iter()
                        .map(|i| (i, meta::info(&r.results[i].id, l).title))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let levels = Memo::new(move |_| {
        state.report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.levels()
                        .into_iter()
                        .filter(|l| *l != Level::Country)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let chosen = move || {
        let list = choices.get();
        indicator
            .get()
            .filter(|i| list.iter().any(|(j, _)| j == i))
            .or_else(|| list.first().map(|(i, _)| *i))
    };
    let drawn = move || {
        let l = lang.get();
        let g = geometry.get()?;
        let g = match g {
            Ok(g) => g,
            Err(e) => {
                return Some(
                    view! { <p class="map-failed" role="alert">{format!("{}: {e}", tr(Key::MapFailed, l))}</p> }
                        .into_any(),
                )
            }
        };
        let result = chosen()?;
        let lv = level.get();
        let r = state.report.get()?;
        let decl = r.modules.get(r.results.get(result)?.module)?.decl()?;
        let group = series_for(decl, &sel.bases.get(), sel.split.get())
            .first()
            .copied()
            .unwrap_or(0);
        let codes: std::collections::HashSet<&str> =
            g.municipalities.iter().map(|m| m.code.as_str()).collect();
        let mine = my_area(&r, &state.my_area.get());
        let m = model(&r, result, group, lv, mine, &|c| codes.contains(c), l);
        let unit = meta::unit_kind(&r.results[result].id);
        let markup = svg(&g, &m, "map-caption", l);
        let zoom =
            zoom_view(&g, &m).map(|v| svg_view(&g, &m, "map-zoom-caption", l, v, "map-hatch-zoom"));
        let caption = format!(
            "{} · {} · {} · {}",
            meta::info(&r.results[result].id, l).title,
            decl.group_label(group, l),
            level_label(lv, l),
            r.settings.year
        );
        let legend: Vec<(String, String)> = m
            .scale
            .map(|s| {
                (0..s.classes())
                    .map(|i| {
                        let (lo, hi) = s.bounds(i);
                        (
                            swatch(CLASSES[i]),
                            format!(
                                "{} – {}",
                                meta::format_value(unit, lo, l),
                                meta::format_value(unit, hi, l)
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let unmapped = m.unmapped.clone();
        Some(
            view! {
                <div class="map-layout">
                    <figure class="map-figure">
                        <div class="map-drawing" id="map-drawing" inner_html=markup></div>
                        <figcaption id="map-caption">{caption}</figcaption>
                        <p class="map-credit" id="map-credit">{tr(Key::MapCredit, l)}</p>
                    </figure>
                    <div class="map-side">
                        {m.mine.map(|t| view! {
                            <p class="map-my-area" id="map-my-area"><span inner_html=MINE_SWATCH></span>" "<strong>{tr(Key::MapMyArea, l)}</strong>" "{t}</p>
                        })}
                        {zoom.map(|z| view! {
                            <figure class="map-zoom" id="map-zoom">
                                <div inner_html=z></div>
                                <figcaption id="map-zoom-caption">{tr(Key::MapZoom, l)}</figcaption>
                            </figure>
                        })}
                        <ul class="map-legend" id="map-legend">
                            {legend.into_iter().map(|(sw, text)| view! {
                                <li><span inner_html=sw></span>" "{text}</li>
                            }).collect_view()}
                            <li data-paint="suppressed"><span inner_html=swatch(&Paint::Suppressed.fill())></span>" "{tr(Key::Suppressed, l)}</li>
                            <li data-paint="no-data"><span inner_html=swatch(NO_DATA)></span>" "{format!("{} / {}", tr(Key::MapNoData, l), tr(Key::NotEstimable, l))}</li>
                        </ul>
                        {(!unmapped.is_empty()).then(|| view! {
                            <div id="map-unmapped">
                                <h4>{tr(Key::MapUnmapped, l)}</h4>
                                <ul>{unmapped.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                            </div>
                        })}
                    </div>
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <details class="card map-panel" id="map-panel" on:toggle=on_toggle>
            <summary>{move || tr(Key::MapHeading, lang.get())}</summary>
            <p>{move || tr(Key::MapIntro, lang.get())}</p>
            <div class="map-controls">
                <div class="field inline">
                    <label for="map-indicator">{move || tr(Key::Indicator, lang.get())}</label>
                    <select id="map-indicator" on:change=move |ev| indicator.set(event_target_value(&ev).parse().ok())>
                        {move || {
                            let now = chosen();
                            choices.get().into_iter().map(|(i, title)| view! {
                                <option value=i.to_string() selected=now == Some(i)>{title}</option>
                            }).collect_view()
                        }}
                    </select>
                </div>
                <div class="field inline">
                    <label for="map-level">{move || tr(Key::Level, lang.get())}</label>
                    <select id="map-level" on:change=move |ev| {
                        if let Some(l) = Level::parse(&event_target_value(&ev)) { level.set(l) }
                    }>
                        {move || levels.get().into_iter().map(|l| view! {
                            <option value=l.as_str() selected=move || level.get() == l>{move || level_label(l, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || match geometry.get() {
                None => Some(view! { <p class="map-loading">{tr(Key::MapLoading, lang.get())}</p> }.into_any()),
                Some(_) => drawn(),
            }}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{AreaView, Grid, ResultView};
    use forlop_core::output::SuppressReason;

    fn area(level: Level, name: &str, hc: Option<usize>, region: Option<usize>) -> AreaView {
        AreaView {
            level,
            name: name.into(),
            municipality_name: None,
            region,
            health_community: hc,
        }
    }

    fn value(v: f64) -> Cell {
        Cell::Value {
            numerator: None,
            denominator: None,
            value: v,
        }
    }

    /// Country, one region, one health community, three municipalities (one off the map).
    fn report() -> ReportView {
        let cells = [
            value(20.0),                                 // NO
            value(30.0),                                 // region R
            Cell::Suppressed(SuppressReason::Primary),   // health community H
            value(10.0),                                 // 0301
            Cell::Suppressed(SuppressReason::Secondary), // 4601
            value(50.0),                                 // 9999 (not on the map)
        ];
        ReportView {
            areas: vec![
                area(Level::Country, "NO", None, None),
                area(Level::Region, "R", None, None),
                area(Level::HealthCommunity, "H", None, Some(1)),
                area(Level::Municipality, "0301", Some(2), Some(1)),
                area(Level::Municipality, "4601", Some(2), Some(1)),
                area(Level::Municipality, "9999", Some(2), Some(1)),
            ],
            results: vec![ResultView {
                id: "smi.admitted".into(),
                module: 0,
                cells: Grid::from_cells(&cells),
                intervals: Default::default(),
                variation: Vec::new(),
            }],
            ..ReportView::default()
        }
    }

    #[test]
    fn classes_are_equal_intervals_and_the_top_is_closed() {
        let s = Scale::of([10.0, 50.0, f64::NAN]).unwrap();
        // Width (50 − 10) / 5 = 8: 10..18, 18..26, 26..34, 34..42, 42..50.
        assert_eq!(s.class_of(10.0), 0);
        assert_eq!(s.class_of(17.9), 0);
        assert_eq!(s.class_of(18.0), 1);
        assert_eq!(s.class_of(50.0), 4);
        assert_eq!(s.bounds(1), (18.0, 26.0));
        assert_eq!(s.bounds(4), (42.0, 50.0));
        let one = Scale::of([7.0]).unwrap();
        assert_eq!((one.classes(), one.class_of(7.0)), (1, 0));
        assert_eq!(Scale::of([]), None);
    }

    #[test]
    fn municipalities_take_their_own_or_their_areas_value_and_suppressed_is_never_a_colour() {
        let r = report();
        let on_map = |c: &str| c != "9999";
        let m = model(&r, 0, 0, Level::Municipality, None, &on_map, Lang::En);
        // Values 10 and 50 span the scale (4601 is suppressed): 0301 is the lowest class.
        assert_eq!(
            m.scale,
            Some(Scale {
                min: 10.0,
                max: 50.0
            })
        );
        assert_eq!(m.shades["0301"].paint, Paint::Class(0));
        assert_eq!(m.shades["0301"].value, "10");
        assert_eq!(m.shades["4601"].paint, Paint::Suppressed);
        assert_eq!(m.shades["4601"].value, "");
        assert_eq!(m.shades["9999"].paint, Paint::Class(4));
        assert_eq!(m.unmapped, vec!["9999: 50.0%".to_string()]);
        // At health-community level every municipality is H's (suppressed) cell: all hatched.
        let m = model(&r, 0, 0, Level::HealthCommunity, None, &on_map, Lang::En);
        assert!(m.shades.values().all(|s| s.paint == Paint::Suppressed));
        assert_eq!(m.scale, None);
        // At region level all get R's 30: one class.
        let m = model(&r, 0, 0, Level::Region, Some(2), &on_map, Lang::En);
        assert!(m
            .shades
            .values()
            .all(|s| s.paint == Paint::Class(0) && s.mine));
        assert_eq!(m.shades["0301"].title, "0301 (R): 30.0%");
        assert_eq!(m.mine.as_deref(), Some("H: – (suppressed)"));
    }

    #[test]
    fn the_svg_hatches_suppressed_outlines_mine_and_greys_the_rest() {
        let r = report();
        let geometry = Geometry {
            credit: "© Kartverket, CC BY 4.0".into(),
            width: 10,
            height: 20,
            municipalities: ["0301", "4601", "5001"]
                .iter()
                .map(|c| Shape {
                    code: c.to_string(),
                    name: format!("<{c}>"),
                    d: "M1 1l1 0 0 1z".into(),
                })
                .collect(),
        };
        let m = model(&r, 0, 0, Level::Municipality, Some(3), &|_| true, Lang::Nb);
        let s = svg(&geometry, &m, "cap", Lang::Nb);
        assert!(
            s.contains("data-code=\"0301\" data-paint=\"class-0\""),
            "{s}"
        );
        assert!(s.contains("fill=\"url(#map-hatch)\""));
        assert!(s.contains("data-code=\"4601\" data-paint=\"suppressed\""));
        assert!(s.contains("data-code=\"5001\" data-paint=\"no-data\""));
        assert!(s.contains("&lt;5001&gt;: ingen data"), "names are escaped");
        assert!(s.contains("data-mine=\"0301\""));
        assert!(!s.contains("data-mine=\"4601\""));
    }

    #[test]
    fn the_zoom_frames_my_area_with_a_margin() {
        // Two rings: (10,20) → (14,20) → (14,23); (30,5) alone.
        assert_eq!(
            path_bbox("M10 20l4 0 0 3zM30 5l1 0 0 1 -1 0z"),
            Some([10.0, 5.0, 31.0, 23.0])
        );
        assert_eq!(path_bbox(""), None);
        let r = report();
        let geometry = Geometry {
            credit: String::new(),
            width: 1000,
            height: 1000,
            municipalities: vec![
                Shape {
                    code: "0301".into(),
                    name: "Oslo".into(),
                    d: "M100 100l200 0 0 100z".into(),
                },
                Shape {
                    code: "5001".into(),
                    name: "Trondheim".into(),
                    d: "M900 900l10 0 0 10z".into(),
                },
            ],
        };
        let m = model(&r, 0, 0, Level::Municipality, Some(3), &|_| true, Lang::En);
        // 0301 spans 100..300 × 100..200: margin 200 / 5 = 40 on every side.
        assert_eq!(zoom_view(&geometry, &m), Some([60.0, 60.0, 280.0, 180.0]));
        let z = svg_view(
            &geometry,
            &m,
            "z",
            Lang::En,
            [60.0, 60.0, 280.0, 180.0],
            "hz",
        );
        assert!(z.contains("viewBox=\"60 60 280 180\""));
        assert!(z.contains("<pattern id=\"hz\""));
        let none = model(&r, 0, 0, Level::Municipality, None, &|_| true, Lang::En);
        assert_eq!(zoom_view(&geometry, &none), None);
    }
}
