//! Downloads: the long table as CSV, charts as PNG/SVG. Everything is made in the browser from
//! the engine's output; nothing is sent anywhere. With k = 0 every file name and first line says
//! NOT SUPPRESSED / IKKE PRIKKET.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The mark that every export carries when suppression was switched off.
pub const UNSUPPRESSED_MARK: &str = "IKKE PRIKKET / NOT SUPPRESSED";

/// File name for an export: `forlop_<stem>_<year>.<ext>`, prefixed `IKKE-PRIKKET_` when k = 0.
pub fn file_name(stem: &str, year: i32, ext: &str, unsuppressed: bool) -> String {
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let prefix = if unsuppressed {
        "IKKE-PRIKKET_NOT-SUPPRESSED_"
    } else {
        ""
    };
    format!("{prefix}forlop_{safe}_{year}.{ext}")
}

/// The CSV export: the engine's long table; with k = 0 a first comment line says so.
pub fn long_table_csv(rows: &[forlop_core::output::LongRow], unsuppressed: bool) -> String {
    let mut out = String::new();
    if unsuppressed {
        out.push_str("# ");
        out.push_str(UNSUPPRESSED_MARK);
        out.push('\n');
    }
    forlop_core::output::write_long_table_csv(rows, &mut out);
    out
}

fn click_download(href: &str, name: &str) -> Result<(), JsValue> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.unchecked_into();
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Offers `text` as a download.
///
/// # Errors
/// When the browser cannot make the blob.
pub fn download_text(text: &str, mime: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let r = click_download(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}

/// Offers a data URL (a chart image) as a download.
///
/// # Errors
/// When the document is unusable.
pub fn download_data_url(url: &str, name: &str) -> Result<(), JsValue> {
    click_download(url, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use forlop_core::output::{Cell, Group, Level, LongRow, SmiGroup, SubstanceSplit};

    #[test]
    fn unsuppressed_exports_say_so_in_name_and_first_line() {
        assert_eq!(
            file_name("smi.admitted", 2024, "png", false),
            "forlop_smi_admitted_2024.png"
        );
        assert_eq!(
            file_name("smi.admitted", 2024, "png", true),
            "IKKE-PRIKKET_NOT-SUPPRESSED_forlop_smi_admitted_2024.png"
        );
        let rows = vec![LongRow {
            indicator: "smi.patients".into(),
            group: Group::Smi(SmiGroup::All, SubstanceSplit::Any),
            level: Level::Country,
            area: "NO".into(),
            year: 2024,
            cell: Cell::Value {
                numerator: Some(3),
                denominator: None,
                value: 3.0,
            },
        }];
        let csv = long_table_csv(&rows, true);
        assert_eq!(
            csv,
            "# IKKE PRIKKET / NOT SUPPRESSED\n\
             indicator,group,level,area,year,numerator,denominator,value,suppressed\n\
             smi.patients,all,country,NO,2024,3,,3,false\n"
        );
        assert!(long_table_csv(&rows, false).starts_with("indicator,"));
    }
}
