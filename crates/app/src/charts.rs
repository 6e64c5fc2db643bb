//! Report → ECharts option, pure and testable natively (STYLE P11).
//!
//! One chart per indicator in the style of the seed's figures: areas as horizontal bars sorted by
//! value, the national value as a line, up to five group series. A suppressed cell is never a
//! number: its bar is missing (`"-"`, ECharts' empty value) and a dashed box with "–" marks the
//! place, with the reason in its tooltip.
//!
//! The chart is built as a `charming::Chart` ([`bar_chart`]) and serialised; then
//! [`patch_what_charming_lacks`] adds to that JSON the few things charming 0.6 cannot express
//! (per-item tooltips, the marks of suppressed cells, `barMaxWidth`, …). The page draws the
//! option with our own binding in `echarts.rs`, not with charming's `WasmRenderer`, because that
//! renderer cannot dispose a chart before its element is reused.
//!
//! User text (area names from the user's areas file, group labels) reaches ECharts in two ways:
//! axis labels, titles and marks are drawn as canvas/SVG text (never parsed as HTML); tooltips are
//! HTML, so every tooltip string is built here with [`escape_html`].

mod intervals;
pub use intervals::{add_intervals, versus_country, IntervalLabels, SeriesIntervals};

use charming::component::{Axis, Grid, Legend, Title};
use charming::datatype::DataPointItem;
use charming::element::{
    AxisLabel, AxisType, ItemStyle, Label, LabelPosition, LineStyle, LineStyleType, MarkLine,
    MarkLineData, MarkLineVariant, Symbol, TextStyle, Tooltip, Trigger,
};
use charming::Chart;
use forlop_core::output::{Cell, SuppressReason};
use serde_json::{json, Value};

/// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies; the series also
/// get ECharts' decal patterns (aria) so they differ without colour.
pub const PALETTE: [&str; 5] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"];

/// One bar of a series: the area's label and its cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Area label as shown (a name from the areas file, or a code).
    pub area: String,
    /// The engine's cell, suppressed or not.
    pub cell: Cell,
}

/// One group's bars and its national value.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Group label (language already chosen).
    pub name: String,
    /// One bar per area.
    pub bars: Vec<Bar>,
    /// The country's cell for this group: drawn as a line when not suppressed.
    pub national: Option<Cell>,
}

/// Texts and formatting for one chart, in the user's language.
pub struct Labels<'a> {
    /// Chart title (indicator title).
    pub title: &'a str,
    /// Subtitle, e.g. the unit and year; "NOT SUPPRESSED" goes here when k = 0.
    pub subtitle: &'a str,
    /// "Country" / "Landet".
    pub national: &'a str,
    /// Reason texts for suppressed cells.
    pub suppressed: &'a dyn Fn(SuppressReason) -> String,
    /// Formats a value for tooltips and the national line.
    pub value: &'a dyn Fn(f64) -> String,
    /// Formats a count (numerator/denominator) for tooltips.
    pub count: &'a dyn Fn(u64) -> String,
    /// "not estimable (denominator 0)".
    pub not_estimable: &'a str,
}

/// An ECharts option and the height it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// The option, for `echarts.setOption`.
    pub option: Value,
    /// Pixel height, growing with the number of areas.
    pub height: u32,
}

/// Escapes text for HTML: `& < > " '`.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Area order: by the first series' value, largest first; suppressed and missing areas last, by
/// name, so the order never depends on a hidden number.
fn area_order(series: &[Series]) -> Vec<String> {
    let mut areas: Vec<(String, Option<f64>)> = Vec::new();
    for s in series {
        for b in &s.bars {
            if !areas.iter().any(|(a, _)| a == &b.area) {
                areas.push((b.area.clone(), None));
            }
        }
    }
    if let Some(first) = series.first() {
        for (area, v) in areas.iter_mut() {
            *v = first
                .bars
                .iter()
                .find(|b| &b.area == area)
                .and_then(|b| b.cell.value());
        }
    }
    areas.sort_by(|(an, av), (bn, bv)| match (av, bv) {
        (Some(a), Some(b)) => b.total_cmp(a).then_with(|| an.cmp(bn)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => an.cmp(bn),
    });
    areas.into_iter().map(|(a, _)| a).collect()
}

/// What one data item needs beyond charming's `DataPointItem` (value, name, itemStyle only).
#[derive(Debug, Clone, Default, PartialEq)]
struct ItemExtra {
    /// HTML tooltip, already escaped.
    tooltip: Option<String>,
    /// The cell is suppressed: the item's value is `"-"`, never a number.
    suppressed: bool,
}

/// What one series needs beyond charming's `Bar`; see [`patch_what_charming_lacks`].
#[derive(Debug, Clone, Default, PartialEq)]
struct SeriesExtra {
    /// One per data item, in area order.
    items: Vec<ItemExtra>,
    /// `markPoint` data: the dashed boxes of suppressed cells, with label and tooltip.
    marks: Vec<Value>,
    /// HTML tooltip of the national line, already escaped.
    line_tooltip: Option<String>,
}

/// The dashed box marking series `i`'s suppressed cell in `area`, with its label and tooltip.
fn suppressed_mark(
    i: usize,
    n_series: usize,
    area: &str,
    colour: &str,
    reason: &str,
    tooltip: String,
) -> Value {
    // One series: the reason in words beside the box; several: "–" only, so the marks of
    // neighbouring series do not overlap.
    let label = if n_series == 1 {
        json!({ "show": true, "position": "right", "color": "#333333",
                "formatter": format!("– {reason}") })
    } else {
        json!({ "show": true, "formatter": "–", "color": "#000000" })
    };
    json!({
        "coord": [0, area],
        "symbol": "rect",
        "symbolSize": [16, 12],
        "symbolOffset": [10 + 18 * i as i32, 0],
        "itemStyle": { "color": "#ffffff", "borderColor": colour,
                       "borderType": "dashed", "borderWidth": 1.5 },
        "label": label,
        "tooltip": { "formatter": tooltip },
    })
}

/// The chart of one indicator by area as a `charming::Chart`, with what charming cannot hold
/// (one [`SeriesExtra`] per series), and the height it needs.
fn bar_chart(series: &[Series], labels: &Labels<'_>) -> (Chart, Vec<SeriesExtra>, u32) {
    let areas = area_order(series);
    let n_series = series.len();
    let legend_room: u32 = if n_series > 1 { 56 } else { 0 };
    let mut chart = Chart::new()
        .animation(false)
        .color(PALETTE.to_vec())
        .title(
            Title::new()
                .text(labels.title)
                .subtext(labels.subtitle)
                .left(0)
                .text_style(TextStyle::new().font_size(15)),
        )
        .legend(Legend::new().show(n_series > 1).bottom(0))
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .grid(
            Grid::new()
                .left(8)
                .right(90)
                .top(64)
                // Room for a legend of up to five entries (two lines) below the value axis.
                .bottom(i64::from(40 + legend_room))
                .contain_label(true),
        )
        .x_axis(Axis::new().type_(AxisType::Value))
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .inverse(true)
                .data(areas.clone())
                .axis_label(AxisLabel::new().interval(0)),
        );
    let mut extras = Vec::with_capacity(n_series);
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let name = escape_html(&s.name);
        let mut data = Vec::with_capacity(areas.len());
        let mut extra = SeriesExtra::default();
        for area in &areas {
            let area_html = escape_html(area);
            let (item, item_extra) = match s.bars.iter().find(|b| &b.area == area).map(|b| b.cell) {
                Some(Cell::Value {
                    numerator,
                    denominator,
                    value,
                }) => {
                    let mut tip = format!(
                        "<strong>{area_html}</strong><br/>{name}: {}",
                        (labels.value)(value)
                    );
                    if let (Some(n), Some(d)) = (numerator, denominator) {
                        tip.push_str(&format!(" ({} / {})", (labels.count)(n), (labels.count)(d)));
                    }
                    let tooltip = Some(tip);
                    (
                        DataPointItem::new(value),
                        ItemExtra {
                            tooltip,
                            suppressed: false,
                        },
                    )
                }
                Some(Cell::Suppressed(reason)) => {
                    let reason = (labels.suppressed)(reason);
                    let tip = format!(
                        "<strong>{area_html}</strong><br/>{name}: – ({})",
                        escape_html(&reason)
                    );
                    extra
                        .marks
                        .push(suppressed_mark(i, n_series, area, colour, &reason, tip));
                    (
                        DataPointItem::new("-"),
                        ItemExtra {
                            tooltip: None,
                            suppressed: true,
                        },
                    )
                }
                Some(Cell::NotEstimable { .. }) => {
                    // No bar and no number: nothing to estimate (only seen with k = 0).
                    let tip = format!(
                        "<strong>{area_html}</strong><br/>{name}: {}",
                        escape_html(labels.not_estimable)
                    );
                    let tooltip = Some(tip);
                    (
                        DataPointItem::new("-"),
                        ItemExtra {
                            tooltip,
                            suppressed: false,
                        },
                    )
                }
                None => (DataPointItem::new("-"), ItemExtra::default()),
            };
            data.push(item);
            extra.items.push(item_extra);
        }
        // With several series the national labels would collide at the top of the chart: the
        // national value goes into the legend entry instead, the line keeps its tooltip.
        let legend_name = match (n_series > 1, s.national) {
            (true, Some(Cell::Value { value, .. })) => {
                format!(
                    "{} ({}: {})",
                    s.name,
                    labels.national,
                    (labels.value)(value)
                )
            }
            _ => s.name.clone(),
        };
        let mut bar = charming::series::Bar::new()
            .name(legend_name)
            .data(data)
            .item_style(ItemStyle::new().color(colour));
        if let Some(Cell::Value { value, .. }) = s.national {
            let text = format!("{}: {}", labels.national, (labels.value)(value));
            extra.line_tooltip = Some(escape_html(&text));
            bar = bar.mark_line(
                MarkLine::new()
                    .symbol(vec![Symbol::None, Symbol::None])
                    .line_style(
                        LineStyle::new()
                            .color(colour)
                            .type_(LineStyleType::Dashed)
                            .width(2),
                    )
                    // The category axis is inverted, so "start" is the top of the line, clear
                    // of the value axis labels at the bottom.
                    .label(
                        Label::new()
                            .show(n_series == 1)
                            .formatter(text.as_str())
                            .position(LabelPosition::Start),
                    )
                    .data(vec![MarkLineVariant::Simple(
                        MarkLineData::new().x_axis(value).name(labels.national),
                    )]),
            );
        }
        chart = chart.series(bar);
        extras.push(extra);
    }
    let rows = areas.len().max(1) as u32;
    let per_row = 14 + 8 * n_series.clamp(1, 5) as u32;
    let height = (120 + legend_room + rows * per_row).clamp(220, 6000);
    (chart, extras, height)
}

/// Adds to charming's serialised option what charming 0.6 cannot express, and nothing else:
/// - a `tooltip` on data items (its `DataPointItem` has only value, name and itemStyle), and
///   `suppressed: true` on the items of suppressed cells;
/// - `markPoint` with the dashed boxes of suppressed cells, each with its own label and tooltip
///   (its `Bar` has no markPoint, its `MarkPointData` no coord, symbol, label or tooltip);
/// - `barMaxWidth` (its `Bar` has only `barWidth`);
/// - the national line's `tooltip` and `animation: false` (its `MarkLine` has neither);
/// - `confine` on the tooltip (its `Tooltip` lacks it);
/// - `aria` with the decal patterns that tell the series apart without colour. charming's `Aria`
///   exists but serialises `label: null` and `decals: []` (its skip-if-none attribute is not
///   applied), and ECharts then turns off both the screen-reader description of the chart and
///   its default decal patterns.
///
/// Never panics: a part of the option it does not find is left alone.
fn patch_what_charming_lacks(option: &mut Value, extras: Vec<SeriesExtra>) {
    if let Some(option) = option.as_object_mut() {
        let decals = extras.len() > 1;
        option.insert(
            "aria".into(),
            json!({ "enabled": true, "decal": { "show": decals } }),
        );
    }
    if let Some(tooltip) = option.get_mut("tooltip").and_then(Value::as_object_mut) {
        tooltip.insert("confine".into(), Value::Bool(true));
    }
    let Some(series) = option.get_mut("series").and_then(Value::as_array_mut) else {
        return;
    };
    for (s, extra) in series.iter_mut().zip(extras) {
        let Some(s) = s.as_object_mut() else {
            continue;
        };
        s.insert("barMaxWidth".into(), json!(22));
        if let Some(data) = s.get_mut("data").and_then(Value::as_array_mut) {
            for (item, item_extra) in data.iter_mut().zip(extra.items) {
                let Some(item) = item.as_object_mut() else {
                    continue;
                };
                if let Some(tip) = item_extra.tooltip {
                    item.insert("tooltip".into(), json!({ "formatter": tip }));
                }
                if item_extra.suppressed {
                    item.insert("suppressed".into(), Value::Bool(true));
                }
            }
        }
        if !extra.marks.is_empty() {
            s.insert(
                "markPoint".into(),
                json!({ "data": extra.marks, "animation": false }),
            );
        }
        if let (Some(line), Some(tip)) = (
            s.get_mut("markLine").and_then(Value::as_object_mut),
            extra.line_tooltip,
        ) {
            line.insert("animation".into(), Value::Bool(false));
            line.insert("tooltip".into(), json!({ "formatter": tip }));
        }
    }
}

/// A small chart with the parts a real one has (two series, a suppressed bar, the national
/// line), drawn once off screen by `echarts::warm_up` before the first real chart.
pub fn sample() -> ChartSpec {
    let cell = |v: f64| Cell::Value {
        numerator: Some(v as u64),
        denominator: Some(100),
        value: v,
    };
    let series: Vec<Series> = ["a", "b"]
        .iter()
        .map(|name| Series {
            name: name.to_string(),
            bars: vec![
                Bar {
                    area: "x".into(),
                    cell: cell(10.0),
                },
                Bar {
                    area: "y".into(),
                    cell: Cell::Suppressed(SuppressReason::Primary),
                },
                Bar {
                    area: "z".into(),
                    cell: cell(20.0),
                },
            ],
            national: Some(cell(15.0)),
        })
        .collect();
    bar_by_area(
        &series,
        &Labels {
            title: "–",
            subtitle: "–",
            national: "–",
            suppressed: &|_| "–".to_string(),
            value: &|v| v.to_string(),
            count: &|n| n.to_string(),
            not_estimable: "–",
        },
    )
}

/// The bar chart of one indicator by area: the charming chart of [`bar_chart`] as JSON, patched
/// by [`patch_what_charming_lacks`].
pub fn bar_by_area(series: &[Series], labels: &Labels<'_>) -> ChartSpec {
    let (chart, extras, height) = bar_chart(series, labels);
    // Serialising a Chart cannot fail (no maps with non-string keys, no custom errors); should
    // it ever, the page gets an empty option and ECharts draws nothing, rather than a panic.
    let mut option = serde_json::to_value(&chart).unwrap_or(Value::Null);
    patch_what_charming_lacks(&mut option, extras);
    ChartSpec { option, height }
}

/// The colour behind "my area"'s label (with a text marker and an outlined bar: never colour
/// alone).
pub const HIGHLIGHT: &str = "#FFE08A";

/// Marks "my area" in a chart made by [`bar_by_area`]: its category label becomes
/// `"{area} {marker}"` on a [`HIGHLIGHT`] background in bold, and its bars get a black outline.
/// The suppressed-cell marks of that area follow the new label. Returns whether the chart has
/// the area (nothing changes when not).
pub fn highlight_area(option: &mut Value, area: &str, marker: &str) -> bool {
    let label = format!("{area} {marker}");
    let axis = match option.get_mut("yAxis") {
        Some(Value::Array(axes)) => axes.first_mut(),
        Some(axis) => Some(axis),
        None => None,
    };
    let Some(data) = axis
        .and_then(|a| a.get_mut("data"))
        .and_then(Value::as_array_mut)
    else {
        return false;
    };
    let Some(at) = data.iter().position(|d| d.as_str() == Some(area)) else {
        return false;
    };
    data[at] = json!({
        "value": label,
        "textStyle": { "fontWeight": "bold", "color": "#000000",
                       "backgroundColor": HIGHLIGHT, "padding": [2, 4], "borderRadius": 3 },
    });
    let Some(series) = option.get_mut("series").and_then(Value::as_array_mut) else {
        return true;
    };
    for s in series {
        if let Some(item) = s
            .get_mut("data")
            .and_then(Value::as_array_mut)
            .and_then(|d| d.get_mut(at))
        {
            if !item.is_object() {
                *item = json!({ "value": item.clone() });
            }
            if let Some(item) = item.as_object_mut() {
                item.insert(
                    "itemStyle".into(),
                    json!({ "borderColor": "#000000", "borderWidth": 2 }),
                );
            }
        }
        let marks = s
            .get_mut("markPoint")
            .and_then(|m| m.get_mut("data"))
            .and_then(Value::as_array_mut);
        for mark in marks.into_iter().flatten() {
            if let Some(c) = mark.get_mut("coord").and_then(|c| c.get_mut(1)) {
                if c.as_str() == Some(area) {
                    *c = Value::String(label.clone());
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: u64, d: u64) -> Cell {
        Cell::Value {
            numerator: Some(n),
            denominator: Some(d),
            value: 100.0 * n as f64 / d as f64,
        }
    }

    fn chart() -> ChartSpec {
        let series = vec![Series {
            name: "Alle".into(),
            bars: vec![
                Bar {
                    area: "Bergen".into(),
                    cell: v(10, 40),
                }, // 25 %
                Bar {
                    area: "<b>Evil</b>".into(),
                    cell: Cell::Suppressed(SuppressReason::Primary),
                },
                Bar {
                    area: "Askøy".into(),
                    cell: v(15, 30),
                }, // 50 %
            ],
            national: Some(v(25, 70)), // 35.714… %
        }];
        let reason = |r: SuppressReason| format!("{r:?}");
        let value = |x: f64| format!("{x:.1}");
        let count = |n: u64| n.to_string();
        bar_by_area(
            &series,
            &Labels {
                title: "Innlagt",
                subtitle: "%",
                national: "Landet",
                suppressed: &reason,
                value: &value,
                count: &count,
                not_estimable: "n/a",
            },
        )
    }

    #[test]
    fn areas_sorted_by_value_suppressed_last_and_never_zero() {
        let c = chart();
        let o = &c.option;
        // 50 % (Askøy) before 25 % (Bergen); the suppressed area last.
        assert_eq!(
            o["yAxis"]["data"],
            json!(["Askøy", "Bergen", "<b>Evil</b>"])
        );
        let data = o["series"][0]["data"].as_array().unwrap();
        assert_eq!(data[0]["value"], json!(50.0));
        assert_eq!(data[1]["value"], json!(25.0));
        // The suppressed cell is ECharts' empty value, not 0 and not any number.
        assert_eq!(data[2]["value"], json!("-"));
        assert!(!data[2]["value"].is_number());
        // …and it is visibly marked at its place, with the reason in the tooltip.
        let mark = &o["series"][0]["markPoint"]["data"][0];
        assert_eq!(mark["coord"], json!([0, "<b>Evil</b>"]));
        assert_eq!(mark["label"]["formatter"], json!("– Primary"));
        assert_eq!(
            mark["tooltip"]["formatter"],
            json!("<strong>&lt;b&gt;Evil&lt;/b&gt;</strong><br/>Alle: – (Primary)")
        );
    }

    #[test]
    fn national_value_is_a_line_and_tooltips_carry_counts() {
        let c = chart();
        let line = &c.option["series"][0]["markLine"];
        // 25 / 70 = 35.714285…
        assert_eq!(line["data"][0]["xAxis"], json!(100.0 * 25.0 / 70.0));
        assert_eq!(line["label"]["formatter"], json!("Landet: 35.7"));
        let tip = &c.option["series"][0]["data"][0]["tooltip"]["formatter"];
        assert_eq!(
            tip,
            &json!("<strong>Askøy</strong><br/>Alle: 50.0 (15 / 30)")
        );
        // three areas × (14 + 8) px + 120 = 186 → at least 220
        assert_eq!(c.height, 220);
    }

    #[test]
    fn several_series_carry_the_national_value_in_the_legend() {
        let s = |name: &str, n, d| Series {
            name: name.into(),
            bars: vec![Bar {
                area: "Bergen".into(),
                cell: v(n, d),
            }],
            national: Some(v(n, d)),
        };
        let value = |x: f64| format!("{x:.1}");
        let count = |n: u64| n.to_string();
        let reason = |r: SuppressReason| format!("{r:?}");
        let labels = Labels {
            title: "t",
            subtitle: "s",
            national: "Landet",
            suppressed: &reason,
            value: &value,
            count: &count,
            not_estimable: "n/a",
        };
        let c = bar_by_area(&[s("A", 1, 4), s("B", 1, 2)], &labels);
        // 1/4 = 25.0 %, 1/2 = 50.0 %
        assert_eq!(c.option["series"][0]["name"], json!("A (Landet: 25.0)"));
        assert_eq!(c.option["series"][1]["name"], json!("B (Landet: 50.0)"));
        assert_eq!(
            c.option["series"][1]["markLine"]["label"]["show"],
            json!(false)
        );
        assert_eq!(c.option["legend"]["show"], json!(true));
        // Several series: ECharts' decal patterns on, with its own decals (no empty list, which
        // would turn them off) and its screen-reader label (no `label: null`).
        assert_eq!(
            c.option["aria"],
            json!({ "enabled": true, "decal": { "show": true } })
        );
        // one area × (14 + 8 × 2) + 120 + 56 legend = 206 → at least 220
        assert_eq!(c.height, 220);
    }

    #[test]
    fn option_is_the_charming_chart_plus_only_the_patched_keys() {
        let series = vec![Series {
            name: "Alle".into(),
            bars: vec![
                Bar {
                    area: "Bergen".into(),
                    cell: v(10, 40),
                },
                Bar {
                    area: "Voss".into(),
                    cell: Cell::Suppressed(SuppressReason::Primary),
                },
            ],
            national: Some(v(25, 70)),
        }];
        let reason = |r: SuppressReason| format!("{r:?}");
        let value = |x: f64| format!("{x:.1}");
        let count = |n: u64| n.to_string();
        let labels = Labels {
            title: "Innlagt",
            subtitle: "%",
            national: "Landet",
            suppressed: &reason,
            value: &value,
            count: &count,
            not_estimable: "n/a",
        };
        let (chart, _, _) = bar_chart(&series, &labels);
        let charming = serde_json::to_value(&chart).unwrap();
        // charming's shapes: titles and grids are lists, the bar series typed by charming.
        assert_eq!(charming["title"][0]["text"], json!("Innlagt"));
        assert_eq!(charming["grid"][0]["containLabel"], json!(true));
        assert_eq!(charming["series"][0]["type"], json!("bar"));
        assert_eq!(charming["series"][0]["data"][1], json!({ "value": "-" }));

        // Take out exactly what the patch adds: what is left is charming's chart, unchanged.
        let mut option = bar_by_area(&series, &labels).option;
        assert_ne!(option, charming);
        let o = option.as_object_mut().unwrap();
        assert_eq!(
            o.remove("aria"),
            Some(json!({ "enabled": true, "decal": { "show": false } }))
        );
        assert_eq!(
            o["tooltip"].as_object_mut().unwrap().remove("confine"),
            Some(json!(true))
        );
        let s = o["series"][0].as_object_mut().unwrap();
        assert_eq!(s.remove("barMaxWidth"), Some(json!(22)));
        assert!(s.remove("markPoint").is_some());
        let line = s["markLine"].as_object_mut().unwrap();
        assert_eq!(line.remove("animation"), Some(json!(false)));
        // 25 / 70 = 35.7 %
        assert_eq!(
            line.remove("tooltip"),
            Some(json!({ "formatter": "Landet: 35.7" }))
        );
        let data = s["data"].as_array_mut().unwrap();
        // Bergen: 10 / 40 = 25 %
        assert_eq!(
            data[0].as_object_mut().unwrap().remove("tooltip"),
            Some(json!({ "formatter": "<strong>Bergen</strong><br/>Alle: 25.0 (10 / 40)" }))
        );
        assert_eq!(
            data[1].as_object_mut().unwrap().remove("suppressed"),
            Some(json!(true))
        );
        assert_eq!(option, charming);
    }

    #[test]
    fn escape_html_covers_the_five_characters() {
        assert_eq!(
            escape_html(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
        assert_eq!(escape_html("Tromsø"), "Tromsø");
    }

    #[test]
    fn my_area_is_marked_by_label_outline_and_colour_and_its_marks_follow() {
        let mut o = chart().option;
        assert!(!highlight_area(&mut o, "Oslo", "◀"));
        assert!(highlight_area(&mut o, "Bergen", "◀ mitt område"));
        // Bergen is the second bar (25 % after Askøy's 50 %).
        let label = &o["yAxis"]["data"][1];
        assert_eq!(label["value"], json!("Bergen ◀ mitt område"));
        assert_eq!(label["textStyle"]["backgroundColor"], json!(HIGHLIGHT));
        assert_eq!(
            o["series"][0]["data"][1]["itemStyle"]["borderWidth"],
            json!(2)
        );
        assert_eq!(o["series"][0]["data"][1]["value"], json!(25.0));
        // The other bars are untouched.
        assert_eq!(o["yAxis"]["data"][0], json!("Askøy"));
        assert!(o["series"][0]["data"][0].get("itemStyle").is_none());
        // A suppressed area's dashed box moves with its renamed label.
        let mut o = chart().option;
        assert!(highlight_area(&mut o, "<b>Evil</b>", "◀"));
        assert_eq!(
            o["series"][0]["markPoint"]["data"][0]["coord"],
            json!([0, "<b>Evil</b> ◀"])
        );
    }
}
