//! The follow-up curve of the pathway module (issue 7, indicators.md §4): for one kind of
//! follow-up (GP, outpatient clinic, home nursing, …) and one group, the share of followed
//! discharges followed up by day 3, 7, 14, 30, 90 and 365 — a step chart with a line per area of
//! the chosen level and the country drawn strongest, and beside it the same numbers as a table.
//!
//! Every point is an engine cell (`path.<kind>_<W>`), nothing is computed here. A suppressed or
//! not-estimable point is never drawn as 0: the line has a gap there, the chart's note says how
//! many points were left out, and the table shows "–" with the reason. The table's last row is
//! the country's `path.censored_W`: the discharges left out because their window runs past the
//! data's end (for the last year of an extract, every 365-day window does).

use crate::charts::{escape_html, ChartSpec, PALETTE};
use crate::components::indicator::reason_text;
use crate::i18n::{tr, Key};
use crate::protocol::ReportView;
use crate::selection::{level_label, series_for, Selection};
use crate::AppState;
use charming::component::{Axis, Grid, Legend, LegendType, Title};
use charming::datatype::DataPointItem;
use charming::element::{
    AxisLabel, AxisType, ItemStyle, LineStyle, LineStyleType, NameLocation, Step, Symbol,
    TextStyle, Tooltip, Trigger,
};
use charming::Chart;
use forlop_core::output::{Cell, Level};
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

/// The windows of §4, in days (the module always computes all six).
pub const WINDOWS: [u32; 6] = [3, 7, 14, 30, 90, 365];

/// The kinds of follow-up, in the spec's order: id stem of `path.<id>_<W>` and its name.
pub const KINDS: [(&str, Text); 6] = [
    ("outpatient", t("Poliklinisk kontakt", "Outpatient contact")),
    ("gp", t("Fastlegekontakt", "GP contact")),
    ("oohs", t("Legevaktkontakt", "Out-of-hours contact")),
    ("home_health", t("Hjemmesykepleie", "Home nursing")),
    ("any_municipal", t("Kommunal tjeneste", "Municipal service")),
    ("readmitted", t("Akutt reinnleggelse", "Acute readmission")),
];

/// The kind shown first: the GP's follow-up, which seeds 000 and 004 ask about for both cohorts
/// (docs/choices.md, "Follow-up curve"); the first kind computed when the GP's is not.
pub const DEFAULT_KIND: &str = "gp";

/// Areas drawn at first besides the country; the others are in the legend (switched off) and in
/// the table.
pub const AREAS_DRAWN: usize = 5;

/// Country line colour: the page's ink, darker than every palette colour.
const COUNTRY_COLOUR: &str = "#1b1f24";

/// Shapes of the area lines' points, so lines differ without colour.
const SHAPES: [Symbol; 5] = [
    Symbol::Rect,
    Symbol::Triangle,
    Symbol::Diamond,
    Symbol::RoundRect,
    Symbol::Pin,
];

/// One line of the curve: an area and its cell for each window.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveLine {
    /// Area label as shown.
    pub area: String,
    /// Whether it is the country (drawn strongest).
    pub country: bool,
    /// One cell per window of [`WINDOWS`]; `None` when the indicator was not computed.
    pub cells: Vec<Option<Cell>>,
}

/// The index in `report.results` of indicator `id`.
fn result_of(report: &ReportView, id: &str) -> Option<usize> {
    report.results.iter().position(|r| r.id == id)
}

/// The kinds whose indicators the report has (a kind needs its table: the GP's needs primary
/// care), in [`KINDS`] order.
pub fn available_kinds(report: &ReportView) -> Vec<&'static str> {
    KINDS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| result_of(report, &format!("path.{k}_{}", WINDOWS[0])).is_some())
        .collect()
}

/// The lines of kind `kind` for group `group` (index in the module's groups): the country first,
/// then every area of `level` in the engine's order.
pub fn curve(
    report: &ReportView,
    kind: &str,
    group: usize,
    level: Level,
    lang: Lang,
) -> Vec<CurveLine> {
    let results: Vec<Option<usize>> = WINDOWS
        .iter()
        .map(|w| result_of(report, &format!("path.{kind}_{w}")))
        .collect();
    let line = |area: usize, country: bool| CurveLine {
        area: report.area_label(area, lang),
        country,
        cells: results
            .iter()
            .map(|r| r.and_then(|i| report.cell(&report.results[i], group, area)))
            .collect(),
    };
    let mut lines: Vec<CurveLine> = report
        .areas_at(Level::Country)
        .into_iter()
        .map(|a| line(a, true))
        .collect();
    if level != Level::Country {
        lines.extend(report.areas_at(level).into_iter().map(|a| line(a, false)));
    }
    lines
}

/// The country's `path.censored_W` cells for `group`, one per window.
pub fn censored(report: &ReportView, group: usize) -> Vec<Option<Cell>> {
    let country = report.areas_at(Level::Country).first().copied();
    WINDOWS
        .iter()
        .map(|w| {
            let r = result_of(report, &format!("path.censored_{w}"))?;
            report.cell(&report.results[r], group, country?)
        })
        .collect()
}

/// Texts and number formats of the chart, in the user's language.
pub struct CurveLabels<'a> {
    /// Chart title.
    pub title: &'a str,
    /// Subtitle (group, level, year, the suppression mark).
    pub subtitle: &'a str,
    /// Name of the x axis ("days after discharge").
    pub days: &'a str,
    /// A percentage as shown.
    pub value: &'a dyn Fn(f64) -> String,
    /// A count as shown.
    pub count: &'a dyn Fn(u64) -> String,
    /// A window as shown on the x axis ("day 7").
    pub day: &'a dyn Fn(u32) -> String,
}

/// Points of `lines` that are not drawn (suppressed or not estimable): (line, window) pairs.
pub fn gaps(lines: &[CurveLine]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for (w, c) in l.cells.iter().enumerate() {
            if matches!(
                c,
                Some(Cell::Suppressed(_)) | Some(Cell::NotEstimable { .. })
            ) {
                out.push((i, w));
            }
        }
    }
    out
}

/// The step chart: x = the six windows (equal steps, labelled in days), y = % followed up, one
/// line per area, the country thick and dark. A point without a value is ECharts' empty value
/// `"-"`, so the line has a gap there (never 0). The step is `start`: each window's share is
/// drawn over the interval that leads to it, so a missing window is a missing segment. With
/// `end` ECharts would draw the last known share on towards a missing window (checked with
/// ECharts 6's SVG output), as if the 365-day share were the 90-day one.
pub fn step_chart(lines: &[CurveLine], labels: &CurveLabels<'_>) -> ChartSpec {
    let days: Vec<String> = WINDOWS.iter().map(|w| (labels.day)(*w)).collect();
    let n_areas = lines.iter().filter(|l| !l.country).count();
    let legend_rows = (lines.len() as u32).div_ceil(4).min(3);
    let legend_room = 26 * legend_rows;
    let hidden: Vec<(String, bool)> = lines
        .iter()
        .filter(|l| !l.country)
        .enumerate()
        .map(|(i, l)| (l.area.clone(), i < AREAS_DRAWN))
        .collect();
    let mut legend = Legend::new().bottom(0).type_(LegendType::Scroll);
    if n_areas > AREAS_DRAWN {
        legend = legend.selected(hidden);
    }
    let mut chart = Chart::new()
        .animation(false)
        .title(
            Title::new()
                .text(labels.title)
                .subtext(labels.subtitle)
                .left(0)
                .text_style(TextStyle::new().font_size(15)),
        )
        .legend(legend)
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .grid(
            Grid::new()
                .left(8)
                .right(24)
                .top(72)
                .bottom(i64::from(40 + legend_room))
                .contain_label(true),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(days)
                .name(labels.days)
                .name_location(NameLocation::Center)
                .name_gap(28)
                .boundary_gap(false)
                .axis_label(AxisLabel::new().interval(0)),
        )
        .y_axis(Axis::new().type_(AxisType::Value).min(0).max(100).name("%"));
    let mut tips: Vec<Vec<Option<String>>> = Vec::new();
    let mut area_i = 0;
    for l in lines {
        let (colour, width, symbol, dash) = if l.country {
            (COUNTRY_COLOUR, 4.0, Symbol::Circle, LineStyleType::Solid)
        } else {
            let i = area_i;
            area_i += 1;
            let dash = match (i / PALETTE.len()) % 3 {
                0 => LineStyleType::Solid,
                1 => LineStyleType::Dashed,
                _ => LineStyleType::Dotted,
            };
            (
                PALETTE[i % PALETTE.len()],
                2.0,
                SHAPES[i % SHAPES.len()].clone(),
                dash,
            )
        };
        let area = escape_html(&l.area);
        let mut data = Vec::with_capacity(WINDOWS.len());
        let mut tip = Vec::with_capacity(WINDOWS.len());
        for (w, c) in l.cells.iter().enumerate() {
            match c {
                Some(Cell::Value {
                    numerator,
                    denominator,
                    value,
                }) => {
                    let mut s = format!(
                        "<strong>{area}</strong><br/>{}: {}",
                        escape_html(&(labels.day)(WINDOWS[w])),
                        (labels.value)(*value)
                    );
                    if let (Some(n), Some(d)) = (numerator, denominator) {
                        s.push_str(&format!(
                            " ({} / {})",
                            (labels.count)(*n),
                            (labels.count)(*d)
                        ));
                    }
                    data.push(DataPointItem::new(*value));
                    tip.push(Some(s));
                }
                _ => {
                    data.push(DataPointItem::new("-"));
                    tip.push(None);
                }
            }
        }
        tips.push(tip);
        let series = charming::series::Line::new()
            .name(l.area.as_str())
            .data(data)
            .step(Step::Start)
            .connect_nulls(false)
            .show_symbol(true)
            .symbol(symbol)
            .symbol_size(if l.country { 10 } else { 7 })
            .z(if l.country { 10 } else { 2 })
            .item_style(ItemStyle::new().color(colour))
            .line_style(LineStyle::new().color(colour).width(width).type_(dash));
        chart = chart.series(series);
    }
    let mut option = serde_json::to_value(&chart).unwrap_or(Value::Null);
    patch(&mut option, tips);
    ChartSpec {
        option,
        height: 380 + legend_room,
    }
}

/// What charming 0.6 cannot express: per-point tooltips, `confine`, and `aria` (the chart's
/// screen-reader description; charming's `Aria` would switch it off, see `charts.rs`).
fn patch(option: &mut Value, tips: Vec<Vec<Option<String>>>) {
    if let Some(o) = option.as_object_mut() {
        o.insert(
            "aria".into(),
            json!({ "enabled": true, "decal": { "show": false } }),
        );
    }
    if let Some(tooltip) = option.get_mut("tooltip").and_then(Value::as_object_mut) {
        tooltip.insert("confine".into(), Value::Bool(true));
    }
    let Some(series) = option.get_mut("series").and_then(Value::as_array_mut) else {
        return;
    };
    for (s, tip) in series.iter_mut().zip(tips) {
        let Some(data) = s.get_mut("data").and_then(Value::as_array_mut) else {
            continue;
        };
        for (item, tip) in data.iter_mut().zip(tip) {
            if let (Some(item), Some(tip)) = (item.as_object_mut(), tip) {
                item.insert("tooltip".into(), json!({ "formatter": tip }));
            }
        }
    }
}

/// A cell of the table: the percentage, or "–" with the reason.
fn show(cell: Option<Cell>, lang: Lang) -> (String, Option<String>) {
    match cell {
        Some(Cell::Value {
            numerator,
            denominator,
            value,
        }) => (
            crate::fmt::percent(value, lang),
            numerator.zip(denominator).map(|(n, d)| {
                format!(
                    "{} / {}",
                    crate::fmt::count(n, lang),
                    crate::fmt::count(d, lang)
                )
            }),
        ),
        Some(Cell::Suppressed(r)) => ("–".into(), Some(reason_text(r, lang))),
        Some(Cell::NotEstimable { .. }) => ("–".into(), Some(tr(Key::NotEstimable, lang).into())),
        None => (String::new(), None),
    }
}

fn day_label(w: u32, lang: Lang) -> String {
    match lang {
        Lang::Nb => format!("dag {w}"),
        Lang::En => format!("day {w}"),
    }
}

/// The curve, its table and its controls, only while the pathway module is shown.
#[component]
pub fn FollowUpCurve() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let chosen_kind = RwSignal::new(None::<&'static str>);
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let shown = Memo::new(move |_| {
        state.report.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.modules
                    .get(sel.module.get())
                    .is_some_and(|m| m.id == "path" && m.computed())
            })
        })
    });
    let kinds = Memo::new(move |_| {
        state
            .report
            .with(|r| r.as_ref().map(|r| available_kinds(r)).unwrap_or_default())
    });
    let kind = Memo::new(move |_| {
        let ks = kinds.get();
        chosen_kind
            .get()
            .filter(|k| ks.contains(k))
            .or_else(|| ks.iter().copied().find(|k| *k == DEFAULT_KIND))
            .or_else(|| ks.first().copied())
    });
    // The group: the first group chosen above (as the area profile does).
    let group = Memo::new(move |_| {
        let decl = forlop_core::modules::find("path")?;
        series_for(decl, &sel.bases.get(), false).first().copied()
    });
    let lines = Memo::new(move |_| {
        if !shown.get() {
            return Vec::new();
        }
        let (Some(k), Some(g)) = (kind.get(), group.get()) else {
            return Vec::new();
        };
        let l = lang.get();
        let level = sel.level.get();
        state
            .report
            .with(|r| r.as_ref().map(|r| curve(r, k, g, level, l)))
            .unwrap_or_default()
    });
    let kind_name = move |l: Lang| {
        kind.get()
            .and_then(|k| KINDS.iter().find(|(id, _)| *id == k))
            .map_or(String::new(), |(_, t)| t.get(l).to_string())
    };
    let group_name = move |l: Lang| {
        group
            .get()
            .zip(forlop_core::modules::find("path"))
            .map_or(String::new(), |(g, d)| d.group_label(g, l))
    };
    Effect::new(move |_| {
        let ls = lines.get();
        if ls.is_empty() {
            return;
        }
        let l = lang.get();
        let (year, unsuppressed) = state.report.with(|r| {
            r.as_ref()
                .map(|r| (r.settings.year, r.unsuppressed))
                .unwrap_or((0, false))
        });
        let title = match l {
            Lang::Nb => format!("{} innen dag 3–365 etter utskrivning", kind_name(l)),
            Lang::En => format!("{} by day 3–365 after discharge", kind_name(l)),
        };
        let mut subtitle = format!(
            "{} · {} · {year} · % · {}",
            group_name(l),
            level_label(sel.level.get(), l),
            t("hull i linjen = prikket", "gap in a line = suppressed").get(l)
        );
        if unsuppressed {
            subtitle = format!("{} · {subtitle}", tr(Key::NotSuppressed, l));
        }
        let value = move |v: f64| crate::fmt::percent(v, l);
        let count = move |n: u64| crate::fmt::count(n, l);
        let day = move |w: u32| day_label(w, l);
        let spec = step_chart(
            &ls,
            &CurveLabels {
                title: &title,
                subtitle: &subtitle,
                days: t("Dager etter utskrivning", "Days after discharge").get(l),
                value: &value,
                count: &count,
                day: &day,
            },
        );
        if let Some(el) = chart_ref.get() {
            let el: web_sys::HtmlElement = el.unchecked_into();
            let _ = el
                .style()
                .set_property("height", &format!("{}px", spec.height));
            crate::echarts::schedule(el, spec.option, spec.height);
        }
    });
    let gap_note = move || {
        let l = lang.get();
        let ls = lines.get();
        let g = gaps(&ls);
        let country: Vec<String> = g
            .iter()
            .filter(|(i, _)| ls[*i].country)
            .map(|(_, w)| day_label(WINDOWS[*w], l))
            .collect();
        if g.is_empty() {
            return t("Alle punkter er tegnet.", "Every point is drawn.")
                .get(l)
                .to_string();
        }
        let mut s = match l {
            Lang::Nb => format!(
                "{} punkter er prikket eller ikke beregnbare og er ikke tegnet: linjen har et hull der (aldri 0). Se tabellen.",
                g.len()
            ),
            Lang::En => format!(
                "{} points are suppressed or not estimable and are not drawn: the line has a gap there (never 0). See the table.",
                g.len()
            ),
        };
        if !country.is_empty() {
            s.push_str(&match l {
                Lang::Nb => format!(" Landet: {}.", country.join(", ")),
                Lang::En => format!(" Country: {}.", country.join(", ")),
            });
        }
        s
    };
    let table = move || {
        let l = lang.get();
        let ls = lines.get();
        let cens = group
            .get()
            .and_then(|g| state.report.with(|r| r.as_ref().map(|r| censored(r, g))))
            .unwrap_or_default();
        view! {
            <table class="data followup" id="followup-table">
                <caption>{format!("{} · {} · %", kind_name(l), group_name(l))}</caption>
                <thead><tr>
                    <th scope="col">{tr(Key::Area, l)}</th>
                    {WINDOWS.iter().map(|w| view! { <th scope="col" class="num">{day_label(*w, l)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {ls.into_iter().map(|line| view! {
                        <tr class:country=line.country>
                            <th scope="row">{line.area}</th>
                            {line.cells.into_iter().enumerate().map(|(w, c)| {
                                let (text, title) = show(c, l);
                                let suppressed = text == "–";
                                let tip = title.clone().unwrap_or_default();
                                view! {
                                    <td class="num" class:suppressed=suppressed data-window=WINDOWS[w].to_string()
                                        title=tip>
                                        {text}
                                        {suppressed.then(|| view! { <span class="visually-hidden">{format!(" ({})", title.unwrap_or_default())}</span> })}
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr class="censored">
                    <th scope="row">{t("Utelatt: vinduet går forbi dataenes slutt (landet)", "Left out: window runs past the data's end (country)").get(l)}</th>
                    {cens.into_iter().map(|c| {
                        let text = match c {
                            Some(Cell::Value { value, .. }) => crate::fmt::number(value, 0, l),
                            Some(_) => "–".to_string(),
                            None => String::new(),
                        };
                        view! { <td class="num">{text}</td> }
                    }).collect_view()}
                </tr></tfoot>
            </table>
        }
    };
    view! {
        <Show when=move || shown.get()>
            <section class="card followup" id="followup" aria-labelledby="followup-heading">
                <h3 id="followup-heading">{move || t("Oppfølging etter utskrivning", "Follow-up after discharge").get(lang.get())}</h3>
                <p>{move || t(
                    "Andelen fulgte utskrivninger med oppfølging innen hver dag, per område; landet med tykk, mørk linje. Gruppen er den første valgt over. Utskrivninger der vinduet går forbi dataenes slutt er utelatt (siste rad i tabellen).",
                    "The share of followed discharges followed up by each day, per area; the country as the thick dark line. The group is the first one chosen above. Discharges whose window runs past the data's end are left out (last row of the table).",
                ).get(lang.get())}</p>
                <div class="field inline no-print">
                    <label for="followup-kind">{move || t("Oppfølging", "Follow-up").get(lang.get())}</label>
                    <select id="followup-kind" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        chosen_kind.set(KINDS.iter().map(|(k, _)| *k).find(|k| *k == v));
                    }>
                        {move || {
                            let l = lang.get();
                            let current = kind.get();
                            kinds.get().into_iter().map(|k| {
                                let name = KINDS.iter().find(|(id, _)| *id == k).map_or("", |(_, t)| t.get(l));
                                view! { <option value=k selected=current == Some(k)>{name}</option> }
                            }).collect_view()
                        }}
                    </select>
                </div>
                <div class="chart" id="followup-chart" node_ref=chart_ref role="img"
                    aria-label=move || {
                        let l = lang.get();
                        format!("{} · {} · {}", kind_name(l), group_name(l),
                            t("trinnkurve, tallene står i tabellen under", "step chart, the numbers are in the table below").get(l))
                    }></div>
                <p class="gap-note" id="followup-gaps">{gap_note}</p>
                <div class="table-scroll">{table}</div>
            </section>
        </Show>
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use forlop_core::output::SuppressReason;

    fn v(n: u64, d: u64) -> Option<Cell> {
        Some(Cell::Value {
            numerator: Some(n),
            denominator: Some(d),
            value: 100.0 * n as f64 / d as f64,
        })
    }

    fn spec() -> ChartSpec {
        let lines = vec![
            CurveLine {
                area: "Landet".into(),
                country: true,
                // 37/674 = 5.49 %, 83/672 = 12.35 %, …, 365: suppressed (every window censored)
                cells: vec![
                    v(37, 674),
                    v(83, 672),
                    v(144, 664),
                    v(242, 650),
                    v(376, 577),
                    Some(Cell::Suppressed(SuppressReason::Primary)),
                ],
            },
            CurveLine {
                area: "<b>Nord</b>".into(),
                country: false,
                cells: vec![
                    Some(Cell::Suppressed(SuppressReason::Primary)),
                    Some(Cell::Suppressed(SuppressReason::Secondary)),
                    v(11, 63),
                    v(17, 62),
                    v(31, 57),
                    None,
                ],
            },
        ];
        let value = |x: f64| format!("{x:.1}");
        let count = |n: u64| n.to_string();
        let day = |w: u32| format!("d{w}");
        step_chart(
            &lines,
            &CurveLabels {
                title: "t",
                subtitle: "s",
                days: "days",
                value: &value,
                count: &count,
                day: &day,
            },
        )
    }

    #[test]
    fn six_windows_a_step_line_per_area_and_gaps_never_zero() {
        let o = spec().option;
        assert_eq!(
            o["xAxis"]["data"],
            json!(["d3", "d7", "d14", "d30", "d90", "d365"])
        );
        let s = o["series"].as_array().unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0]["type"], json!("line"));
        assert_eq!(s[0]["step"], json!("start"));
        // 37 / 674 = 5.4896… %
        assert_eq!(s[0]["data"][0]["value"], json!(100.0 * 37.0 / 674.0));
        // Suppressed: ECharts' empty value, not 0 and not any number.
        assert_eq!(s[0]["data"][5]["value"], json!("-"));
        assert_eq!(s[1]["data"][0]["value"], json!("-"));
        assert_eq!(s[1]["data"][5]["value"], json!("-"));
        assert_eq!(s[0]["connectNulls"], json!(false));
        // The country strongest.
        assert_eq!(s[0]["lineStyle"]["width"], json!(4.0));
        assert_eq!(s[1]["lineStyle"]["width"], json!(2.0));
        // Tooltips carry the counts; area names are escaped.
        assert_eq!(
            s[1]["data"][2]["tooltip"]["formatter"],
            json!(format!(
                "<strong>&lt;b&gt;Nord&lt;/b&gt;</strong><br/>d14: {:.1} (11 / 63)",
                1100.0 / 63.0
            ))
        );
        assert!(s[0]["data"][5].get("tooltip").is_none());
        assert_eq!(o["aria"]["enabled"], json!(true));
    }

    /// A report with `ids`, each over 2 groups × 3 areas (country, two regions); the cell of
    /// group g, area a of the i-th id is a count of 100·i + 10·g + a.
    pub(crate) fn report(ids: &[String]) -> ReportView {
        use crate::protocol::{AreaView, Grid, ResultView};
        let area = |level, name: &str| AreaView {
            level,
            name: name.into(),
            municipality_name: None,
            region: None,
            health_community: None,
        };
        ReportView {
            areas: vec![
                area(Level::Country, "NO"),
                area(Level::Region, "Nord"),
                area(Level::Region, "Sør"),
            ],
            results: ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let cells: Vec<Cell> = (0..2)
                        .flat_map(|g| {
                            (0..3).map(move |a| {
                                let n = (100 * i + 10 * g + a) as u64;
                                Cell::Value {
                                    numerator: Some(n),
                                    denominator: None,
                                    value: n as f64,
                                }
                            })
                        })
                        .collect();
                    ResultView {
                        id: id.clone(),
                        module: 0,
                        cells: Grid::from_cells(&cells),
                        intervals: Default::default(),
                        variation: Vec::new(),
                    }
                })
                .collect(),
            ..ReportView::default()
        }
    }

    #[test]
    fn the_curve_reads_each_window_of_the_kind_for_the_group_and_level() {
        // path.gp_3 … path.gp_365 are results 0…5; path.censored_W are 6…11; outpatient absent.
        let mut ids: Vec<String> = WINDOWS.iter().map(|w| format!("path.gp_{w}")).collect();
        ids.extend(WINDOWS.iter().map(|w| format!("path.censored_{w}")));
        let r = report(&ids);
        assert_eq!(available_kinds(&r), vec!["gp"]);
        let lines = curve(&r, "gp", 1, Level::Region, Lang::En);
        assert_eq!(lines.len(), 3);
        assert!(lines[0].country && !lines[1].country);
        assert_eq!(lines[0].area, "Country");
        assert_eq!(lines[2].area, "Sør");
        // Window 14 is result 2; group 1, area 2 (Sør): 100·2 + 10·1 + 2 = 212.
        assert_eq!(lines[2].cells[2].and_then(|c| c.value()), Some(212.0));
        // Country, window 365 (result 5), group 1: 510.
        assert_eq!(lines[0].cells[5].and_then(|c| c.value()), Some(510.0));
        // Country level: the country only.
        assert_eq!(curve(&r, "gp", 0, Level::Country, Lang::En).len(), 1);
        // Censored 3 is result 6: group 0, country = 600.
        assert_eq!(censored(&r, 0)[0].and_then(|c| c.value()), Some(600.0));
        // A kind not computed: lines without cells.
        assert!(curve(&r, "outpatient", 0, Level::Region, Lang::En)[0]
            .cells
            .iter()
            .all(Option::is_none));
    }

    #[test]
    fn gaps_are_the_suppressed_and_not_estimable_points() {
        let lines = vec![CurveLine {
            area: "x".into(),
            country: true,
            cells: vec![
                v(1, 2),
                Some(Cell::Suppressed(SuppressReason::Primary)),
                Some(Cell::NotEstimable {
                    numerator: Some(0),
                    denominator: Some(0),
                }),
                None,
            ],
        }];
        assert_eq!(gaps(&lines), vec![(0, 1), (0, 2)]);
    }

    #[test]
    fn more_than_five_areas_start_with_the_sixth_switched_off() {
        let line = |i: usize| CurveLine {
            area: format!("a{i}"),
            country: i == 0,
            cells: vec![v(1, 2); 6],
        };
        let lines: Vec<CurveLine> = (0..8).map(line).collect();
        let value = |x: f64| format!("{x}");
        let count = |n: u64| n.to_string();
        let day = |w: u32| w.to_string();
        let o = step_chart(
            &lines,
            &CurveLabels {
                title: "t",
                subtitle: "s",
                days: "d",
                value: &value,
                count: &count,
                day: &day,
            },
        )
        .option;
        // Areas a1…a7: the first five drawn, a6 and a7 in the legend only; the country always.
        let selected = &o["legend"]["selected"];
        assert_eq!(selected["a5"], json!(true));
        assert_eq!(selected["a6"], json!(false));
        assert!(selected.get("a0").is_none());
    }
}
