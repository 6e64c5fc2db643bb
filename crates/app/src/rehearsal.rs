//! The page's rehearsal: the worker's warm-up results (`engine::WarmUp::take_rehearsal`, a
//! 300-person synthetic extract) taken in once, as a real report is, into a page that is never
//! part of the document, and taken down when the user's first job starts.
//!
//! Why: V8 compiles a WebAssembly function when it is first called and optimises it only after
//! it has run a while. The page's code that takes a report in (its decoding, the quality panel,
//! the results page, the cards and their chart options) first ran at the user's first upload,
//! where it cost about 45 ms of the time to first chart: the same upload again in the same page
//! went from report to first chart in 33–46 ms instead of 77–96 (BENCHMARKS.md, "The same
//! upload again in the same page"). Rehearsed while the user picks files, that code is warm at
//! the upload.
//!
//! The rehearsal's state says it is one ([`AppState::rehearsal`]): its page sends nothing to the
//! worker (a message would end the worker's warm-up) and listens to no window event. Its
//! charts are not drawn (a chart whose element is not in the document is skipped:
//! `echarts::schedule`); ECharts warms up on its own (`echarts::warm_up`).

use crate::components::mapping::MappingPanel;
use crate::components::quality::QualityPanel;
use crate::pages::results::ResultsPage;
use crate::protocol::{LoadView, ReportView};
use crate::AppState;
use forlop_core::text::Lang;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;

thread_local! {
    /// The rehearsal's page (its unmount handle) and the element it is drawn into, until taken
    /// down.
    static STAGE: RefCell<Option<(Box<dyn std::any::Any>, web_sys::Element)>> =
        const { RefCell::new(None) };
    /// Whether the page has rehearsed: once per page, the first warm-up's results only.
    static REHEARSED: Cell<bool> = const { Cell::new(false) };
}

/// Takes `load` and `report` in as the page takes in a real upload's, off screen; once per
/// page. Records when, as `window.forlopRehearsal.at` (ms from navigation start).
pub fn rehearse(load: LoadView, report: ReportView, lang: Lang) {
    if REHEARSED.with(|r| r.replace(true)) {
        return;
    }
    let Some(stage) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
    else {
        return;
    };
    let host: web_sys::HtmlElement = stage.clone().unchecked_into();
    let page = leptos::mount::mount_to(host, move || {
        provide_context(AppState::for_rehearsal(lang, load, report));
        view! {
            <QualityPanel />
            <MappingPanel />
            <ResultsPage />
        }
    });
    STAGE.with(|s| *s.borrow_mut() = Some((Box::new(page), stage)));
    note("at", crate::page_clock().unwrap_or_default());
}

/// Takes the rehearsal's page down (its effects and timers stop, its signals are freed).
/// Records how many indicator cards it had drawn, as `window.forlopRehearsal.cards`: the
/// browser test's evidence that the rehearsal went as far as the cards.
pub fn take_down() {
    let Some((page, stage)) = STAGE.with(|s| s.borrow_mut().take()) else {
        return;
    };
    let cards = stage
        .query_selector_all("article.indicator")
        .map_or(0, |cards| cards.length());
    drop(page);
    note("cards", f64::from(cards));
}

/// Sets `window.forlopRehearsal[key]`.
fn note(key: &str, value: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let name = "forlopRehearsal".into();
    let mut record = js_sys::Reflect::get(&window, &name).unwrap_or_default();
    if !record.is_object() {
        record = js_sys::Object::new().into();
        let _ = js_sys::Reflect::set(&window, &name, &record);
    }
    let _ = js_sys::Reflect::set(&record, &key.into(), &value.into());
}
