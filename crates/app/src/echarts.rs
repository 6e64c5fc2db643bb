//! The few ECharts calls the app makes, bound directly (window.echarts from the bundled
//! echarts.min.js). A chart is disposed before its element is reused.
//!
//! Cards ask for their chart with [`schedule`], which draws one chart per browser task: drawing
//! all ~40 charts of a report at once blocked the page for about a second (issue 3). Printing and
//! the PNG export call [`flush`] first, so they always see every chart.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance.
    pub type Instance;

    #[wasm_bindgen(js_namespace = echarts, js_name = init)]
    fn init_js(el: &web_sys::HtmlElement, theme: &JsValue, opts: &JsValue) -> Instance;

    #[wasm_bindgen(js_namespace = echarts, js_name = getInstanceByDom)]
    fn instance_by_dom(el: &web_sys::HtmlElement) -> Option<Instance>;

    #[wasm_bindgen(method, js_name = setOption)]
    fn set_option(this: &Instance, option: &JsValue);

    #[wasm_bindgen(method)]
    fn dispose(this: &Instance);

    #[wasm_bindgen(method, js_name = getDataURL)]
    fn get_data_url(this: &Instance, opts: &JsValue) -> String;
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

fn parse(option: &serde_json::Value) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&option.to_string())
}

/// Draws `option` into `el` (canvas), replacing any chart already there.
///
/// # Errors
/// When the option is not valid JSON for the browser.
pub fn render(
    el: &web_sys::HtmlElement,
    option: &serde_json::Value,
    height: u32,
) -> Result<(), JsValue> {
    if let Some(old) = instance_by_dom(el) {
        old.dispose();
    }
    let opts = options(&[("renderer", "canvas".into()), ("height", height.into())]);
    let chart = init_js(el, &JsValue::NULL, &opts);
    chart.set_option(&parse(option)?);
    Ok(())
}

/// The chart in `el` as a PNG data URL (white background, 2× pixels).
pub fn png_of(el: &web_sys::HtmlElement) -> Option<String> {
    let chart = instance_by_dom(el)?;
    Some(chart.get_data_url(&options(&[
        ("type", "png".into()),
        ("pixelRatio", 2.into()),
        ("backgroundColor", "#ffffff".into()),
    ])))
}

/// Renders `option` once with the SVG renderer into a detached element and returns the SVG data URL.
///
/// # Errors
/// When the document or the option is unusable.
pub fn svg_of(option: &serde_json::Value, width: u32, height: u32) -> Result<String, JsValue> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let el: web_sys::HtmlElement = doc.create_element("div")?.unchecked_into();
    let opts = options(&[
        ("renderer", "svg".into()),
        ("width", width.into()),
        ("height", height.into()),
    ]);
    let chart = init_js(&el, &JsValue::NULL, &opts);
    chart.set_option(&parse(option)?);
    let url = chart.get_data_url(&options(&[("type", "svg".into())]));
    chart.dispose();
    Ok(url)
}

thread_local! {
    static WARM: Cell<bool> = const { Cell::new(false) };
}

/// Draws one throw-away chart of `option` off screen, once per page: ECharts' first chart costs
/// far more than the next (its code is compiled, its canvas and text measuring set up), and
/// paying that while the worker computes keeps it out of the task that draws the first real
/// chart (issue 6).
pub fn warm_up(option: &serde_json::Value) {
    if WARM.with(|w| w.replace(true)) {
        return;
    }
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(el) = doc.create_element("div") else {
        return;
    };
    let el: web_sys::HtmlElement = el.unchecked_into();
    let opts = options(&[
        ("renderer", "canvas".into()),
        ("width", 600.into()),
        ("height", 300.into()),
    ]);
    let chart = init_js(&el, &JsValue::NULL, &opts);
    if let Ok(o) = parse(option) {
        chart.set_option(&o);
    }
    chart.dispose();
}

/// A chart waiting to be drawn.
struct Pending {
    el: web_sys::HtmlElement,
    option: serde_json::Value,
    height: u32,
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Pending>> = const { RefCell::new(VecDeque::new()) };
    /// Whether a timer to draw the next chart is set.
    static TICKING: Cell<bool> = const { Cell::new(false) };
    /// What runs once the next chart is drawn ([`after_next_draw`]).
    static AFTER_DRAW: RefCell<Vec<Box<dyn FnOnce()>>> = RefCell::new(Vec::new());
}

/// Runs `f` once, right after the next chart is drawn.
pub fn after_next_draw(f: impl FnOnce() + 'static) {
    AFTER_DRAW.with(|a| a.borrow_mut().push(Box::new(f)));
}

fn drawn() {
    for f in AFTER_DRAW.with(|a| std::mem::take(&mut *a.borrow_mut())) {
        f();
    }
}

/// Draws a waiting chart; returns whether it was drawn. A card removed meanwhile (a new
/// report), or one never in the document (`rehearsal`), is skipped.
fn draw(p: &Pending) -> bool {
    if !p.el.is_connected() {
        return false;
    }
    if let Err(e) = render(&p.el, &p.option, p.height) {
        web_sys::console::warn_1(&e);
    }
    true
}

fn tick() {
    let next = QUEUE.with(|q| q.borrow_mut().pop_front());
    if next.is_some_and(|p| draw(&p)) {
        drawn();
    }
    if QUEUE.with(|q| q.borrow().is_empty()) {
        TICKING.with(|t| t.set(false));
    } else {
        set_timer();
    }
}

fn set_timer() {
    let cb = Closure::once_into_js(tick);
    let set = web_sys::window()
        .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0));
    if !matches!(set, Some(Ok(_))) {
        // No timer: draw everything now rather than never.
        TICKING.with(|t| t.set(false));
        flush();
    }
}

/// Draws `option` into `el` in a later task, after the charts asked for before it; a chart
/// already waiting for `el` is replaced.
pub fn schedule(el: web_sys::HtmlElement, option: serde_json::Value, height: u32) {
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        q.retain(|p| p.el != el);
        q.push_back(Pending { el, option, height });
    });
    if !TICKING.with(|t| t.replace(true)) {
        set_timer();
    }
}

/// Draws `option` into `el` now (a chart waiting for `el` is dropped), as [`schedule`] would
/// in a later task: for the chart the user waits for most, the first of a report.
pub fn draw_now(el: web_sys::HtmlElement, option: serde_json::Value, height: u32) {
    QUEUE.with(|q| q.borrow_mut().retain(|p| p.el != el));
    if draw(&Pending { el, option, height }) {
        drawn();
    }
}

/// Draws every waiting chart now (before printing or exporting a picture).
pub fn flush() {
    let all = QUEUE.with(|q| std::mem::take(&mut *q.borrow_mut()));
    let drew = all.iter().filter(|p| draw(p)).count();
    if drew > 0 {
        drawn();
    }
}
