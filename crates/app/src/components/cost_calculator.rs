//! The cost calculator of the acute loop (issue 8, seed 003): patients, admissions and the prices
//! of one round typed in, the seed's appendix table out — for teachers and planners, with no
//! data loaded. The numbers come from the engine's own cost model
//! (`forlop_core::modules::door::cost`), the one `door.cost` uses.

use crate::AppState;
use forlop_core::modules::door::cost::CostModel;
use forlop_core::text::Text;
use leptos::prelude::*;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

const TITLE: Text = t(
    "Kostnadskalkulator: akuttloopen",
    "Cost calculator: the acute loop",
);
const HELP: Text = t(
    "Skriv inn antall svingdørspasienter, innleggelser og prisene (forhåndsutfylt med Øyane DPS' tall for 2020). Trenger ingen data.",
    "Type the number of revolving-door patients, admissions and the prices (prefilled with Øyane DPS's 2020 figures). Needs no data.",
);

/// A number field of the calculator.
struct Field {
    id: &'static str,
    label: Text,
    step: &'static str,
}

/// Parses a typed number: decimal comma or point, spaces ignored; `None` when it is not one.
fn parse(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// The calculator, folded until opened.
#[component]
pub fn CostCalculator() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let defaults = CostModel::default();
    // Askøy 2020 (seed 003's appendix).
    let patients = RwSignal::new(15.0);
    let admissions = RwSignal::new(75.0);
    let day_price = RwSignal::new(defaults.pam_day_price);
    let stay_days = RwSignal::new(defaults.mean_stay_days);
    let ambulance = RwSignal::new(defaults.ambulance_trip);
    let trips = RwSignal::new(f64::from(defaults.ambulance_trips));
    let oohs = RwSignal::new(defaults.out_of_hours_consultation);
    let police = RwSignal::new(defaults.police);

    let model = move || CostModel {
        pam_day_price: day_price.get(),
        mean_stay_days: stay_days.get(),
        real_stay_length: false,
        ambulance_trip: ambulance.get(),
        ambulance_trips: trips.get().round() as u32,
        out_of_hours_consultation: oohs.get(),
        police: police.get(),
    };
    let breakdown = move || model().breakdown(patients.get() as u64, admissions.get() as u64);

    let inputs: Vec<(Field, RwSignal<f64>)> = vec![
        (
            Field {
                id: "calc-patients",
                label: t("Svingdørspasienter", "Revolving-door patients"),
                step: "1",
            },
            patients,
        ),
        (
            Field {
                id: "calc-admissions",
                label: t("Innleggelser i alt", "Admissions in all"),
                step: "1",
            },
            admissions,
        ),
        (
            Field {
                id: "calc-day-price",
                label: t("Døgnpris PAM (kr)", "PAM day price (NOK)"),
                step: "any",
            },
            day_price,
        ),
        (
            Field {
                id: "calc-stay-days",
                label: t(
                    "Gjennomsnittlig liggetid (døgn)",
                    "Mean length of stay (days)",
                ),
                step: "any",
            },
            stay_days,
        ),
        (
            Field {
                id: "calc-ambulance",
                label: t("Ambulansetur (kr)", "Ambulance trip (NOK)"),
                step: "any",
            },
            ambulance,
        ),
        (
            Field {
                id: "calc-trips",
                label: t("Ambulanseturer per runde", "Ambulance trips per round"),
                step: "1",
            },
            trips,
        ),
        (
            Field {
                id: "calc-oohs",
                label: t(
                    "Legevakt med sårbehandling (kr)",
                    "Out-of-hours consultation with wound care (NOK)",
                ),
                step: "any",
            },
            oohs,
        ),
        (
            Field {
                id: "calc-police",
                label: t("Politi, 2 patruljer (kr)", "Police, 2 patrols (NOK)"),
                step: "any",
            },
            police,
        ),
    ];
    let fields = inputs
        .into_iter()
        .map(|(f, signal)| {
            view! {
                <div class="field">
                    <label for=f.id>{move || f.label.get(lang.get())}</label>
                    <input
                        id=f.id
                        type="number"
                        min="0"
                        step=f.step
                        prop:value=move || signal.get().to_string()
                        on:input=move |ev| {
                            if let Some(v) = parse(&event_target_value(&ev)) {
                                signal.set(v);
                            }
                        }
                    />
                </div>
            }
        })
        .collect_view();

    let kr = move |v: f64| crate::fmt::number(v, 0, lang.get());
    let row = move |id: &'static str, label: Text, value: Box<dyn Fn() -> String + Send + Sync>| {
        view! {
            <tr>
                <th scope="row">{move || label.get(lang.get())}</th>
                <td class="num" id=id>{value}</td>
            </tr>
        }
    };
    view! {
        <details class="card calculator" id="cost-calculator">
            <summary>{move || TITLE.get(lang.get())}</summary>
            <p>{move || HELP.get(lang.get())}</p>
            <div class="calculator-grid">{fields}</div>
            <table class="calculator-table">
                <tbody>
                    {row("calc-out-per-patient", t("Innleggelser per pasient", "Admissions per patient"),
                        Box::new(move || breakdown().admissions_per_patient.map_or("–".into(), |v| crate::fmt::number(v, 1, lang.get()))))}
                    {row("calc-out-pam", t("Pris PAM per innleggelse (kr)", "PAM price per admission (NOK)"),
                        Box::new(move || kr(breakdown().pam_per_admission)))}
                    {row("calc-out-other", t("Pris andre tjenester i akuttloopen (kr)", "Other services of the acute loop (NOK)"),
                        Box::new(move || kr(breakdown().other_services)))}
                    {row("calc-out-round", t("Pris per runde i akuttloopen (kr)", "Price per round of the acute loop (NOK)"),
                        Box::new(move || kr(breakdown().per_round)))}
                    {row("calc-out-cost-per-patient", t("Kostnad per pasient (kr)", "Cost per patient (NOK)"),
                        Box::new(move || breakdown().per_patient.map_or("–".into(), kr)))}
                    {row("calc-out-total", t("Kostnad alle pasienter (kr)", "Cost of all patients (NOK)"),
                        Box::new(move || kr(breakdown().total)))}
                </tbody>
            </table>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forlop_core::text::Lang;

    #[test]
    fn typed_numbers_accept_comma_and_spaces_and_refuse_nonsense() {
        assert_eq!(parse("13 448"), Some(13_448.0));
        assert_eq!(parse("2,5"), Some(2.5));
        assert_eq!(parse("2.5"), Some(2.5));
        assert_eq!(parse("13\u{202F}448"), Some(13_448.0));
        assert_eq!(parse("-1"), None);
        assert_eq!(parse("abc"), None);
    }

    #[test]
    fn lang_is_used_for_every_text() {
        for text in [TITLE, HELP] {
            assert_ne!(text.get(Lang::Nb), text.get(Lang::En));
        }
    }
}
