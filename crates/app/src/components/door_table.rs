//! The revolving-door table in seed 003's layout (issue 8): one row per municipality with
//! revolving-door patients — patients, admissions, admissions per patient, more than 5, more than
//! 10, both years, cost per patient, cost in all — with the acute loop's prices editable beside
//! it and the two cost columns following them at once. Shown under the revolving-door module.
//!
//! The counts are the engine's cells (suppressed where the engine suppressed them). The costs are
//! the admissions times the price of one round typed here (the engine's cost model at the mean
//! length of stay), so a suppressed admissions cell gives suppressed costs.

use crate::protocol::ReportView;
use crate::selection::Selection;
use crate::AppState;
use forlop_core::modules::door::cost::CostModel;
use forlop_core::output::{Cell, Level};
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

/// The columns taken from the engine, in the seed's order.
const COUNTS: [(&str, Text); 6] = [
    ("door.patients", t("Pasienter", "Patients")),
    ("door.admissions", t("Innleggelser", "Admissions")),
    (
        "door.admissions_per_patient",
        t("Per pasient", "Per patient"),
    ),
    ("door.patients_over_5", t("> 5", "> 5")),
    ("door.patients_over_10", t("> 10", "> 10")),
    ("door.both_years", t("Begge år", "Both years")),
];

/// One row of the table: the area's label and its cells in [`COUNTS`] order.
struct Row {
    label: String,
    cells: Vec<Option<Cell>>,
}

/// The rows: the country, then every municipality whose patients cell is not a plain 0, most
/// patients first.
fn rows(report: &ReportView, lang: Lang) -> Vec<Row> {
    let results: Vec<Option<usize>> = COUNTS
        .iter()
        .map(|(id, _)| report.results.iter().position(|r| r.id == *id))
        .collect();
    let cells_of = |area: usize| -> Vec<Option<Cell>> {
        results
            .iter()
            .map(|r| r.and_then(|i| report.cell(&report.results[i], 0, area)))
            .collect()
    };
    let patients = |cells: &[Option<Cell>]| match cells.first().copied().flatten() {
        Some(Cell::Value { value, .. }) => value,
        Some(Cell::Suppressed(_)) => 0.5,
        _ => 0.0,
    };
    let mut munis: Vec<(f64, Row)> = report
        .areas_at(Level::Municipality)
        .into_iter()
        .map(|a| {
            let cells = cells_of(a);
            (
                patients(&cells),
                Row {
                    label: report.area_label(a, lang),
                    cells,
                },
            )
        })
        .filter(|(p, _)| *p > 0.0)
        .collect();
    munis.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<Row> = report
        .areas_at(Level::Country)
        .into_iter()
        .map(|a| Row {
            label: report.area_label(a, lang),
            cells: cells_of(a),
        })
        .collect();
    out.extend(munis.into_iter().map(|(_, r)| r));
    out
}

/// A cell as shown: the number (one decimal for admissions per patient), `–` when suppressed.
fn show(cell: Option<Cell>, decimals: usize, lang: Lang) -> String {
    match cell.and_then(|c| c.value()) {
        Some(v) => crate::fmt::number(v, decimals, lang),
        None => "–".to_string(),
    }
}

/// The number behind a count cell, when it is shown.
fn number(cell: Option<Cell>) -> Option<f64> {
    cell.and_then(|c| c.value())
}

/// The table with its prices, only while the revolving-door module is shown.
#[component]
pub fn DoorTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let defaults = CostModel::default();
    let day_price = RwSignal::new(defaults.pam_day_price);
    let stay_days = RwSignal::new(defaults.mean_stay_days);
    let others = RwSignal::new(defaults.other_services());
    let per_round = move || day_price.get() * stay_days.get() + others.get();

    let shown = move || {
        state.report.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.modules
                    .get(sel.module.get())
                    .is_some_and(|m| m.id == "door" && m.computed())
            })
        })
    };
    let price = move |id: &'static str, label: Text, signal: RwSignal<f64>| {
        view! {
            <div class="field">
                <label for=id>{move || label.get(lang.get())}</label>
                <input id=id type="number" min="0" step="any"
                    prop:value=move || signal.get().to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).replace(',', ".").parse::<f64>() {
                            if v.is_finite() && v >= 0.0 { signal.set(v) }
                        }
                    } />
            </div>
        }
    };
    view! {
        <Show when=shown>
            <section class="card door-table" id="door-table" aria-labelledby="door-table-heading">
                <h3 id="door-table-heading">{move || t("Svingdørspasienter per kommune", "Revolving-door patients by municipality").get(lang.get())}</h3>
                <p>{move || t(
                    "Som i vedlegget til Øyane DPS' rapport. Kostnadene er innleggelser × pris per runde i akuttloopen med prisene under (gjennomsnittlig liggetid).",
                    "As in the appendix of Øyane DPS's report. The costs are admissions × the price of one round of the acute loop with the prices below (mean length of stay).",
                ).get(lang.get())}</p>
                <div class="calculator-grid">
                    {price("door-day-price", t("Døgnpris PAM (kr)", "PAM day price (NOK)"), day_price)}
                    {price("door-stay-days", t("Gjennomsnittlig liggetid (døgn)", "Mean length of stay (days)"), stay_days)}
                    {price("door-others", t("Andre tjenester per runde (kr)", "Other services per round (NOK)"), others)}
                    <div class="field">
                        <span class="label">{move || t("Pris per runde (kr)", "Price per round (NOK)").get(lang.get())}</span>
                        <strong id="door-per-round">{move || crate::fmt::number(per_round(), 0, lang.get())}</strong>
                    </div>
                </div>
                <div class="table-scroll">
                <table class="door">
                    <thead><tr>
                        <th scope="col">{move || t("Område", "Area").get(lang.get())}</th>
                        {COUNTS.iter().map(|(_, label)| view! { <th scope="col" class="num">{move || label.get(lang.get())}</th> }).collect_view()}
                        <th scope="col" class="num">{move || t("Kostnad per pasient (kr)", "Cost per patient (NOK)").get(lang.get())}</th>
                        <th scope="col" class="num">{move || t("Kostnad i alt (kr)", "Cost in all (NOK)").get(lang.get())}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let l = lang.get();
                            let round = per_round();
                            state.report.with(|r| r.as_ref().map(|r| rows(r, l)).unwrap_or_default())
                                .into_iter()
                                .map(|row| {
                                    let total = number(row.cells[1]).map(|a| a * round);
                                    let per_patient = total.zip(number(row.cells[0]).filter(|p| *p > 0.0)).map(|(t, p)| t / p);
                                    let money = |v: Option<f64>| v.map_or("–".to_string(), |v| crate::fmt::number(v, 0, l));
                                    view! {
                                        <tr>
                                            <th scope="row">{row.label.clone()}</th>
                                            {row.cells.iter().enumerate().map(|(i, c)| {
                                                let decimals = if i == 2 { 1 } else { 0 };
                                                view! { <td class="num">{show(*c, decimals, l)}</td> }
                                            }).collect_view()}
                                            <td class="num door-cost-per-patient">{money(per_patient)}</td>
                                            <td class="num door-cost">{money(total)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
                </div>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppressed_cell_shows_a_dash_and_per_patient_one_decimal() {
        use forlop_core::output::SuppressReason;
        let v = Cell::Value {
            numerator: Some(75),
            denominator: Some(15),
            value: 5.0,
        };
        assert_eq!(show(Some(v), 1, Lang::En), "5.0");
        assert_eq!(
            show(Some(Cell::Suppressed(SuppressReason::Primary)), 0, Lang::En),
            "–"
        );
        assert_eq!(number(Some(v)), Some(5.0));
        assert_eq!(number(None), None);
    }
}
