//! # forlop-app
//!
//! Forløp in the browser: a Leptos client-side app. The page shows; a Web Worker reads the files,
//! makes demo data and runs the engine ([`forlop_core::analyse`]): the app computes no indicator
//! itself. Nothing leaves the machine: the only requests are for the app's own files.
//!
//! Modules: [`pages`] (start, results), [`components`] (progress, quality, indicator, …),
//! [`selection`] (what the results page shows, read by the cards), [`report`] (reading the
//! compact report), [`charts`] (report → ECharts option, pure), [`fmt`] (nb/en numbers),
//! [`i18n`] (strings), [`protocol`] and [`engine`] (the worker), [`client`] (the page's side of
//! the worker), [`meta`] (indicator texts from the registry), [`export`] (downloads).
//! Pages import components and [`selection`]; components never import pages.

pub mod charts;
pub mod client;
pub mod components;
pub mod echarts;
pub mod engine;
pub mod export;
pub mod fmt;
pub mod html_report;
pub mod i18n;
pub mod meta;
pub mod pages;
pub mod protocol;
pub mod query;
pub mod rehearsal;
pub mod report;
pub mod selection;
pub mod survey;

use forlop_core::ingest::ReadOptions;
use forlop_core::settings::Settings;
use forlop_core::text::Lang;
use i18n::{tr, Key};
use leptos::prelude::*;
use protocol::{Bilingual, FromWorker, LoadView, Phase, ReportView, ToWorker};
use std::sync::Arc;

/// Progress of the running job.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Phase.
    pub phase: Phase,
    /// File name, when the phase concerns one.
    pub detail: String,
    /// 0..=1.
    pub fraction: f32,
}

/// The app's state, provided once as context (STYLE P11). The loaded tables stay in the worker;
/// the page holds only what it shows.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// Language of the interface.
    pub lang: RwSignal<Lang>,
    /// The running job, `None` when idle.
    pub busy: RwSignal<Option<Progress>>,
    /// The last failure.
    pub error: RwSignal<Option<Bilingual>>,
    /// The data-quality report of the last read.
    pub load: RwSignal<Option<LoadView>>,
    /// The last analysis (shared, never copied: the cards read it in place).
    pub report: RwSignal<Option<Arc<ReportView>>>,
    /// The start form's year: the demo's year, and the analysis year of data without dates.
    pub year: RwSignal<i32>,
    /// The analysis year the user typed on the results page; `None` = the data's latest
    /// complete year. Reset when new data is loaded.
    pub year_override: RwSignal<Option<i32>>,
    /// "My area" from `?area=<level>:<area>` ([`selection::my_area`]); kept in the URL only.
    pub my_area: RwSignal<Option<(forlop_core::output::Level, String)>>,
    /// Small-number threshold k.
    pub min_cell: RwSignal<u64>,
    /// The user's mapping profile and century rule, used for every read.
    pub read_options: RwSignal<ReadOptions>,
    /// The modules to compute (`?modules=smi,example`); `None` = every module not opt-in.
    pub modules: RwSignal<Option<Vec<String>>>,
    /// The last patient-survey answer (the survey page keeps what it shows).
    pub survey: RwSignal<Option<Arc<survey::SurveyAnswer>>>,
    /// Counts the reports completed by the rest of their analysis (other years, other modules:
    /// [`FromWorker::OtherYears`]), which are swapped into `report` without notifying it, so the
    /// cards drawn from the first view are not drawn again. What shows years or modules tracks
    /// this ([`AppState::years_computed`], the module navigation, the overview).
    pub rest_arrived: RwSignal<u32>,
    /// The state of the page's off-screen rehearsal ([`rehearsal`]), not the page's own: what
    /// it shows sends nothing to the worker and listens to no window event.
    pub rehearsal: bool,
}

impl AppState {
    /// The rehearsal's state: the warm-up's data-quality report and report, in the page's
    /// language.
    fn for_rehearsal(lang: Lang, load: LoadView, report: ReportView) -> Self {
        AppState {
            lang: RwSignal::new(lang),
            load: RwSignal::new(Some(load)),
            report: RwSignal::new(Some(Arc::new(report))),
            rehearsal: true,
            ..AppState::new()
        }
    }

    fn new() -> Self {
        AppState {
            lang: RwSignal::new(Lang::Nb),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
            load: RwSignal::new(None),
            report: RwSignal::new(None),
            year: RwSignal::new(2024),
            year_override: RwSignal::new(None),
            my_area: RwSignal::new(selection::my_area()),
            min_cell: RwSignal::new(5),
            read_options: RwSignal::new(ReadOptions::default()),
            modules: RwSignal::new(None),
            survey: RwSignal::new(None),
            rest_arrived: RwSignal::new(0),
            rehearsal: false,
        }
    }

    /// Settings from the start form's year and k (the worker takes the analysis year from the
    /// data unless [`AppState::year_override`] gives one).
    pub fn settings(&self) -> Settings {
        Settings {
            year: self.year.get_untracked(),
            min_cell: self.min_cell.get_untracked(),
            modules: self.modules.get_untracked(),
            ..Settings::default()
        }
    }

    /// Sends a job to the worker and shows the progress bar.
    pub fn run(&self, job: ToWorker, files: Option<&js_sys::Array>) {
        self.error.set(None);
        let phase = match job {
            ToWorker::Demo { .. } => Phase::Generating,
            ToWorker::Files { .. } | ToWorker::ReadPiece { .. } => Phase::Reading,
            ToWorker::PieceRead { .. } => Phase::Parsing,
            ToWorker::Reread { .. } => Phase::Parsing,
            ToWorker::Analyse { .. }
            | ToWorker::Export(_)
            | ToWorker::ShowYear(_)
            | ToWorker::ShowModule(_)
            | ToWorker::FinishJob
            | ToWorker::HtmlReport(_) => Phase::Computing,
            ToWorker::Survey(survey::SurveyJob::Demo { .. }) => Phase::Generating,
            ToWorker::Survey(_) => Phase::Computing,
        };
        self.busy.set(Some(Progress {
            phase,
            detail: String::new(),
            fraction: 0.0,
        }));
        client::send(&job, files);
        // While the worker works, the page is idle: let ECharts draw its costly first chart now,
        // and take the rehearsal down if it still stands, after the job has gone.
        set_timeout(
            || {
                echarts::warm_up(&charts::sample().option);
                rehearsal::close();
            },
            std::time::Duration::ZERO,
        );
    }

    fn receive(&self, msg: FromWorker) {
        match msg {
            // Helpers' pieces never reach the page's state (`client`).
            FromWorker::Ready | FromWorker::Piece { .. } => {}
            FromWorker::Rehearsal(both) => {
                let (load, report) = *both;
                rehearsal::rehearse(load, report, self.lang.get_untracked());
            }
            FromWorker::File { .. } => self.busy.set(None),
            FromWorker::Progress {
                phase,
                detail,
                fraction,
            } => self.busy.set(Some(Progress {
                phase,
                detail,
                fraction,
            })),
            FromWorker::Loaded(view) => self.load.set(Some(view)),
            FromWorker::Report(report) => {
                self.busy.set(None);
                note_first_report();
                ask_to_finish_the_job();
                if report.is_whole() {
                    publish_for_tests(&report);
                }
                self.report.set(Some(Arc::new(*report)));
            }
            FromWorker::OtherYears(whole) => {
                // Only the report it completes: after a new upload or a Cancel the page shows
                // another report, or none, and this one is stale.
                let completes = self
                    .report
                    .with_untracked(|r| r.as_ref().is_some_and(|r| completed_by(r, &whole)));
                if completes {
                    let whole = Arc::new(*whole);
                    self.report.update_untracked(|r| *r = Some(whole.clone()));
                    self.rest_arrived.update(|n| *n += 1);
                    publish_for_tests(&whole);
                }
            }
            FromWorker::Survey(answer) => {
                self.busy.set(None);
                self.survey.set(Some(Arc::new(*answer)));
            }
            FromWorker::Failed { nb, en } => {
                self.busy.set(None);
                self.error.set(Some(Bilingual { nb, en }));
            }
        }
    }
}

/// Asks the worker to finish the job whose report was just taken in (the other years and
/// modules, the mapping check: [`ToWorker::FinishJob`]) once the page has drawn its first
/// chart, or after [`FINISH_AT_THE_LATEST`] when no chart is drawn (a module without charts):
/// done beside the page's drawing, they slowed it on two cores.
fn ask_to_finish_the_job() {
    let asked = std::rc::Rc::new(std::cell::Cell::new(false));
    let ask = move || {
        if !asked.replace(true) {
            client::send(&ToWorker::FinishJob, None);
        }
    };
    echarts::after_next_draw(ask.clone());
    set_timeout(ask, FINISH_AT_THE_LATEST);
}

/// How long the rest of a job waits for the page's first chart at most.
const FINISH_AT_THE_LATEST: std::time::Duration = std::time::Duration::from_millis(300);

/// Whether `whole` is `shown` with the rest of its analysis: `shown` waits for other years or
/// modules, `whole` waits for nothing and shows the same year of the same modules, under the
/// same settings.
fn completed_by(shown: &ReportView, whole: &ReportView) -> bool {
    let ids = |r: &ReportView| r.modules.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
    !shown.is_whole()
        && whole.is_whole()
        && shown.settings == whole.settings
        && shown.years.present == whole.years.present
        && ids(shown) == ids(whole)
        && shown
            .pending_years
            .iter()
            .all(|y| whole.years.computed.contains(y))
}

impl AppState {
    /// How many years the report shown will have once its other years are in: the same before
    /// and after they arrive, so what is built for a report of several years (a card's trend
    /// panel) is built with its card, not all at once when the years come.
    pub fn years_expected(&self) -> usize {
        self.report.with(|r| {
            r.as_ref()
                .map_or(0, |r| r.years_computed().len() + r.pending_years.len())
        })
    }

    /// The years computed for the report shown ([`ReportView::years_computed`]), tracking the
    /// report and the arrival of its other years.
    pub fn years_computed(&self) -> Vec<i32> {
        self.rest_arrived.track();
        self.report
            .with(|r| r.as_ref().map(|r| r.years_computed()).unwrap_or_default())
    }
}

thread_local! {
    /// When the last report (of the shown year, when the others follow) reached the page.
    static FIRST_REPORT_AT: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

/// Notes when a report (the shown year's, when the others follow) reached the page: for
/// `forlopReport.first_at`, and at once as `window.forlopFirstReportAt` (the perf test tells the
/// page's drawing from the worker's work by it).
fn note_first_report() {
    let at = page_clock();
    FIRST_REPORT_AT.with(|a| a.set(at));
    if let (Some(window), Some(at)) = (web_sys::window(), at) {
        let _ = js_sys::Reflect::set(&window, &"forlopFirstReportAt".into(), &at.into());
    }
}

/// Milliseconds from navigation start.
fn page_clock() -> Option<f64> {
    web_sys::window()?.performance().map(|p| p.now())
}

/// Exposes a small summary as `window.forlopReport` (row count, settings, modules, the worker's
/// step timings) so browser tests can wait for results without scraping. No patient data.
fn publish_for_tests(report: &ReportView) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let summary = serde_json::json!({
        "rows": report.rows,
        "year": report.settings.year,
        "years": report.years_computed(),
        "min_cell": report.settings.min_cell,
        "modules": report.modules.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        "timings": report.timings,
        // When the page took the report in (ms from navigation start), for the perf test: the
        // whole report, and the shown year's before it (the same moment when it came whole).
        "at": page_clock(),
        "first_at": FIRST_REPORT_AT.with(std::cell::Cell::get),
    });
    if let Ok(v) = js_sys::JSON::parse(&summary.to_string()) {
        let _ = js_sys::Reflect::set(&window, &"forlopReport".into(), &v);
    }
}

/// The module ids of `?modules=a,b` in a query string (`%2C` is a comma too); `None` without it.
pub fn query_modules(query: &str) -> Option<Vec<String>> {
    let value = query::query_param(query, "modules")?;
    let ids: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect();
    (!ids.is_empty()).then_some(ids)
}

/// The whole app: header, start page, progress, quality panel and results.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    if let Err(e) = client::start(move |msg| state.receive(msg)) {
        state.error.set(Some(Bilingual {
            nb: format!("Kunne ikke starte arbeideren: {e:?}"),
            en: format!("Could not start the worker: {e:?}"),
        }));
    }
    // `?demo=1` (scripts/demo.sh) starts on the demo data; `?lang=en` starts in English.
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let param = |name: &str| query::query_param(&query, name);
    if param("lang").as_deref() == Some("en") {
        state.lang.set(Lang::En);
    }
    // `?modules=smi,example` computes exactly these modules (an opt-in one only when named).
    if let Some(ids) = query_modules(&query) {
        state.modules.set(Some(ids));
    }
    // `?page=survey` is the patient-survey page instead of the indicators.
    let survey_page = param("page").as_deref() == Some("survey");
    // Nothing waits on the page once it has started: ECharts' costly first chart is drawn now
    // rather than when the user's files are sent, where it ran beside the worker's copy and read
    // and, on a busy two-core machine, slowed them (BENCHMARKS.md, "The page's share of the time
    // to first chart"). The demo's job below asks for it too; it is drawn once.
    if !survey_page {
        set_timeout(
            || echarts::warm_up(&charts::sample().option),
            std::time::Duration::ZERO,
        );
    }
    if param("demo").as_deref() == Some("1") && !survey_page {
        state.run(
            ToWorker::Demo {
                persons: pages::start::DEMO_DEFAULT,
                seed: pages::start::DEMO_SEED,
                settings: state.settings(),
            },
            None,
        );
    }
    let lang = state.lang;
    Effect::new(move |_| {
        // Keep <html lang> right for screen readers.
        let code = match lang.get() {
            Lang::Nb => "nb",
            Lang::En => "en",
        };
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.set_attribute("lang", code);
        }
    });
    view! {
        <header class="top">
            <div>
                <h1>{move || tr(Key::AppTitle, lang.get())}</h1>
                <p class="tagline">{move || tr(Key::Tagline, lang.get())}</p>
            </div>
            <div class="top-right">
                <span class="privacy">{move || tr(Key::Privacy, lang.get())}</span>
                <button
                    id="lang-switch"
                    type="button"
                    aria-label=move || tr(Key::LanguageSwitchLabel, lang.get())
                    on:click=move |_| lang.update(|l| *l = if *l == Lang::Nb { Lang::En } else { Lang::Nb })
                >
                    {move || tr(Key::LanguageSwitch, lang.get())}
                </button>
            </div>
        </header>
        {survey_page.then(|| view! {
        <main>
            <components::progress::ProgressBar />
            <components::progress::ErrorBox />
            <pages::survey::SurveyPage />
        </main>
        })}
        {(!survey_page).then(|| view! {
        <main>
            <pages::start::StartPage />
            <components::cost_calculator::CostCalculator />
            <components::progress::ProgressBar />
            <components::progress::ErrorBox />
            <components::quality::QualityPanel />
            <components::mapping::MappingPanel />
            <pages::results::ResultsPage />
        </main>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_report_completes_only_the_first_view_it_follows() {
        let (tables, _, _) = engine::synth_years_view(300, 2021);
        let settings = forlop_core::Settings::for_year(2024);
        let (years, shown) = engine::plan_years(&tables, None, 2024);
        let (first, view) = engine::analyse_shown_year(
            &tables,
            &settings,
            &years,
            (shown, None),
            &mut |_, _, _| {},
        );
        let (_, _, whole) = engine::analyse_other_years(&tables, &settings, (years, shown), first);
        assert!(completed_by(&view, &whole));
        // Nothing is pending in a whole report: a second whole one does not replace it.
        assert!(!completed_by(&whole, &whole));
        // Another analysis (another k, another year shown) is not this one's completion.
        let other_k = ReportView {
            settings: forlop_core::Settings {
                min_cell: 0,
                ..whole.settings.clone()
            },
            ..whole.clone()
        };
        assert!(!completed_by(&view, &other_k));
        let (years_2020, _) = engine::plan_years(&tables, Some(2020), 2024);
        let (first_2020, _) = engine::analyse_shown_year(
            &tables,
            &settings,
            &years_2020,
            (2020, None),
            &mut |_, _, _| {},
        );
        let (_, _, whole_2020) =
            engine::analyse_other_years(&tables, &settings, (years_2020, 2020), first_2020);
        assert!(!completed_by(&view, &whole_2020));
        // A shown year's report is never another's completion.
        assert!(!completed_by(&view, &view));
    }

    #[test]
    fn modules_come_from_the_query_string() {
        assert_eq!(
            query_modules("?demo=1&modules=smi,example"),
            Some(vec!["smi".to_string(), "example".to_string()])
        );
        assert_eq!(
            query_modules("?modules=smi%2Cexample&lang=en"),
            Some(vec!["smi".to_string(), "example".to_string()])
        );
        assert_eq!(query_modules("?demo=1"), None);
        assert_eq!(query_modules("?modules="), None);
    }
}
