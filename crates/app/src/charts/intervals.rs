//! 95 % confidence intervals on a bar chart (issue 13), added to the option [`super::bar_by_area`]
//! made, so the chart code itself stays as it is:
//! - a whisker from the lower to the upper limit on each bar (a `markLine` segment), and the
//!   national value's interval as a light band (`markArea`), when the chart shows one group
//!   (with several, bars sit side by side and a whisker at the category's centre would mislead);
//! - every bar's tooltip gains its interval;
//! - an area whose interval lies wholly above or below the country's value gets a text mark,
//!   ▲ / ▼ with words when one group is shown, so the difference is not told by colour alone.

use forlop_core::ci::Interval;
use serde_json::{json, Value};

/// One series' intervals, by the area labels of its bars.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesIntervals {
    /// (area label, interval) of every bar that has one.
    pub by_area: Vec<(String, Interval)>,
    /// The country's value and interval, when shown.
    pub national: Option<(f64, Interval)>,
}

/// Words of the interval marks, in the user's language.
pub struct IntervalLabels<'a> {
    /// "95 % KI" / "95 % CI".
    pub interval: &'a str,
    /// "over landet" / "above the country".
    pub above: &'a str,
    /// "under landet" / "below the country".
    pub below: &'a str,
    /// Formats a value.
    pub value: &'a dyn Fn(f64) -> String,
}

/// Whether an interval lies wholly above (`Some(true)`) or below (`Some(false)`) the national
/// value.
pub fn versus_country(iv: Interval, national: f64) -> Option<bool> {
    if iv.above(national) {
        Some(true)
    } else if iv.below(national) {
        Some(false)
    } else {
        None
    }
}

/// The category names of the option's value-by-area axis.
fn categories(option: &Value) -> Vec<String> {
    let axis = match option.get("yAxis") {
        Some(Value::Array(a)) => a.first(),
        other => other,
    };
    axis.and_then(|a| a.get("data"))
        .and_then(Value::as_array)
        .map(|d| {
            d.iter()
                .map(|x| match x {
                    Value::String(s) => s.clone(),
                    other => other
                        .get("value")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The smallest multiple of half a power of ten at or above `m` (33.3 → 35, 1.84 → 2): a round
/// end for the value axis.
pub fn nice_ceiling(m: f64) -> f64 {
    if !(m > 0.0 && m.is_finite()) {
        return m;
    }
    let step = 10f64.powf(m.log10().floor()) / 2.0;
    (m / step).ceil() * step
}

/// Adds the intervals of `series` (in the order of the option's series) to a bar chart option.
/// Never panics: what it does not find it leaves alone.
pub fn add_intervals(option: &mut Value, series: &[SeriesIntervals], labels: &IntervalLabels<'_>) {
    let areas = categories(option);
    let single = series.len() == 1;
    // ECharts drops a mark line that leaves the axis: with whiskers, the value axis reaches the
    // highest upper limit.
    if let (true, Some(top)) = (
        single,
        series
            .iter()
            .flat_map(|s| {
                s.by_area
                    .iter()
                    .map(|(_, i)| i.high)
                    .chain(s.national.map(|n| n.1.high))
            })
            .reduce(f64::max),
    ) {
        let axis = match option.get_mut("xAxis") {
            Some(Value::Array(a)) => a.first_mut(),
            other => other,
        };
        if let Some(axis) = axis.and_then(Value::as_object_mut) {
            axis.insert("max".into(), json!(nice_ceiling(top)));
        }
    }
    let Some(out) = option.get_mut("series").and_then(Value::as_array_mut) else {
        return;
    };
    for (s, ivs) in out.iter_mut().zip(series) {
        let Some(s) = s.as_object_mut() else {
            continue;
        };
        let national = ivs.national;
        let mut whiskers = Vec::new();
        let mut marks = Vec::new();
        for (area, iv) in &ivs.by_area {
            let Some(j) = areas.iter().position(|a| a == area) else {
                continue;
            };
            let text = format!(
                "{}: {} – {}",
                labels.interval,
                (labels.value)(iv.low),
                (labels.value)(iv.high)
            );
            let side = national.and_then(|(v, _)| versus_country(*iv, v));
            let side_text = side.map(|up| {
                if up {
                    format!("▲ {}", labels.above)
                } else {
                    format!("▼ {}", labels.below)
                }
            });
            if let Some(item) = s
                .get_mut("data")
                .and_then(Value::as_array_mut)
                .and_then(|d| d.get_mut(j))
                .and_then(Value::as_object_mut)
            {
                if let Some(f) = item.get_mut("tooltip").and_then(|t| t.get_mut("formatter")) {
                    if let Some(old) = f.as_str() {
                        let mut tip = format!("{old}<br/>{}", super::escape_html(&text));
                        if let Some(st) = &side_text {
                            tip.push_str(&format!("<br/>{}", super::escape_html(st)));
                        }
                        *f = Value::String(tip);
                    }
                }
                if let (false, Some(up)) = (single, side) {
                    item.insert(
                        "label".into(),
                        json!({ "show": true, "position": "right", "color": "#000000",
                                "formatter": if up { "▲" } else { "▼" } }),
                    );
                }
                if let Some(up) = side {
                    item.insert(
                        "versusCountry".into(),
                        json!(if up { "above" } else { "below" }),
                    );
                }
            }
            if single {
                whiskers.push(json!([
                    { "coord": [iv.low, area], "symbol": "none",
                      "lineStyle": { "color": "#000000", "type": "solid", "width": 1.5 },
                      "label": { "show": false }, "tooltip": { "formatter": super::escape_html(&text) },
                      "ci": true },
                    { "coord": [iv.high, area], "symbol": "none" }
                ]));
                if let Some(st) = side_text {
                    marks.push(json!({
                        "coord": [iv.high, area],
                        "symbol": "circle",
                        "symbolSize": 1,
                        "itemStyle": { "color": "#000000" },
                        "label": { "show": true, "position": "right", "color": "#000000",
                                   "formatter": st },
                        "tooltip": { "formatter": super::escape_html(&st) },
                        "versusCountry": true,
                    }));
                }
            }
        }
        if !single {
            continue;
        }
        if !whiskers.is_empty() {
            let line = s.entry("markLine").or_insert_with(
                || json!({ "symbol": ["none", "none"], "animation": false, "data": [] }),
            );
            if let Some(data) = line.get_mut("data").and_then(Value::as_array_mut) {
                data.extend(whiskers);
            }
        }
        if !marks.is_empty() {
            let point = s
                .entry("markPoint")
                .or_insert_with(|| json!({ "animation": false, "data": [] }));
            if let Some(data) = point.get_mut("data").and_then(Value::as_array_mut) {
                data.extend(marks);
            }
        }
        if let Some((_, iv)) = national {
            let text = format!(
                "{}: {} – {}",
                labels.interval,
                (labels.value)(iv.low),
                (labels.value)(iv.high)
            );
            s.insert(
                "markArea".into(),
                json!({
                    "silent": false,
                    "animation": false,
                    "itemStyle": { "color": "#000000", "opacity": 0.08 },
                    "label": { "show": false },
                    "tooltip": { "formatter": super::escape_html(&text) },
                    "data": [[{ "xAxis": iv.low, "name": "national-ci" }, { "xAxis": iv.high }]],
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{bar_by_area, Bar, Labels, Series};
    use super::*;
    use forlop_core::output::Cell;

    fn v(n: u64, d: u64) -> Cell {
        Cell::Value {
            numerator: Some(n),
            denominator: Some(d),
            value: 100.0 * n as f64 / d as f64,
        }
    }

    fn option(n_series: usize) -> Value {
        let series: Vec<Series> = (0..n_series)
            .map(|i| Series {
                name: format!("g{i}"),
                bars: vec![
                    Bar {
                        area: "Bergen".into(),
                        cell: v(10, 40),
                    },
                    Bar {
                        area: "Askøy".into(),
                        cell: v(15, 30),
                    },
                ],
                national: Some(v(30, 100)),
            })
            .collect();
        bar_by_area(
            &series,
            &Labels {
                title: "t",
                subtitle: "s",
                national: "Landet",
                suppressed: &|_| "–".to_string(),
                value: &|x| format!("{x:.1}"),
                count: &|n| n.to_string(),
                not_estimable: "–",
            },
        )
        .option
    }

    fn ivs() -> SeriesIntervals {
        SeriesIntervals {
            // Bergen 25 % (14, 40) holds the country's 30 %; Askøy 50 % (33, 67) lies above it.
            by_area: vec![
                (
                    "Bergen".into(),
                    Interval {
                        low: 14.0,
                        high: 40.0,
                    },
                ),
                (
                    "Askøy".into(),
                    Interval {
                        low: 33.0,
                        high: 67.0,
                    },
                ),
            ],
            national: Some((
                30.0,
                Interval {
                    low: 21.0,
                    high: 40.0,
                },
            )),
        }
    }

    fn labels() -> IntervalLabels<'static> {
        IntervalLabels {
            interval: "95 % KI",
            above: "over landet",
            below: "under landet",
            value: &|x| format!("{x:.1}"),
        }
    }

    #[test]
    fn one_group_gets_whiskers_a_band_and_a_worded_mark() {
        let mut o = option(1);
        add_intervals(&mut o, &[ivs()], &labels());
        let s = &o["series"][0];
        // Areas sorted by value: Askøy (50 %) first.
        let whiskers: Vec<&Value> = s["markLine"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d.is_array())
            .collect();
        assert_eq!(whiskers.len(), 2);
        assert_eq!(whiskers[0][0]["coord"], json!([14.0, "Bergen"]));
        assert_eq!(whiskers[0][1]["coord"], json!([40.0, "Bergen"]));
        // The national line is still there (a plain item beside the segments).
        assert!(s["markLine"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.is_object()));
        assert_eq!(s["markArea"]["data"][0][0]["xAxis"], json!(21.0));
        assert_eq!(s["markArea"]["data"][0][1]["xAxis"], json!(40.0));
        // Only Askøy lies wholly above 30 %: one mark, in words.
        let marks = s["markPoint"]["data"].as_array().unwrap();
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0]["label"]["formatter"], json!("▲ over landet"));
        assert_eq!(marks[0]["coord"], json!([67.0, "Askøy"]));
        let askoy = &s["data"][0];
        assert_eq!(askoy["versusCountry"], json!("above"));
        assert!(askoy["tooltip"]["formatter"]
            .as_str()
            .unwrap()
            .contains("95 % KI: 33.0 – 67.0"));
        assert!(s["data"][1].get("versusCountry").is_none());
    }

    #[test]
    fn several_groups_get_marks_on_the_bars_but_no_whiskers() {
        let mut o = option(2);
        let mut below = ivs();
        below.by_area[0].1 = Interval {
            low: 10.0,
            high: 29.0,
        };
        add_intervals(&mut o, &[ivs(), below], &labels());
        for i in 0..2 {
            let s = &o["series"][i];
            assert!(s.get("markArea").is_none());
            assert!(s["markLine"]["data"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_object));
        }
        assert_eq!(o["series"][0]["data"][0]["label"]["formatter"], json!("▲"));
        assert_eq!(o["series"][1]["data"][1]["label"]["formatter"], json!("▼"));
        assert_eq!(o["series"][1]["data"][1]["versusCountry"], json!("below"));
    }

    #[test]
    fn the_value_axis_reaches_the_highest_whisker() {
        assert_eq!(nice_ceiling(33.3), 35.0);
        assert_eq!(nice_ceiling(1.84), 2.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(0.0), 0.0);
        let mut o = option(1);
        add_intervals(&mut o, &[ivs()], &labels());
        // Askøy's upper limit 67 → 70.
        let axis = if o["xAxis"].is_array() {
            &o["xAxis"][0]
        } else {
            &o["xAxis"]
        };
        assert_eq!(axis["max"], json!(70.0));
    }

    #[test]
    fn versus_country_needs_the_whole_interval_on_one_side() {
        let iv = Interval {
            low: 2.0,
            high: 3.0,
        };
        assert_eq!(versus_country(iv, 1.0), Some(true));
        assert_eq!(versus_country(iv, 4.0), Some(false));
        assert_eq!(versus_country(iv, 2.0), None);
        assert_eq!(versus_country(iv, 2.5), None);
    }
}
