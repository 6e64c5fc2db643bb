//! When the acute loop turns (issue 8, seed 003: "76 % of admissions to the psychiatric
//! emergency unit happen outside office hours"): every acute PAM admission of the year by hour of
//! admission and by weekday, at country level, as two bar charts. Shown under the revolving-door
//! module. The bars are `<meter>` elements — drawn by the browser, readable by a screen reader,
//! and allowed by the page's Content-Security-Policy (no inline styles); a suppressed bin shows
//! "–" and no bar, never 0.

use crate::protocol::ReportView;
use crate::selection::Selection;
use crate::AppState;
use forlop_core::module::DistributionAxis;
use forlop_core::text::{Lang, Text};
use leptos::prelude::*;

const fn t(nb: &'static str, en: &'static str) -> Text {
    Text { nb, en }
}

const WEEKDAYS: [Text; 7] = [
    t("mandag", "Monday"),
    t("tirsdag", "Tuesday"),
    t("onsdag", "Wednesday"),
    t("torsdag", "Thursday"),
    t("fredag", "Friday"),
    t("lørdag", "Saturday"),
    t("søndag", "Sunday"),
];

/// The label of a bin: `02:00–02:59`, or a weekday.
fn bin_label(axis: DistributionAxis, bin: usize, lang: Lang) -> String {
    match axis {
        DistributionAxis::HourOfDay => format!("{bin:02}:00–{bin:02}:59"),
        DistributionAxis::Weekday => WEEKDAYS
            .get(bin)
            .map_or(String::new(), |d| d.get(lang).to_string()),
    }
}

/// The door module's distribution along `axis`, when shown.
fn bins(report: &ReportView, module: usize, axis: DistributionAxis) -> Option<Vec<Option<u64>>> {
    let m = report.modules.get(module)?;
    if m.id != "door" || !m.computed() {
        return None;
    }
    m.distributions
        .iter()
        .find(|(a, _)| *a == axis)
        .map(|(_, b)| b.clone())
}

/// Both charts, only while the revolving-door module is shown.
#[component]
pub fn DoorTimes() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sel = expect_context::<Selection>();
    let lang = state.lang;
    let chart = move |axis: DistributionAxis, id: &'static str, title: Text| {
        move || {
            let l = lang.get();
            let bins = state
                .report
                .with(|r| r.as_ref().and_then(|r| bins(r, sel.module.get(), axis)))?;
            let max = bins.iter().flatten().copied().max().unwrap_or(0).max(1);
            Some(view! {
                <figure class="door-times" id=id>
                    <figcaption>{title.get(l)}</figcaption>
                    <table>
                        <tbody>
                            {bins.into_iter().enumerate().map(|(b, n)| {
                                let label = bin_label(axis, b, l);
                                view! {
                                    <tr>
                                        <th scope="row">{label}</th>
                                        <td>{n.map(|n| view! { <meter min="0" max=max.to_string() value=n.to_string()></meter> })}</td>
                                        <td class="num">{n.map_or("–".to_string(), |n| crate::fmt::count(n, l))}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </figure>
            })
        }
    };
    view! {
        <div class="door-times-pair">
            {chart(DistributionAxis::HourOfDay, "door-times-hour",
                t("Akutte PAM-innleggelser etter klokkeslett (landet)", "Acute PAM admissions by hour of day (country)"))}
            {chart(DistributionAxis::Weekday, "door-times-weekday",
                t("Akutte PAM-innleggelser etter ukedag (landet)", "Acute PAM admissions by weekday (country)"))}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_labelled_by_hour_and_weekday() {
        assert_eq!(
            bin_label(DistributionAxis::HourOfDay, 2, Lang::Nb),
            "02:00–02:59"
        );
        assert_eq!(bin_label(DistributionAxis::Weekday, 0, Lang::En), "Monday");
        assert_eq!(bin_label(DistributionAxis::Weekday, 6, Lang::Nb), "søndag");
    }
}
