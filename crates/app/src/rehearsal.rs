//! The page's rehearsal: the worker's warm-up results (`engine::WarmUp::take_rehearsal`, a
//! 300-person synthetic extract) taken in once, as a real report is, into a page that is not
//! part of the document, and taken down once it has built every card (or at the user's first
//! job, if that comes first): just before, it is laid out once in the document, out of sight,
//! within one task (`lay_out_once`).
//!
//! Why: V8 compiles a WebAssembly function when it is first called and optimises it only after
//! it has run a while. The page's code that takes a report in (its decoding, the quality panel,
//! the results page, the cards and their chart options) first ran at the user's first upload,
//! where it cost about 45 ms of the time to first chart: the same upload again in the same page
//! went from report to first chart in 33–46 ms instead of 77–96 (BENCHMARKS.md, "The same
//! upload again in the same page"). Rehearsed while the user picks files, that code is warm at
//! the upload: the task that takes the 1 M-row report in went from 37–65 ms to 13 ms ("The page
//! rehearsed").
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
use std::time::Duration;
use wasm_bindgen::JsCast;

thread_local! {
    /// The rehearsal's page (its unmount handle) and the element it is drawn into, until taken
    /// down.
    static STAGE: RefCell<Option<(Box<dyn std::any::Any>, web_sys::Element)>> =
        const { RefCell::new(None) };
    /// Whether the page has rehearsed: once per page, the first warm-up's results only.
    static REHEARSED: Cell<bool> = const { Cell::new(false) };
    /// Whether the user's first job has started: a rehearsal that comes after it (the worker
    /// posted it just before taking the job) is not taken in.
    static TOO_LATE: Cell<bool> = const { Cell::new(false) };
}

/// Takes `load` and `report` in as the page takes in a real upload's, off screen; once per
/// page. Records when, as `window.forlopRehearsal.at` (ms from navigation start).
pub fn rehearse(load: LoadView, report: ReportView, lang: Lang) {
    if TOO_LATE.with(Cell::get) || REHEARSED.with(|r| r.replace(true)) {
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
    set_timeout(lay_out_and_take_down, LONGEST);
}

/// How long the rehearsal may stand at most: taken down then even if its cards are not all
/// built ([`cards_built`] takes it down sooner, as a rule within 100–300 ms).
const LONGEST: Duration = Duration::from_secs(5);

/// The rehearsal's page has built every card (`pages::results`, told by its own state): it is
/// taken down now, while the user is still picking files; taken down at the upload instead,
/// its garbage was collected beside the worker's read. In a later task, not from inside the
/// page's own reactive code, which the take-down drops.
pub fn cards_built() {
    set_timeout(lay_out_and_take_down, Duration::ZERO);
}

/// Lays the rehearsal's page out once ([`lay_out_once`]), then takes it down.
fn lay_out_and_take_down() {
    let t0 = crate::page_clock();
    let laid_out = STAGE.with(|s| {
        s.borrow()
            .as_ref()
            .is_some_and(|(_, stage)| lay_out_once(stage))
    });
    if let (true, Some(t0), Some(t1)) = (laid_out, t0, crate::page_clock()) {
        note("layout", t1 - t0);
    }
    take_down();
}

/// Puts the stage into the page out of sight, has the browser lay it out, and takes it out
/// again, all in this one task (no other code sees it there). Why: the first layout of the
/// quality panel (its six selects, the numbers' narrow spaces, the first use of each font
/// and weight) took 50–70 ms of the page's main thread between the data-quality report and
/// the results at the user's upload, against 2–10 ms once a page like it had been laid out
/// before (BENCHMARKS.md, "The page laid out before the upload"). Not from [`close`]: at the
/// user's job the main thread has better things to do.
fn lay_out_once(stage: &web_sys::Element) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let parent: Option<web_sys::Element> = match document.query_selector("main") {
        Ok(Some(main)) => Some(main),
        _ => document.body().map(Into::into),
    };
    let Some(parent) = parent else {
        return false;
    };
    let _ = stage.set_attribute("aria-hidden", "true");
    // Out of sight by a class of the style sheet (`.rehearsal-stage`): the page's
    // Content-Security-Policy refuses a style attribute.
    let _ = stage.set_attribute("class", "rehearsal-stage");
    if parent.append_child(stage).is_err() {
        return false;
    }
    // Reading a box's height makes the browser bring style and layout up to date.
    let _ = stage
        .unchecked_ref::<web_sys::HtmlElement>()
        .offset_height();
    stage.remove();
    true
}

/// Whether the page has rehearsed (or is rehearsing): its code that takes a report in is warm.
pub fn has_run() -> bool {
    REHEARSED.with(Cell::get)
}

/// The user's first job has started: the rehearsal is taken down if it still stands, and one
/// that comes later is not taken in.
pub fn close() {
    TOO_LATE.with(|t| t.set(true));
    take_down();
}

/// Takes the rehearsal's page down (its effects and timers stop, its signals are freed).
/// Records how many indicator cards it had built, of how many, and when, as
/// `window.forlopRehearsal.cards`, `.total` and `.down` (and how long its layout took, as
/// `.layout`, in [`lay_out_and_take_down`]): the browser test's evidence that the rehearsal
/// went as far as every card.
fn take_down() {
    let Some((page, stage)) = STAGE.with(|s| s.borrow_mut().take()) else {
        return;
    };
    let cards = stage
        .query_selector_all("article.indicator")
        .map_or(0, |cards| cards.length());
    let total = stage
        .query_selector("#cards")
        .ok()
        .flatten()
        .and_then(|c| c.get_attribute("data-total"))
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or_default();
    drop(page);
    note("cards", f64::from(cards));
    note("total", total);
    note("down", crate::page_clock().unwrap_or_default());
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
