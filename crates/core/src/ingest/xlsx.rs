//! Excel workbooks (calamine, from bytes): the first sheet or a chosen one, turned into rows of
//! text so that one code path reads CSV and workbooks alike.
//!
//! Date cells become `YYYY-MM-DD` (with ` HH:MM:SS` when they carry a time, `HH:MM:SS` alone for
//! a time of day); whole numbers lose their `.0` (`1980.0` → `1980`, `301.0` → `301`, whose
//! leading zero the municipality reader restores and counts).

use crate::quality::{clip, IssueKind};
use calamine::{Data, Reader};
use std::io::Cursor;

/// One worksheet as text.
pub(crate) struct Sheet {
    /// Its name.
    pub name: String,
    /// `(sheet row number, cells)`; the cells start at column A.
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Whether the bytes look like a workbook (zip for xlsx/ods, OLE for xls).
pub(crate) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Refuses a zip workbook whose parts, as its directory declares them, would inflate to more
/// than `limit` bytes, before anything is inflated (a 2 MB file can hold a 2 GB sheet). A part
/// whose declared size is a lie is not caught here; the zip reader's CRC check then fails.
fn check_inflation(bytes: &[u8], limit: u64) -> Result<(), IssueKind> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    // An unreadable zip is left to calamine, which says why.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let (mut total, mut largest, mut part) = (0u64, 0u64, String::new());
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else {
            continue;
        };
        total = total.saturating_add(f.size());
        if f.size() >= largest {
            largest = f.size();
            part = f.name().map(|n| n.to_string()).unwrap_or_default();
        }
    }
    if total > limit {
        return Err(IssueKind::XlsxTooLarge {
            part: clip(&part),
            bytes: total,
            limit,
        });
    }
    Ok(())
}

/// Reads one sheet: `wanted`, or the first; refused when the workbook would inflate to more
/// than `max_inflated` bytes.
pub(crate) fn read_sheet(
    bytes: &[u8],
    wanted: Option<&str>,
    max_inflated: Option<u64>,
) -> Result<Sheet, IssueKind> {
    if let Some(limit) = max_inflated {
        check_inflation(bytes, limit)?;
    }
    let unreadable = |e: &dyn std::fmt::Display| IssueKind::UnreadableFile {
        reason: clip(&e.to_string()),
    };
    let mut wb =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let names = wb.sheet_names();
    let name = match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.as_str() == w)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(w.trim()))
            })
            .cloned()
            .ok_or_else(|| IssueKind::UnknownSheet { sheet: clip(w) })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| IssueKind::UnreadableFile {
                reason: "no worksheet".to_string(),
            })?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| unreadable(&e))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut out = Vec::with_capacity(col0 as usize + cells.len());
            out.resize(col0 as usize, String::new());
            out.extend(cells.iter().map(cell_text));
            (u64::from(row0) + i as u64 + 1, out)
        })
        .collect();
    Ok(Sheet { name, rows })
}

/// A cell as the text a CSV export would hold.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => format!("#{e}"),
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            if !v.is_finite() || v < 0.0 {
                return number_text(v);
            }
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if v < 1.0 {
                format!("{h:02}:{mi:02}:{s:02}")
            } else if v.fract() == 0.0 {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
    }
}

fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_become_csv_text() {
        assert_eq!(cell_text(&Data::Float(1980.0)), "1980");
        assert_eq!(cell_text(&Data::Float(301.0)), "301");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        // Serial 45292 = 2024-01-01 (1900 epoch); + 31 (Jan) + 29 (Feb) + 6 = 45358 = 2024-03-07;
        // .5 = 12:00.
        let dt = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&dt(45358.0)), "2024-03-07");
        assert_eq!(cell_text(&dt(45358.5)), "2024-03-07 12:00:00");
        assert_eq!(cell_text(&dt(0.25)), "06:00:00");
        assert_eq!(cell_text(&dt(f64::NAN)), "NaN");
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        assert!(matches!(
            read_sheet(b"PK\x03\x04garbage", None, Some(1 << 20)),
            Err(IssueKind::UnreadableFile { .. })
        ));
    }
}
