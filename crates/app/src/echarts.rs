//! The few ECharts calls the app makes, bound directly (window.echarts from the bundled
//! echarts.min.js). A chart is disposed before its element is reused.

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
