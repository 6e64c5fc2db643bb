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

/// The CSV export, made in the worker: the engine's long table written by the engine's own
/// writer (so it is the CLI's file byte for byte); with k = 0 a first comment line says so.
pub fn long_table_csv(report: &forlop_core::Report) -> Vec<u8> {
    long_table_csv_of(&[report])
}

/// The long table of several years' reports as one table, sorted as the CLI's
/// `forlop indicators --year A-B` writes it (a year's row beside the other years' rows).
fn long_rows_all<'a>(reports: &[&'a forlop_core::Report]) -> Vec<forlop_core::output::LongRow<'a>> {
    let mut rows: Vec<_> = reports.iter().flat_map(|r| r.long_rows()).collect();
    if reports.len() > 1 {
        rows.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    rows
}

/// The CSV export of several years (the reports of one run, one per year): the CLI's
/// `forlop indicators --year A-B` byte for byte; with k = 0 a first comment line says so.
pub fn long_table_csv_of(reports: &[&forlop_core::Report]) -> Vec<u8> {
    let mut out = Vec::new();
    if reports.iter().any(|r| r.unsuppressed) {
        out.extend_from_slice(format!("# {UNSUPPRESSED_MARK}\n").as_bytes());
    }
    forlop_core::output::write_long_table_csv(long_rows_all(reports), &mut out);
    out
}

/// The XLSX export, made in the worker: the same fields as the CSV ([`LongRow::fields`], the one
/// place that decides them), numbers as numbers; with k = 0 the first row says NOT SUPPRESSED.
///
/// [`LongRow::fields`]: forlop_core::output::LongRow::fields
///
/// # Errors
/// When the workbook cannot be written (a message from rust_xlsxwriter).
pub fn long_table_xlsx(report: &forlop_core::Report) -> Result<Vec<u8>, String> {
    long_table_xlsx_of(&[report])
}

/// The XLSX export of several years' reports, rows as in [`long_table_csv_of`].
///
/// # Errors
/// When the workbook cannot be written (a message from rust_xlsxwriter).
pub fn long_table_xlsx_of(reports: &[&forlop_core::Report]) -> Result<Vec<u8>, String> {
    use forlop_core::output::LONG_TABLE_COLUMNS;
    /// Columns written as numbers: year, numerator, denominator, value, ci_low, ci_high.
    const NUMBERS: [usize; 6] = [4, 5, 6, 7, 9, 10];
    /// The `suppressed` column, written as a boolean.
    const FLAG: usize = 8;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    sheet.set_name("long_table").map_err(e)?;
    let mut r: u32 = 0;
    if reports.iter().any(|r| r.unsuppressed) {
        sheet.write_string(0, 0, UNSUPPRESSED_MARK).map_err(e)?;
        r = 1;
    }
    for (c, h) in LONG_TABLE_COLUMNS.iter().enumerate() {
        sheet.write_string(r, c as u16, *h).map_err(e)?;
    }
    for row in long_rows_all(reports) {
        r += 1;
        for (c, field) in row.fields().iter().enumerate() {
            let col = c as u16;
            if field.is_empty() {
                continue;
            }
            if c == FLAG {
                sheet.write_boolean(r, col, field == "true").map_err(e)?;
            } else if let (true, Ok(n)) = (NUMBERS.contains(&c), field.parse::<f64>()) {
                // The field is the shortest text of the f64, so it parses back to the same bits.
                sheet.write_number(r, col, n).map_err(e)?;
            } else {
                sheet.write_string(r, col, field).map_err(e)?;
            }
        }
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
        let files: Vec<crate::engine::HeldFile> =
            forlop_synth::generate(&forlop_synth::SynthConfig {
                persons: 100,
                seed: 1,
                year: 2024,
                defects: false,
                format: forlop_synth::FileFormat::Canonical,
            })
            .files
            .into_iter()
            .map(|f| crate::engine::HeldFile {
                name: f.name,
                bytes: f.bytes,
            })
            .collect();
        let (tables, _, _) = crate::engine::load(
            &files,
            &vec![None; files.len()],
            &Default::default(),
            crate::engine::Source::Demo,
            Vec::new(),
            &mut |_, _, _| {},
        );
        let settings = forlop_core::Settings {
            min_cell: 0,
            ..forlop_core::Settings::for_year(2024)
        };
        let report = forlop_core::analyse(&tables, &settings);
        let csv = String::from_utf8(long_table_csv(&report)).unwrap();
        let mut plain = Vec::new();
        forlop_core::output::write_long_table_csv(report.long_rows(), &mut plain);
        assert_eq!(
            csv,
            format!(
                "# IKKE PRIKKET / NOT SUPPRESSED\n{}",
                String::from_utf8(plain).unwrap()
            )
        );
        let xlsx = long_table_xlsx(&report).unwrap();
        assert_eq!(&xlsx[..2], b"PK"); // a zip container
    }
}
