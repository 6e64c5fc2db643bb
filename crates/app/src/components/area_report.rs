//! "My area": the chooser (kept in the URL, `?area=<level>:<area>`, see
//! [`crate::selection::my_area`]) and the area report — every indicator of every computed module
//! for that area beside its health community, its health region and the country.

use crate::i18n::{tr, Key};
use crate::protocol::ReportView;
use crate::selection::{level_label, series_for, set_my_area};
use crate::AppState;
use forlop_core::output::{Cell, Level};
use forlop_core::text::Lang;
use leptos::prelude::*;

/// The index of "my area" in the report, when it is one of its areas.
pub fn my_area_index(report: &ReportView, mine: &Option<(Level, String)>) -> Option<usize> {
    let (level, name) = mine.as_ref()?;
    report.find_area(*level, name)
}

/// The areas a report sets beside "my area": itself, its health community, its region and the
/// country (each once, from the finest).
pub fn comparison_areas(report: &ReportView, area: usize) -> Vec<usize> {
    let mut out = vec![area];
    for level in [Level::HealthCommunity, Level::Region, Level::Country] {
        if let Some(a) = report.area_within(area, level) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// A value as shown in the area report: formatted, "–" where suppressed or not estimable.
pub fn cell_text(id: &str, cell: Option<Cell>, lang: Lang) -> (String, String) {
    match cell {
        Some(Cell::Value { value, .. }) => (
            crate::meta::format_value(crate::meta::unit_kind(id), value, lang),
            value.to_string(),
        ),
        Some(_) => ("–".to_string(), String::new()),
        None => (String::new(), String::new()),
    }
}

/// The group an overview shows for a module: its first base group, not split.
pub fn whole_cohort_group(decl: &forlop_core::module::ModuleDecl) -> usize {
    series_for(decl, &[0], false).first().copied().unwrap_or(0)
}

/// Chooses "my area" among the report's municipalities, health communities and regions; the
/// choice goes into the URL only.
#[component]
pub fn MyAreaPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let choose = move |value: String| {
        let area = value
            .split_once(':')
            .and_then(|(l, a)| Some((Level::parse(l)?, a.to_string())));
        set_my_area(area.as_ref().map(|(l, a)| (*l, a.as_str())));
        state.my_area.set(area);
    };
    let missing = move || {
        let mine = state.my_area.get()?;
        let found = state.report.with(|r| {
            r.as_ref()
                .map(|r| my_area_index(r, &Some(mine.clone())).is_some())
        });
        (found == Some(false)).then(|| {
            let l = lang.get();
            format!(
                "{} {} {}",
                tr(Key::MyAreaMissing, l),
                level_label(mine.0, l),
                mine.1
            )
        })
    };
    view! {
        <div class="field my-area">
            <label for="my-area">{move || tr(Key::MyArea, lang.get())}</label>
            <select id="my-area" aria-describedby="my-area-help"
                on:change=move |ev| choose(event_target_value(&ev))>
                <option value="" selected=move || state.my_area.get().is_none()>{move || tr(Key::MyAreaNone, lang.get())}</option>
                {move || {
                    let l = lang.get();
                    let mine = state.my_area.get();
                    state.report.with(|r| {
                        let r = r.as_ref()?;
                        Some([Level::Municipality, Level::HealthCommunity, Level::Region].into_iter().filter_map(|level| {
                            let areas = r.areas_at(level);
                            (!areas.is_empty()).then(|| view! {
                                <optgroup label=level_label(level, l)>
                                    {areas.into_iter().map(|a| {
                                        let name = r.areas[a].name.clone();
                                        let selected = mine.as_ref().is_some_and(|(ml, mn)| *ml == level && *mn == name);
                                        view! { <option value=format!("{}:{name}", level.as_str()) selected=selected>{r.area_label(a, l)}</option> }
                                    }).collect_view()}
                                </optgroup>
                            })
                        }).collect_view())
                    })
                }}
            </select>
            <small id="my-area-help">{move || tr(Key::MyAreaHelp, lang.get())}</small>
            {move || missing().map(|m| view! { <p class="warn" id="my-area-missing" role="status">{m}</p> })}
        </div>
    }
}

/// The area report: for "my area", every indicator of every computed module beside its health
/// community, region and the country, for the year shown.
#[component]
pub fn AreaReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    view! {
        <section class="card area-report" id="area-report" aria-labelledby="area-report-heading">
            <h3 id="area-report-heading">{move || tr(Key::AreaReportHeading, lang.get())}
                {move || {
                    let l = lang.get();
                    let mine = state.my_area.get();
                    state.report.with(|r| {
                        let r = r.as_ref()?;
                        let a = my_area_index(r, &mine)?;
                        Some(format!(": {} · {}", r.area_label(a, l), r.settings.year))
                    })
                }}
            </h3>
            {move || {
                let l = lang.get();
                let mine = state.my_area.get();
                // Every computed module, once the modules after the shown one are in.
                state.rest_arrived.track();
                state.report.with(|r| {
                    let r = r.as_ref()?;
                    let Some(a) = my_area_index(r, &mine) else {
                        return Some(view! { <p id="area-report-choose">{tr(Key::AreaReportChoose, l)}</p> }.into_any());
                    };
                    let cols = comparison_areas(r, a);
                    Some(view! {
                        <p>{tr(Key::AreaReportIntro, l)}</p>
                        {r.modules.iter().enumerate().filter(|(_, m)| m.computed()).filter_map(|(mi, m)| {
                            let decl = m.decl()?;
                            let group = whole_cohort_group(decl);
                            let results = r.results_of(mi);
                            (!results.is_empty()).then(|| view! {
                                <h4>{decl.title.get(l).to_string()}</h4>
                                <table class="data area-table" data-module=decl.id>
                                    <thead><tr>
                                        <th scope="col">{tr(Key::Indicator, l)}</th>
                                        {cols.iter().enumerate().map(|(i, &c)| {
                                            let label = r.area_label(c, l);
                                            let label = if i == 0 { format!("{label} {}", tr(Key::MyAreaMarker, l)) } else { label };
                                            view! { <th scope="col" class="num" data-level=r.areas[c].level.as_str()>{label}</th> }
                                        }).collect_view()}
                                    </tr></thead>
                                    <tbody>
                                        {results.into_iter().map(|res| {
                                            let id = r.results[res].id.clone();
                                            view! {
                                                <tr data-indicator=id.clone()>
                                                    <th scope="row">{crate::meta::info(&id, l).title}</th>
                                                    {cols.iter().enumerate().map(|(i, &c)| {
                                                        let (text, raw) = cell_text(&id, r.cell(&r.results[res], group, c), l);
                                                        view! { <td class="num" class:mine=i == 0 data-value=raw>{text}</td> }
                                                    }).collect_view()}
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })
                        }).collect_view()}
                    }.into_any())
                })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{AreaView, Grid, ResultView};

    #[test]
    fn my_area_stands_beside_its_health_community_region_and_country() {
        let area = |level, name: &str, region, hc| AreaView {
            level,
            name: name.into(),
            municipality_name: None,
            region,
            health_community: hc,
        };
        let report = ReportView {
            areas: vec![
                area(Level::Country, "NO", None, None),
                area(Level::Region, "Vest", None, None),
                area(Level::HealthCommunity, "Bergen HF", Some(1), None),
                area(Level::Municipality, "4601", Some(1), Some(2)),
            ],
            results: vec![ResultView {
                id: "smi.patients".into(),
                module: 0,
                cells: Grid::default(),
                intervals: Default::default(),
                variation: Vec::new(),
            }],
            ..ReportView::default()
        };
        let mine = Some((Level::Municipality, "4601".to_string()));
        assert_eq!(my_area_index(&report, &mine), Some(3));
        assert_eq!(comparison_areas(&report, 3), vec![3, 2, 1, 0]);
        // A health community: itself, its region, the country.
        assert_eq!(comparison_areas(&report, 2), vec![2, 1, 0]);
        assert_eq!(
            my_area_index(&report, &Some((Level::Municipality, "0301".into()))),
            None
        );
        assert_eq!(report.area_within(3, Level::Municipality), Some(3));
        assert_eq!(report.area_within(2, Level::Municipality), None);
    }
}
