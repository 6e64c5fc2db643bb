//! An indicator over the computed years: one line per area of the chosen level, "my area" and
//! the country drawn strongest (and named at the line's end, never by colour alone), and the
//! same numbers as a table. Shown inside each indicator card when the data has several years;
//! built only when opened.

use crate::charts::{escape_html, ChartSpec, PALETTE};
use crate::i18n::{tr, Key};
use crate::meta;
use crate::selection::{series_for, Selection};
use crate::AppState;
use forlop_core::output::{Cell, Level};
use forlop_core::text::Lang;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    /// "My area" (or the area of this level that holds it): black, thickest, named.
    Mine,
    /// The country: dashed, thick, named.
    Country,
    /// Any other area: thin.
    Other,
}

/// One area's line: its label and its cell in each year.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendLine {
    /// Area label as shown.
    pub name: String,
    /// One cell per year (`None` where the year has none).
    pub cells: Vec<Option<Cell>>,
    /// How it is drawn.
    pub role: LineRole,
}

/// The ECharts option of a trend: years along the x axis, one line per area. A suppressed or
/// missing year is a gap (`"-"`), never 0. `value` formats numbers for the tooltips.
pub fn trend_option(
    years: &[i32],
    lines: &[TrendLine],
    title: &str,
    subtitle: &str,
    value: &dyn Fn(f64) -> String,
) -> ChartSpec {
    let others = lines.iter().filter(|l| l.role == LineRole::Other).count();
    let mut other_i = 0;
    // Strong lines last, so they are drawn on top.
    let mut order: Vec<&TrendLine> = lines.iter().collect();
    order.sort_by_key(|l| l.role != LineRole::Other);
    let series: Vec<Value> = order
        .into_iter()
        .map(|l| {
            let (colour, width, dash, symbol_size, z) = match l.role {
                LineRole::Mine => ("#000000".to_string(), 4, "solid", 9, 10),
                LineRole::Country => ("#0072B2".to_string(), 3, "dashed", 7, 9),
                LineRole::Other => {
                    other_i += 1;
                    // Few areas: each its own colour (the first is the country's); many: grey.
                    let c = if others < PALETTE.len() {
                        PALETTE[other_i % PALETTE.len()].to_string()
                    } else {
                        "#9aa5b1".to_string()
                    };
                    (c, 1, "solid", 4, 2)
                }
            };
            let name_html = escape_html(&l.name);
            let data: Vec<Value> = l
                .cells
                .iter()
                .zip(years)
                .map(|(c, y)| match c {
                    Some(Cell::Value { value: v, .. }) => json!({
                        "value": v,
                        "tooltip": { "formatter": format!("<strong>{name_html}</strong><br/>{y}: {}", escape_html(&value(*v))) },
                    }),
                    _ => json!({ "value": "-" }),
                })
                .collect();
            let strong = l.role != LineRole::Other;
            json!({
                "type": "line",
                "name": l.name,
                "data": data,
                "connectNulls": false,
                "symbol": if l.role == LineRole::Country { "rect" } else { "circle" },
                "symbolSize": symbol_size,
                "z": z,
                "itemStyle": { "color": colour },
                "lineStyle": { "color": colour, "width": width, "type": dash },
                "endLabel": { "show": strong, "formatter": l.name, "fontWeight": "bold",
                              "color": "#000000" },
                "emphasis": { "focus": "series" },
                "animation": false,
            })
        })
        .collect();
    let option = json!({
        "animation": false,
        "aria": { "enabled": true, "decal": { "show": false } },
        "title": { "text": title, "subtext": subtitle, "left": 0, "textStyle": { "fontSize": 15 } },
        "tooltip": { "trigger": "item", "confine": true },
        "legend": { "show": lines.len() <= 8, "bottom": 0, "type": "scroll" },
        // Room at the right for the names at the strong lines' ends.
        "grid": { "left": 8, "right": 160, "top": 64, "bottom": 48, "containLabel": true },
        "xAxis": { "type": "category", "boundaryGap": false,
                   "data": years.iter().map(|y| y.to_string()).collect::<Vec<_>>() },
        "yAxis": { "type": "value" },
        "series": series,
    });
    ChartSpec {
        option,
        height: 320,
    }
}

/// The lines of result `result` at `level` for group `group`: the country, "my area" (or the
/// area of `level` that holds it) and every other area of the level.
pub fn trend_lines(
    report: &crate::protocol::ReportView,
    result: usize,
    group: usize,
    level: Level,
    mine: Option<usize>,
    lang: Lang,
) -> Vec<TrendLine> {
    let mine = mine.and_then(|m| report.area_within(m, level));
    let country = report.areas_at(Level::Country).first().copied();
    let mut out = Vec::new();
    let line = |a: usize, role: LineRole| TrendLine {
        name: match role {
            LineRole::Mine => format!(
                "{} {}",
                report.area_label(a, lang),
                tr(Key::MyAreaMarker, lang)
            ),
            _ => report.area_label(a, lang),
        },
        cells: report
            .trend(result, group, a)
            .into_iter()
            .map(|(_, c)| c)
            .collect(),
        role,
    };
    if let Some(c) = country {
        out.push(line(c, LineRole::Country));
    }
    if level != Level::Country {
        if let Some(m) = mine {
            out.push(line(m, LineRole::Mine));
        }
        for a in report.areas_at(level) {
            if Some(a) != mine {
                out.push(line(a, LineRole::Other));
            }
        }
    }
    out
}

/// "Trend over the years" inside an indicator card: a closed `<details>`; the chart and table
/// are made when it is opened (and for printing).
#[component]
pub fn TrendPanel(
    /// Position of the card on the page (for element ids).
    index: usize,
    /// The result's position in the report.
    result: usize,
    /// Indicator id.
    id: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let open = RwSignal::new(false);
    let unit = meta::unit_kind(&id);
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let years = Memo::new(move |_| state.years_computed());
    let data = Memo::new(move |_| {
        if !(open.get() || sel.print.get()) {
            return Vec::new();
        }
        // Opened while the other years were still coming: drawn again when they are in.
        years.track();
        let l = lang.get();
        let level = sel.level.get();
        let bases = sel.bases.get();
        let split = sel.split.get();
        let mine = state.my_area.get();
        state.report.with(|r| {
            let Some(r) = r else { return Vec::new() };
            let Some(decl) = r
                .results
                .get(result)
                .and_then(|x| r.modules.get(x.module))
                .and_then(|m| m.decl())
            else {
                return Vec::new();
            };
            let group = series_for(decl, &bases, split)
                .first()
                .copied()
                .unwrap_or(0);
            let mine = mine.and_then(|(lv, name)| r.find_area(lv, &name));
            trend_lines(r, result, group, level, mine, l)
        })
    });
    let id_title = id.clone();
    Effect::new(move |_| {
        let lines = data.get();
        if lines.is_empty() {
            return;
        }
        let l = lang.get();
        let info = meta::info(&id_title, l);
        let ys = years.get();
        let subtitle = format!(
            "{}{}",
            if info.unit.is_empty() {
                String::new()
            } else {
                format!("{} · ", info.unit)
            },
            crate::selection::level_label(sel.level.get_untracked(), l)
        );
        let value = move |v: f64| meta::format_value(unit, v, l);
        let spec = trend_option(&ys, &lines, &info.title, &subtitle, &value);
        if let Some(el) = chart_ref.get() {
            let el: web_sys::HtmlElement = el.unchecked_into();
            let _ = el
                .style()
                .set_property("height", &format!("{}px", spec.height));
            crate::echarts::schedule(el, spec.option, spec.height);
        }
    });
    let first_last = move || {
        let ys = years.get();
        match (ys.first(), ys.last()) {
            (Some(a), Some(b)) if a != b => format!(" ({a}–{b})"),
            _ => String::new(),
        }
    };
    view! {
        <details class="trend" id=format!("trend-{index}") open=move || sel.print.get()
            on:toggle=move |ev| {
                let el: web_sys::HtmlElement = event_target(&ev);
                open.set(el.has_attribute("open"));
            }>
            <summary>{move || tr(Key::Trend, lang.get())}{first_last}</summary>
            // The panel is there from the card's start; the other years may still be coming.
            {move || (years.with(Vec::len) < 2).then(|| view! { <p>{tr(Key::TrendYearsComing, lang.get())}</p> })}
            <div class="chart trend-chart" node_ref=chart_ref role="img"
                aria-label=move || {
                    let l = lang.get();
                    let lines = data.get();
                    let strong: Vec<String> = lines.iter().filter(|x| x.role != LineRole::Other).map(|x| x.name.clone()).collect();
                    format!("{}: {}", tr(Key::Trend, l), strong.join(", "))
                }></div>
            <table class="data trend-table">
                <thead><tr>
                    <th scope="col">{move || tr(Key::Area, lang.get())}</th>
                    {move || years.get().into_iter().map(|y| view! { <th scope="col" class="num">{y}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {move || {
                        let l = lang.get();
                        data.get().into_iter().map(|line| {
                            let mine = line.role == LineRole::Mine;
                            let country = line.role == LineRole::Country;
                            view! {
                                <tr class:mine=mine class:country=country>
                                    <th scope="row">{line.name}</th>
                                    {line.cells.into_iter().map(|c| {
                                        let (text, raw) = match c {
                                            Some(Cell::Value { value, .. }) => (meta::format_value(unit, value, l), value.to_string()),
                                            _ => ("–".to_string(), String::new()),
                                        };
                                        view! { <td class="num" data-value=raw>{text}</td> }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trend_has_one_point_per_year_gaps_not_zeros_and_strong_lines_on_top() {
        let v = |x: f64| {
            Some(Cell::Value {
                numerator: None,
                denominator: None,
                value: x,
            })
        };
        let lines = vec![
            TrendLine {
                name: "Landet".into(),
                cells: vec![v(10.0), v(12.5)],
                role: LineRole::Country,
            },
            TrendLine {
                name: "Vest".into(),
                cells: vec![
                    Some(Cell::Suppressed(
                        forlop_core::output::SuppressReason::Primary,
                    )),
                    v(9.0),
                ],
                role: LineRole::Other,
            },
            TrendLine {
                name: "0301 ◀".into(),
                cells: vec![v(11.0), None],
                role: LineRole::Mine,
            },
        ];
        let spec = trend_option(&[2020, 2021], &lines, "t", "s", &|x| format!("{x}"));
        let o = &spec.option;
        assert_eq!(o["xAxis"]["data"], json!(["2020", "2021"]));
        let series = o["series"].as_array().unwrap();
        // The thin line first, the strong ones after it (drawn on top).
        assert_eq!(series[0]["name"], json!("Vest"));
        assert_eq!(series[0]["data"][0]["value"], json!("-"));
        assert_eq!(series[0]["data"][1]["value"], json!(9.0));
        assert_eq!(series[0]["endLabel"]["show"], json!(false));
        let mine = series
            .iter()
            .find(|s| s["name"] == json!("0301 ◀"))
            .unwrap();
        assert_eq!(mine["lineStyle"]["width"], json!(4));
        assert_eq!(mine["endLabel"]["show"], json!(true));
        assert_eq!(mine["data"][1]["value"], json!("-"));
        let country = series
            .iter()
            .find(|s| s["name"] == json!("Landet"))
            .unwrap();
        assert_eq!(country["lineStyle"]["type"], json!("dashed"));
        assert_eq!(country["data"][1]["value"], json!(12.5));
    }
}
