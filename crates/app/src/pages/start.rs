//! Start page: what Forløp does, the privacy promise, demo data or your own files.

use crate::i18n::{tr, Key};
use crate::protocol::ToWorker;
use crate::AppState;
use leptos::prelude::*;

/// Demo sizes offered (persons).
pub const DEMO_SIZES: [u32; 4] = [1_000, 2_000, 10_000, 100_000];
/// The demo's size unless the user picks another (and `?demo=1`'s): 2 000 persons, about 76 000
/// rows over every area of the demo's areas table — big enough that every region shows numbers,
/// small enough that the first chart is there in about a second (issue 6: 10 000 persons, the
/// old default, took 4–5 s, mostly reading 380 000 generated rows in the worker).
pub const DEMO_DEFAULT: u32 = 2_000;
/// Demo years offered.
pub const DEMO_YEARS: [i32; 5] = [2020, 2021, 2022, 2023, 2024];
/// The demo's fixed seed: everyone sees the same demo.
pub const DEMO_SEED: u64 = 2024;

/// The upload limit in bytes: [`crate::engine::MAX_UPLOAD_BYTES`], or `?max_upload_mb=N` (for
/// the e2e test, which cannot afford gigabytes).
pub fn upload_limit() -> u64 {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    upload_limit_of(&query)
}

/// [`upload_limit`] from a query string.
pub fn upload_limit_of(query: &str) -> u64 {
    crate::query::query_param(query, "max_upload_mb")
        .and_then(|mb| mb.parse::<f64>().ok())
        .filter(|mb| mb.is_finite() && *mb >= 0.0)
        .map_or(crate::engine::MAX_UPLOAD_BYTES, |mb| (mb * 1e6) as u64)
}

fn send_files(state: AppState, files: web_sys::FileList) {
    let list = js_sys::Array::new();
    let mut total = 0u64;
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            total += f.size() as u64;
            list.push(&f);
        }
    }
    if list.length() == 0 {
        return;
    }
    // Too large for the worker's memory: said at once, before a byte is read.
    if let Some(msg) = crate::engine::upload_too_large(total, upload_limit()) {
        state.load.set(None);
        state.report.set(None);
        state.error.set(Some(msg));
        return;
    }
    state.load.set(None);
    state.report.set(None);
    // New data: its own years decide again.
    state.year_override.set(None);
    let job = ToWorker::Files {
        kinds: vec![None; list.length() as usize],
        options: state.read_options.get_untracked(),
        settings: state.settings(),
        year_override: None,
        // Decided by the page's client when it hands the files to the workers.
        pieces: 0,
    };
    state.run(job, Some(&list));
}

/// The start page: intro, "Use demo data" (year, size) and "Open your files" (picker + drop zone).
#[component]
pub fn StartPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let size = RwSignal::new(DEMO_DEFAULT);
    let busy = move || state.busy.get().is_some();
    let dragging = RwSignal::new(false);

    let on_demo = move |_| {
        state.load.set(None);
        state.report.set(None);
        state.year_override.set(None);
        let job = ToWorker::Demo {
            persons: size.get_untracked(),
            seed: DEMO_SEED,
            settings: state.settings(),
        };
        state.run(job, None);
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            send_files(state, files);
        }
        // Picking the same files again must fire `change` again.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if busy() {
            return;
        }
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            send_files(state, files);
        }
    };

    view! {
        <section class="start" aria-labelledby="intro-heading">
            <h2 id="intro-heading" class="visually-hidden">{move || tr(Key::AppTitle, lang.get())}</h2>
            <p class="intro" id="intro">{move || tr(Key::Intro, lang.get())}</p>
            <p><a id="survey-link" href=move || if lang.get() == forlop_core::text::Lang::En { "?page=survey&lang=en" } else { "?page=survey" }>{move || tr(Key::SurveyLink, lang.get())}</a></p>
            <div class="start-grid">
                <form class="card" id="demo-form" on:submit=move |ev| { ev.prevent_default(); on_demo(()); }>
                    <h3>{move || tr(Key::DemoHeading, lang.get())}</h3>
                    <p>{move || tr(Key::DemoText, lang.get())}</p>
                    <div class="field">
                        <label for="demo-year">{move || tr(Key::DemoYear, lang.get())}</label>
                        <select
                            id="demo-year"
                            on:change=move |ev| {
                                if let Ok(y) = event_target_value(&ev).parse() { state.year.set(y) }
                            }
                        >
                            {DEMO_YEARS.iter().map(|y| view! {
                                <option value=y.to_string() selected=move || state.year.get() == *y>{y.to_string()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="demo-size">{move || tr(Key::DemoSize, lang.get())}</label>
                        <select
                            id="demo-size"
                            on:change=move |ev| {
                                if let Ok(n) = event_target_value(&ev).parse() { size.set(n) }
                            }
                        >
                            {DEMO_SIZES.iter().map(|n| {
                                let n = *n;
                                view! {
                                    <option value=n.to_string() selected=move || size.get() == n>
                                        {move || crate::fmt::count(n as u64, lang.get())}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                    <button id="demo" type="submit" class="primary" disabled=busy>
                        {move || tr(Key::DemoButton, lang.get())}
                    </button>
                </form>
                <div class="card">
                    <h3>{move || tr(Key::FilesHeading, lang.get())}</h3>
                    <p id="files-help">{move || tr(Key::FilesText, lang.get())}</p>
                    <input
                        id="file-input"
                        class="visually-hidden"
                        type="file"
                        multiple
                        accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        aria-describedby="files-help"
                        disabled=busy
                        on:change=on_pick
                    />
                    <label
                        for="file-input"
                        id="drop-zone"
                        class="drop-zone"
                        class:dragging=move || dragging.get()
                        on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                        on:dragleave=move |_| dragging.set(false)
                        on:drop=on_drop
                    >
                        <span class="button-like">{move || tr(Key::FilesButton, lang.get())}</span>
                        <span>{move || tr(Key::DropZone, lang.get())}</span>
                    </label>
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::upload_limit_of;
    use crate::engine::MAX_UPLOAD_BYTES;

    #[test]
    fn the_upload_limit_comes_from_the_query_string_or_the_default() {
        assert_eq!(upload_limit_of(""), MAX_UPLOAD_BYTES);
        assert_eq!(upload_limit_of("?lang=en&max_upload_mb=2"), 2_000_000);
        assert_eq!(upload_limit_of("?max_upload_mb=0.5"), 500_000);
        assert_eq!(upload_limit_of("?max_upload_mb=lots"), MAX_UPLOAD_BYTES);
        assert_eq!(upload_limit_of("?max_upload_mb=-1"), MAX_UPLOAD_BYTES);
    }
}
