//! The downloadable report (issue 12, point 5): one self-contained HTML file for the chosen
//! modules and area — per indicator an inline SVG bar chart, the numbers as a table and the
//! definition; the modules' summaries and notes, the data-quality summary, the date and the
//! settings. No script: it reads with JavaScript off and prints to PDF (print CSS inside).
//!
//! Suppression is always on in the report, with k at least [`REPORT_MIN_CELL`] whatever the
//! screen shows: the worker recomputes the analysis with [`report_min_cell`] when the page's k
//! is lower, so the numbers are the long table's of `forlop indicators` with that k. The numbers
//! come from [`Report::long_rows`] (the one owner of the long table's fields), never recomputed.
//!
//! Pure (no web APIs): made in the worker, tested natively.

use crate::charts::escape_html as esc;
use crate::i18n::{tr, Key};
use crate::meta;
use crate::protocol::{LoadView, ReportRequest};
use forlop_core::model::Tables;
use forlop_core::module::SummaryKind;
use forlop_core::output::{Cell, Level, LongRow};
use forlop_core::text::Lang;
use forlop_core::Report;

/// The smallest k a report is ever made with (the spec's default).
pub const REPORT_MIN_CELL: u64 = 5;

/// The k of a report when the page's analysis used `k`: never below [`REPORT_MIN_CELL`].
pub fn report_min_cell(k: u64) -> u64 {
    k.max(REPORT_MIN_CELL)
}

/// The report's file name: `forlop_report_<area>_<year>.html`.
pub fn file_name(request: &ReportRequest, year: i32) -> String {
    let stem = match &request.area {
        Some((_, name)) => format!("report_{name}"),
        None => "report".to_string(),
    };
    crate::export::file_name(&stem, year, "html", false)
}

/// The areas the report shows, from the chosen one up: the area, its health community and
/// region (from the areas table), and the country. Without a choice: the country only.
pub fn area_chain(tables: &Tables, area: Option<&(Level, String)>) -> Vec<(Level, String)> {
    let mut out = Vec::new();
    if let Some((level, name)) = area {
        out.push((*level, name.clone()));
        let rows = tables.areas.iter().flatten();
        match level {
            Level::Municipality => {
                if let Some(r) = rows.clone().find(|r| r.municipality.to_string() == *name) {
                    out.push((Level::HealthCommunity, r.health_community.clone()));
                    out.push((Level::Region, r.region.clone()));
                }
            }
            Level::HealthCommunity => {
                if let Some(r) = rows.clone().find(|r| r.health_community == *name) {
                    out.push((Level::Region, r.region.clone()));
                }
            }
            Level::Region | Level::Country => {}
        }
    }
    if !out.iter().any(|(l, _)| *l == Level::Country) {
        out.push((Level::Country, "NO".to_string()));
    }
    out
}

/// An area as shown: the country by name, a municipality with its name from the areas table.
fn area_label(tables: &Tables, level: Level, name: &str, lang: Lang) -> String {
    match level {
        Level::Country => tr(Key::National, lang).to_string(),
        Level::Municipality => tables
            .areas
            .iter()
            .flatten()
            .find(|r| r.municipality.to_string() == name)
            .and_then(|r| r.municipality_name.clone())
            .map_or_else(|| name.to_string(), |n| format!("{name} {n}")),
        _ => name.to_string(),
    }
}

/// One bar of an SVG chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    /// The area's label.
    pub label: String,
    /// The value drawn; `None` = no bar (suppressed or not estimable).
    pub value: Option<f64>,
    /// The value as written beside the bar.
    pub text: String,
    /// Drawn strongest (the chosen area).
    pub strong: bool,
}

/// A group of bars under a heading (one group of the module).
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    /// The group's label.
    pub name: String,
    /// Its bars.
    pub rows: Vec<BarRow>,
}

/// Width of a report chart in px.
const CHART_WIDTH: f64 = 640.0;
/// Where bars start.
const BAR_X: f64 = 250.0;
/// The longest bar.
const BAR_MAX: f64 = 290.0;
/// Height of a bar row and of a group heading.
const ROW: f64 = 20.0;

/// A horizontal bar chart as inline SVG: one heading per group, one bar per area with its value
/// written beside it; a bar without a value is a dashed empty box with its text ("–").
/// Presentation attributes only (no style, no script).
pub fn bar_chart_svg(groups: &[BarGroup], title: &str) -> String {
    let max = groups
        .iter()
        .flat_map(|g| g.rows.iter().filter_map(|r| r.value))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let rows: usize = groups.iter().map(|g| g.rows.len() + 1).sum();
    let height = rows as f64 * ROW + 8.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{CHART_WIDTH}\" \
         height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\" role=\"img\" \
         aria-label=\"{t}\" font-family=\"sans-serif\" font-size=\"12\"><title>{t}</title>",
        t = esc(title)
    );
    let mut y = 4.0;
    for g in groups {
        out.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-weight=\"bold\" fill=\"#1b1f24\">{}</text>",
            y + 14.0,
            esc(&g.name)
        ));
        y += ROW;
        for r in &g.rows {
            let label_y = y + 14.0;
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{label_y}\" text-anchor=\"end\" fill=\"#1b1f24\"{}>{}</text>",
                BAR_X - 8.0,
                if r.strong {
                    " font-weight=\"bold\""
                } else {
                    ""
                },
                esc(&r.label)
            ));
            match r.value.filter(|v| v.is_finite()) {
                Some(v) => {
                    let w = if max > 0.0 {
                        (v.max(0.0) / max * BAR_MAX).max(1.0)
                    } else {
                        1.0
                    };
                    let fill = if r.strong { "#0072B2" } else { "#9ecae1" };
                    out.push_str(&format!(
                        "<rect x=\"{BAR_X}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{fill}\"/>\
                         <text x=\"{:.1}\" y=\"{label_y}\" fill=\"#1b1f24\">{}</text>",
                        y + 3.0,
                        ROW - 6.0,
                        BAR_X + w + 6.0,
                        esc(&r.text)
                    ));
                }
                None => out.push_str(&format!(
                    "<rect x=\"{BAR_X}\" y=\"{}\" width=\"36\" height=\"{}\" fill=\"none\" \
                     stroke=\"#4a5560\" stroke-dasharray=\"3 2\"/>\
                     <text x=\"{}\" y=\"{label_y}\" fill=\"#4a5560\">{}</text>",
                    y + 3.0,
                    ROW - 6.0,
                    BAR_X + 44.0,
                    esc(&r.text)
                )),
            }
            y += ROW;
        }
    }
    out.push_str("</svg>");
    out
}

const CSS: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:#1b1f24;\
max-width:960px;margin:0 auto;padding:1.5rem;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #10324a;margin-top:2rem}\
h3{font-size:1.1rem;margin:1.4rem 0 .4rem}\
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}\
th,td{border:1px solid #c9d1d9;padding:.2rem .5rem;text-align:left;vertical-align:top}\
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}small.counts{color:#4a5560;white-space:nowrap}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.9rem}\
dt{font-weight:600}dd{margin:0}\
.indicator{border-top:1px solid #c9d1d9;padding-top:.4rem}\
.note{color:#4a5560;font-size:.9rem}\
pre{white-space:pre-wrap;font-size:.8rem;background:#f6f8fa;padding:.5rem}\
@media print{body{max-width:none;padding:0}.indicator{break-inside:avoid-page}\
h2{break-after:avoid-page}h3{break-after:avoid-page}section.module{break-before:page}\
@page{size:A4;margin:15mm}}";

/// The value of a long-table row as shown, with the unit.
fn shown(cell: &Cell, unit: meta::UnitKind, lang: Lang) -> String {
    match cell {
        Cell::Value { value, .. } => meta::format_value(unit, *value, lang),
        Cell::NotEstimable { .. } => format!("– ({})", tr(Key::NotEstimable, lang)),
        Cell::Suppressed(r) => format!(
            "– ({})",
            crate::components::indicator::reason_text(*r, lang)
        ),
    }
}

/// One cell of a report table: the value as shown, numerator / denominator under it, and the
/// long-table row's nine fields as `data-` attributes.
fn table_cell(r: &LongRow<'_>, unit: meta::UnitKind, l: Lang) -> String {
    let f = r.fields();
    let counts = match r.cell {
        Cell::Value {
            numerator,
            denominator,
            ..
        }
        | Cell::NotEstimable {
            numerator,
            denominator,
        } => match (numerator, denominator) {
            (Some(n), Some(d)) => format!(
                "<br><small class=\"counts\"><span class=\"n\">{}</span> / <span class=\"d\">{}</span></small>",
                crate::fmt::count(n, l),
                crate::fmt::count(d, l)
            ),
            (Some(n), None) => format!(
                "<br><small class=\"counts\"><span class=\"n\">{}</span></small>",
                crate::fmt::count(n, l)
            ),
            _ => String::new(),
        },
        Cell::Suppressed(_) => String::new(),
    };
    format!(
        "<td class=\"num\" data-indicator=\"{}\" data-group=\"{}\" data-level=\"{}\" data-area=\"{}\" \
         data-year=\"{}\" data-numerator=\"{}\" data-denominator=\"{}\" data-value=\"{}\" \
         data-suppressed=\"{}\"><span class=\"v\">{}</span>{counts}</td>",
        esc(&f[0]),
        esc(&f[1]),
        esc(&f[2]),
        esc(&f[3]),
        esc(&f[4]),
        esc(&f[5]),
        esc(&f[6]),
        esc(&f[7]),
        esc(&f[8]),
        esc(&shown(&r.cell, unit, l)),
    )
}

/// The report as one HTML document. `report` must have been computed with
/// [`report_min_cell`]; `tables` give the areas' names and parents.
pub fn render(report: &Report, tables: &Tables, request: &ReportRequest) -> String {
    let l = request.lang;
    let k = report.settings.min_cell;
    let chain = area_chain(tables, request.area.as_ref());
    let chosen = chain
        .first()
        .cloned()
        .unwrap_or((Level::Country, "NO".into()));
    let chosen_label = area_label(tables, chosen.0, &chosen.1, l);
    let modules: Vec<usize> = (0..report.modules.len())
        .filter(|&m| {
            let s = &report.modules[m];
            request.modules.iter().any(|id| id == s.decl.id) && s.missing.is_empty()
        })
        .collect();
    let title = format!("{} – {chosen_label}", tr(Key::ReportTitle, l));
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{CSS}</style></head><body>\n<h1>{t}</h1>\n",
        lang = match l {
            Lang::Nb => "nb",
            Lang::En => "en",
        },
        t = esc(&title)
    ));
    // Settings: what one needs to make the same numbers again.
    let module_names: Vec<String> = modules
        .iter()
        .map(|&m| report.modules[m].decl.title.get(l).to_string())
        .collect();
    h.push_str(&format!(
        "<section id=\"settings\"><h2>{}</h2><dl>\
         <dt>{}</dt><dd id=\"made\">{}</dd>\
         <dt>{}</dt><dd id=\"area\" data-level=\"{}\" data-area=\"{}\">{}</dd>\
         <dt>{}</dt><dd id=\"year\">{}</dd>\
         <dt>{}</dt><dd id=\"min-cell\">k = {k}: {}</dd>\
         <dt>{}</dt><dd id=\"modules\">{}</dd></dl>",
        tr(Key::ReportSettings, l),
        tr(Key::ReportMade, l),
        esc(&request.made),
        tr(Key::Area, l),
        chosen.0.as_str(),
        esc(&chosen.1),
        esc(&chosen_label),
        tr(Key::ReportYear, l),
        report.settings.year,
        tr(Key::ReportSuppression, l),
        tr(Key::ReportSuppressionText, l),
        tr(Key::ReportModuleList, l),
        esc(&module_names.join(", ")),
    ));
    // Every setting as the engine took it, for the record.
    let settings_json = serde_json::to_string_pretty(&report.settings).unwrap_or_default();
    h.push_str(&format!(
        "<details><summary>settings.json</summary><pre id=\"settings-json\">{}</pre></details></section>\n",
        esc(&settings_json)
    ));
    // Data quality.
    h.push_str(&quality_section(request.quality.as_ref(), l));
    // Notes about the whole analysis.
    if !report.notes.is_empty() {
        h.push_str(&format!(
            "<section id=\"notes\"><h2>{}</h2><ul>",
            tr(Key::Notes, l)
        ));
        for n in &report.notes {
            h.push_str(&format!("<li>{}</li>", esc(&n.text(l))));
        }
        h.push_str("</ul></section>\n");
    }
    // The long table's rows of the shown areas, by indicator.
    let rows: Vec<LongRow<'_>> = report
        .long_rows()
        .filter(|r| chain.iter().any(|(lv, a)| *lv == r.level && a == r.area))
        .collect();
    for &m in &modules {
        let section = &report.modules[m];
        let decl = section.decl;
        h.push_str(&format!(
            "<section class=\"module\" id=\"module-{id}\" data-module=\"{id}\"><h2>{}</h2>",
            esc(decl.title.get(l)),
            id = esc(decl.id)
        ));
        let summary: Vec<String> = section
            .summary
            .iter()
            .filter(|s| !matches!(s.what, SummaryKind::Distribution { .. }))
            .map(|s| crate::engine::summary_line(decl, s, k))
            .map(|b| match l {
                Lang::Nb => b.nb,
                Lang::En => b.en,
            })
            .collect();
        if !summary.is_empty() {
            h.push_str(&format!("<h3>{}</h3><ul>", tr(Key::Summary, l)));
            for s in summary {
                h.push_str(&format!("<li>{}</li>", esc(&s)));
            }
            h.push_str("</ul>");
        }
        if !section.notes.is_empty() {
            h.push_str(&format!("<h3>{}</h3><ul>", tr(Key::Notes, l)));
            for n in &section.notes {
                h.push_str(&format!("<li>{}</li>", esc(&n.text(l))));
            }
            h.push_str("</ul>");
        }
        for res in report.results.iter().filter(|r| r.module == m) {
            let id = res.def.id;
            let info = meta::info(id, l);
            let unit = meta::unit_kind(id);
            let mut mine: Vec<&LongRow<'_>> = rows.iter().filter(|r| r.indicator == id).collect();
            // Groups in the declaration's order, then years, areas from the chosen one up.
            let group_pos = |g: &str| decl.groups.iter().position(|x| x.id == g);
            let area_pos = |r: &LongRow<'_>| {
                chain
                    .iter()
                    .position(|(lv, a)| *lv == r.level && a == r.area)
            };
            mine.sort_by_key(|r| (group_pos(r.group), r.year, area_pos(r)));
            h.push_str(&format!(
                "<article class=\"indicator\" id=\"ind-{id}\" data-indicator=\"{id}\"><h3>{}</h3>",
                esc(&info.title),
                id = esc(id)
            ));
            // The chart: base groups (not their split parts), the areas of the chain.
            let groups: Vec<BarGroup> = decl
                .groups
                .iter()
                .filter(|g| g.part.is_none())
                .map(|g| BarGroup {
                    name: decl.group_label(group_pos(g.id).unwrap_or(0), l),
                    rows: mine
                        .iter()
                        .filter(|r| r.group == g.id)
                        .map(|r| BarRow {
                            label: area_label(tables, r.level, r.area, l),
                            value: r.cell.value(),
                            text: shown(&r.cell, unit, l),
                            strong: (r.level, r.area) == (chosen.0, chosen.1.as_str()),
                        })
                        .collect(),
                })
                .filter(|g| !g.rows.is_empty())
                .collect();
            h.push_str(&bar_chart_svg(&groups, &info.title));
            h.push_str(&format!(
                "<p class=\"note\">{}</p>",
                tr(Key::ReportChartNote, l)
            ));
            // The table: a row per group (and year), a column per area of the chain; each cell
            // carries its long-table row's nine fields.
            h.push_str(&format!(
                "<table class=\"numbers\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th>",
                tr(Key::Group, l),
                tr(Key::ReportYear, l),
            ));
            for (lv, a) in &chain {
                h.push_str(&format!(
                    "<th scope=\"col\" class=\"num\">{}</th>",
                    esc(&area_label(tables, *lv, a, l))
                ));
            }
            h.push_str("</tr></thead><tbody>");
            let mut lines: Vec<(&str, i32)> = Vec::new();
            for r in &mine {
                if !lines.contains(&(r.group, r.year)) {
                    lines.push((r.group, r.year));
                }
            }
            for (group, year) in lines {
                h.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th><td class=\"num\">{year}</td>",
                    esc(&decl.group_label(group_pos(group).unwrap_or(0), l)),
                ));
                for (lv, a) in &chain {
                    let Some(r) = mine.iter().find(|r| {
                        r.group == group && r.year == year && r.level == *lv && r.area == a
                    }) else {
                        h.push_str("<td></td>");
                        continue;
                    };
                    h.push_str(&table_cell(r, unit, l));
                }
                h.push_str("</tr>");
            }
            h.push_str("</tbody></table>");
            h.push_str(&format!(
                "<dl class=\"definition\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
                 <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd><code>{}</code></dd></dl>",
                tr(Key::Definition, l),
                esc(&info.definition),
                tr(Key::Choices, l),
                esc(&info.choices),
                tr(Key::Unit, l),
                esc(&info.unit),
                tr(Key::Tables, l),
                esc(&info.tables.join(", ")),
                tr(Key::Indicator, l),
                esc(id),
            ));
            h.push_str("</article>\n");
        }
        let unavailable: Vec<_> = report
            .unavailable
            .iter()
            .filter(|u| {
                forlop_core::indicator::find(u.indicator).is_some_and(|d| d.module == decl.id)
            })
            .collect();
        if !unavailable.is_empty() {
            h.push_str(&format!("<h3>{}</h3><ul>", tr(Key::Unavailable, l)));
            for u in unavailable {
                let tables: Vec<&str> = u
                    .missing
                    .iter()
                    .map(|t| match l {
                        Lang::Nb => t.norwegian_name(),
                        Lang::En => t.canonical_name(),
                    })
                    .collect();
                h.push_str(&format!(
                    "<li><code>{}</code>: {}</li>",
                    esc(u.indicator),
                    esc(&tables.join(", "))
                ));
            }
            h.push_str("</ul>");
        }
        h.push_str("</section>\n");
    }
    h.push_str(&format!(
        "<footer><p class=\"note\">{} {}: {}.</p></footer>\n</body></html>\n",
        tr(Key::ReportFooter, l),
        tr(Key::ReportMade, l),
        esc(&request.made)
    ));
    h
}

/// The data-quality summary: rows read, used and rejected per file, and the problems by count.
fn quality_section(quality: Option<&LoadView>, l: Lang) -> String {
    let mut h = format!(
        "<section id=\"quality\"><h2>{}</h2>",
        tr(Key::ReportQuality, l)
    );
    let Some(q) = quality else {
        h.push_str(&format!(
            "<p>{}</p></section>\n",
            tr(Key::ReportNoQuality, l)
        ));
        return h;
    };
    h.push_str(&format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th>\
         <th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead><tbody>",
        tr(Key::QualityFile, l),
        tr(Key::QualityKind, l),
        tr(Key::QualityRead, l),
        tr(Key::QualityUsed, l),
        tr(Key::QualityRejected, l),
    ));
    for f in &q.files {
        let kind = f.kind.map_or_else(
            || tr(Key::KindUnknown, l).to_string(),
            |k| match l {
                Lang::Nb => k.norwegian_name().to_string(),
                Lang::En => k.canonical_name().to_string(),
            },
        );
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&f.name),
            esc(&kind),
            crate::fmt::count(f.rows_read, l),
            crate::fmt::count(f.rows_used, l),
            crate::fmt::count(f.rows_rejected, l),
        ));
    }
    h.push_str("</tbody></table>");
    if q.problems.is_empty() {
        h.push_str(&format!("<p>{}</p>", tr(Key::QualityNone, l)));
    } else {
        h.push_str(&format!(
            "<h3>{}</h3><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            tr(Key::QualityProblems, l),
            tr(Key::QualityProblems, l),
            tr(Key::QualityCount, l),
            tr(Key::Definition, l),
        ));
        for p in &q.problems {
            h.push_str(&format!(
                "<tr><th scope=\"row\"><code>{}</code></th><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&p.code),
                crate::fmt::count(p.count, l),
                esc(match l {
                    Lang::Nb => &p.text.nb,
                    Lang::En => &p.text.en,
                }),
            ));
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use forlop_core::Settings;

    #[test]
    fn k_is_never_below_five() {
        assert_eq!(report_min_cell(0), 5);
        assert_eq!(report_min_cell(3), 5);
        assert_eq!(report_min_cell(5), 5);
        assert_eq!(report_min_cell(10), 10);
    }

    #[test]
    fn the_chart_draws_values_and_marks_suppressed_without_a_bar() {
        let svg = bar_chart_svg(
            &[BarGroup {
                name: "A & B".into(),
                rows: vec![
                    BarRow {
                        label: "0301 Oslo".into(),
                        value: Some(50.0),
                        text: "50,0 %".into(),
                        strong: true,
                    },
                    BarRow {
                        label: "NO".into(),
                        value: Some(25.0),
                        text: "25,0 %".into(),
                        strong: false,
                    },
                    BarRow {
                        label: "X".into(),
                        value: None,
                        text: "–".into(),
                        strong: false,
                    },
                ],
            }],
            "<t>",
        );
        // The largest value (50) is the full 290 px; 25 is half of it, 145 px.
        assert!(
            svg.contains("width=\"290.0\" height=\"14\" fill=\"#0072B2\""),
            "{svg}"
        );
        assert!(svg.contains("width=\"145.0\" height=\"14\" fill=\"#9ecae1\""));
        assert!(svg.contains("stroke-dasharray"));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("A &amp; B") && svg.contains("&lt;t&gt;"));
        assert!(!svg.contains("<script") && !svg.contains("style="));
    }

    #[test]
    fn the_report_holds_the_long_tables_rows_of_the_chosen_area_and_no_script() {
        let tables = crate::engine::synth_tables(400, 2024);
        let settings = Settings {
            min_cell: report_min_cell(0),
            ..Settings::for_year(2024)
        };
        let report = forlop_core::analyse(&tables, &settings);
        // A municipality of the demo and its chain: 4601 lies in "Bjørgvin og Øyane", "Helse
        // Vestfjære" (crates/synth/src/geography.rs).
        let area = (Level::Municipality, "4601".to_string());
        let chain = area_chain(&tables, Some(&area));
        assert_eq!(
            chain,
            vec![
                area.clone(),
                (Level::HealthCommunity, "Bjørgvin og Øyane".into()),
                (Level::Region, "Helse Vestfjære".into()),
                (Level::Country, "NO".into()),
            ]
        );
        let request = ReportRequest {
            modules: vec!["smi".into()],
            area: Some(area),
            lang: Lang::En,
            made: "2026-11-27 08:00".into(),
            quality: Some(LoadView::default()),
        };
        let html = render(&report, &tables, &request);
        assert!(!html.to_lowercase().contains("<script"));
        assert!(html.contains("k = 5"));
        assert!(html.contains("2026-11-27 08:00"));
        // Every long-table row of smi for 4601 is in the report with its fields.
        let mut n = 0;
        for r in report
            .long_rows()
            .filter(|r| r.indicator.starts_with("smi.") && r.area == "4601")
        {
            let f = r.fields();
            let row = format!(
                "<td class=\"num\" data-indicator=\"{}\" data-group=\"{}\" data-level=\"municipality\" data-area=\"4601\" \
                 data-year=\"2024\" data-numerator=\"{}\" data-denominator=\"{}\" data-value=\"{}\" \
                 data-suppressed=\"{}\">",
                f[0], esc(&f[1]), f[5], f[6], f[7], f[8]
            );
            assert!(html.contains(&row), "missing {row}");
            n += 1;
        }
        assert!(n > 20, "{n} rows");
        // Other modules are not in it; the definitions are.
        assert!(!html.contains("data-indicator=\"door."));
        let def = forlop_core::indicator::find("smi.admitted").unwrap();
        assert!(html.contains(&esc(def.definition.get(Lang::En))));
    }

    #[test]
    fn names_from_the_users_files_cannot_put_markup_in_the_report() {
        // Area names and file names come from the user's files and are written into the HTML:
        // a name that is markup must arrive as text.
        const EVIL: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        let mut tables = crate::engine::synth_tables(400, 2024);
        for a in tables.areas.iter_mut().flatten() {
            if a.health_community == "Bjørgvin og Øyane" {
                a.health_community = EVIL.into();
            }
            a.municipality_name = Some(EVIL.into());
        }
        let report = forlop_core::analyse(&tables, &Settings::for_year(2024));
        let request = ReportRequest {
            modules: vec!["smi".into(), "door".into()],
            area: Some((Level::Municipality, "4601".into())),
            lang: Lang::Nb,
            made: EVIL.into(),
            quality: Some(LoadView {
                files: vec![crate::protocol::FileView {
                    name: EVIL.into(),
                    kind: None,
                    rows_read: 1,
                    rows_used: 0,
                    rows_rejected: 1,
                }],
                ..LoadView::default()
            }),
        };
        let html = render(&report, &tables, &request);
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "a script tag got through");
        assert!(!lower.contains("<img"), "an img tag got through");
        // The name is there, as text.
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
