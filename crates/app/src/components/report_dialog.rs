//! "Download report": a small panel to choose the modules and the area of the HTML report
//! (`crate::html_report`, made in the worker). The area starts at `?area=<level>:<area>`.

use crate::i18n::{tr, Key};
use crate::protocol::{ReportRequest, ToWorker};
use crate::selection::level_label;
use crate::AppState;
use forlop_core::output::Level;
use leptos::prelude::*;

/// `level:area`, the value of an area's option.
fn option_value(level: Level, name: &str) -> String {
    format!("{}:{name}", level.as_str())
}

/// The page's local time as `YYYY-MM-DD HH:MM`.
fn now_text() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The report panel, under the results' controls.
#[component]
pub fn ReportDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let busy = move || state.busy.get().is_some();
    // Modules the user switched off (so a new report keeps every other module on).
    let off = RwSignal::new(Vec::<String>::new());
    let from_url = state
        .my_area
        .get_untracked()
        .map(|(l, a)| option_value(l, &a));
    let area = RwSignal::new(from_url.unwrap_or_default());
    let modules = Memo::new(move |_| {
        state.rest_arrived.track();
        state.report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.modules
                        .iter()
                        .filter(|m| m.computed())
                        .map(|m| m.id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let download = move |_| {
        let chosen: Vec<String> = modules
            .get_untracked()
            .into_iter()
            .filter(|id| !off.get_untracked().contains(id))
            .collect();
        let area = area.get_untracked();
        let area = area
            .split_once(':')
            .and_then(|(l, a)| Some((Level::parse(l)?, a.to_string())));
        let request = ReportRequest {
            modules: chosen,
            area,
            lang: lang.get_untracked(),
            made: now_text(),
            quality: state.load.get_untracked(),
        };
        state.run(ToWorker::HtmlReport(Box::new(request)), None);
    };
    view! {
        <details class="card no-print" id="report-dialog">
            <summary>{move || tr(Key::ReportHeading, lang.get())}</summary>
            <p>{move || tr(Key::ReportIntro, lang.get())}</p>
            <fieldset class="field">
                <legend>{move || tr(Key::ReportModules, lang.get())}</legend>
                {move || modules.get().into_iter().map(|id| {
                    let input_id = format!("report-module-{id}");
                    let for_id = input_id.clone();
                    let title = forlop_core::modules::find(&id).map(|d| d.title);
                    let label = id.clone();
                    let id_check = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input type="checkbox" id=input_id
                                prop:checked=move || !off.get().contains(&id_check)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    off.update(|o| {
                                        o.retain(|x| *x != id);
                                        if !on { o.push(id.clone()); }
                                    });
                                } />
                            {move || title.map_or_else(|| label.clone(), |t| t.get(lang.get()).to_string())}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="report-area">{move || tr(Key::ReportArea, lang.get())}</label>
                <select id="report-area" on:change=move |ev| area.set(event_target_value(&ev))>
                    <option value="" selected=move || area.get().is_empty()>{move || tr(Key::ReportCountry, lang.get())}</option>
                    {move || {
                        let l = lang.get();
                        let r = state.report.get().unwrap_or_default();
                        [Level::Region, Level::HealthCommunity, Level::Municipality].into_iter().map(|lv| {
                            let options = r.areas_at(lv).into_iter().map(|a| {
                                let value = option_value(lv, &r.areas[a].name);
                                let selected = area.get_untracked() == value;
                                view! { <option value=value selected=selected>{r.area_label(a, l)}</option> }
                            }).collect_view();
                            view! { <optgroup label=level_label(lv, l)>{options}</optgroup> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <button type="button" class="primary" id="report-download" disabled=busy on:click=download>
                {move || tr(Key::ReportButton, lang.get())}
            </button>
        </details>
    }
}
