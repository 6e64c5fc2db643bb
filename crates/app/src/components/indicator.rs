//! One indicator: its chart, its numbers as a sortable table, its definition, and exports.

use crate::charts::{self, Bar, Labels, Series};
use crate::i18n::{tr, Key};
use crate::meta::{self, UnitKind};
use crate::protocol::ReportView;
use crate::selection::{level_label, series_for, Selection};
use crate::AppState;
use forlop_core::output::{Cell, Level, SuppressReason};
use forlop_core::text::Lang;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The reason of a suppressed cell, in words.
pub fn reason_text(r: SuppressReason, lang: Lang) -> String {
    tr(
        match r {
            SuppressReason::Primary => Key::SuppressedPrimary,
            SuppressReason::Secondary => Key::SuppressedSecondary,
        },
        lang,
    )
    .to_string()
}

/// One table row: area, group and the engine's cell.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Area label.
    pub area: String,
    /// "My area": `Some(true)` the area itself, `Some(false)` the area of this level that holds it.
    pub mine: Option<bool>,
    /// Group label.
    pub group: String,
    /// The cell.
    pub cell: Cell,
    /// Its 95 % confidence interval, when it has one.
    pub ci: Option<forlop_core::ci::Interval>,
}

/// Builds the chart series and table rows of result `result` for the chosen groups (indices in
/// its module's groups) and level: every cell is looked up by index, nothing is scanned.
pub fn select(
    report: &ReportView,
    result: usize,
    groups: &[usize],
    level: Level,
    lang: Lang,
) -> (Vec<Series>, Vec<TableRow>) {
    let mut series = Vec::new();
    let mut table = Vec::new();
    let Some(r) = report.results.get(result) else {
        return (series, table);
    };
    let Some(decl) = report.modules.get(r.module).and_then(|m| m.decl()) else {
        return (series, table);
    };
    let areas = report.areas_at(level);
    let country = report.areas_at(Level::Country).first().copied();
    for &g in groups {
        let group = decl.group_label(g, lang);
        let mut bars = Vec::new();
        for &a in &areas {
            let Some(cell) = report.cell(r, g, a) else {
                continue;
            };
            let area = report.area_label(a, lang);
            table.push(TableRow {
                mine: None,
                area: area.clone(),
                group: group.clone(),
                cell,
                ci: report.interval(r, g, a),
            });
            bars.push(Bar { area, cell });
        }
        series.push(Series {
            name: group,
            bars,
            national: country.and_then(|c| report.cell(r, g, c)),
        });
    }
    (series, table)
}

/// The 95 % intervals of the chart's series (same groups, level and labels as [`select`]).
pub fn intervals_of(
    report: &ReportView,
    result: usize,
    groups: &[usize],
    level: Level,
    lang: Lang,
) -> Vec<charts::SeriesIntervals> {
    let Some(r) = report.results.get(result) else {
        return Vec::new();
    };
    let country = report.areas_at(Level::Country).first().copied();
    groups
        .iter()
        .map(|&g| charts::SeriesIntervals {
            by_area: report
                .areas_at(level)
                .into_iter()
                .filter_map(|a| Some((report.area_label(a, lang), report.interval(r, g, a)?)))
                .collect(),
            national: country
                .and_then(|c| Some((report.cell(r, g, c)?.value()?, report.interval(r, g, c)?))),
        })
        .collect()
}

/// The line under a chart: the variation between the level's areas for each shown group, or
/// `None` at the country level or when the indicator has none.
pub fn variation_text(
    report: &ReportView,
    result: usize,
    groups: &[usize],
    level: Level,
    lang: Lang,
) -> Option<String> {
    let r = report.results.get(result)?;
    let decl = report.modules.get(r.module)?.decl()?;
    let k = report.settings.comparison.variation_min_cases;
    let num = |x: f64| crate::fmt::number(x, 2, lang);
    let parts: Vec<String> = groups
        .iter()
        .filter_map(|&g| {
            let v = r
                .variation
                .iter()
                .find(|v| v.group == g && v.level == level)?;
            let mut text = format!(
                "{}: {} {} {k} {}",
                decl.group_label(g, lang),
                v.areas,
                tr(Key::VariationAreas, lang),
                tr(Key::VariationCases, lang)
            );
            if v.min.is_none() {
                text.push_str(&format!(" – {}", tr(Key::VariationTooFew, lang)));
            }
            for (key, x) in [
                (Key::ExtremalQuotient, v.extremal_quotient),
                (Key::CoefficientOfVariation, v.cv),
                (Key::SystematicVariation, v.scv),
            ] {
                if let Some(x) = x {
                    text.push_str(&format!(" · {} {}", tr(key, lang), num(x)));
                }
            }
            Some(text)
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "{} ({}) – {}",
            tr(Key::VariationHeading, lang),
            level_label(level, lang),
            parts.join("; ")
        )
    })
}

/// Table sort: by which column, descending or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Area label.
    Area,
    /// Value (suppressed last).
    Value,
}

/// Sorts table rows; suppressed values always last, so their order reveals nothing.
pub fn sort_rows(rows: &mut [TableRow], key: SortKey, descending: bool) {
    rows.sort_by(|a, b| {
        let ord = match key {
            SortKey::Area => a.area.cmp(&b.area).then_with(|| a.group.cmp(&b.group)),
            SortKey::Value => match (a.cell.value(), b.cell.value()) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => return std::cmp::Ordering::Less,
                (None, Some(_)) => return std::cmp::Ordering::Greater,
                (None, None) => a.area.cmp(&b.area),
            },
        };
        if descending {
            ord.reverse()
        } else {
            ord
        }
    });
}

/// `f` on the report with what the page shows of result `result`: the groups of its module
/// the user ticked, the level and the language (reactive in each); `None` before a report.
fn on_selection<T>(
    state: AppState,
    sel: Selection,
    result: usize,
    f: impl Fn(&ReportView, &[usize], Level, Lang) -> Option<T>,
) -> Option<T> {
    let l = state.lang.get();
    let (bases, split, level) = (sel.bases.get(), sel.split.get(), sel.level.get());
    state.report.with(|r| {
        let r = r.as_ref()?;
        let decl = r.modules.get(r.results.get(result)?.module)?.decl()?;
        f(r, &series_for(decl, &bases, split), level, l)
    })
}

/// One indicator card.
#[component]
pub fn IndicatorCard(
    /// Position on the page (for element ids).
    index: usize,
    /// Its position in the report's results.
    result: usize,
    /// Indicator id from the registry.
    id: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let unit = meta::unit_kind(&id);
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let sort = RwSignal::new((SortKey::Value, true));
    let data = Memo::new(move |_| {
        on_selection(state, sel, result, |r, groups, level, l| {
            Some(select(r, result, groups, level, l))
        })
        .unwrap_or_default()
    });
    // The intervals and the variation line of the same selection (issue 13).
    let ci_data = Memo::new(move |_| {
        on_selection(state, sel, result, |r, groups, level, l| {
            Some(intervals_of(r, result, groups, level, l))
        })
        .unwrap_or_default()
    });
    let variation = move || {
        on_selection(state, sel, result, |r, groups, level, l| {
            variation_text(r, result, groups, level, l)
        })
    };

    // "My area" at the chart's level: its label as drawn, and whether it is the area itself
    // (else the area of this level that holds it).
    let mine = Memo::new(move |_| {
        let l = lang.get();
        let level = sel.level.get();
        let chosen = state.my_area.get();
        state.report.with(|r| {
            let r = r.as_ref()?;
            let a = crate::components::area_report::my_area_index(r, &chosen)?;
            let at = r
                .area_within(a, level)
                .filter(|_| level != Level::Country)?;
            Some((r.area_label(at, l), at == a))
        })
    });
    let id_for_spec = id.clone();
    let spec = Memo::new(move |_| {
        let l = lang.get();
        let (series, _) = data.get();
        let info = meta::info(&id_for_spec, l);
        let (year, unsuppressed) = state.report.with(|r| {
            r.as_ref()
                .map(|r| (r.settings.year, r.unsuppressed))
                .unwrap_or((0, false))
        });
        let mut subtitle = format!(
            "{} · {year} · – = {}",
            level_text(sel.level.get(), l),
            tr(Key::Suppressed, l)
        );
        if !info.unit.is_empty() {
            subtitle = format!("{} · {subtitle}", info.unit);
        }
        if unsuppressed {
            subtitle = format!("{} · {subtitle}", tr(Key::NotSuppressed, l));
        }
        let reason = move |r: SuppressReason| reason_text(r, l);
        let value = move |v: f64| meta::format_value(unit, v, l);
        let count = move |n: u64| crate::fmt::count(n, l);
        let mut spec = charts::bar_by_area(
            &series,
            &Labels {
                title: &info.title,
                subtitle: &subtitle,
                national: tr(Key::National, l),
                suppressed: &reason,
                value: &value,
                count: &count,
                not_estimable: tr(Key::NotEstimable, l),
            },
        );
        charts::add_intervals(
            &mut spec.option,
            &ci_data.get(),
            &charts::IntervalLabels {
                interval: tr(Key::ConfidenceInterval, l),
                above: tr(Key::AboveCountry, l),
                below: tr(Key::BelowCountry, l),
                value: &value,
            },
        );

        if let Some((label, exact)) = mine.get() {
            let marker = tr(
                if exact {
                    Key::MyAreaMarker
                } else {
                    Key::MyAreaWithin
                },
                l,
            );
            charts::highlight_area(&mut spec.option, &label, marker);
        }
        spec
    });
    Effect::new(move |_| {
        let spec = spec.get();
        if let Some(el) = chart_ref.get() {
            let el: web_sys::HtmlElement = el.unchecked_into();
            let _ = el
                .style()
                .set_property("height", &format!("{}px", spec.height));
            // The first card's chart at once, in the task that built the card (with the
            // report's: `pages::results::Cards`); the others one per task after it.
            if index == 0 {
                crate::echarts::draw_now(el, spec.option, spec.height);
            } else {
                crate::echarts::schedule(el, spec.option, spec.height);
            }
        }
    });
    let id_png = id.clone();
    let on_png = move |_| {
        let Some(el) = chart_ref.get_untracked() else {
            return;
        };
        let el: web_sys::HtmlElement = el.unchecked_into();
        crate::echarts::flush();
        if let (Some(url), Some(r)) = (crate::echarts::png_of(&el), state.report.get_untracked()) {
            let name = crate::export::file_name(&id_png, r.settings.year, "png", r.unsuppressed);
            let _ = crate::export::download_data_url(&url, &name);
        }
    };
    let id_svg = id.clone();
    let on_svg = move |_| {
        let spec = spec.get_untracked();
        let width = chart_ref
            .get_untracked()
            .map(|el| el.client_width().max(400) as u32)
            .unwrap_or(800);
        if let (Ok(url), Some(r)) = (
            crate::echarts::svg_of(&spec.option, width, spec.height),
            state.report.get_untracked(),
        ) {
            let name = crate::export::file_name(&id_svg, r.settings.year, "svg", r.unsuppressed);
            let _ = crate::export::download_data_url(&url, &name);
        }
    };
    // Printed with every indicator (one per page), so each page says how small numbers were
    // treated, and that they were not when k = 0.
    let suppression_note = move || {
        let l = lang.get();
        state.report.with(|r| match r {
            Some(r) if r.unsuppressed => tr(Key::NotSuppressedBanner, l).to_string(),
            Some(r) => format!(
                "{} (k = {})",
                tr(Key::SuppressionNote, l),
                r.settings.min_cell
            ),
            None => String::new(),
        })
    };
    let id_info = id.clone();
    let info = move || meta::info(&id_info, lang.get());
    let info2 = info.clone();
    let chart_label = move || {
        let l = lang.get();
        match mine.get() {
            Some((label, exact)) => format!(
                "{} – {}: {label}",
                info2().title,
                tr(
                    if exact {
                        Key::MyArea
                    } else {
                        Key::MyAreaWithin
                    },
                    l
                )
                .trim_start_matches("◀ ")
            ),
            None => info2().title,
        }
    };
    let heading_id = format!("ind-{index}");
    let labelled_by = heading_id.clone();
    // `aria-sort` belongs on the column header (axe: not allowed on a button).
    let aria_sort = move |key: SortKey| {
        move || {
            let (k, desc) = sort.get();
            if k != key {
                "none"
            } else if desc {
                "descending"
            } else {
                "ascending"
            }
        }
    };
    let sort_button = move |key: SortKey, label: Key| {
        view! {
            <button type="button" class="sort"
                on:click=move |_| sort.update(|(k, d)| { if *k == key { *d = !*d } else { *k = key; *d = key == SortKey::Value } })
            >
                {move || tr(label, lang.get())}
            </button>
        }
    };
    view! {
        <article class="indicator card" id=format!("indicator-{index}") data-indicator=id.clone() aria-labelledby=labelled_by>
            <h3 id=heading_id>{move || info().title}</h3>
            <div class="chart" id=format!("chart-{index}") node_ref=chart_ref role="img"
                aria-label=chart_label data-my-area=move || mine.get().map(|(l, _)| l)></div>
            <div class="chart-actions no-print">
                <button type="button" class="png" on:click=on_png>{move || tr(Key::ExportPng, lang.get())}</button>
                <button type="button" class="svg" on:click=on_svg>{move || tr(Key::ExportSvg, lang.get())}</button>
            </div>
            {move || variation().map(|t| view! { <p class="variation">{t}</p> })}
            <p class="suppression-note">{suppression_note}</p>
            {
                let id = id.clone();
                move || (state.years_expected() > 1)
                    .then(|| view! { <crate::components::trend::TrendPanel index result id=id.clone() /> })
            }
            <details class="definition" open=move || sel.print.get()>
                <summary>{move || tr(Key::ShowDefinition, lang.get())}</summary>
                {
                    let id = id.clone();
                    move || {
                        let i = meta::info(&id, lang.get());
                        let l = lang.get();
                        view! {
                            <dl>
                                <dt>{tr(Key::Definition, l)}</dt><dd>{i.definition}</dd>
                                <dt>{tr(Key::Choices, l)}</dt><dd>{i.choices}</dd>
                                <dt>{tr(Key::Unit, l)}</dt><dd>{i.unit}</dd>
                                <dt>{tr(Key::Tables, l)}</dt><dd>{i.tables.join(", ")}</dd>
                                <dt>{tr(Key::Indicator, l)}</dt><dd><code>{id.clone()}</code></dd>
                            </dl>
                        }
                    }
                }
            </details>
            <details class="numbers" open=move || sel.print.get()>
                <summary>{move || tr(Key::ShowTable, lang.get())}</summary>
                <table class="data sortable">
                    <thead><tr>
                        <th scope="col" aria-sort=aria_sort(SortKey::Area)>{sort_button(SortKey::Area, Key::Area)}</th>
                        <th scope="col">{move || tr(Key::Group, lang.get())}</th>
                        <th scope="col" class="num">{move || tr(Key::Numerator, lang.get())}</th>
                        <th scope="col" class="num">{move || tr(Key::Denominator, lang.get())}</th>
                        <th scope="col" class="num" aria-sort=aria_sort(SortKey::Value)>{sort_button(SortKey::Value, Key::Value)}</th>
                        <th scope="col" class="num ci">{move || tr(Key::ConfidenceInterval, lang.get())}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let l = lang.get();
                            let (key, desc) = sort.get();
                            let (_, mut rows) = data.get();
                            if let Some((label, exact)) = mine.get() {
                                for r in rows.iter_mut().filter(|r| r.area == label) {
                                    r.mine = Some(exact);
                                }
                            }
                            sort_rows(&mut rows, key, desc);
                            rows.into_iter().map(|r| row_view(r, unit, l)).collect_view()
                        }}
                    </tbody>
                </table>
            </details>
        </article>
    }
}

fn level_text(level: Level, lang: Lang) -> &'static str {
    level_label(level, lang)
}

fn row_view(r: TableRow, unit: UnitKind, l: Lang) -> impl IntoView {
    let ci =
        r.ci.map(|i| {
            format!(
                "{} – {}",
                meta::format_value(unit, i.low, l),
                meta::format_value(unit, i.high, l)
            )
        })
        .unwrap_or_default();
    let (num, den, val, suppressed) = match r.cell {
        Cell::Value {
            numerator,
            denominator,
            value,
        } => (
            numerator
                .map(|n| crate::fmt::count(n, l))
                .unwrap_or_default(),
            denominator
                .map(|d| crate::fmt::count(d, l))
                .unwrap_or_default(),
            meta::format_value(unit, value, l),
            false,
        ),
        Cell::NotEstimable {
            numerator,
            denominator,
        } => (
            numerator
                .map(|n| crate::fmt::count(n, l))
                .unwrap_or_default(),
            denominator
                .map(|d| crate::fmt::count(d, l))
                .unwrap_or_default(),
            format!("– ({})", tr(Key::NotEstimable, l)),
            true,
        ),
        Cell::Suppressed(reason) => (
            "–".to_string(),
            "–".to_string(),
            format!("– ({})", reason_text(reason, l)),
            true,
        ),
    };
    let marker = r.mine.map(|exact| {
        let text = tr(
            if exact {
                Key::MyAreaMarker
            } else {
                Key::MyAreaWithin
            },
            l,
        );
        view! { " " <strong class="my-area-mark">{text}</strong> }
    });
    view! {
        <tr class:suppressed=suppressed class:mine=r.mine.is_some()>
            <th scope="row">{r.area}{marker}</th>
            <td>{r.group}</td>
            <td class="num">{num}</td>
            <td class="num">{den}</td>
            <td class="num value">{val}</td>
            <td class="num ci">{ci}</td>
        </tr>
    }
}
