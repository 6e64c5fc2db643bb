//! The data-quality panel: the totals in one line, per file rows read / used / rejected and its
//! table kind (which the user can correct), counts per problem, and the first examples with
//! file:line:column one click away (a closed `<details>`).

use crate::i18n::{tr, Key};
use crate::protocol::{LoadView, ToWorker};
use crate::AppState;
use forlop_core::model::TableKind;
use forlop_core::text::Lang;
use leptos::prelude::*;

/// The label of a table kind in the user's language (canonical and Norwegian file names).
pub fn kind_label(kind: TableKind, lang: Lang) -> String {
    match lang {
        Lang::Nb => format!("{} ({})", kind.norwegian_name(), kind.canonical_name()),
        Lang::En => format!("{} ({})", kind.canonical_name(), kind.norwegian_name()),
    }
}

fn parse_kind(s: &str) -> Option<TableKind> {
    TableKind::ALL.into_iter().find(|k| k.canonical_name() == s)
}

/// The panel, shown once files (or demo data) were read.
#[component]
pub fn QualityPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || state.load.get().map(|view| view! { <QualityView view /> })
}

/// The panel's contents.
#[component]
fn QualityView(
    /// The report to show.
    view: LoadView,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    // The user's corrections, one per file; start from what was recognised.
    let kinds = RwSignal::new(view.files.iter().map(|f| f.kind).collect::<Vec<_>>());
    let changed = RwSignal::new(false);
    let totals = view.files.iter().fold((0u64, 0u64, 0u64), |t, f| {
        (t.0 + f.rows_read, t.1 + f.rows_used, t.2 + f.rows_rejected)
    });
    let n_files = view.files.len() as u64;
    let n_problems: u64 = view.problems.iter().map(|p| p.count).sum();
    let files = view.files.clone();
    let problems = view.problems.clone();
    let examples = view.examples.clone();
    let examples_count = examples.len();
    let busy = move || state.busy.get().is_some();
    // The century rule for `DD.MM.YY` is offered when such dates were rejected (or a rule is in
    // use, so it can be changed or removed); it applies only once the user confirms it (spec).
    let ambiguous = problems.iter().any(|p| p.code == "ambiguous_century");
    let century_view = (ambiguous || state.read_options.get_untracked().century_pivot.is_some())
        .then(|| view! { <CenturyRule /> });
    let reread = move |_| {
        let job = ToWorker::Reread {
            kinds: kinds.get_untracked(),
            options: state.read_options.get_untracked(),
            settings: state.settings(),
            year_override: state.year_override.get_untracked(),
        };
        changed.set(false);
        state.run(job, None);
    };
    view! {
        <section class="quality card" id="quality" aria-labelledby="quality-heading">
            <h2 id="quality-heading">{move || tr(Key::QualityHeading, lang.get())}</h2>
            <p id="quality-totals">{move || {
                let l = lang.get();
                let c = |n: u64| crate::fmt::count(n, l);
                format!(
                    "{} {} · {}: {} · {}: {} · {}: {} · {}: {}",
                    c(n_files), tr(Key::QualityFiles, l),
                    tr(Key::QualityRead, l), c(totals.0),
                    tr(Key::QualityUsed, l), c(totals.1),
                    tr(Key::QualityRejected, l), c(totals.2),
                    tr(Key::QualityProblems, l), c(n_problems),
                )
            }}</p>
            <table class="data" id="quality-files">
                <thead><tr>
                    <th scope="col">{move || tr(Key::QualityFile, lang.get())}</th>
                    <th scope="col">{move || tr(Key::QualityKind, lang.get())}</th>
                    <th scope="col" class="num">{move || tr(Key::QualityRead, lang.get())}</th>
                    <th scope="col" class="num">{move || tr(Key::QualityUsed, lang.get())}</th>
                    <th scope="col" class="num">{move || tr(Key::QualityRejected, lang.get())}</th>
                </tr></thead>
                <tbody>
                    {files.into_iter().enumerate().map(|(i, f)| {
                        let name = f.name.clone();
                        let select_id = format!("kind-{i}");
                        let label_for = select_id.clone();
                        view! {
                            <tr>
                                <th scope="row">{f.name.clone()}</th>
                                <td>
                                    <label class="visually-hidden" for=label_for>
                                        {move || format!("{} {}", tr(Key::KindChange, lang.get()), name)}
                                    </label>
                                    <select id=select_id on:change=move |ev| {
                                        let k = parse_kind(&event_target_value(&ev));
                                        kinds.update(|ks| if let Some(slot) = ks.get_mut(i) { *slot = k });
                                        changed.set(true);
                                    }>
                                        <option value="" selected=f.kind.is_none()>
                                            {move || tr(Key::KindUnknown, lang.get())}
                                        </option>
                                        {TableKind::ALL.into_iter().map(|k| view! {
                                            <option value=k.canonical_name() selected=f.kind == Some(k)>
                                                {move || kind_label(k, lang.get())}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                </td>
                                <td class="num">{move || crate::fmt::count(f.rows_read, lang.get())}</td>
                                <td class="num">{move || crate::fmt::count(f.rows_used, lang.get())}</td>
                                <td class="num">{move || crate::fmt::count(f.rows_rejected, lang.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <button id="reread" type="button" disabled=move || !changed.get() || busy() on:click=reread>
                {move || tr(Key::Reread, lang.get())}
            </button>
            {century_view}
            {if problems.is_empty() {
                view! { <p id="quality-none">{move || tr(Key::QualityNone, lang.get())}</p> }.into_any()
            } else {
                view! {
                    <h3>{move || tr(Key::QualityProblems, lang.get())}</h3>
                    <table class="data" id="quality-problems">
                        <thead><tr>
                            <th scope="col">{move || tr(Key::QualityProblems, lang.get())}</th>
                            <th scope="col" class="num">{move || tr(Key::QualityCount, lang.get())}</th>
                        </tr></thead>
                        <tbody>
                            {problems.into_iter().map(|p| {
                                let text = p.text.clone();
                                view! {
                                <tr class:rejects=p.rejects>
                                    <td>
                                        <code>{p.code.clone()}</code>" "
                                        {move || match lang.get() { Lang::Nb => text.nb.clone(), Lang::En => text.en.clone() }}
                                    </td>
                                    <td class="num">{move || crate::fmt::count(p.count, lang.get())}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {(!examples.is_empty()).then(|| view! {
                <details class="examples-details" id="quality-examples-details">
                <summary>{move || format!("{} ({})", tr(Key::QualityExamples, lang.get()), examples_count)}</summary>
                <ul id="quality-examples" class="examples">
                    {examples.into_iter().map(|e| {
                        let msg = e.message.clone();
                        view! {
                            <li>
                                <code>{e.location.clone()}</code>" "
                                {move || match lang.get() { Lang::Nb => msg.nb.clone(), Lang::En => msg.en.clone() }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                </details>
            })}
        </section>
    }
}

/// The century rule for two-digit years: `YY <= pivot` → 20YY, else 19YY. The suggested pivot is
/// the analysis year's last two digits (dates after the analysis year are not expected; a birth
/// date `12.05.85` is 1985).
#[component]
fn CenturyRule() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let current = state.read_options.get_untracked().century_pivot;
    let suggested = current.unwrap_or((state.settings().year.rem_euclid(100)) as u8);
    let pivot = RwSignal::new(suggested);
    let busy = move || state.busy.get().is_some();
    let rerun = move |rule: Option<u8>| {
        let Some(load) = state.load.get_untracked() else {
            return;
        };
        state.read_options.update(|o| o.century_pivot = rule);
        let job = ToWorker::Reread {
            kinds: load.files.iter().map(|f| f.kind).collect(),
            options: state.read_options.get_untracked(),
            settings: state.settings(),
            year_override: state.year_override.get_untracked(),
        };
        state.run(job, None);
    };
    let example = move || {
        let p = pivot.get();
        let after = (u32::from(p) + 1) % 100;
        format!("01.01.{p:02} → 20{p:02}, 01.01.{after:02} → 19{after:02}")
    };
    view! {
        <fieldset class="field century" id="century">
            <legend>{move || tr(Key::CenturyHeading, lang.get())}</legend>
            <p>{move || tr(Key::CenturyIntro, lang.get())}</p>
            <div class="field inline">
                <label for="century-pivot">{move || tr(Key::CenturyPivot, lang.get())}</label>
                <input id="century-pivot" type="number" min="0" max="99" aria-describedby="century-example"
                    prop:value=move || pivot.get().to_string()
                    on:change=move |ev| {
                        if let Ok(p) = event_target_value(&ev).trim().parse::<u8>() {
                            pivot.set(p.min(99));
                        }
                    } />
                <small id="century-example">{example}</small>
            </div>
            <button id="century-apply" type="button" class="primary" disabled=busy
                on:click=move |_| rerun(Some(pivot.get_untracked()))>
                {move || tr(Key::CenturyApply, lang.get())}
            </button>
            {current.is_some().then(|| view! {
                <button id="century-clear" type="button" disabled=busy on:click=move |_| rerun(None)>
                    {move || tr(Key::CenturyClear, lang.get())}
                </button>
            })}
        </fieldset>
    }
}
