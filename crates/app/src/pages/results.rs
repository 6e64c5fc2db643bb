//! Results of the SMI module: settings (year, k), choices (groups, level, substance split),
//! exports, and one card per indicator; then the overlap summary, unavailable indicators and notes.

use crate::components::indicator::IndicatorCard;
use crate::i18n::{tr, Key};
use crate::protocol::{Bilingual, ReportView, ToWorker};
use crate::AppState;
use forlop_core::output::{Group, Level, SmiGroup, SubstanceSplit};
use forlop_core::text::Lang;
use leptos::prelude::*;

/// At most this many series in one chart.
pub const MAX_SERIES: usize = 5;

/// What the user chose to see; provided as context to the indicator cards.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// Chosen SMI groups.
    pub groups: RwSignal<Vec<SmiGroup>>,
    /// Split each group by comorbid substance use.
    pub split: RwSignal<bool>,
    /// Area level of the bars.
    pub level: RwSignal<Level>,
    /// Print view: every panel open.
    pub print: RwSignal<bool>,
}

impl Selection {
    /// The series to draw: each chosen group, or its two substance parts, at most five.
    pub fn series(&self) -> Vec<Group> {
        series_for(&self.groups.get(), self.split.get())
    }
}

/// The series for chosen groups: `G` or `G+substance`, `G-substance`; at most [`MAX_SERIES`].
pub fn series_for(groups: &[SmiGroup], split: bool) -> Vec<Group> {
    let mut out = Vec::new();
    for g in groups {
        if split {
            out.push(Group::Smi(*g, SubstanceSplit::With));
            out.push(Group::Smi(*g, SubstanceSplit::Without));
        } else {
            out.push(Group::Smi(*g, SubstanceSplit::Any));
        }
    }
    out.truncate(MAX_SERIES);
    out
}

/// A long-table group as a label: `Depresjon m/rus`, `Depression, with substance use`.
pub fn group_label(group: Group, lang: Lang) -> String {
    match group {
        Group::Smi(g, split) => {
            let base = g.label().get(lang);
            match (split, lang) {
                (SubstanceSplit::Any, _) => base.to_string(),
                (SubstanceSplit::With, Lang::Nb) => format!("{base} m/rus"),
                (SubstanceSplit::Without, Lang::Nb) => format!("{base} u/rus"),
                (SubstanceSplit::With, Lang::En) => format!("{base}, with substance use"),
                (SubstanceSplit::Without, Lang::En) => format!("{base}, without substance use"),
            }
        }
        other => other.to_string(),
    }
}

/// The level's label.
pub fn level_label(level: Level, lang: Lang) -> &'static str {
    tr(
        match level {
            Level::Country => Key::LevelCountry,
            Level::Region => Key::LevelRegion,
            Level::HealthCommunity => Key::LevelHealthCommunity,
            Level::Municipality => Key::LevelMunicipality,
        },
        lang,
    )
}

/// An area as shown: the country by name, a municipality as `0301 Oslo` when the areas file
/// names it; regions and health communities are already names.
pub fn area_label(level: Level, area: &str, report: &ReportView, lang: Lang) -> String {
    match level {
        Level::Country => tr(Key::National, lang).to_string(),
        Level::Municipality => match report.area_names.iter().find(|(c, _)| c == area) {
            Some((_, name)) => format!("{area} {name}"),
            None => area.to_string(),
        },
        _ => area.to_string(),
    }
}

fn pick(b: &Bilingual, lang: Lang) -> String {
    match lang {
        Lang::Nb => b.nb.clone(),
        Lang::En => b.en.clone(),
    }
}

/// The results page, shown when a report exists.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selection = Selection {
        groups: RwSignal::new(vec![SmiGroup::All]),
        split: RwSignal::new(false),
        level: RwSignal::new(Level::Region),
        print: RwSignal::new(false),
    };
    provide_context(selection);
    // The browser's own print (Ctrl+P) gets the print view too: every panel open while printing.
    // The page lives as long as the app, so the listeners are never removed.
    // Charts still waiting to be drawn are drawn first, so the print has every one.
    let _ = window_event_listener_untyped("beforeprint", move |_| {
        crate::echarts::flush();
        selection.print.set(true);
    });
    let _ = window_event_listener_untyped("afterprint", move |_| selection.print.set(false));
    // Default level: the finest level above municipality that has rows, else municipality.
    Effect::new(move |_| {
        if let Some(r) = state.report.get() {
            let has = |l: Level| r.rows.iter().any(|row| row.level == l);
            let current = selection.level.get_untracked();
            if !has(current) {
                let pick = [
                    Level::Region,
                    Level::HealthCommunity,
                    Level::Municipality,
                    Level::Country,
                ]
                .into_iter()
                .find(|l| has(*l))
                .unwrap_or(Level::Country);
                selection.level.set(pick);
            }
        }
    });
    move || state.report.get().map(|_| view! { <Results /> })
}

#[component]
fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let busy = move || state.busy.get().is_some();
    let report = move || state.report.get().unwrap_or_default();
    let unsuppressed = move || {
        state
            .report
            .with(|r| r.as_ref().is_some_and(|r| r.unsuppressed))
    };
    let indicators = Memo::new(move |_| {
        state.report.with(|r| {
            let mut ids: Vec<String> = Vec::new();
            for row in r.iter().flat_map(|r| r.rows.iter()) {
                if ids.last() != Some(&row.indicator) && !ids.contains(&row.indicator) {
                    ids.push(row.indicator.clone());
                }
            }
            crate::meta::order(&ids)
        })
    });
    let levels = Memo::new(move |_| {
        state.report.with(|r| {
            Level::ALL
                .into_iter()
                .filter(|l| {
                    r.iter()
                        .flat_map(|r| r.rows.iter())
                        .any(|row| row.level == *l)
                })
                .collect::<Vec<_>>()
        })
    });
    let reanalyse = move || {
        state.run(
            ToWorker::Analyse {
                settings: state.settings(),
            },
            None,
        );
    };
    let export_csv = move |_| {
        if let Some(r) = state.report.get_untracked() {
            let csv = crate::export::long_table_csv(&r.rows, r.unsuppressed);
            let name =
                crate::export::file_name("long_table", r.settings.year, "csv", r.unsuppressed);
            if let Err(e) = crate::export::download_text(&csv, "text/csv;charset=utf-8", &name) {
                web_sys::console::warn_1(&e);
            }
        }
    };
    let print = move |_| {
        crate::echarts::flush();
        sel.print.set(true);
        // Let the panels open before the print dialog takes its snapshot.
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(
                &wasm_bindgen::JsValue::NULL,
            ))
            .await;
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
            sel.print.set(false);
        });
    };
    view! {
        <section class="results" id="results" aria-labelledby="results-heading">
            <h2 id="results-heading">{move || tr(Key::ResultsHeading, lang.get())}</h2>
            {move || unsuppressed().then(|| view! {
                <p class="unsuppressed-banner" id="unsuppressed" role="alert">{tr(Key::NotSuppressedBanner, lang.get())}</p>
            })}
            <div class="controls card no-print">
                <div class="field">
                    <label for="year">{move || tr(Key::AnalysisYear, lang.get())}</label>
                    <input id="year" type="number" min="1990" max="2100" prop:value=move || state.year.get().to_string()
                        disabled=busy
                        on:change=move |ev| {
                            if let Ok(y) = event_target_value(&ev).parse::<i32>() {
                                state.year.set(y);
                                reanalyse();
                            }
                        } />
                </div>
                <div class="field">
                    <label for="min-cell">{move || tr(Key::MinCell, lang.get())}</label>
                    <input id="min-cell" type="number" min="0" max="100" prop:value=move || state.min_cell.get().to_string()
                        aria-describedby="min-cell-help" disabled=busy
                        on:change=move |ev| {
                            if let Ok(k) = event_target_value(&ev).parse::<u64>() {
                                state.min_cell.set(k);
                                reanalyse();
                            }
                        } />
                    <small id="min-cell-help">{move || tr(Key::MinCellOff, lang.get())}</small>
                </div>
                <fieldset class="field">
                    <legend>{move || tr(Key::Groups, lang.get())}</legend>
                    {SmiGroup::ALL.into_iter().map(|g| {
                        let id = format!("group-{}", g.id());
                        let for_id = id.clone();
                        view! {
                            <label class="check" for=for_id>
                                <input type="checkbox" id=id
                                    prop:checked=move || sel.groups.get().contains(&g)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        sel.groups.update(|gs| {
                                            gs.retain(|x| *x != g);
                                            if on { gs.push(g); gs.sort(); }
                                        });
                                    } />
                                {move || g.label().get(lang.get())}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="level">{move || tr(Key::Level, lang.get())}</label>
                    <select id="level" on:change=move |ev| {
                        if let Some(l) = Level::parse(&event_target_value(&ev)) { sel.level.set(l) }
                    }>
                        {move || levels.get().into_iter().map(|l| view! {
                            <option value=l.as_str() selected=move || sel.level.get() == l>
                                {move || level_label(l, lang.get())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="field">
                    <legend>{move || tr(Key::Substance, lang.get())}</legend>
                    <label class="check"><input type="radio" name="split" id="split-any"
                        prop:checked=move || !sel.split.get() on:change=move |_| sel.split.set(false) />
                        {move || tr(Key::SubstanceAny, lang.get())}</label>
                    <label class="check"><input type="radio" name="split" id="split-on"
                        prop:checked=move || sel.split.get() on:change=move |_| sel.split.set(true) />
                        {move || tr(Key::SubstanceSplit, lang.get())}</label>
                </fieldset>
                <div class="field export">
                    <span class="label">{move || tr(Key::Export, lang.get())}</span>
                    <button id="export-csv" type="button" on:click=export_csv>{move || tr(Key::ExportCsv, lang.get())}</button>
                    <button id="export-xlsx" type="button" disabled=busy on:click=move |_| {
                        if let Some(r) = state.report.get_untracked() {
                            state.busy.set(Some(crate::Progress { phase: crate::protocol::Phase::Computing, detail: "XLSX".into(), fraction: 0.0 }));
                            crate::client::request_xlsx(crate::export::file_name("long_table", r.settings.year, "xlsx", r.unsuppressed));
                        }
                    }>{move || tr(Key::ExportXlsx, lang.get())}</button>
                    <button id="print" type="button" on:click=print>{move || tr(Key::Print, lang.get())}</button>
                </div>
            </div>
            <Summary />
            <AreaProfile />
            <For
                each=move || indicators.get().into_iter().enumerate()
                key=|(i, id)| (*i, id.clone())
                children=move |(i, id)| view! { <IndicatorCard index=i id=id /> }
            />
            {move || {
                let r = report();
                (!r.unavailable.is_empty()).then(|| view! {
                    <section class="card" id="unavailable">
                        <h3>{tr(Key::Unavailable, lang.get())}</h3>
                        <ul>
                            {r.unavailable.iter().map(|(id, tables)| view! {
                                <li><code>{id.clone()}</code>": "{tables.join(", ")}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            }}
        </section>
    }
}

/// The region an area belongs to (from the areas table), when it has one above it.
pub fn region_of(report: &ReportView, level: Level, area: &str) -> Option<String> {
    match level {
        Level::Municipality => report
            .area_parents
            .iter()
            .find(|(m, _, _)| m == area)
            .map(|p| p.2.clone()),
        Level::HealthCommunity => report
            .area_parents
            .iter()
            .find(|(_, h, _)| h == area)
            .map(|p| p.2.clone()),
        Level::Region | Level::Country => None,
    }
}

/// Area profile: every indicator for one chosen area beside its region and the country.
#[component]
fn AreaProfile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let area = RwSignal::new(String::new());
    let areas = Memo::new(move |_| {
        let level = sel.level.get();
        state.report.with(|r| {
            let mut v: Vec<String> = r
                .iter()
                .flat_map(|r| r.rows.iter())
                .filter(|row| row.level == level)
                .map(|row| row.area.clone())
                .collect();
            v.sort();
            v.dedup();
            v
        })
    });
    view! {
        <details class="card" id="profile">
            <summary>{move || tr(Key::ProfileHeading, lang.get())}</summary>
            <p>{move || tr(Key::ProfileIntro, lang.get())}</p>
            <div class="field inline">
                <label for="profile-area">{move || tr(Key::ProfileArea, lang.get())}</label>
                <select id="profile-area" on:change=move |ev| area.set(event_target_value(&ev))>
                    <option value="">"–"</option>
                    {move || {
                        let l = lang.get();
                        let level = sel.level.get();
                        let report = state.report.get().unwrap_or_default();
                        areas.get().into_iter().map(|a| {
                            let label = area_label(level, &a, &report, l);
                            view! { <option value=a.clone() selected=area.get_untracked() == a>{label}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            {move || {
                let a = area.get();
                let l = lang.get();
                let level = sel.level.get();
                let group = sel.series().first().copied().unwrap_or(Group::Smi(SmiGroup::All, SubstanceSplit::Any));
                let report = state.report.get().unwrap_or_default();
                (!a.is_empty()).then(|| {
                    let region = region_of(&report, level, &a);
                    let cell_of = |id: &str, lv: Level, ar: &str| {
                        report.rows.iter()
                            .find(|r| r.indicator == id && r.group == group && r.level == lv && r.area == ar)
                            .map(|r| r.cell)
                    };
                    let show = |id: &str, c: Option<forlop_core::output::Cell>| match c {
                        Some(forlop_core::output::Cell::Value { value, .. }) => crate::meta::format_value(crate::meta::unit_kind(id), value, l),
                        Some(_) => "–".to_string(),
                        None => String::new(),
                    };
                    let mut ids: Vec<String> = Vec::new();
                    for r in &report.rows {
                        if !ids.contains(&r.indicator) { ids.push(r.indicator.clone()); }
                    }
                    let ids = crate::meta::order(&ids);
                    view! {
                        <table class="data" id="profile-table">
                            <thead><tr>
                                <th scope="col">{tr(Key::Indicator, l)}</th>
                                <th scope="col" class="num">{area_label(level, &a, &report, l)}</th>
                                <th scope="col" class="num">{region.clone().unwrap_or_else(|| tr(Key::ProfileRegion, l).to_string())}</th>
                                <th scope="col" class="num">{tr(Key::National, l)}</th>
                            </tr></thead>
                            <tbody>
                                {ids.iter().map(|id| {
                                    let here = show(id, cell_of(id, level, &a));
                                    let reg = region.as_ref().map(|r| show(id, cell_of(id, Level::Region, r))).unwrap_or_default();
                                    let nat = show(id, cell_of(id, Level::Country, "NO"));
                                    view! {
                                        <tr>
                                            <th scope="row">{crate::meta::info(id, l).title}</th>
                                            <td class="num">{here}</td>
                                            <td class="num">{reg}</td>
                                            <td class="num">{nat}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                })
            }}
        </details>
    }
}

/// Overlap between the groups and the engine's notes.
#[component]
fn Summary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    move || {
        let r = state.report.get().unwrap_or_default();
        let l = lang.get();
        (!r.overlap.is_empty() || !r.notes.is_empty()).then(|| view! {
            <section class="card" id="overlap">
                {(!r.overlap.is_empty()).then(|| view! {
                    <h3>{tr(Key::Overlap, l)}</h3>
                    <ul>{r.overlap.iter().map(|b| view! { <li>{pick(b, l)}</li> }).collect_view()}</ul>
                })}
                {(!r.notes.is_empty()).then(|| view! {
                    <h3>{tr(Key::Notes, l)}</h3>
                    <ul>{r.notes.iter().map(|b| view! { <li>{pick(b, l)}</li> }).collect_view()}</ul>
                })}
            </section>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_split_and_capped_at_five() {
        use SmiGroup::*;
        assert_eq!(
            series_for(&[All], false),
            vec![Group::Smi(All, SubstanceSplit::Any)]
        );
        // 3 groups × 2 parts = 6 → the first five.
        let s = series_for(&[All, Bipolar, Depression], true);
        assert_eq!(s.len(), 5);
        assert_eq!(s[0], Group::Smi(All, SubstanceSplit::With));
        assert_eq!(s[4], Group::Smi(Depression, SubstanceSplit::With));
        assert_eq!(group_label(s[1], Lang::Nb), "Alle u/rus");
    }
}
