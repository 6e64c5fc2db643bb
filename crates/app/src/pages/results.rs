//! The results page, for any module: a navigation of the report's modules and the shown
//! module's indicators that stays in view, an overview at the top (the year shown and why, the
//! year selector, "my area", cohort sizes, key figures), the settings (year override, k),
//! choices from the shown module's declaration (groups, split, level), exports, one card per
//! indicator, the area profile and the area report, the module's summary and notes. Nothing
//! here names a module.

use crate::components::area_report::{
    cell_text, my_area_index, whole_cohort_group, AreaReport, MyAreaPicker,
};
use crate::components::indicator::IndicatorCard;
use crate::i18n::{tr, Key};
use crate::protocol::{Bilingual, ExportFormat, ReportView, ToWorker, YearReason};
use crate::selection::{level_label, series_for, Selection};
use crate::AppState;
use forlop_core::model::TableKind;
use forlop_core::output::{Cell, Level};
use forlop_core::text::Lang;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Cards added per browser task. The task that takes in a report builds at most these
/// ([`first_cards`]: it decodes the report and lays out the page); the cards follow, the ones
/// on screen first, so no task builds them all (issue 6: no stall over 100 ms).
const CARDS_PER_TASK: usize = 1;

fn pick(b: &Bilingual, lang: Lang) -> String {
    match lang {
        Lang::Nb => b.nb.clone(),
        Lang::En => b.en.clone(),
    }
}

fn table_names(tables: &[TableKind], lang: Lang) -> String {
    tables
        .iter()
        .map(|t| match lang {
            Lang::Nb => t.norwegian_name(),
            Lang::En => t.canonical_name(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The shown module's index, when the report has it and it was computed.
fn shown_module(report: &ReportView, module: usize) -> Option<usize> {
    report
        .modules
        .get(module)
        .is_some_and(|m| m.computed())
        .then_some(module)
}

/// The results page, shown when a report exists.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selection = Selection::new();
    provide_context(selection);
    // The browser's own print (Ctrl+P) gets the print view too: every panel open while printing.
    // The page lives as long as the app, so the listeners are never removed (the rehearsal's
    // page, which does not, has none).
    // Charts still waiting to be drawn are drawn first, so the print has every one.
    if !state.rehearsal {
        let _ = window_event_listener_untyped("beforeprint", move |_| {
            crate::echarts::flush();
            selection.print.set(true);
        });
        let _ = window_event_listener_untyped("afterprint", move |_| selection.print.set(false));
    }
    Effect::new(move |_| {
        state.report.with(|r| {
            let Some(r) = r else { return };
            // The first computed module, unless the one shown still is.
            if shown_module(r, selection.module.get_untracked()).is_none() {
                if let Some(m) = r.modules.iter().position(|m| m.computed()) {
                    selection.choose_module(m);
                }
            }
            // Default level: the finest level above municipality that has areas.
            let levels = r.levels();
            if !levels.contains(&selection.level.get_untracked()) {
                let pick = [
                    Level::Region,
                    Level::HealthCommunity,
                    Level::Municipality,
                    Level::Country,
                ]
                .into_iter()
                .find(|l| levels.contains(l))
                .unwrap_or(Level::Country);
                selection.level.set(pick);
            }
        })
    });
    move || {
        state
            .report
            .with(|r| r.is_some())
            .then(|| view! { <Results /> })
    }
}

#[component]
fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let busy = move || state.busy.get().is_some();
    let unsuppressed = move || {
        state
            .report
            .with(|r| r.as_ref().is_some_and(|r| r.unsuppressed))
    };
    let module_id = Memo::new(move |_| {
        let m = sel.module.get();
        state
            .report
            .with(|r| r.as_ref().and_then(|r| Some(r.modules.get(m)?.id.clone())))
    });
    // The worker computes the module shown first in the next analysis (a new k, year or
    // upload): the user who is on the third module sees it first. (Not the rehearsal's: a
    // message would end the worker's warm-up.)
    if !state.rehearsal {
        Effect::new(move |_| {
            if let Some(id) = module_id.get() {
                crate::client::send(&ToWorker::ShowModule(id), None);
            }
        });
    }
    let decl = move || module_id.with(|id| id.as_deref().and_then(forlop_core::modules::find));
    let levels = Memo::new(move |_| {
        state
            .report
            .with(|r| r.as_ref().map(|r| r.levels()).unwrap_or_default())
    });
    let reanalyse = move || {
        state.run(
            ToWorker::Analyse {
                settings: state.settings(),
                year_override: state.year_override.get_untracked(),
            },
            None,
        );
    };
    let shown_year = move || state.report.with(|r| r.as_ref().map(|r| r.settings.year));
    let overridden = move || state.year_override.get().is_some();
    let export = move |format: ExportFormat| {
        let detail = match format {
            ExportFormat::Csv => "CSV",
            ExportFormat::Xlsx => "XLSX",
            ExportFormat::Variation => "CSV",
        };
        state.busy.set(Some(crate::Progress {
            phase: crate::protocol::Phase::Computing,
            detail: detail.into(),
            fraction: 0.0,
        }));
        crate::client::request_export(format);
    };
    let print = move |_| {
        sel.print.set(true);
        // Let every card appear and the panels open (effects run before the next task), then
        // draw every chart still waiting, before the print dialog takes its snapshot.
        leptos::task::spawn_local(async move {
            let next_task = js_sys::Promise::new(&mut |resolve, _| {
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
                }
            });
            let _ = wasm_bindgen_futures::JsFuture::from(next_task).await;
            crate::echarts::flush();
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
            <div class="results-layout">
            <div class="page-nav no-print">
                <ModuleNav />
                <IndicatorNav />
            </div>
            <div class="results-main">
            <Overview />
            <div class="controls card no-print">
                <div class="field">
                    <label for="year">{move || tr(Key::YearOverrideLabel, lang.get())}</label>
                    <input id="year" type="number" min="1990" max="2100"
                        prop:value=move || shown_year().map(|y| y.to_string()).unwrap_or_default()
                        disabled=busy
                        on:change=move |ev| {
                            if let Ok(y) = event_target_value(&ev).parse::<i32>() {
                                let computed = state.report.with_untracked(|r| r.as_ref().is_some_and(|r| r.years_computed().contains(&y)));
                                if computed {
                                    show_year(state, y);
                                } else {
                                    state.year_override.set(Some(y));
                                    reanalyse();
                                }
                            }
                        } />
                    {move || overridden().then(|| view! {
                        <button id="year-from-data" type="button" disabled=busy on:click=move |_| {
                            state.year_override.set(None);
                            reanalyse();
                        }>{move || tr(Key::YearFromData, lang.get())}</button>
                    })}
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
                    {move || decl().map(|d| d.bases.iter().enumerate().map(|(b, base)| {
                        let id = format!("group-{}", base.id);
                        let for_id = id.clone();
                        let label = base.label;
                        view! {
                            <label class="check" for=for_id>
                                <input type="checkbox" id=id
                                    prop:checked=move || sel.bases.get().contains(&b)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        sel.bases.update(|bs| {
                                            bs.retain(|x| *x != b);
                                            if on { bs.push(b); bs.sort(); }
                                        });
                                    } />
                                {move || label.get(lang.get())}
                            </label>
                        }
                    }).collect_view())}
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
                {move || decl().and_then(|d| d.split.as_ref()).map(|split| {
                    let legend = split.label;
                    view! {
                        <fieldset class="field">
                            <legend>{move || legend.get(lang.get())}</legend>
                            <label class="check"><input type="radio" name="split" id="split-any"
                                prop:checked=move || !sel.split.get() on:change=move |_| sel.split.set(false) />
                                {move || tr(Key::SplitNone, lang.get())}</label>
                            <label class="check"><input type="radio" name="split" id="split-on"
                                prop:checked=move || sel.split.get() on:change=move |_| sel.split.set(true) />
                                {move || tr(Key::SplitOn, lang.get())}</label>
                        </fieldset>
                    }
                })}
                <div class="field export">
                    <span class="label">{move || tr(Key::Export, lang.get())}</span>
                    <button id="export-csv" type="button" disabled=busy on:click=move |_| export(ExportFormat::Csv)>{move || tr(Key::ExportCsv, lang.get())}</button>
                    <button id="export-xlsx" type="button" disabled=busy on:click=move |_| export(ExportFormat::Xlsx)>{move || tr(Key::ExportXlsx, lang.get())}</button>
                    <button id="export-variation" type="button" disabled=busy on:click=move |_| export(ExportFormat::Variation)>{move || tr(Key::ExportVariation, lang.get())}</button>
                    <button id="print" type="button" on:click=print>{move || tr(Key::Print, lang.get())}</button>
                </div>
            </div>
            <crate::components::report_dialog::ReportDialog />
            <Summary />
            <AreaProfile />
            <crate::components::map::MapPanel />
            // Module-specific views, each shown only under its own module.
            <crate::components::door_table::DoorTable />
            <crate::components::door_times::DoorTimes />
            <crate::components::followup::FollowUpCurve />
            <crate::components::flow_sankey::FlowSankey />
            <crate::components::care_ladder::CareLadder />
            <Cards />
            <Unavailable />
            <AreaReport />
            </div>
            </div>
        </section>
    }
}

/// One button per module of the report; a module that could not be computed is shown disabled,
/// with the tables it misses.
#[component]
fn ModuleNav() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let modules = Memo::new(move |_| {
        state.rest_arrived.track();
        state.report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.modules
                        .iter()
                        .map(|m| (m.id.clone(), m.missing.clone(), m.computed(), m.pending))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <nav class="module-nav no-print" id="modules" aria-label=move || tr(Key::Modules, lang.get())>
            {move || modules.get().into_iter().enumerate().map(|(i, (id, missing, computed, pending))| {
                let decl = forlop_core::modules::find(&id);
                let title = move || {
                    let l = lang.get();
                    let name = decl.map_or_else(|| id.clone(), |d| d.title.get(l).to_string());
                    if pending {
                        format!("{name} ({} …)", tr(Key::ModuleComputing, l))
                    } else if missing.is_empty() {
                        name
                    } else {
                        format!("{name} ({} {})", tr(Key::ModuleMissing, l), table_names(&missing, l))
                    }
                };
                view! {
                    <button type="button" class="module" id=format!("module-{}", decl.map_or("", |d| d.id))
                        aria-pressed=move || (sel.module.get() == i).to_string()
                        aria-busy=pending.then_some("true")
                        disabled=!computed
                        on:click=move |_| sel.choose_module(i)>
                        {title}
                    </button>
                }
            }).collect_view()}
        </nav>
    }
}

/// One card per computed indicator of the shown module, added [`CARDS_PER_TASK`] per browser
/// task after the report, so taking in a report never blocks the page long (charts are drawn
/// one per task too, `echarts::schedule`).
#[component]
fn Cards() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let cards = Memo::new(move |_| {
        let m = sel.module.get();
        state.report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.results_of(m)
                        .into_iter()
                        .map(|i| (i, r.results[i].id.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let shown = RwSignal::new(0);
    // Each new list of cards starts a new chain of timers; an older chain stops at its next step.
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let total = cards.with(Vec::len);
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        shown.set(first_cards().min(total));
        grow(shown, total, generation, mine, state.rehearsal);
    });
    // `data-shown`/`data-total` let the perf test wait until every card exists.
    view! {
        <div class="cards" id="cards" data-shown=move || {
                let n = if sel.print.get() { usize::MAX } else { shown.get() };
                n.min(cards.with(Vec::len)).to_string()
            }
            data-total=move || cards.with(Vec::len).to_string()>
        <For
            each=move || {
                // Printing shows every card at once.
                let n = if sel.print.get() { usize::MAX } else { shown.get() };
                let m = sel.module.get();
                cards.get().into_iter().take(n).enumerate().map(move |(i, c)| (m, i, c))
            }
            key=|(m, i, (r, _))| (*m, *i, *r)
            children=move |(_, i, (r, id))| view! { <IndicatorCard index=i result=r id=id /> }
        />
        </div>
    }
}

/// The cards built in the task that takes a report in: once the page has rehearsed
/// (`rehearsal`), the first card (and its chart, `IndicatorCard`): the task then took 37–70 ms
/// on the 1 M-row upload, and the first chart came 38–40 ms after the report instead of 82
/// (medians; BENCHMARKS.md, "The page rehearsed"). Cold (no rehearsal yet: the demo sends its
/// job at start) the task is already 70–160 ms long, and the cards follow in later tasks.
fn first_cards() -> usize {
    if crate::rehearsal::has_run() {
        CARDS_PER_TASK
    } else {
        0
    }
}

/// Adds [`CARDS_PER_TASK`] cards in a later task until every card is shown; then, on the
/// rehearsal's page, says so (`rehearsal::cards_built`).
fn grow(
    shown: RwSignal<usize>,
    total: usize,
    generation: StoredValue<u64>,
    mine: u64,
    rehearsal: bool,
) {
    if shown.get_untracked() >= total {
        if rehearsal {
            crate::rehearsal::cards_built();
        }
        return;
    }
    set_timeout(
        move || {
            if generation.try_get_value() != Some(mine) {
                return;
            }
            shown.update(|n| *n = (*n + CARDS_PER_TASK).min(total));
            grow(shown, total, generation, mine, rehearsal);
        },
        Duration::ZERO,
    );
}

/// Indicators of the shown module that could not be computed, with the tables they miss.
#[component]
fn Unavailable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    move || {
        let l = lang.get();
        let m = sel.module.get();
        let rows: Vec<(String, Vec<TableKind>)> = state.report.with(|r| {
            let Some(r) = r else { return Vec::new() };
            let Some(module) = r.modules.get(m) else {
                return Vec::new();
            };
            r.unavailable
                .iter()
                .filter(|(id, _)| {
                    forlop_core::indicator::find(id).is_some_and(|d| d.module == module.id)
                })
                .cloned()
                .collect()
        });
        (!rows.is_empty()).then(|| {
            view! {
                <section class="card" id="unavailable">
                    <h3>{tr(Key::Unavailable, l)}</h3>
                    <ul>
                        {rows.into_iter().map(|(id, tables)| view! {
                            <li><code>{id}</code>": "{table_names(&tables, l)}</li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// Area profile: every indicator of the shown module for one chosen area beside its region and
/// the country, for the first chosen group.
#[component]
fn AreaProfile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let area = RwSignal::new(None::<usize>);
    let report = move || state.report.get().unwrap_or_default();
    view! {
        <details class="card" id="profile">
            <summary>{move || tr(Key::ProfileHeading, lang.get())}</summary>
            <p>{move || tr(Key::ProfileIntro, lang.get())}</p>
            <div class="field inline">
                <label for="profile-area">{move || tr(Key::ProfileArea, lang.get())}</label>
                <select id="profile-area" on:change=move |ev| area.set(event_target_value(&ev).parse().ok())>
                    <option value="">"–"</option>
                    {move || {
                        let l = lang.get();
                        let r = report();
                        r.areas_at(sel.level.get()).into_iter().map(|a| {
                            view! { <option value=a.to_string() selected=area.get_untracked() == Some(a)>{r.area_label(a, l)}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            {move || {
                let l = lang.get();
                let r: Arc<ReportView> = report();
                let a = area.get().filter(|&a| r.areas.get(a).is_some_and(|x| x.level == sel.level.get()))?;
                let module = sel.module.get();
                let decl = r.modules.get(module)?.decl()?;
                let group = series_for(decl, &sel.bases.get(), sel.split.get()).first().copied().unwrap_or(0);
                let region = r.areas[a].region;
                let country = r.areas_at(Level::Country).first().copied();
                let show = |res: usize, at: Option<usize>| {
                    let id = &r.results[res].id;
                    match at.and_then(|at| r.cell(&r.results[res], group, at)) {
                        Some(Cell::Value { value, .. }) => crate::meta::format_value(crate::meta::unit_kind(id), value, l),
                        Some(_) => "–".to_string(),
                        None => String::new(),
                    }
                };
                Some(view! {
                    <table class="data" id="profile-table">
                        <thead><tr>
                            <th scope="col">{tr(Key::Indicator, l)}</th>
                            <th scope="col" class="num">{r.area_label(a, l)}</th>
                            <th scope="col" class="num">{region.map_or_else(|| tr(Key::ProfileRegion, l).to_string(), |x| r.area_label(x, l))}</th>
                            <th scope="col" class="num">{tr(Key::National, l)}</th>
                        </tr></thead>
                        <tbody>
                            {r.results_of(module).into_iter().map(|res| view! {
                                <tr>
                                    <th scope="row">{crate::meta::info(&r.results[res].id, l).title}</th>
                                    <td class="num">{show(res, Some(a))}</td>
                                    <td class="num">{show(res, region)}</td>
                                    <td class="num">{show(res, country)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            }}
        </details>
    }
}

/// The shown module's summary (group sizes and overlaps) and notes, and the analysis's notes.
#[component]
fn Summary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    move || {
        let l = lang.get();
        let m = sel.module.get();
        // The analysis's notes of the whole report may differ from the first view's.
        state.rest_arrived.track();
        let (summary, notes) = state.report.with(|r| {
            let Some(r) = r else {
                return (Vec::new(), Vec::new());
            };
            let module = r.modules.get(m);
            let summary: Vec<String> = module
                .map(|m| m.summary.iter().map(|b| pick(b, l)).collect())
                .unwrap_or_default();
            let notes: Vec<String> = r
                .notes
                .iter()
                .chain(module.into_iter().flat_map(|m| m.notes.iter()))
                .map(|b| pick(b, l))
                .collect();
            (summary, notes)
        });
        (!summary.is_empty() || !notes.is_empty()).then(|| view! {
            <section class="card" id="summary">
                {(!summary.is_empty()).then(|| view! {
                    <h3>{tr(Key::Summary, l)}</h3>
                    <ul>{summary.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                })}
                {(!notes.is_empty()).then(|| view! {
                    <h3>{tr(Key::Notes, l)}</h3>
                    <ul>{notes.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                })}
            </section>
        })
    }
}

/// Shows another computed year: the page swaps its view at once ([`ReportView::showing`]) and
/// tells the worker, so exports and the report name the year shown.
pub fn show_year(state: AppState, year: i32) {
    let next = state
        .report
        .with_untracked(|r| r.as_ref().and_then(|r| r.showing(year)));
    if let Some(next) = next {
        crate::client::send(&ToWorker::ShowYear(year), None);
        state.report.set(Some(Arc::new(next)));
    }
}

/// `2021-12-31` as `31.12.2021` in bokmål; unchanged in English.
fn date_text(iso: &str, lang: Lang) -> String {
    match (lang, iso.split('-').collect::<Vec<_>>().as_slice()) {
        (Lang::Nb, [y, m, d]) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// Why the year shown was taken, in words: "2021 – the latest year with a full year of data
/// and population (latest date in the data: 2021-12-31)".
pub fn year_reason_text(report: &ReportView, lang: Lang) -> String {
    let year = report.settings.year;
    // Without an override the data's year is the latest computed; another one was chosen with
    // the year selector.
    let chosen = report
        .years
        .computed
        .last()
        .is_some_and(|&last| last != year);
    let why = match &report.years.reason {
        _ if chosen => tr(Key::YearOverride, lang).to_string(),
        YearReason::Override => tr(Key::YearOverride, lang).to_string(),
        YearReason::NoDates => tr(Key::YearNoDates, lang).to_string(),
        YearReason::PartialYear { latest_date } => format!(
            "{} ({}: {})",
            tr(Key::YearPartialOnly, lang),
            tr(Key::YearLatestDate, lang),
            date_text(latest_date, lang)
        ),
        YearReason::LatestComplete {
            latest_date,
            passed_over_partial_year,
            passed_over_without_population,
        } => {
            let mut s = tr(Key::YearReasonLatest, lang).to_string();
            if !report.years.population.is_empty() {
                s = format!("{s} {}", tr(Key::YearReasonPopulation, lang));
            }
            let mut notes = vec![format!(
                "{}: {}",
                tr(Key::YearLatestDate, lang),
                date_text(latest_date, lang)
            )];
            if *passed_over_partial_year {
                notes.push(tr(Key::YearPartial, lang).to_string());
            }
            if *passed_over_without_population {
                notes.push(tr(Key::YearNoPopulation, lang).to_string());
            }
            format!("{s} ({})", notes.join("; "))
        }
    };
    format!("{year} – {why}")
}

fn years_list(years: &[i32]) -> String {
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The top of the results: the year shown and why, the year selector, "my area", the size of
/// each module's cohort and a handful of key figures for "my area" beside the country.
#[component]
fn Overview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let busy = move || state.busy.get().is_some();
    let years = Memo::new(move |_| state.years_computed());
    view! {
        <section class="card overview" id="overview" aria-labelledby="overview-heading">
            <h3 id="overview-heading">{move || tr(Key::Overview, lang.get())}</h3>
            <div class="overview-top">
                <div>
                    <p id="year-reason"><strong>{move || tr(Key::AnalysisYear, lang.get())}": "</strong>
                        {move || state.report.with(|r| r.as_ref().map(|r| year_reason_text(r, lang.get())))}</p>
                    <p id="years-present"><small>
                        {move || {
                            let l = lang.get();
                            state.rest_arrived.track();
                            state.report.with(|r| r.as_ref().map(|r| format!(
                                "{}: {}. {}: {}.{}",
                                tr(Key::YearsInData, l),
                                if r.years.present.is_empty() { "–".to_string() } else { years_list(&r.years.present) },
                                tr(Key::YearsComputed, l),
                                years_list(&r.years_computed()),
                                if r.pending_years.is_empty() {
                                    String::new()
                                } else {
                                    format!(" {}: {} …", tr(Key::YearsComputing, l), years_list(&r.pending_years))
                                },
                            )))
                        }}
                    </small></p>
                </div>
                {move || (years.with(Vec::len) > 1).then(|| view! {
                    <div class="field">
                        <label for="show-year">{move || tr(Key::ShowYear, lang.get())}</label>
                        <select id="show-year" disabled=busy on:change=move |ev| {
                            if let Ok(y) = event_target_value(&ev).parse::<i32>() { show_year(state, y) }
                        }>
                            {move || {
                                let shown = state.report.with(|r| r.as_ref().map(|r| r.settings.year));
                                years.get().into_iter().rev().map(|y| view! {
                                    <option value=y.to_string() selected=shown == Some(y)>{y}</option>
                                }).collect_view()
                            }}
                        </select>
                    </div>
                })}
                <MyAreaPicker />
            </div>
            {move || {
                let l = lang.get();
                let mine = state.my_area.get();
                // Every computed module's cohort, once the modules after the shown one are in.
                state.rest_arrived.track();
                state.report.with(|r| {
                    let r = r.as_ref()?;
                    let my = my_area_index(r, &mine);
                    let country = r.areas_at(Level::Country).first().copied();
                    let cohorts: Vec<_> = r.modules.iter().filter(|m| m.computed()).filter_map(|m| {
                        let d = m.decl()?;
                        Some((d.title.get(l).to_string(), d.unit.label().get(l).to_string(), m.units.unwrap_or(0)))
                    }).collect();
                    // A handful of key figures: the first two indicators of each computed module.
                    let mut key: Vec<(usize, usize)> = Vec::new();
                    for (mi, m) in r.modules.iter().enumerate().filter(|(_, m)| m.computed()) {
                        let Some(d) = m.decl() else { continue };
                        let g = whole_cohort_group(d);
                        key.extend(r.results_of(mi).into_iter().take(2).map(|res| (res, g)));
                    }
                    key.truncate(6);
                    Some(view! {
                        <div class="overview-tables">
                        <table class="data" id="cohorts">
                            <caption>{tr(Key::CohortSizes, l)}</caption>
                            <thead><tr>
                                <th scope="col">{tr(Key::Module, l)}</th>
                                <th scope="col" class="num">{tr(Key::Units, l)}</th>
                            </tr></thead>
                            <tbody>
                                {cohorts.into_iter().map(|(title, unit, n)| view! {
                                    <tr><th scope="row">{title}</th><td class="num">{format!("{} {unit}", crate::fmt::count(n, l))}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <table class="data" id="key-figures">
                            <caption>{tr(Key::KeyIndicators, l)}</caption>
                            <thead><tr>
                                <th scope="col">{tr(Key::Indicator, l)}</th>
                                {my.map(|a| view! { <th scope="col" class="num">{format!("{} {}", r.area_label(a, l), tr(Key::MyAreaMarker, l))}</th> })}
                                <th scope="col" class="num">{tr(Key::National, l)}</th>
                            </tr></thead>
                            <tbody>
                                {key.into_iter().map(|(res, g)| {
                                    let id = r.results[res].id.clone();
                                    let at = |a: Option<usize>| cell_text(&id, a.and_then(|a| r.cell(&r.results[res], g, a)), l);
                                    let (mt, mv) = at(my);
                                    let (ct, cv) = at(country);
                                    view! {
                                        <tr data-indicator=id.clone()>
                                            <th scope="row">{crate::meta::info(&id, l).title}</th>
                                            {my.is_some().then(|| view! { <td class="num mine" data-value=mv>{mt}</td> })}
                                            <td class="num" data-value=cv>{ct}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    })
                })
            }}
        </section>
    }
}

/// Links to the overview, each indicator card of the shown module and the area report; with the
/// module buttons it stays in view while the page scrolls.
#[component]
fn IndicatorNav() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    view! {
        <nav class="indicator-nav" id="indicator-nav" aria-label=move || tr(Key::PageContents, lang.get())>
            <ul>
                <li><a href="#overview">{move || tr(Key::Overview, lang.get())}</a></li>
                {move || {
                    let l = lang.get();
                    let m = sel.module.get();
                    state.report.with(|r| r.as_ref().map(|r| r.results_of(m).into_iter().enumerate().map(|(i, res)| {
                        let title = crate::meta::info(&r.results[res].id, l).title;
                        view! { <li><a href=format!("#indicator-{i}")>{title}</a></li> }
                    }).collect_view()))
                }}
                <li><a href="#area-report">{move || tr(Key::AreaReportHeading, lang.get())}</a></li>
            </ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::YearsView;

    #[test]
    fn the_year_shown_says_why() {
        let mut r = ReportView::default();
        r.settings.year = 2021;
        r.years = YearsView {
            present: vec![2020, 2021, 2022],
            population: vec![2020, 2021],
            computed: vec![2020, 2021],
            reason: YearReason::LatestComplete {
                latest_date: "2022-01-14".into(),
                passed_over_partial_year: true,
                passed_over_without_population: false,
            },
        };
        assert_eq!(
            year_reason_text(&r, Lang::En),
            "2021 – the latest year with a full year of data and population (latest date in the \
             data: 2022-01-14; the year after has no data from December and is not complete)"
        );
        assert!(year_reason_text(&r, Lang::Nb).starts_with(
            "2021 – det siste året med data for hele året og befolkning (siste dato i dataene: \
             14.01.2022"
        ));
        // 2020 chosen with the year selector.
        let mut earlier = r.clone();
        earlier.settings.year = 2020;
        assert_eq!(year_reason_text(&earlier, Lang::En), "2020 – chosen by you");
        r.years.reason = YearReason::Override;
        assert_eq!(year_reason_text(&r, Lang::En), "2021 – chosen by you");
    }
}
