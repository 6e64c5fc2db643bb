//! The survey page's "Svar og representativitet / Response and representativeness" section:
//! Tables 4-1 … 4-9 of the report (and the age comparison of Figs 4-7–4-9) from the population
//! aggregates that came with the respondent file, alone, or with the demo survey. The tables are
//! core's ([`forlop_core::survey::representativeness::render`]) — the very cells `forlop survey
//! response --table …` writes — shown with the page's number format, and each downloads as the
//! CLI's CSV byte for byte.

use crate::survey::{ResponseTablesView, SurveyAnswer};
use crate::AppState;
use forlop_core::survey::representativeness::{long_csv, RenderedTable};
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

const HEADING: Text = t(
    "Svar og representativitet",
    "Response and representativeness",
);
const NOTE: Text = t(
    "Andeler i prosent med én desimal (avrundet som i rapporten), differanser i prosentpoeng (utvalgets andel minus populasjonens); rader der forskjellen er over 1 prosentpoeng er merket. Tabell 4-2/4-3 prikker antall under 10 (*), som rapporten; * i filen leses som prikket, ikke 0.",
    "Shares in per cent with one decimal (rounded as the report rounds), differences in percentage points (respondents' share minus the population's); rows that differ by more than 1 point are marked. Tables 4-2/4-3 suppress counts below 10 (*), as the report does; * in the file is read as suppressed, not 0.",
);
const READ: Text = t("Rader lest", "Rows read");
const REJECTED: Text = t("avvist", "rejected");
const ALL_CSV: Text = t(
    "Last ned alle tabellene (lang CSV)",
    "Download all tables (long CSV)",
);
const CSV: Text = t("Last ned CSV", "Download CSV");
const YES: Text = t("Ja", "Yes");

/// A key cell's label: populations and diagnosis bases in words, else as written.
fn label(raw: &str, lang: Lang) -> String {
    let text = match raw {
        "totalpop" => t("Totalpopulasjon", "Total population"),
        "mottakere" => t("Mottakere", "Recipients"),
        "feilmelding" => t("Feilmelding", "Error population"),
        "forrige_periode" => t("Samme periode i fjor", "Same period last year"),
        "forrige_aar" => t("Hele fjoråret", "The whole previous year"),
        "utvalg" => t("Utvalget (svarte)", "Respondents"),
        "diagnose_1" => t("1. hovedtilstand", "1st main condition"),
        "diagnose_1_2" => t("1. eller 2. hovedtilstand", "1st or 2nd main condition"),
        _ => return raw.to_string(),
    };
    text.get(lang).to_string()
}

/// A number cell as shown: the CSV's value in the page's format with the column's decimals;
/// `*` and empty cells as they are.
fn shown(raw: &str, decimals: Option<u8>, lang: Lang) -> String {
    match (decimals, raw.parse::<f64>()) {
        (Some(d), Ok(v)) => crate::fmt::number(v, d as usize, lang),
        _ => raw.to_string(),
    }
}

fn download(stem: &str, text: &str) {
    let name = crate::export::file_name(stem, 2023, "csv", false);
    if let Err(e) = crate::export::download_text(text, "text/csv;charset=utf-8", &name) {
        web_sys::console::warn_1(&e);
    }
}

/// The section; it follows the last survey answer that carried aggregates.
#[component]
pub fn SurveyResponse() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let shown_view: RwSignal<Option<ResponseTablesView>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(answer) = state.survey.get() {
            match answer.as_ref() {
                SurveyAnswer::Loaded(o) => shown_view.set(o.representativeness.clone()),
                SurveyAnswer::Response(r) => shown_view.set(Some(r.clone())),
                _ => {}
            }
        }
    });
    move || {
        shown_view.get().map(|v| {
            let l = lang.get();
            let all = long_csv(&v.tables);
            view! {
                <section class="card" id="survey-representativeness" aria-labelledby="survey-rep-heading">
                    <h3 id="survey-rep-heading">{HEADING.get(l)}</h3>
                    <p id="survey-rep-rows">
                        {format!("{}: {} {}, {} {}", v.file, READ.get(l),
                            crate::fmt::count(v.rows_read, l), REJECTED.get(l),
                            crate::fmt::count(v.rows_rejected, l))}
                    </p>
                    <ul id="survey-rep-issues">
                        {v.issues.iter().map(|i| view! {
                            <li>{match l { Lang::Nb => i.nb.clone(), Lang::En => i.en.clone() }}</li>
                        }).collect_view()}
                    </ul>
                    <p><small>{NOTE.get(l)}</small></p>
                    <button type="button" id="survey-rep-all-csv" on:click=move |_| {
                        download("survey_response_all", &all);
                    }>{ALL_CSV.get(l)}</button>
                    {v.tables.into_iter().map(|table| view! { <Table table=table lang=l /> }).collect_view()}
                </section>
            }
        })
    }
}

#[component]
fn Table(table: RenderedTable, lang: Lang) -> impl IntoView {
    let id = table.id.clone();
    let csv = table.csv();
    let stem = format!("survey_response_{}", table.id);
    let flag_col = table.columns.iter().position(|c| c.key == "flagged");
    let keys = table.keys;
    let title = match lang {
        Lang::Nb => table.title_nb.clone(),
        Lang::En => table.title_en.clone(),
    };
    let columns = table.columns.clone();
    view! {
        <details class="survey-rep" id=format!("survey-rep-{id}") open=id == "4-1">
            <summary>{title}</summary>
            <button type="button" class="survey-rep-csv" id=format!("survey-rep-csv-{id}")
                on:click=move |_| download(&stem, &csv)>{CSV.get(lang)}</button>
            <div class="table-scroll">
            <table class="data" id=format!("survey-rep-table-{id}")>
                <thead><tr>
                    {columns.iter().map(|c| view! {
                        <th scope="col" class:num=c.decimals.is_some() data-key=c.key.clone()>
                            {match lang { Lang::Nb => c.nb.clone(), Lang::En => c.en.clone() }}
                        </th>
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {table.rows.into_iter().map(|row| {
                        let flagged = flag_col.is_some_and(|i| row.get(i).is_some_and(|v| v == "true"));
                        view! {
                            <tr class:flagged=flagged>
                                {row.iter().zip(&columns).enumerate().map(|(i, (raw, c))| {
                                    let text = if c.key == "flagged" {
                                        if raw == "true" { YES.get(lang).to_string() } else { String::new() }
                                    } else if i < keys {
                                        label(raw, lang)
                                    } else {
                                        shown(raw, c.decimals, lang)
                                    };
                                    if i < keys {
                                        view! { <th scope="row" data-v=raw.clone()>{text}</th> }.into_any()
                                    } else {
                                        view! { <td class:num=c.decimals.is_some() data-v=raw.clone()>{text}</td> }.into_any()
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </details>
    }
}
