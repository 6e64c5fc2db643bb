//! Report → ECharts option, pure and testable natively (STYLE P11).
//!
//! One chart per indicator in the style of the seed's figures: areas as horizontal bars sorted by
//! value, the national value as a line, up to five group series. A suppressed cell is never a
//! number: its bar is missing (`"-"`, ECharts' empty value) and a dashed box with "–" marks the
//! place, with the reason in its tooltip.
//!
//! Why JSON and not `charming::Chart`: charming 0.6's data items carry no per-item tooltip or
//! label, which the suppressed marks and the escaped, language-formatted tooltips need; and its
//! renderer cannot dispose a chart. The option is the same JSON charming would produce.
//!
//! User text (area names from the user's areas file, group labels) reaches ECharts in two ways:
//! axis labels, titles and marks are drawn as canvas/SVG text (never parsed as HTML); tooltips are
//! HTML, so every tooltip string is built here with [`escape_html`].

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

/// The bar chart of one indicator by area.
pub fn bar_by_area(series: &[Series], labels: &Labels<'_>) -> ChartSpec {
    let areas = area_order(series);
    let mut out_series = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let name = escape_html(&s.name);
        let mut data = Vec::new();
        let mut marks = Vec::new();
        for area in &areas {
            let area_html = escape_html(area);
            match s.bars.iter().find(|b| &b.area == area).map(|b| b.cell) {
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
                    data.push(json!({ "value": value, "tooltip": { "formatter": tip } }));
                }
                Some(Cell::Suppressed(reason)) => {
                    let tip = format!(
                        "<strong>{area_html}</strong><br/>{name}: – ({})",
                        escape_html(&(labels.suppressed)(reason))
                    );
                    data.push(json!({ "value": "-", "suppressed": true }));
                    marks.push(json!({
                        "coord": [0, area],
                        "symbol": "rect",
                        "symbolSize": [16, 12],
                        "symbolOffset": [10 + 18 * i as i32, 0],
                        "itemStyle": { "color": "#ffffff", "borderColor": colour,
                                       "borderType": "dashed", "borderWidth": 1.5 },
                        // One series: the reason in words beside the box; several: "–" only,
                        // so the marks of neighbouring series do not overlap.
                        "label": if series.len() == 1 {
                            json!({ "show": true, "position": "right", "color": "#333333",
                                    "formatter": format!("– {}", (labels.suppressed)(reason)) })
                        } else {
                            json!({ "show": true, "formatter": "–", "color": "#000000" })
                        },
                        "tooltip": { "formatter": tip },
                    }));
                }
                Some(Cell::NotEstimable { .. }) => {
                    // No bar and no number: nothing to estimate (only seen with k = 0).
                    let tip = format!(
                        "<strong>{area_html}</strong><br/>{name}: {}",
                        escape_html(labels.not_estimable)
                    );
                    data.push(json!({ "value": "-", "tooltip": { "formatter": tip } }));
                }
                None => data.push(json!({ "value": "-" })),
            }
        }
        // With several series the national labels would collide at the top of the chart: the
        // national value goes into the legend entry instead, the line keeps its tooltip.
        let legend_name = match (series.len() > 1, s.national) {
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
        let mut one = json!({
            "type": "bar",
            "name": legend_name,
            "data": data,
            "itemStyle": { "color": colour },
            "barMaxWidth": 22,
        });
        if !marks.is_empty() {
            one["markPoint"] = json!({ "data": marks, "animation": false });
        }
        if let Some(Cell::Value { value, .. }) = s.national {
            let text = format!("{}: {}", labels.national, (labels.value)(value));
            one["markLine"] = json!({
                "symbol": "none",
                "animation": false,
                "lineStyle": { "color": colour, "type": "dashed", "width": 2 },
                // The category axis is inverted, so "start" is the top of the line, clear of the
                // value axis labels at the bottom.
                "label": { "show": series.len() == 1, "formatter": text, "position": "start" },
                "tooltip": { "formatter": escape_html(&text) },
                "data": [{ "xAxis": value, "name": labels.national }],
            });
        }
        out_series.push(one);
    }
    let rows = areas.len().max(1) as u32;
    let per_row = 14 + 8 * series.len().clamp(1, 5) as u32;
    // Room for a legend of up to five entries (two lines) below the value axis.
    let legend_room = if series.len() > 1 { 56 } else { 0 };
    let height = (120 + legend_room + rows * per_row).clamp(220, 6000);
    let option = json!({
        "animation": false,
        "aria": { "enabled": true, "decal": { "show": series.len() > 1 } },
        "color": PALETTE,
        "title": { "text": labels.title, "subtext": labels.subtitle, "left": 0,
                   "textStyle": { "fontSize": 15 } },
        "legend": { "show": series.len() > 1, "bottom": 0 },
        "tooltip": { "trigger": "item", "confine": true },
        "grid": { "left": 8, "right": 90, "top": 64, "bottom": 40 + legend_room, "containLabel": true },
        "xAxis": { "type": "value" },
        "yAxis": { "type": "category", "inverse": true, "data": areas,
                   "axisLabel": { "interval": 0 } },
        "series": out_series,
    });
    ChartSpec { option, height }
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
        // one area × (14 + 8 × 2) + 120 + 56 legend = 206 → at least 220
        assert_eq!(c.height, 220);
    }

    #[test]
    fn escape_html_covers_the_five_characters() {
        assert_eq!(
            escape_html(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
        assert_eq!(escape_html("Tromsø"), "Tromsø");
    }
}
