//! The progress bar with its phase and Cancel, and the error box.

use crate::i18n::{tr, Key};
use crate::protocol::Phase;
use crate::AppState;
use forlop_core::text::Lang;
use leptos::prelude::*;

fn phase_text(phase: Phase, lang: Lang) -> &'static str {
    match phase {
        Phase::Reading => tr(Key::PhaseReading, lang),
        Phase::Generating => tr(Key::PhaseGenerating, lang),
        Phase::Parsing => tr(Key::PhaseReading, lang),
        Phase::Computing => tr(Key::PhaseComputing, lang),
    }
}

/// Shown while the worker runs a job: phase, file, a bar, and Cancel (terminates the worker).
/// Built once per job, its label and bar then follow each progress message: rebuilding the
/// section for every message kept the page's main thread busy while the report waited behind
/// them, and replaced the Cancel button under a pointer about to press it.
#[component]
pub fn ProgressBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let busy = state.busy;
    let shown = Memo::new(move |_| busy.with(Option::is_some));
    let pct = move || {
        busy.with(|p| {
            p.as_ref()
                .map_or(0, |p| (p.fraction.clamp(0.0, 1.0) * 100.0).round() as u32)
        })
    };
    let label = move || {
        busy.with(|p| {
            p.as_ref().map(|p| {
                if p.detail.is_empty() {
                    format!("{} …", phase_text(p.phase, lang.get()))
                } else {
                    format!("{} {} …", phase_text(p.phase, lang.get()), p.detail)
                }
            })
        })
    };
    move || {
        shown.get().then(|| {
            view! {
                <section class="progress" id="progress" aria-live="polite">
                    <label for="progress-bar">{label}</label>
                    <progress id="progress-bar" max="100" value=pct>{move || format!("{} %", pct())}</progress>
                    <button
                        id="cancel"
                        type="button"
                        on:click=move |_| {
                            crate::client::cancel();
                            state.busy.set(None);
                            state.load.set(None);
                            state.report.set(None);
                            state.error.set(Some(crate::protocol::Bilingual {
                                nb: tr(Key::Cancelled, Lang::Nb).into(),
                                en: tr(Key::Cancelled, Lang::En).into(),
                            }));
                        }
                    >
                        {move || tr(Key::Cancel, lang.get())}
                    </button>
                </section>
            }
        })
    }
}

/// The last failure, as text (never HTML), in the chosen language.
#[component]
pub fn ErrorBox() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    move || {
        state.error.get().map(|e| {
            let text = match lang.get() {
                Lang::Nb => e.nb,
                Lang::En => e.en,
            };
            view! {
                <section class="error" id="error" role="alert">
                    <h2>{tr(Key::ErrorHeading, lang.get())}</h2>
                    <p>{text}</p>
                </section>
            }
        })
    }
}
