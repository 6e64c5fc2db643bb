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

/// The XLSX export: the same long table as the CSV, numbers as numbers; with k = 0 the first
/// row says NOT SUPPRESSED.
///
/// # Errors
/// When the workbook cannot be written (a message from rust_xlsxwriter).
pub fn long_table_xlsx(
    rows: &[forlop_core::output::LongRow],
    unsuppressed: bool,
) -> Result<Vec<u8>, String> {
    use forlop_core::output::{Cell, LONG_TABLE_HEADER};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    sheet.set_name("long_table").map_err(e)?;
    let mut r: u32 = 0;
    if unsuppressed {
        sheet.write_string(0, 0, UNSUPPRESSED_MARK).map_err(e)?;
        r = 1;
    }
    for (c, h) in LONG_TABLE_HEADER.split(',').enumerate() {
        sheet.write_string(r, c as u16, h).map_err(e)?;
    }
    for row in rows {
        r += 1;
        sheet.write_string(r, 0, &row.indicator).map_err(e)?;
        sheet.write_string(r, 1, row.group.to_string()).map_err(e)?;
        sheet.write_string(r, 2, row.level.as_str()).map_err(e)?;
        sheet.write_string(r, 3, &row.area).map_err(e)?;
        sheet.write_number(r, 4, row.year).map_err(e)?;
        let (n, d, v) = match row.cell {
            Cell::Value {
                numerator,
                denominator,
                value,
            } => (numerator, denominator, Some(value)),
            Cell::NotEstimable {
                numerator,
                denominator,
            } => (numerator, denominator, None),
            Cell::Suppressed(_) => (None, None, None),
        };
        if let Some(n) = n {
            sheet.write_number(r, 5, n as f64).map_err(e)?;
        }
        if let Some(d) = d {
            sheet.write_number(r, 6, d as f64).map_err(e)?;
        }
        if let Some(v) = v {
            sheet.write_number(r, 7, v).map_err(e)?;
        }
        sheet
            .write_boolean(r, 8, row.cell.is_suppressed())
            .map_err(e)?;
    }
    book.save_to_buffer().map_err(e)
}

/// Offers bytes as a download.
///
/// # Errors
/// When the browser cannot make the blob.
pub fn download_bytes(bytes: &js_sys::Uint8Array, mime: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(bytes);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let r = click_download(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
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
        let xlsx = long_table_xlsx(&rows, true).unwrap();
        assert_eq!(&xlsx[..2], b"PK"); // a zip container
    }
}
