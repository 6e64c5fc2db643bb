//! The survey page's group comparisons and settings (issue 9): a t test between two levels of a
//! variable and a one-way ANOVA across its levels (survey.md §4.4, `forlop survey ttest|anova`),
//! the item means by group under the scale table (`forlop survey scale --items`), and the
//! derive settings survey.md leaves open (`DeriveSettings`, the CLI's derive flags), which derive
//! the variables again and recompute what is shown. Every table downloads as the CLI's CSV,
//! built by the same code (`forlop_core::survey::rows`).

use super::{download, num, opt, select, t, Page, ALL, CSV, GROUP, MEAN};
use crate::protocol::ToWorker;
use crate::survey::{AnovaView, ScaleView, SettingsView, SurveyJob, SurveyOverview, TTestView};
use crate::AppState;
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;

const COMPARE: Text = t("Sammenligne grupper", "Compare groups");
const TTEST: Text = t("t-test (to grupper)", "t test (two groups)");
const ANOVA: Text = t("Enveis variansanalyse (ANOVA)", "One-way ANOVA");
const VAR: Text = t(
    "Variabel (spørsmål eller skala)",
    "Variable (item or scale)",
);
const BETWEEN: Text = t("Grupper fra", "Groups from");
const LEVEL_A: Text = t("Gruppe A", "Group A");
const LEVEL_B: Text = t("Gruppe B", "Group B");
const WELCH: Text = t("Welch (ulike varianser)", "Welch (unequal variances)");
const RUN_T: Text = t("Beregn t-test", "Run the t test");
const RUN_ANOVA: Text = t("Beregn ANOVA", "Run the ANOVA");
const PER: Text = t("Per", "Per");
const LEVEL: Text = t("Gruppe", "Level");
const DIFF: Text = t("Differanse (A − B)", "Difference (A − B)");
const ITEMS: Text = t(
    "Gjennomsnitt per spørsmål (høyere er bedre)",
    "Item means (higher is better)",
);
const ITEM: Text = t("Spørsmål", "Item");
const ITEMS_CSV: Text = t("Last ned CSV (spørsmål)", "Download CSV (items)");
const SETTINGS: Text = t("Innstillinger", "Settings");
const SETTINGS_HELP: Text = t(
    "Valg rapporten ikke avgjør (docs/choices.md). Endringer avleder variablene på nytt og beregner tabellene igjen; tilsvarende flagg for forlop survey står under.",
    "Choices the report leaves open (docs/choices.md). A change derives the variables again and recomputes the tables; the matching flags of forlop survey are shown below.",
);
const SEX: Text = t("Kjønn (kvinne)", "Sex (kvinne)");
const AGE: Text = t("Alder", "Age");
const REGISTER: Text = t("Register (NPR)", "Register (NPR)");
const SELF_SEX: Text = t("Selvrapportert (kjonn)", "Self-reported (kjonn)");
const SELF_AGE: Text = t("Selvrapportert fødselsår", "Self-reported birth year");
const YEAR: Text = t("Undersøkelsesår", "Survey year");
const STAR_MIN: Text = t(
    "STAR-P: minste antall besvarte spørsmål",
    "STAR-P: fewest answered items",
);
const FLAGS: Text = t("Flagg", "Flags");
const DEFAULTS: Text = t("(standardvalg)", "(defaults)");

/// Yes/no settings: field id, label, getter and setter on [`SettingsView`].
type Toggle = (
    &'static str,
    Text,
    fn(&SettingsView) -> bool,
    fn(&mut SettingsView, bool),
);

const TOGGLES: [Toggle; 7] = [
    (
        "survey-set-substance",
        t(
            "Skadelig bruk og avhengighet teller som to diagnoser",
            "Harmful use and dependence count as two diagnoses",
        ),
        |s| s.substance_two_diagnoses,
        |s, v| s.substance_two_diagnoses = v,
    ),
    (
        "survey-set-other",
        t(
            "«Annen diagnose» teller ikke i antall diagnoser",
            "“Other diagnosis” not counted among the diagnoses",
        ),
        |s| s.no_other_diagnosis,
        |s, v| s.no_other_diagnosis = v,
    ),
    (
        "survey-set-municipal-count",
        t(
            "Kommunale tjenester som antall (ikke 0/1)",
            "Municipal services as a count (not 0/1)",
        ),
        |s| s.municipal_count,
        |s, v| s.municipal_count = v,
    ),
    (
        "survey-set-psychologist",
        t(
            "Psykolog i kommunen regnes som kommunal helsetjeneste",
            "Municipal psychologist counts as a municipal service",
        ),
        |s| s.municipal_psychologist,
        |s, v| s.municipal_psychologist = v,
    ),
    (
        "survey-set-tsb-status",
        t(
            "TSB: «nylig avsluttet» fra rusbehandlingsstatus",
            "TSB: “recently ended” from the substance status item",
        ),
        |s| s.tsb_substance_status,
        |s, v| s.tsb_substance_status = v,
    ),
    (
        "survey-set-coordination",
        t(
            "«Vet ikke» om IP/koordinator/ansvarsgruppe gir manglende koordineringstiltak",
            "“Don't know” on IP/coordinator/team makes coordination missing",
        ),
        |s| s.coordination_dont_know_missing,
        |s, v| s.coordination_dont_know_missing = v,
    ),
    (
        "survey-set-continuum",
        t(
            "CONTINU-UM: sum av besvarte spørsmål (ikke alle ni påkrevd)",
            "CONTINU-UM: sum of the answered items (not all nine required)",
        ),
        |s| s.continuum_partial,
        |s, v| s.continuum_partial = v,
    ),
];

/// The comparisons' state: the choices, the answers shown and the derive settings.
#[derive(Clone, Copy)]
pub(super) struct Extra {
    ttest: RwSignal<Option<TTestView>>,
    anova: RwSignal<Option<AnovaView>>,
    settings: RwSignal<SettingsView>,
    t_var: RwSignal<String>,
    t_between: RwSignal<String>,
    t_a: RwSignal<String>,
    t_b: RwSignal<String>,
    t_by: RwSignal<String>,
    t_welch: RwSignal<bool>,
    a_var: RwSignal<String>,
    a_between: RwSignal<String>,
    a_by: RwSignal<String>,
}

impl Extra {
    /// The defaults follow the report: the t test of a service between the severe-and-long-
    /// lasting group (1) and the mild/moderate-and-short one (0) per sector (Figs 7-2..7-4),
    /// the ANOVA of a CONTINU-UM item across the sectors (§4.4).
    pub(super) fn new() -> Self {
        let s = |x: &str| RwSignal::new(x.to_string());
        Extra {
            ttest: RwSignal::new(None),
            anova: RwSignal::new(None),
            settings: RwSignal::new(SettingsView::default()),
            t_var: s("tj_fastlege"),
            t_between: s("alvorlig_langvarig"),
            t_a: s("1"),
            t_b: s("0"),
            t_by: s("sektor"),
            t_welch: RwSignal::new(false),
            a_var: s("coc01_tilgang"),
            a_between: s("sektor"),
            a_by: s(""),
        }
    }

    fn ttest_job(&self, state: AppState) {
        let job = SurveyJob::TTest {
            var: self.t_var.get_untracked(),
            between: self.t_between.get_untracked(),
            levels: [self.t_a.get_untracked(), self.t_b.get_untracked()],
            by: opt(self.t_by.get_untracked()),
            welch: self.t_welch.get_untracked(),
            min_cell: state.min_cell.get_untracked(),
        };
        state.run(ToWorker::Survey(job), None);
    }

    fn anova_job(&self, state: AppState) {
        let job = SurveyJob::Anova {
            var: self.a_var.get_untracked(),
            between: self.a_between.get_untracked(),
            by: opt(self.a_by.get_untracked()),
            min_cell: state.min_cell.get_untracked(),
        };
        state.run(ToWorker::Survey(job), None);
    }

    /// Runs again the tests that are shown (new k, new settings).
    pub(super) fn rerun(&self, state: AppState) {
        if self.ttest.with_untracked(Option::is_some) {
            self.ttest_job(state);
        }
        if self.anova.with_untracked(Option::is_some) {
            self.anova_job(state);
        }
    }

    /// A new file: the old results go, choices the file cannot honour fall back, and settings
    /// other than the defaults are applied to it too (the worker reads every file with the
    /// defaults).
    pub(super) fn on_loaded(&self, state: AppState, o: &SurveyOverview) {
        self.ttest.set(None);
        self.anova.set(None);
        let has = |name: &str| o.variables.iter().any(|v| v.name == name);
        for by in [self.t_by, self.a_by] {
            let b = by.get_untracked();
            if !b.is_empty() && b != "diagnosegruppe" && !has(&b) {
                by.set(String::new());
            }
        }
        let settings = self.settings.get_untracked();
        if settings != SettingsView::default() {
            state.run(ToWorker::Survey(SurveyJob::Settings(settings)), None);
        }
    }

    pub(super) fn set_ttest(&self, v: &TTestView) {
        self.ttest.set(Some(v.clone()));
    }

    pub(super) fn set_anova(&self, v: &AnovaView) {
        self.anova.set(Some(v.clone()));
    }
}

fn p_text(p: Option<f64>, lang: Lang) -> String {
    match p {
        Some(p) if p < 0.001 => match lang {
            Lang::Nb => "<0,001".into(),
            Lang::En => "<0.001".into(),
        },
        other => num(other, 3, lang),
    }
}

fn df_text(df: Option<f64>, lang: Lang) -> String {
    df.map_or("–".into(), |d| {
        let whole = (d - d.round()).abs() < 1e-9;
        crate::fmt::number(d, if whole { 0 } else { 1 }, lang)
    })
}

/// Numeric variables (t test / ANOVA outcomes) and variables with few levels (groupings).
fn choices(o: &SurveyOverview) -> (Vec<String>, Vec<String>) {
    let numeric = o
        .variables
        .iter()
        .filter(|v| v.numeric)
        .map(|v| v.name.clone())
        .collect();
    let grouped = o
        .variables
        .iter()
        .filter(|v| !v.levels.is_empty())
        .map(|v| v.name.clone())
        .collect();
    (numeric, grouped)
}

/// A `<select>` of the levels of the variable `of`, bound to `value`; a level the variable lacks
/// is replaced by its first (A) or second (B) level.
fn level_select(
    id: &'static str,
    page: Page,
    of: RwSignal<String>,
    value: RwSignal<String>,
    fallback: usize,
) -> impl IntoView {
    let levels = move || {
        page.variable(&of.get())
            .map(|v| v.levels)
            .unwrap_or_default()
    };
    Effect::new(move |_| {
        let l = levels();
        if !l.is_empty() && !l.contains(&value.get_untracked()) {
            if let Some(x) = l.get(fallback).or(l.first()) {
                value.set(x.clone());
            }
        }
    });
    view! {
        <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
            {move || levels().into_iter().map(|level| {
                let l2 = level.clone();
                view! { <option value=level.clone() selected=move || value.get() == l2>{level.clone()}</option> }
            }).collect_view()}
        </select>
    }
}

/// The t test and ANOVA forms with their tables.
#[component]
pub(super) fn Compare(page: Page) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let x = page.extra;
    let (numeric, grouped, groups) = page
        .overview
        .with_untracked(|o| {
            o.as_ref().map(|o| {
                let (n, g) = choices(o);
                (n, g, super::groupings(o))
            })
        })
        .unwrap_or_default();
    view! {
        <section class="card" id="survey-compare" aria-labelledby="survey-compare-heading">
            <h3 id="survey-compare-heading">{move || COMPARE.get(lang.get())}</h3>
            <form id="survey-ttest" on:submit=move |ev| { ev.prevent_default(); x.ttest_job(state); }>
                <h4>{move || TTEST.get(lang.get())}</h4>
                <div class="field-row">
                    <label for="survey-ttest-var">{move || VAR.get(lang.get())}</label>
                    {select("survey-ttest-var", x.t_var, numeric.clone(), None, || ())}
                    <label for="survey-ttest-between">{move || BETWEEN.get(lang.get())}</label>
                    {select("survey-ttest-between", x.t_between, grouped.clone(), None, || ())}
                    <label for="survey-ttest-a">{move || LEVEL_A.get(lang.get())}</label>
                    {level_select("survey-ttest-a", page, x.t_between, x.t_a, 0)}
                    <label for="survey-ttest-b">{move || LEVEL_B.get(lang.get())}</label>
                    {level_select("survey-ttest-b", page, x.t_between, x.t_b, 1)}
                    <label for="survey-ttest-by">{move || PER.get(lang.get())}</label>
                    {select("survey-ttest-by", x.t_by, groups.clone(), Some(ALL), || ())}
                    <label class="check" for="survey-ttest-welch">
                        <input type="checkbox" id="survey-ttest-welch" prop:checked=move || x.t_welch.get()
                            on:change=move |ev| x.t_welch.set(event_target_checked(&ev)) />
                        {move || WELCH.get(lang.get())}
                    </label>
                </div>
                <button type="submit" id="survey-ttest-run" class="primary" disabled=move || state.busy.get().is_some()>
                    {move || RUN_T.get(lang.get())}
                </button>
                <button type="button" id="survey-ttest-csv" disabled=move || x.ttest.with(Option::is_none) on:click=move |_| {
                    if let Some(v) = x.ttest.get_untracked() {
                        download(&format!("survey_ttest_{}", v.var), v.csv.clone(), v.min_cell);
                    }
                }>{move || CSV.get(lang.get())}</button>
            </form>
            {move || x.ttest.get().map(|v| ttest_table(&v, lang.get()))}
            <form id="survey-anova" on:submit=move |ev| { ev.prevent_default(); x.anova_job(state); }>
                <h4>{move || ANOVA.get(lang.get())}</h4>
                <div class="field-row">
                    <label for="survey-anova-var">{move || VAR.get(lang.get())}</label>
                    {select("survey-anova-var", x.a_var, numeric, None, || ())}
                    <label for="survey-anova-between">{move || BETWEEN.get(lang.get())}</label>
                    {select("survey-anova-between", x.a_between, grouped, None, || ())}
                    <label for="survey-anova-by">{move || PER.get(lang.get())}</label>
                    {select("survey-anova-by", x.a_by, groups, Some(ALL), || ())}
                </div>
                <button type="submit" id="survey-anova-run" class="primary" disabled=move || state.busy.get().is_some()>
                    {move || RUN_ANOVA.get(lang.get())}
                </button>
                <button type="button" id="survey-anova-csv" disabled=move || x.anova.with(Option::is_none) on:click=move |_| {
                    if let Some(v) = x.anova.get_untracked() {
                        download(&format!("survey_anova_{}", v.var), v.csv.clone(), v.min_cell);
                    }
                }>{move || CSV.get(lang.get())}</button>
            </form>
            {move || x.anova.get().map(|v| anova_table(&v, lang.get()))}
        </section>
    }
}

fn ttest_table(v: &TTestView, l: Lang) -> impl IntoView {
    let [a, b] = v.levels.clone();
    let caption = format!("{}: {} = {a} − {} = {b}", v.var, v.between, v.between);
    let rows = v
        .rows
        .iter()
        .map(|r| {
            let count = |n: Option<u64>| n.map_or("–".into(), |n| crate::fmt::count(n, l));
            view! {
                <tr class:suppressed=r.suppressed data-group=r.group.clone()>
                    <th scope="row">{r.group.clone()}</th>
                    <td class="num n-a">{count(r.n[0])}</td>
                    <td class="num n-b">{count(r.n[1])}</td>
                    <td class="num mean-a">{num(r.mean[0], 3, l)}</td>
                    <td class="num mean-b">{num(r.mean[1], 3, l)}</td>
                    <td class="num diff">{num(r.difference, 3, l)}</td>
                    <td class="num t">{num(r.t, 3, l)}</td>
                    <td class="num df">{df_text(r.df, l)}</td>
                    <td class="num p">{p_text(r.p_value, l)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" id="survey-ttest-table">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{GROUP.get(l)}</th>
                <th scope="col" class="num">{format!("n ({a})")}</th>
                <th scope="col" class="num">{format!("n ({b})")}</th>
                <th scope="col" class="num">{format!("{} ({a})", MEAN.get(l))}</th>
                <th scope="col" class="num">{format!("{} ({b})", MEAN.get(l))}</th>
                <th scope="col" class="num">{DIFF.get(l)}</th>
                <th scope="col" class="num">"t"</th>
                <th scope="col" class="num">"df"</th>
                <th scope="col" class="num">"p"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn anova_table(v: &AnovaView, l: Lang) -> impl IntoView {
    let caption = format!("{} ~ {}", v.var, v.between);
    let rows = v
        .tests
        .iter()
        .flat_map(|t| {
            t.levels.iter().map(move |(level, n, mean)| {
                view! {
                    <tr class:suppressed=t.suppressed data-group=t.group.clone() data-level=level.clone()>
                        <th scope="row">{t.group.clone()}</th>
                        <td>{level.clone()}</td>
                        <td class="num n">{n.map_or("–".into(), |n| crate::fmt::count(n, l))}</td>
                        <td class="num mean">{num(*mean, 3, l)}</td>
                        <td class="num f">{num(t.f, 3, l)}</td>
                        <td class="num df">{format!("{}, {}", crate::fmt::count(t.df_between, l), crate::fmt::count(t.df_within, l))}</td>
                        <td class="num p">{p_text(t.p_value, l)}</td>
                    </tr>
                }
            })
        })
        .collect_view();
    view! {
        <table class="data" id="survey-anova-table">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{GROUP.get(l)}</th>
                <th scope="col">{LEVEL.get(l)}</th>
                <th scope="col" class="num">"n"</th>
                <th scope="col" class="num">{MEAN.get(l)}</th>
                <th scope="col" class="num">"F"</th>
                <th scope="col" class="num">"df"</th>
                <th scope="col" class="num">"p"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The item means of the shown scale, by group, with their CSV (`scale --items`).
pub(super) fn item_means(s: &ScaleView, l: Lang) -> impl IntoView {
    let csv = s.items_csv.clone();
    let min_cell = s.min_cell;
    let stem = if s.star {
        "survey_star-p_items"
    } else {
        "survey_continu-um_items"
    };
    let rows = s
        .items
        .iter()
        .map(|r| {
            view! {
                <tr data-group=r.group.clone() data-item=r.item.clone()>
                    <th scope="row">{r.group.clone()}</th>
                    <td>{r.item.clone()}</td>
                    <td class="num n">{r.n.map_or("–".into(), |n| crate::fmt::count(n, l))}</td>
                    <td class="num mean">{num(r.mean, 3, l)}</td>
                    <td class="num sd">{num(r.sd, 3, l)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h4 id="survey-items-heading">{ITEMS.get(l)}</h4>
        <button type="button" id="survey-items-csv" on:click=move |_| download(stem, csv.clone(), min_cell)>
            {ITEMS_CSV.get(l)}
        </button>
        <table class="data" id="survey-items-table" aria-labelledby="survey-items-heading">
            <thead><tr>
                <th scope="col">{GROUP.get(l)}</th>
                <th scope="col">{ITEM.get(l)}</th>
                <th scope="col" class="num">"n"</th>
                <th scope="col" class="num">{MEAN.get(l)}</th>
                <th scope="col" class="num">"SD"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The derive settings: each change derives the variables again in the worker.
#[component]
pub(super) fn Settings(page: Page) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let x = page.extra;
    let apply = move |change: &dyn Fn(&mut SettingsView)| {
        x.settings.update(|s| change(s));
        state.run(
            ToWorker::Survey(SurveyJob::Settings(x.settings.get_untracked())),
            None,
        );
    };
    let flags = move || {
        let f = x.settings.with(SettingsView::flags);
        if f.is_empty() {
            DEFAULTS.get(lang.get()).to_string()
        } else {
            f.join(" ")
        }
    };
    view! {
        <section class="card" id="survey-settings" aria-labelledby="survey-settings-heading">
            <h3 id="survey-settings-heading">{move || SETTINGS.get(lang.get())}</h3>
            <p><small>{move || SETTINGS_HELP.get(lang.get())}</small></p>
            <div class="field-row">
                <label for="survey-set-sex">{move || SEX.get(lang.get())}</label>
                <select id="survey-set-sex" on:change=move |ev| {
                    let on = event_target_value(&ev) == "self-report";
                    apply(&|s| s.sex_self_report = on);
                }>
                    <option value="register" selected=move || !x.settings.with(|s| s.sex_self_report)>{move || REGISTER.get(lang.get())}</option>
                    <option value="self-report" selected=move || x.settings.with(|s| s.sex_self_report)>{move || SELF_SEX.get(lang.get())}</option>
                </select>
                <label for="survey-set-age">{move || AGE.get(lang.get())}</label>
                <select id="survey-set-age" on:change=move |ev| {
                    let on = event_target_value(&ev) == "self-report";
                    apply(&|s| s.age_from_birth_year = on);
                }>
                    <option value="register" selected=move || !x.settings.with(|s| s.age_from_birth_year)>{move || REGISTER.get(lang.get())}</option>
                    <option value="self-report" selected=move || x.settings.with(|s| s.age_from_birth_year)>{move || SELF_AGE.get(lang.get())}</option>
                </select>
                <label for="survey-set-year">{move || YEAR.get(lang.get())}</label>
                <input id="survey-set-year" type="number" min="1900" max="2100"
                    prop:value=move || x.settings.with(|s| s.survey_year.to_string())
                    on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse::<i32>() {
                            if (1900..=2100).contains(&y) {
                                apply(&|s| s.survey_year = y);
                            }
                        }
                    } />
                <label for="survey-set-star-min">{move || STAR_MIN.get(lang.get())}</label>
                <input id="survey-set-star-min" type="number" min="1" max="12"
                    prop:value=move || x.settings.with(|s| s.star_min_items.to_string())
                    on:change=move |ev| {
                        if let Ok(k) = event_target_value(&ev).parse::<u32>() {
                            if (1..=12).contains(&k) {
                                apply(&|s| s.star_min_items = k);
                            }
                        }
                    } />
            </div>
            <div class="settings-toggles">
                {TOGGLES.iter().map(|&(id, label, get, set)| view! {
                    <label class="check" for=id>
                        <input type="checkbox" id=id prop:checked=move || x.settings.with(get)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                apply(&|s| set(s, on));
                            } />
                        {move || label.get(lang.get())}
                    </label>
                }).collect_view()}
            </div>
            <p>{move || FLAGS.get(lang.get())}": "<code id="survey-settings-flags">{flags}</code></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_toggle_sets_the_field_it_reads_and_shows_its_flag() {
        for (id, _, get, set) in TOGGLES {
            let mut s = SettingsView::default();
            assert!(!get(&s), "{id}");
            set(&mut s, true);
            assert!(get(&s), "{id}");
            assert_eq!(s.flags().len(), 1, "{id}: {:?}", s.flags());
        }
        assert_eq!(p_text(Some(0.0004), Lang::Nb), "<0,001");
        assert_eq!(df_text(Some(95.0), Lang::En), "95");
        assert_eq!(df_text(Some(40.26), Lang::En), "40.3");
    }
}
