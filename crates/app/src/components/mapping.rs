//! The mapping screen: columns that were not recognised and code values not in the canonical
//! lists, mapped by the user into a `MappingProfile` (the engine's type), which can be saved and
//! loaded as a small JSON file. The engine applies it; this screen only edits it.

use crate::i18n::{tr, Key};
use crate::protocol::{Bilingual, MappingNeed, ToWorker};
use crate::AppState;
use forlop_core::ingest::MappingProfile;
use forlop_core::text::Lang;
use leptos::prelude::*;

/// At most this many unknown values are offered per column.
const MAX_VALUES: usize = 25;

fn kind_name(need: &MappingNeed) -> String {
    need.kind
        .map(|k| k.canonical_name().to_string())
        .unwrap_or_default()
}

/// Sets or clears one column mapping in `profile`.
pub fn set_column(profile: &mut MappingProfile, table: &str, header: &str, column: &str) {
    let t = profile.columns.entry(table.to_string()).or_default();
    t.retain(|_, c| c != column);
    if !header.is_empty() {
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
    let table_c = table.clone();
    let columns_view = (!missing.is_empty()).then(move || {
        view! {
            <p class="label">{move || tr(Key::MappingMissing, lang.get())}</p>
            {missing.into_iter().map(|col| {
                let id = format!("map-{}-{}", need.name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"), col);
                let label_for = id.clone();
                let table = table_c.clone();
                let col_set = col.clone();
                view! {
                    <div class="field inline">
                        <label for=label_for><code>{col.clone()}</code></label>
                        <select id=id on:change=move |ev| {
                            let header = event_target_value(&ev);
                            draft.update(|p| set_column(p, &table, &header, &col_set));
                        }>
                            <option value="">{move || tr(Key::MappingNoColumn, lang.get())}</option>
                            {headers.iter().map(|h| view! { <option value=h.clone()>{h.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
        }
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
        set_column(&mut p, "episodes", "", "admit_date");
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
