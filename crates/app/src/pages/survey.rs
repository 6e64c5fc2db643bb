//! The patient-survey page (`?page=survey`, issue 9): load a respondent file (and population
//! aggregates) or the demo survey, then frequency tables as 100 % stacked columns per group like
//! the report's figures, scale scores with Cronbach's α, the response table, and a regression
//! builder with a forest plot beside its table; t tests, ANOVA, item means and the derive
//! settings are in `survey_compare.rs`. Every number comes from the worker
//! ([`crate::survey::handle`]), computed as `forlop survey …` computes it; every table can be
//! downloaded as the CLI's CSV. Suppression uses the app's k.
//!
//! Charts are SVG with presentation attributes (the page's Content-Security-Policy allows no
//! inline styles), each with the table it draws next to it.

use crate::protocol::ToWorker;
use crate::survey::{
    self, common_model, FitView, FrequencyView, ModelsView, ScaleView, SurveyAnswer, SurveyJob,
    SurveyOverview, VariableView,
};
use crate::AppState;
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;

#[path = "survey_compare.rs"]
mod compare;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

const TITLE: Text = t("Pasientundersøkelsen", "The patient survey");
const INTRO: Text = t(
    "Brukerundersøkelsen blant poliklinikkpasienter i psykisk helsevern, TSB og hos avtalespesialister (SINTEF 2023), gjentatt på deres egen respondentfil: fordelinger per sektor, STAR-P og CONTINU-UM med Cronbachs α, svarprosent og regresjon. Filen leses bare i nettleseren.",
    "The user survey of outpatients in mental health care, substance-use treatment and private specialists (SINTEF 2023), repeated on your own respondent file: distributions by sector, STAR-P and CONTINU-UM with Cronbach's α, response rates and regression. The file is read in your browser only.",
);
const BACK: Text = t("← Til indikatorene", "← To the indicators");
const DEMO: Text = t("Last demoundersøkelse", "Load demo survey");
const DEMO_SIZE: Text = t("Antall respondenter", "Number of respondents");
const FILES: Text = t(
    "Åpne respondentfil (og eventuelt populasjonstall)",
    "Open respondent file (and population counts, if any)",
);
const FILES_HELP: Text = t(
    "CSV med én rad per respondent og variabelnavnene i survey.md; en fil med kolonnene sektor, totalpop, mottakspop, utvalg leses som populasjonstall.",
    "CSV with one row per respondent and survey.md's variable names; a file with the columns sektor, totalpop, mottakspop, utvalg is read as population counts.",
);
const K: Text = t(
    "Prikking: minste tall (k)",
    "Suppression: smallest number (k)",
);
const READ: Text = t("Rader lest", "Rows read");
const USED: Text = t("brukt", "used");
const REJECTED: Text = t("avvist", "rejected");
const SECTOR: Text = t("Sektor", "Sector");
const RESPONDENTS: Text = t("Respondenter", "Respondents");
const FREQ: Text = t("Fordelinger", "Distributions");
const ITEM: Text = t("Spørsmål", "Item");
const BY: Text = t("Gruppert etter", "Grouped by");
const ALL: Text = t("Alle samlet", "All together");
const GROUP: Text = t("Gruppe", "Group");
const ANSWER: Text = t("Svar", "Answer");
const PERCENT: Text = t("Prosent av gyldige svar", "Percent of valid answers");
const TOTAL: Text = t("Gyldige svar", "Valid answers");
const MISSING: Text = t("Ubesvart", "Missing");
const CSV: Text = t("Last ned CSV", "Download CSV");
const SCALES: Text = t("Skalaer", "Scales");
const SCALE: Text = t("Skala", "Scale");
const MEAN: Text = t("Gjennomsnitt", "Mean");
const MODEL: Text = t("Regresjon", "Regression");
const MODEL_KIND: Text = t("Modell", "Model");
const LOGISTIC: Text = t("Logistisk (oddsratio)", "Logistic (odds ratio)");
const LINEAR: Text = t("Lineær (koeffisient)", "Linear (coefficient)");
const OUTCOME: Text = t("Avhengig variabel", "Outcome");
const EVENT: Text = t("Verdier som teller som 1", "Values counted as 1");
const COVARIATES: Text = t("Kovariater", "Covariates");
const REFERENCE: Text = t("referanse", "reference");
const PRESET: Text = t("Rapportens felles modell", "The report's common model");
const CLEAR: Text = t("Ingen kovariater", "No covariates");
const FIT_BY: Text = t("Modell per", "One model per");
const POOLED: Text = t("Samlet (én modell)", "Pooled (one model)");
const RUN: Text = t("Beregn modellen", "Fit the model");
const TERM: Text = t("Ledd", "Term");
const ESTIMATE_OR: Text = t("Oddsratio", "Odds ratio");
const ESTIMATE_B: Text = t("Koeffisient", "Coefficient");
const CI: Text = t("95 % KI", "95% CI");
const SUPPRESSED_TERM: Text = t("prikket", "suppressed");
const FOREST: Text = t("Skogplott", "Forest plot");

/// Demo sizes offered (respondents); 33 458 is the report's survey.
const DEMO_SIZES: [u32; 3] = [2_000, 10_000, 33_458];

/// Labels of the answer codes of the common question types (survey.md §1).
fn value_label(item: &str, value: &str, lang: Lang) -> Option<&'static str> {
    let code: usize = value.parse().ok()?;
    let pick = |labels: &[Text], first: usize| {
        code.checked_sub(first)
            .and_then(|i| labels.get(i))
            .map(|l| l.get(lang))
    };
    const GRAD: [Text; 5] = [
        t("Ikke i det hele tatt", "Not at all"),
        t("I liten grad", "To a small extent"),
        t("I noen grad", "To some extent"),
        t("I stor grad", "To a large extent"),
        t("I svært stor grad", "To a very large extent"),
    ];
    const JA_NEI: [Text; 4] = [
        t("Ja", "Yes"),
        t("Nei", "No"),
        t("Vet ikke", "Don't know"),
        t("Ikke relevant", "Not relevant"),
    ];
    const STAR: [Text; 5] = [
        t("Aldri", "Never"),
        t("Sjelden", "Rarely"),
        t("Av og til", "Sometimes"),
        t("Ofte", "Often"),
        t("Alltid", "Always"),
    ];
    const OMFANG: [Text; 4] = [
        t("Lettere", "Mild"),
        t("Moderate", "Moderate"),
        t("Store", "Severe"),
        t("Ikke relevant", "Not relevant"),
    ];
    const PLAN: [Text; 5] = [
        t("Ja", "Yes"),
        t("Nei, ikke relevant", "No, not relevant"),
        t("Nei, ønsker ikke", "No, do not want"),
        t("Vet ikke", "Don't know"),
        t("Nei, ikke fått tilbud", "No, not offered"),
    ];
    const OPPFOLGING: [Text; 3] = [
        t("Ja, stort sett fornøyd", "Yes, mostly satisfied"),
        t("Nei, behov for mer", "No, need more"),
        t("Nei, behov for bedre", "No, need better"),
    ];
    const YES_NO: [Text; 2] = [t("Nei", "No"), t("Ja", "Yes")];
    match item {
        "hjelper" | "tro_bedre_liv" | "tilfreds" | "video_fornoyd" | "livstilfredshet"
        | "meningsfylt" => pick(&GRAD, 1),
        "info_oppstart"
        | "info_tidsplan"
        | "info_diagnose"
        | "info_muligheter"
        | "info_pakkeforlop"
        | "tilpasset"
        | "endringer"
        | "medisiner"
        | "beh_samarbeid_tj"
        | "beh_plan"
        | "plan_aktiv"
        | "plan_mer_involvert"
        | "pr_informere"
        | "pr_onsker_samarbeid"
        | "pr_samarbeider_godt"
        | "tilstrekkelig_pol" => pick(&JA_NEI, 1),
        "omfang_psyk" | "omfang_rus" => pick(&OMFANG, 1),
        "ip" | "koordinator" | "ansvarsgruppe" | "kriseplan" => pick(&PLAN, 1),
        "fornoyd_oppfolging" => pick(&OPPFOLGING, 1),
        n if n.starts_with("star") => pick(&STAR, 0),
        "video"
        | "avbrutt_psyk"
        | "avbrutt_rus"
        | "under_utdanning"
        | "kvinne"
        | "koordineringstiltak"
        | "nylig_avsluttet"
        | "omfang_store"
        | "over_fem_aar"
        | "alvorlig_langvarig"
        | "innleggelse"
        | "behov_mer_oppfolging" => pick(&YES_NO, 0),
        n if n.starts_with("tj_") || n.starts_with("dg_") => pick(&YES_NO, 0),
        _ => None,
    }
}

/// Segment colours of the stacked columns (colour-blind safe, Okabe–Ito order).
const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999",
];

fn num(x: Option<f64>, decimals: usize, lang: Lang) -> String {
    x.map_or("–".to_string(), |v| crate::fmt::number(v, decimals, lang))
}

/// Offers a CSV for download; with k = 0 the name and the first line say NOT SUPPRESSED.
fn download(stem: &str, text: String, min_cell: u64) {
    let unsuppressed = min_cell == 0;
    let name = crate::export::file_name(stem, 2023, "csv", unsuppressed);
    let text = if unsuppressed {
        format!("# {}\n{text}", crate::export::UNSUPPRESSED_MARK)
    } else {
        text
    };
    if let Err(e) = crate::export::download_text(&text, "text/csv;charset=utf-8", &name) {
        web_sys::console::warn_1(&e);
    }
}

/// The page's own state: what it shows and the builder's choices.
#[derive(Clone, Copy)]
struct Page {
    overview: RwSignal<Option<SurveyOverview>>,
    freq: RwSignal<Option<FrequencyView>>,
    scale: RwSignal<Option<ScaleView>>,
    models: RwSignal<Option<ModelsView>>,
    item: RwSignal<String>,
    by: RwSignal<String>,
    scale_star: RwSignal<bool>,
    scale_by: RwSignal<String>,
    logistic: RwSignal<bool>,
    outcome: RwSignal<String>,
    event: RwSignal<Vec<String>>,
    covariates: RwSignal<Vec<(String, Option<String>)>>,
    model_by: RwSignal<String>,
    /// t test, ANOVA and derive settings ([`compare`]).
    extra: compare::Extra,
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl Page {
    fn variable(&self, name: &str) -> Option<VariableView> {
        self.overview.with(|o| {
            o.as_ref()
                .and_then(|o| o.variables.iter().find(|v| v.name == name).cloned())
        })
    }

    fn describe(&self, state: AppState) {
        let job = SurveyJob::Describe {
            item: self.item.get_untracked(),
            by: opt(self.by.get_untracked()),
            min_cell: state.min_cell.get_untracked(),
        };
        state.run(ToWorker::Survey(job), None);
    }

    fn scale_job(&self, state: AppState) {
        let job = SurveyJob::Scale {
            star: self.scale_star.get_untracked(),
            by: opt(self.scale_by.get_untracked()),
            min_cell: state.min_cell.get_untracked(),
        };
        state.run(ToWorker::Survey(job), None);
    }

    fn regress(&self, state: AppState) {
        let job = SurveyJob::Regress {
            logistic: self.logistic.get_untracked(),
            outcome: self.outcome.get_untracked(),
            event: self.event.get_untracked(),
            covariates: self.covariates.get_untracked(),
            by: opt(self.model_by.get_untracked()),
            min_cell: state.min_cell.get_untracked(),
        };
        state.run(ToWorker::Survey(job), None);
    }

    fn receive(&self, state: AppState, answer: &SurveyAnswer) {
        match answer {
            SurveyAnswer::Loaded(o) => {
                // Choices the new file cannot honour fall back: no sektor → all together, an
                // item it lacks → its first item.
                let has = |name: &str| o.variables.iter().any(|v| v.name == name);
                for by in [self.by, self.scale_by, self.model_by] {
                    let b = by.get_untracked();
                    if !b.is_empty() && b != "diagnosegruppe" && !has(&b) {
                        by.set(String::new());
                    }
                }
                if !has(&self.item.get_untracked()) {
                    if let Some(first) = tabulable(o).into_iter().next() {
                        self.item.set(first);
                    }
                }
                self.overview.set(Some(o.clone()));
                self.freq.set(None);
                self.scale.set(None);
                self.models.set(None);
                // The first views at once: the item's distribution and STAR-P by sector.
                self.describe(state);
                self.scale_job(state);
                self.extra.on_loaded(state, o);
            }
            SurveyAnswer::TTest(v) => self.extra.set_ttest(v),
            SurveyAnswer::Anova(v) => self.extra.set_anova(v),
            SurveyAnswer::Derived(o) => {
                // Same file, variables derived again: recompute what is shown.
                self.overview.set(Some(o.clone()));
                self.describe(state);
                self.scale_job(state);
                if self.models.with_untracked(Option::is_some) {
                    self.regress(state);
                }
                self.extra.rerun(state);
            }
            SurveyAnswer::Frequencies(f) => self.freq.set(Some(f.clone())),
            SurveyAnswer::Scale(s) => self.scale.set(Some(s.clone())),
            SurveyAnswer::Models(m) => self.models.set(Some(m.clone())),
            SurveyAnswer::Response(_) => {} // components::survey_response shows it
        }
    }
}

/// The survey page.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let page = Page {
        overview: RwSignal::new(None),
        freq: RwSignal::new(None),
        scale: RwSignal::new(None),
        models: RwSignal::new(None),
        item: RwSignal::new("tilfreds".to_string()),
        by: RwSignal::new("sektor".to_string()),
        scale_star: RwSignal::new(true),
        scale_by: RwSignal::new("sektor".to_string()),
        logistic: RwSignal::new(true),
        outcome: RwSignal::new("fornoyd_oppfolging".to_string()),
        event: RwSignal::new(vec!["2".to_string(), "3".to_string()]),
        covariates: RwSignal::new(common_model("fornoyd_oppfolging")),
        model_by: RwSignal::new("sektor".to_string()),
        extra: compare::Extra::new(),
    };
    Effect::new(move |_| {
        if let Some(answer) = state.survey.get() {
            page.receive(state, &answer);
        }
    });
    let loaded = Memo::new(move |_| page.overview.with(Option::is_some));
    let size = RwSignal::new(survey::DEMO_RESPONDENTS);
    let busy = move || state.busy.get().is_some();
    let on_demo = move |_| {
        state.survey.set(None);
        state.run(
            ToWorker::Survey(SurveyJob::Demo {
                respondents: size.get_untracked(),
                seed: survey::DEMO_SEED,
            }),
            None,
        );
    };
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            let list = js_sys::Array::new();
            for i in 0..files.length() {
                if let Some(f) = files.get(i) {
                    list.push(&f);
                }
            }
            if list.length() > 0 {
                state.survey.set(None);
                state.run(ToWorker::Survey(SurveyJob::Files), Some(&list));
            }
        }
        input.set_value("");
    };
    let back = move || match lang.get() {
        Lang::Nb => "./",
        Lang::En => "./?lang=en",
    };
    view! {
        <section class="card survey" id="survey-load" aria-labelledby="survey-heading">
            <h2 id="survey-heading">{move || TITLE.get(lang.get())}</h2>
            <p><a id="survey-back" href=back>{move || BACK.get(lang.get())}</a></p>
            <p>{move || INTRO.get(lang.get())}</p>
            <div class="start-grid">
                <form class="card" on:submit=move |ev| { ev.prevent_default(); on_demo(()); }>
                    <div class="field">
                        <label for="survey-demo-size">{move || DEMO_SIZE.get(lang.get())}</label>
                        <select id="survey-demo-size" on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse() { size.set(n) }
                        }>
                            {DEMO_SIZES.iter().map(|&n| view! {
                                <option value=n.to_string() selected=move || size.get() == n>
                                    {move || crate::fmt::count(n as u64, lang.get())}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button id="survey-demo" type="submit" class="primary" disabled=busy>
                        {move || DEMO.get(lang.get())}
                    </button>
                </form>
                <div class="card">
                    <label for="survey-files" class="button-like">{move || FILES.get(lang.get())}</label>
                    <input id="survey-files" type="file" multiple accept=".csv,.txt,text/csv"
                        aria-describedby="survey-files-help" disabled=busy on:change=on_files />
                    <p id="survey-files-help"><small>{move || FILES_HELP.get(lang.get())}</small></p>
                </div>
            </div>
            <div class="field">
                <label for="survey-k">{move || K.get(lang.get())}</label>
                <input id="survey-k" type="number" min="0" max="100"
                    prop:value=move || state.min_cell.get().to_string()
                    on:change=move |ev| {
                        if let Ok(k) = event_target_value(&ev).parse::<u64>() {
                            state.min_cell.set(k);
                            if page.overview.with_untracked(Option::is_some) {
                                page.describe(state);
                                page.scale_job(state);
                                page.extra.rerun(state);
                            }
                        }
                    } />
            </div>
        </section>
        {move || loaded.get().then(|| view! { <compare::Settings page=page /> })}
        {move || page.overview.get().map(|o| view! {
            <Overview o=o />
            <Frequencies page=page />
            <compare::Compare page=page />
            <Scales page=page />
            <ModelBuilder page=page />
        })}
        <crate::components::survey_response::SurveyResponse />
    }
}

#[component]
fn Overview(o: SurveyOverview) -> impl IntoView {
    let lang = expect_context::<AppState>().lang;
    let issues = o.issues.clone();
    let sectors = o.sectors.clone();
    view! {
        <section class="card" id="survey-overview">
            <p id="survey-rows">
                {move || {
                    let l = lang.get();
                    format!("{}: {} {}, {} {}, {} {}", o.file, READ.get(l),
                        crate::fmt::count(o.rows_read, l), USED.get(l),
                        crate::fmt::count(o.rows_used, l), REJECTED.get(l),
                        crate::fmt::count(o.rows_rejected, l))
                }}
            </p>
            <table class="data" id="survey-sectors">
                <thead><tr>
                    <th scope="col">{move || SECTOR.get(lang.get())}</th>
                    <th scope="col" class="num">{move || RESPONDENTS.get(lang.get())}</th>
                </tr></thead>
                <tbody>
                    {sectors.into_iter().map(|(s, n)| view! {
                        <tr><th scope="row">{s}</th><td class="num">{move || crate::fmt::count(n, lang.get())}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <ul id="survey-issues">
                {issues.into_iter().map(|i| view! {
                    <li>{move || match lang.get() { Lang::Nb => i.nb.clone(), Lang::En => i.en.clone() }}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Variables that can be tabulated: those with few values.
fn tabulable(o: &SurveyOverview) -> Vec<String> {
    o.variables
        .iter()
        .filter(|v| !v.levels.is_empty())
        .map(|v| v.name.clone())
        .collect()
}

fn groupings(o: &SurveyOverview) -> Vec<String> {
    survey::GROUPINGS
        .iter()
        .filter(|g| {
            **g == "diagnosegruppe"
                || o.variables
                    .iter()
                    .any(|v| v.name == **g && !v.levels.is_empty())
        })
        .map(|g| g.to_string())
        .collect()
}

/// A `<select>` of `options` bound to `value`; `all` adds an empty choice first.
fn select(
    id: &'static str,
    value: RwSignal<String>,
    options: Vec<String>,
    all: Option<Text>,
    on_change: impl Fn() + 'static,
) -> impl IntoView {
    let lang = expect_context::<AppState>().lang;
    view! {
        <select id=id on:change=move |ev| { value.set(event_target_value(&ev)); on_change(); }>
            {all.map(|a| view! { <option value="" selected=move || value.get().is_empty()>{move || a.get(lang.get())}</option> })}
            {options.into_iter().map(|o| {
                let o2 = o.clone();
                let label = o.clone();
                view! { <option value=o selected=move || value.get() == o2>{label}</option> }
            }).collect_view()}
        </select>
    }
}

#[component]
fn Frequencies(page: Page) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let (items, groups) = page
        .overview
        .with_untracked(|o| o.as_ref().map(|o| (tabulable(o), groupings(o))))
        .unwrap_or_default();
    view! {
        <section class="card" id="survey-freq" aria-labelledby="survey-freq-heading">
            <h3 id="survey-freq-heading">{move || FREQ.get(lang.get())}</h3>
            <div class="field-row">
                <label for="survey-item">{move || ITEM.get(lang.get())}</label>
                {select("survey-item", page.item, items, None, move || page.describe(state))}
                <label for="survey-by">{move || BY.get(lang.get())}</label>
                {select("survey-by", page.by, groups, Some(ALL), move || page.describe(state))}
                <button type="button" id="survey-freq-csv" on:click=move |_| {
                    if let Some(f) = page.freq.get_untracked() {
                        download(&format!("survey_{}", f.item), survey::frequencies_csv(&f), f.min_cell);
                    }
                }>{move || CSV.get(lang.get())}</button>
            </div>
            {move || page.freq.get().map(|f| {
                let l = lang.get();
                view! {
                    <div class="survey-pair">
                        {stacked_columns(&f, l)}
                        {frequency_table(&f, l)}
                    </div>
                }
            })}
        </section>
    }
}

/// The groups of a frequency view, in order.
fn freq_groups(f: &FrequencyView) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &f.rows {
        if !out.contains(&r.group) {
            out.push(r.group.clone());
        }
    }
    out
}

/// 100 % stacked columns, one per group (the report's "prosentfordeling innen sektor").
fn stacked_columns(f: &FrequencyView, lang: Lang) -> impl IntoView {
    let groups = freq_groups(f);
    let values: Vec<String> = f
        .rows
        .iter()
        .filter(|r| r.group == groups[0] && !r.value.starts_with('('))
        .map(|r| r.value.clone())
        .collect();
    const COL: f64 = 56.0;
    const GAP: f64 = 28.0;
    const H: f64 = 220.0;
    let width = 40.0 + groups.len() as f64 * (COL + GAP);
    let mut shapes = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let x = 40.0 + g as f64 * (COL + GAP);
        let mut y = H;
        for (v, value) in values.iter().enumerate() {
            let Some(p) = f
                .rows
                .iter()
                .find(|r| &r.group == group && &r.value == value)
                .and_then(|r| r.percent)
            else {
                continue;
            };
            let h = p / 100.0 * (H - 10.0);
            y -= h;
            let label = (h >= 12.0).then(|| crate::fmt::number(p, 0, lang));
            shapes.push(view! {
                <rect x=x.to_string() y=y.to_string() width=COL.to_string() height=h.max(0.0).to_string()
                    fill=PALETTE[v % PALETTE.len()]><title>{format!("{group}, {value}: {}", crate::fmt::percent(p, lang))}</title></rect>
                {label.map(|t| view! {
                    <text x=(x + COL / 2.0).to_string() y=(y + h / 2.0 + 4.0).to_string() text-anchor="middle" class="seg-label">{t}</text>
                })}
            }.into_any());
        }
        shapes.push(view! {
            <rect x=x.to_string() y="0" width="0" height="0" fill="none"><title>{group.clone()}</title></rect>
            <text x=(x + COL / 2.0).to_string() y=(H + 16.0).to_string() text-anchor="middle">{group.clone()}</text>
        }.into_any());
    }
    let item = f.item.clone();
    let legend = values
        .iter()
        .enumerate()
        .map(|(v, value)| {
            let label = value_label(&item, value, lang)
                .map_or(value.clone(), |l| format!("{value} {l}"));
            view! {
                <li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill=PALETTE[v % PALETTE.len()]></rect></svg>" "{label}</li>
            }
        })
        .collect_view();
    view! {
        <figure class="survey-chart" id="survey-freq-chart">
            <svg role="img" width=width.to_string() height=(H + 24.0).to_string()
                aria-label=format!("{}: {}", f.item, PERCENT.get(lang))>
                {shapes}
            </svg>
            <ul class="legend">{legend}</ul>
        </figure>
    }
}

fn frequency_table(f: &FrequencyView, lang: Lang) -> impl IntoView {
    let item = f.item.clone();
    let rows = f
        .rows
        .iter()
        .map(|r| {
            let shown = match r.value.as_str() {
                "(total)" => TOTAL.get(lang).to_string(),
                "(missing)" => MISSING.get(lang).to_string(),
                v => value_label(&item, v, lang).map_or(v.to_string(), |l| format!("{v} {l}")),
            };
            view! {
                <tr class:suppressed=r.suppressed data-group=r.group.clone() data-value=r.value.clone()>
                    <td>{r.group.clone()}</td>
                    <td class="value">{shown}</td>
                    <td class="num n">{r.n.map_or("–".to_string(), |n| crate::fmt::count(n, lang))}</td>
                    <td class="num pct">{r.percent.map_or("–".to_string(), |p| crate::fmt::percent(p, lang))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" id="survey-freq-table">
            <thead><tr>
                <th scope="col">{GROUP.get(lang)}</th>
                <th scope="col">{ANSWER.get(lang)}</th>
                <th scope="col" class="num">"n"</th>
                <th scope="col" class="num">"%"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn Scales(page: Page) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let groups = page
        .overview
        .with_untracked(|o| o.as_ref().map(groupings))
        .unwrap_or_default();
    view! {
        <section class="card" id="survey-scale" aria-labelledby="survey-scale-heading">
            <h3 id="survey-scale-heading">{move || SCALES.get(lang.get())}</h3>
            <div class="field-row">
                <label for="survey-scale-which">{move || SCALE.get(lang.get())}</label>
                <select id="survey-scale-which" on:change=move |ev| {
                    page.scale_star.set(event_target_value(&ev) == "star-p");
                    page.scale_job(state);
                }>
                    <option value="star-p" selected=move || page.scale_star.get()>"STAR-P"</option>
                    <option value="continu-um" selected=move || !page.scale_star.get()>"CONTINU-UM"</option>
                </select>
                <label for="survey-scale-by">{move || BY.get(lang.get())}</label>
                {select("survey-scale-by", page.scale_by, groups, Some(ALL), move || page.scale_job(state))}
                <button type="button" id="survey-scale-csv" on:click=move |_| {
                    if let Some(s) = page.scale.get_untracked() {
                        let stem = if s.star { "survey_star-p" } else { "survey_continu-um" };
                        download(stem, survey::scale_csv(&s), s.min_cell);
                    }
                }>{move || CSV.get(lang.get())}</button>
            </div>
            {move || page.scale.get().map(|s| {
                let l = lang.get();
                view! {
                    <table class="data" id="survey-scale-table">
                        <thead><tr>
                            <th scope="col">{GROUP.get(l)}</th>
                            <th scope="col" class="num">"n"</th>
                            <th scope="col" class="num">{MEAN.get(l)}</th>
                            <th scope="col" class="num">"SD"</th>
                            <th scope="col" class="num">"α"</th>
                            <th scope="col" class="num">"n (α)"</th>
                        </tr></thead>
                        <tbody>
                            {s.rows.clone().into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.group}</th>
                                    <td class="num">{r.n.map_or("–".into(), |n| crate::fmt::count(n, l))}</td>
                                    <td class="num">{num(r.mean, 2, l)}</td>
                                    <td class="num">{num(r.sd, 2, l)}</td>
                                    <td class="num">{num(r.alpha, 3, l)}</td>
                                    <td class="num">{r.alpha_n.map_or("–".into(), |n| crate::fmt::count(n, l))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {compare::item_means(&s, l)}
                }
            })}
        </section>
    }
}

/// Candidate covariates: derived ones first, then every other variable with few values or a
/// number, never the outcome or the respondent id.
fn candidates(o: &SurveyOverview) -> Vec<VariableView> {
    let mut v: Vec<VariableView> = o
        .variables
        .iter()
        .filter(|v| v.numeric || !v.levels.is_empty())
        .cloned()
        .collect();
    v.sort_by_key(|x| !x.derived);
    v
}

#[component]
fn ModelBuilder(page: Page) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let (outcomes, candidates, groups) = page
        .overview
        .with_untracked(|o| {
            o.as_ref().map(|o| {
                let outcomes: Vec<String> = o
                    .variables
                    .iter()
                    .filter(|v| v.numeric)
                    .map(|v| v.name.clone())
                    .collect();
                (outcomes, candidates(o), groupings(o))
            })
        })
        .unwrap_or_default();
    let outcome_levels = move || {
        page.variable(&page.outcome.get())
            .map(|v| v.levels)
            .unwrap_or_default()
    };
    let on_outcome = move || {
        // A new outcome: its own construct leaves the covariates, the events start empty.
        let o = page.outcome.get_untracked();
        page.covariates.update(|c| c.retain(|(n, _)| *n != o));
        page.event.set(Vec::new());
    };
    let toggle_cov = move |name: String, levels: Vec<String>, numeric: bool, on: bool| {
        page.covariates.update(|c| {
            c.retain(|(n, _)| *n != name);
            if on {
                let reference = (!numeric).then(|| levels.first().cloned().unwrap_or_default());
                c.push((name, reference));
            }
        });
    };
    view! {
        <section class="card" id="survey-model" aria-labelledby="survey-model-heading">
            <h3 id="survey-model-heading">{move || MODEL.get(lang.get())}</h3>
            <form on:submit=move |ev| { ev.prevent_default(); page.regress(state); }>
                <div class="field-row">
                    <label for="survey-model-kind">{move || MODEL_KIND.get(lang.get())}</label>
                    <select id="survey-model-kind" on:change=move |ev| page.logistic.set(event_target_value(&ev) == "logistic")>
                        <option value="logistic" selected=move || page.logistic.get()>{move || LOGISTIC.get(lang.get())}</option>
                        <option value="linear" selected=move || !page.logistic.get()>{move || LINEAR.get(lang.get())}</option>
                    </select>
                    <label for="survey-outcome">{move || OUTCOME.get(lang.get())}</label>
                    {select("survey-outcome", page.outcome, outcomes, None, on_outcome)}
                    <label for="survey-model-by">{move || FIT_BY.get(lang.get())}</label>
                    {select("survey-model-by", page.model_by, groups, Some(POOLED), || ())}
                </div>
                {move || page.logistic.get().then(|| view! {
                    <fieldset id="survey-event">
                        <legend>{move || EVENT.get(lang.get())}</legend>
                        {outcome_levels().into_iter().map(|level| {
                            let l2 = level.clone();
                            let l3 = level.clone();
                            let id = format!("survey-event-{level}");
                            let for_id = id.clone();
                            let label = value_label(&page.outcome.get_untracked(), &level, lang.get_untracked())
                                .map_or(level.clone(), |t| format!("{level} {t}"));
                            view! {
                                <label class="check" for=for_id>
                                    <input type="checkbox" id=id value=level.clone()
                                        prop:checked=move || page.event.with(|e| e.contains(&l2))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            page.event.update(|e| {
                                                e.retain(|x| *x != l3);
                                                if on { e.push(l3.clone()); e.sort(); }
                                            });
                                        } />
                                    {label}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <fieldset id="survey-covariates">
                    <legend>{move || COVARIATES.get(lang.get())}</legend>
                    <button type="button" id="survey-preset" on:click=move |_| {
                        page.covariates.set(common_model(&page.outcome.get_untracked()));
                    }>{move || PRESET.get(lang.get())}</button>
                    <button type="button" id="survey-clear" on:click=move |_| page.covariates.set(Vec::new())>
                        {move || CLEAR.get(lang.get())}
                    </button>
                    <div class="covariate-list">
                        {candidates.into_iter().map(|v| {
                            let name = v.name.clone();
                            let n2 = name.clone();
                            let n3 = name.clone();
                            let n4 = name.clone();
                            let levels = v.levels.clone();
                            let numeric = v.numeric;
                            let id = format!("survey-cov-{name}");
                            let for_id = id.clone();
                            let ref_id = format!("survey-ref-{name}");
                            let ref_levels = v.levels.clone();
                            view! {
                                <div class="covariate">
                                    <label class="check" for=for_id>
                                        <input type="checkbox" id=id value=name.clone()
                                            prop:checked=move || page.covariates.with(|c| c.iter().any(|(n, _)| *n == n2))
                                            on:change=move |ev| toggle_cov(n3.clone(), levels.clone(), numeric, event_target_checked(&ev)) />
                                        {name.clone()}
                                    </label>
                                    {(!numeric).then(|| view! {
                                        <label class="visually-hidden" for=ref_id.clone()>{move || format!("{name} {}", REFERENCE.get(lang.get()))}</label>
                                        <select id=ref_id
                                            disabled=move || !page.covariates.with(|c| c.iter().any(|(n, _)| *n == n4))
                                            on:change={
                                                let n5 = v.name.clone();
                                                move |ev| {
                                                    let level = event_target_value(&ev);
                                                    page.covariates.update(|c| {
                                                        for (n, r) in c.iter_mut() {
                                                            if *n == n5 { *r = Some(level.clone()); }
                                                        }
                                                    });
                                                }
                                            }>
                                            {ref_levels.into_iter().map(|level| {
                                                let l2 = level.clone();
                                                let n6 = v.name.clone();
                                                view! {
                                                    <option value=level.clone() selected=move || page.covariates.with(|c| c.iter().any(|(n, r)| *n == n6 && r.as_deref() == Some(l2.as_str())))>
                                                        {format!("ref = {level}")}
                                                    </option>
                                                }
                                            }).collect_view()}
                                        </select>
                                    })}
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <button type="submit" id="survey-run" class="primary" disabled=move || state.busy.get().is_some()>
                    {move || RUN.get(lang.get())}
                </button>
                <button type="button" id="survey-model-csv" on:click=move |_| {
                    if let Some(m) = page.models.get_untracked() {
                        download(&format!("survey_model_{}", m.outcome), survey::models_csv(&m), m.min_cell);
                    }
                }>{move || CSV.get(lang.get())}</button>
            </form>
            {move || page.models.get().map(|m| {
                let l = lang.get();
                m.fits.iter().map(|f| fit_view(f, m.logistic, l)).collect_view()
            })}
        </section>
    }
}

fn fit_view(f: &FitView, logistic: bool, lang: Lang) -> impl IntoView {
    let head = format!(
        "{} · N = {}{}",
        f.group,
        f.n.map_or("–".into(), |n| crate::fmt::count(n, lang)),
        f.r2.map_or(String::new(), |r| format!(
            " · R² = {}",
            crate::fmt::number(r, 3, lang)
        ))
    );
    let problem = f.problem.clone();
    let estimate = if logistic { ESTIMATE_OR } else { ESTIMATE_B };
    let rows = f
        .terms
        .iter()
        .map(|t| {
            view! {
                <tr class:suppressed=t.suppressed data-group=f.group.clone() data-term=t.term.clone()>
                    <th scope="row">{t.term.clone()}</th>
                    <td class="num est">{if t.suppressed { SUPPRESSED_TERM.get(lang).to_string() } else { num(t.estimate, 3, lang) }}</td>
                    <td class="num">{match (t.ci_low, t.ci_high) {
                        (Some(a), Some(b)) => format!("{} – {}", crate::fmt::number(a, 3, lang), crate::fmt::number(b, 3, lang)),
                        _ => "–".into(),
                    }}</td>
                    <td class="num">{t.p_value.map_or("–".into(), |p| if p < 0.001 { "<0.001".replace('.', if lang == Lang::Nb { "," } else { "." }) } else { crate::fmt::number(p, 3, lang) })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="survey-fit" data-group=f.group.clone()>
            <h4>{head}</h4>
            {problem.map(|p| view! { <p class="problem" role="status">{p}</p> })}
            <div class="survey-pair">
                {forest(f, logistic, lang)}
                <table class="data survey-model-table">
                    <thead><tr>
                        <th scope="col">{TERM.get(lang)}</th>
                        <th scope="col" class="num">{estimate.get(lang)}</th>
                        <th scope="col" class="num">{CI.get(lang)}</th>
                        <th scope="col" class="num">"p"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// A forest plot of the estimates with their 95 % CIs: log scale for odds ratios (line at 1),
/// linear for coefficients (line at 0); the intercept and blanked terms are left out.
fn forest(f: &FitView, logistic: bool, lang: Lang) -> impl IntoView {
    let terms: Vec<_> = f
        .terms
        .iter()
        .filter(|t| t.term != "(intercept)")
        .filter_map(|t| Some((t.term.clone(), t.estimate?, t.ci_low?, t.ci_high?)))
        .filter(|(_, e, a, b)| !logistic || (*e > 0.0 && *a > 0.0 && *b > 0.0))
        .collect();
    if terms.is_empty() {
        return None;
    }
    let tx = |v: f64| if logistic { v.log10() } else { v };
    // The line of no effect: OR 1 (log 0) or coefficient 0.
    let null = 0.0f64;
    let lo = terms.iter().map(|t| tx(t.2)).fold(null, f64::min);
    let hi = terms.iter().map(|t| tx(t.3)).fold(null, f64::max);
    let span = (hi - lo).max(1e-9);
    const LABEL: f64 = 190.0;
    const PLOT: f64 = 260.0;
    const ROW: f64 = 20.0;
    let x = move |v: f64| LABEL + 10.0 + (tx(v) - lo) / span * (PLOT - 44.0);
    let x_null = LABEL + 10.0 + (null - lo) / span * (PLOT - 44.0);
    let height = terms.len() as f64 * ROW + 30.0;
    let ticks: Vec<f64> = if logistic {
        [0.1f64, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0]
            .into_iter()
            .filter(|v| (lo..=hi).contains(&v.log10()))
            .collect()
    } else {
        vec![lo, 0.0, hi]
    };
    let rows = terms
        .into_iter()
        .enumerate()
        .map(|(i, (term, e, a, b))| {
            let y = 10.0 + i as f64 * ROW + ROW / 2.0;
            view! {
                <g>
                    <title>{format!("{term}: {} ({} – {})", crate::fmt::number(e, 3, lang), crate::fmt::number(a, 3, lang), crate::fmt::number(b, 3, lang))}</title>
                    <text x=(LABEL).to_string() y=(y + 4.0).to_string() text-anchor="end" class="forest-label">{term}</text>
                    <line x1=x(a).to_string() x2=x(b).to_string() y1=y.to_string() y2=y.to_string() stroke="#333" stroke-width="1.5"></line>
                    <rect x=(x(e) - 4.0).to_string() y=(y - 4.0).to_string() width="8" height="8" fill="#0072b2"></rect>
                </g>
            }
        })
        .collect_view();
    let axis_y = height - 14.0;
    let tick_views = ticks
        .into_iter()
        .map(|v| {
            let label = crate::fmt::number(v, 2, lang);
            let px = if logistic {
                LABEL + 10.0 + (v.log10() - lo) / span * (PLOT - 44.0)
            } else {
                LABEL + 10.0 + (v - lo) / span * (PLOT - 44.0)
            };
            view! { <text x=px.to_string() y=(axis_y + 12.0).to_string() text-anchor="middle" class="forest-tick">{label}</text> }
        })
        .collect_view();
    Some(view! {
        <figure class="survey-chart forest">
            <svg role="img" width=(LABEL + PLOT).to_string() height=height.to_string()
                aria-label=format!("{}: {}", FOREST.get(lang), f.group)>
                <line x1=x_null.to_string() x2=x_null.to_string() y1="4" y2=axis_y.to_string() stroke="#999" stroke-dasharray="3 3"></line>
                {rows}
                {tick_views}
            </svg>
        </figure>
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_codes_have_labels_in_both_languages() {
        assert_eq!(
            value_label("tilfreds", "5", Lang::Nb),
            Some("I svært stor grad")
        );
        assert_eq!(value_label("star04", "0", Lang::En), Some("Never"));
        assert_eq!(value_label("video", "1", Lang::Nb), Some("Ja"));
        assert_eq!(value_label("tilfreds", "9", Lang::Nb), None);
        assert_eq!(value_label("sektor", "PHV", Lang::Nb), None);
    }
}
