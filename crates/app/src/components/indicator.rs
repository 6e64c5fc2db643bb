//! One indicator: its chart, its numbers as a sortable table, its definition, and exports.

use crate::charts::{self, Bar, Labels, Series};
use crate::i18n::{tr, Key};
use crate::meta::{self, UnitKind};
use crate::pages::results::{area_label, group_label, Selection};
use crate::protocol::ReportView;
use crate::AppState;
use forlop_core::output::{Cell, Group, Level, SuppressReason};
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
    /// Group label.
    pub group: String,
    /// The cell.
    pub cell: Cell,
}

/// Builds the chart series and table rows of indicator `id` for the chosen series and level.
pub fn select(
    report: &ReportView,
    id: &str,
    groups: &[Group],
    level: Level,
    lang: Lang,
) -> (Vec<Series>, Vec<TableRow>) {
    let mut series = Vec::new();
    let mut table = Vec::new();
    for g in groups {
        let mut bars = Vec::new();
        let mut national = None;
        for row in report
            .rows
            .iter()
            .filter(|r| r.indicator == id && r.group == *g)
        {
            if row.level == Level::Country {
                national = Some(row.cell);
            }
            if row.level == level {
                let area = area_label(level, &row.area, report, lang);
                table.push(TableRow {
                    area: area.clone(),
                    group: group_label(*g, lang),
                    cell: row.cell,
                });
                bars.push(Bar {
                    area,
                    cell: row.cell,
                });
            }
        }
        series.push(Series {
            name: group_label(*g, lang),
            bars,
            national,
        });
    }
    (series, table)
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

/// One indicator card.
#[component]
pub fn IndicatorCard(
    /// Position on the page (for element ids).
    index: usize,
    /// Indicator id from the registry.
    id: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let unit = meta::unit_kind(&id);
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let sort = RwSignal::new((SortKey::Value, true));
    let id_for_data = id.clone();
    let data = Memo::new(move |_| {
        let l = lang.get();
        let groups = sel.series();
        let level = sel.level.get();
        state.report.with(|r| {
            r.as_ref()
                .map(|r| select(r, &id_for_data, &groups, level, l))
                .unwrap_or_default()
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
        charts::bar_by_area(
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
        )
    });
    Effect::new(move |_| {
        let spec = spec.get();
        if let Some(el) = chart_ref.get() {
            let el: web_sys::HtmlElement = el.unchecked_into();
            let _ = el
                .style()
                .set_property("height", &format!("{}px", spec.height));
            crate::echarts::schedule(el, spec.option, spec.height);
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
    let heading_id = format!("ind-{index}");
    let labelled_by = heading_id.clone();
    let sort_button = move |key: SortKey, label: Key| {
        view! {
            <button type="button" class="sort"
                aria-sort=move || {
                    let (k, desc) = sort.get();
                    if k != key { "none" } else if desc { "descending" } else { "ascending" }
                }
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
                aria-label=move || info2().title></div>
            <div class="chart-actions no-print">
                <button type="button" class="png" on:click=on_png>{move || tr(Key::ExportPng, lang.get())}</button>
                <button type="button" class="svg" on:click=on_svg>{move || tr(Key::ExportSvg, lang.get())}</button>
            </div>
            <p class="suppression-note">{suppression_note}</p>
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
                        <th scope="col">{sort_button(SortKey::Area, Key::Area)}</th>
                        <th scope="col">{move || tr(Key::Group, lang.get())}</th>
                        <th scope="col" class="num">{move || tr(Key::Numerator, lang.get())}</th>
                        <th scope="col" class="num">{move || tr(Key::Denominator, lang.get())}</th>
                        <th scope="col" class="num">{sort_button(SortKey::Value, Key::Value)}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let l = lang.get();
                            let (key, desc) = sort.get();
                            let (_, mut rows) = data.get();
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
    crate::pages::results::level_label(level, lang)
}

fn row_view(r: TableRow, unit: UnitKind, l: Lang) -> impl IntoView {
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
    view! {
        <tr class:suppressed=suppressed>
            <th scope="row">{r.area}</th>
            <td>{r.group}</td>
            <td class="num">{num}</td>
            <td class="num">{den}</td>
            <td class="num value">{val}</td>
        </tr>
    }
}
