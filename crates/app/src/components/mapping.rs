//! The mapping screen: columns that were not recognised and code values not in the canonical
//! lists, mapped by the user into a `MappingProfile` (the engine's type), which can be saved and
//! loaded as a small JSON file. The engine applies it; this screen only edits it.

use crate::i18n::{tr, Key};
use crate::protocol::{Bilingual, MappingNeed, ToWorker};
use crate::AppState;
use forlop_core::ingest::{columns, MappingProfile};
use forlop_core::text::Lang;
use leptos::prelude::*;

/// At most this many unknown values are offered per column.
const MAX_VALUES: usize = 25;

fn kind_name(need: &MappingNeed) -> String {
    need.kind
        .map(|k| k.canonical_name().to_string())
        .unwrap_or_default()
}

/// Maps the file header `header` to the canonical `column` in `profile` (empty `column` = clear
/// the header's mapping). A column is claimed by one header: an earlier choice of another header
/// for the same column is dropped.
pub fn set_column(profile: &mut MappingProfile, table: &str, header: &str, column: &str) {
    let t = profile.columns.entry(table.to_string()).or_default();
    t.remove(header);
    if !column.is_empty() {
        t.retain(|_, c| c != column);
        t.insert(header.to_string(), column.to_string());
    }
    if t.is_empty() {
        profile.columns.remove(table);
    }
}

/// Sets or clears one value mapping in `profile` (`table.column` → raw → code).
pub fn set_value(profile: &mut MappingProfile, table: &str, column: &str, raw: &str, code: &str) {
    let key = format!("{table}.{column}");
    let t = profile.values.entry(key.clone()).or_default();
    if code.trim().is_empty() {
        t.remove(raw);
    } else {
        t.insert(raw.to_string(), code.trim().to_string());
    }
    if t.is_empty() {
        profile.values.remove(&key);
    }
}

/// The panel: shown when files need mapping, and always offers load/save of a profile.
#[component]
pub fn MappingPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let draft = RwSignal::new(state.read_options.get_untracked().mapping);
    let busy = move || state.busy.get().is_some();
    let apply = move || {
        let Some(load) = state.load.get_untracked() else {
            return;
        };
        state
            .read_options
            .update(|o| o.mapping = draft.get_untracked());
        let job = ToWorker::Reread {
            kinds: load.files.iter().map(|f| f.kind).collect(),
            options: state.read_options.get_untracked(),
            settings: state.settings(),
            year_override: state.year_override.get_untracked(),
        };
        state.run(job, None);
    };
    let save = move |_| {
        let json = serde_json::to_string_pretty(&draft.get_untracked()).unwrap_or_default();
        let _ =
            crate::export::download_text(&json, "application/json", "forlop-mapping-profile.json");
    };
    let open = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            // A mapping profile is a few kB of JSON: reading it as text is fine.
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            match serde_json::from_str::<MappingProfile>(&text) {
                Ok(p) => {
                    draft.set(p);
                    if state.load.get_untracked().is_some() {
                        apply();
                    } else {
                        state
                            .read_options
                            .update(|o| o.mapping = draft.get_untracked());
                    }
                }
                Err(e) => state.error.set(Some(Bilingual {
                    nb: format!(
                        "{}: {} ({e})",
                        tr(Key::MappingLoadFailed, Lang::Nb),
                        file.name()
                    ),
                    en: format!(
                        "{}: {} ({e})",
                        tr(Key::MappingLoadFailed, Lang::En),
                        file.name()
                    ),
                })),
            }
        });
    };
    let needs = move || {
        state
            .load
            .with(|l| l.as_ref().map(|l| l.mapping.clone()).unwrap_or_default())
    };
    view! {
        <section class="card mapping" id="mapping" aria-labelledby="mapping-heading">
            <h2 id="mapping-heading">{move || tr(Key::MappingHeading, lang.get())}</h2>
            {move || (!needs().is_empty()).then(|| view! { <p>{tr(Key::MappingIntro, lang.get())}</p> })}
            {move || needs().into_iter().map(|need| view! { <NeedView need draft /> }).collect_view()}
            <div class="mapping-actions">
                {move || (!needs().is_empty()).then(|| view! {
                    <button id="mapping-apply" type="button" class="primary" disabled=busy on:click=move |_| apply()>
                        {tr(Key::MappingApply, lang.get())}
                    </button>
                })}
                <button id="mapping-save" type="button" on:click=save>{move || tr(Key::MappingSave, lang.get())}</button>
                <input id="mapping-file" class="visually-hidden" type="file" accept=".json,application/json" on:change=open />
                <label for="mapping-file" class="button-like secondary">{move || tr(Key::MappingLoad, lang.get())}</label>
            </div>
        </section>
    }
}

/// One file's needs.
#[component]
fn NeedView(
    /// What the file needs.
    need: MappingNeed,
    /// The profile being edited.
    draft: RwSignal<MappingProfile>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let table = kind_name(&need);
    let missing = need.missing_required.clone();
    let headers = need.unmatched_headers.clone();
    let title = match need.kind {
        Some(k) => format!("{} ({})", need.name, k.canonical_name()),
        None => need.name.clone(),
    };
    let file_id = need.name.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let missing_view = (!missing.is_empty()).then(|| {
        view! {
            <p class="label missing">
                {move || tr(Key::MappingMissing, lang.get())}" "
                {missing.iter().map(|c| view! { <code>{c.clone()}</code>" " }).collect_view()}
            </p>
        }
    });
    // Every canonical column of the file's table is offered for each header that matched none,
    // so an optional column under a local name (e.g. `hastegrad_kode` → urgency) can be mapped
    // as well as a missing required one.
    let table_c = table.clone();
    let columns_view = (!headers.is_empty()).then(move || match need.kind {
        None => view! { <p class="label">{move || tr(Key::MappingChooseKind, lang.get())}</p> }
            .into_any(),
        Some(kind) => view! {
            <p class="label">{move || tr(Key::MappingUnknown, lang.get())}</p>
            {headers.into_iter().map(|header| {
                let id = format!(
                    "map-{file_id}-{}",
                    header.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                );
                let label_for = id.clone();
                let table = table_c.clone();
                let header_set = header.clone();
                view! {
                    <div class="field inline">
                        <label for=label_for><code>{header.clone()}</code></label>
                        <select id=id on:change=move |ev| {
                            let column = event_target_value(&ev);
                            draft.update(|p| set_column(p, &table, &header_set, &column));
                        }>
                            <option value="">{move || tr(Key::MappingNoColumn, lang.get())}</option>
                            {columns(kind).iter().map(|c| {
                                let label = if c.required { format!("{} *", c.name) } else { c.name.to_string() };
                                view! { <option value=c.name>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
        }
        .into_any(),
    });
    let values_view = (!need.unrecognised.is_empty()).then(move || {
        view! {
            <p class="label">{move || tr(Key::MappingValues, lang.get())}</p>
            {need.unrecognised.into_iter().map(|u| {
                let (column, header, values) = (u.column, u.header, u.values);
                let table = table.clone();
                view! {
                    <fieldset class="field">
                        <legend><code>{column.clone()}</code>" ("{header}")"</legend>
                        {values.into_iter().take(MAX_VALUES).map(|(raw, rows)| {
                            let table = table.clone();
                            let column = column.clone();
                            let raw_set = raw.clone();
                            view! {
                                <label class="value-map">
                                    <code>{raw.clone()}</code>
                                    <small>{move || format!("{} {}", crate::fmt::count(rows, lang.get()), tr(Key::MappingRows, lang.get()))}</small>
                                    <input type="text" size="14" on:change=move |ev| {
                                        let code = event_target_value(&ev);
                                        draft.update(|p| set_value(p, &table, &column, &raw_set, &code));
                                    } />
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
        }
    });
    view! {
        <div class="need">
            <h3>{title}</h3>
            {missing_view}
            {columns_view}
            {values_view}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_edits_set_replace_and_clear() {
        let mut p = MappingProfile::default();
        set_column(&mut p, "episodes", "innd", "admit_date");
        set_column(&mut p, "episodes", "inndato2", "admit_date"); // replaces the first choice
        assert_eq!(p.columns["episodes"].len(), 1);
        assert_eq!(p.columns["episodes"]["inndato2"], "admit_date");
        set_column(&mut p, "episodes", "inndato2", "urgency"); // the header changes its column
        assert_eq!(p.columns["episodes"].len(), 1);
        assert_eq!(p.columns["episodes"]["inndato2"], "urgency");
        set_column(&mut p, "episodes", "inndato2", "");
        assert!(p.columns.is_empty());
        set_value(&mut p, "episodes", "sector", "PSYK", " PHV ");
        assert_eq!(p.values["episodes.sector"]["PSYK"], "PHV");
        set_value(&mut p, "episodes", "sector", "PSYK", "");
        assert!(p.values.is_empty());
        // The JSON is the engine's own format (deny_unknown_fields), so it loads back.
        set_value(&mut p, "episodes", "sector", "PSYK", "PHV");
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<MappingProfile>(&json).unwrap(), p);
    }
}
