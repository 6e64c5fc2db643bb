//! Excel workbooks (calamine, from bytes): the first sheet or a chosen one, turned into rows of
//! text so that one code path reads CSV and workbooks alike.
//!
//! Date cells become `YYYY-MM-DD` (with ` HH:MM:SS` when they carry a time, `HH:MM:SS` alone for
//! a time of day); whole numbers lose their `.0` (`1980.0` → `1980`, `301.0` → `301`, whose
//! leading zero the municipality reader restores and counts).

use crate::quality::{clip, IssueKind};
use calamine::{Data, DataRef, Reader};
use std::fmt::Write;
use std::io::Cursor;

/// One worksheet as text, held compactly: the cell texts one after another in one string, the
/// end of each cell's text, and where each row's cells begin. A row holds its cells from column A
/// up to its last non-empty cell; the cells after that, up to the sheet's width, are empty.
pub(crate) struct Sheet {
    /// Its name.
    pub name: String,
    /// Every stored cell's text, one after another.
    text: String,
    /// Per stored cell, the end of its text in `text` (it begins where the previous one ends).
    ends: Vec<u32>,
    /// Per row with stored cells, ascending: `(row - first_row, index of its first cell)`.
    rows: Vec<(u32, u32)>,
    /// 0-based sheet row of the first row of the used range.
    first_row: u32,
    /// Rows from the first to the last of the used range (those without cells included).
    height: u64,
    /// Cells per row: columns A up to the last column of the used range.
    width: usize,
}

impl Sheet {
    /// The `i`-th row that holds cells (rows without any are left out: they are blank):
    /// `(key, sheet row, cells)`; the key is the row's index in the used range.
    pub(crate) fn row(&self, i: usize) -> Option<(u64, u64, impl Iterator<Item = &str> + '_)> {
        let &(off, lo) = self.rows.get(i)?;
        let hi = self
            .rows
            .get(i + 1)
            .map_or(self.ends.len(), |r| r.1 as usize);
        Some((
            u64::from(off),
            u64::from(self.first_row) + u64::from(off) + 1,
            self.cells(lo as usize, hi),
        ))
    }

    /// The sheet row (1-based) of the row with `key`; 0 when there is none.
    pub(crate) fn line_of(&self, key: u64) -> u64 {
        if key < self.height {
            u64::from(self.first_row) + key + 1
        } else {
            0
        }
    }

    /// The cells of the row with `key` (all empty for a row without cells).
    pub(crate) fn row_by_key(&self, key: u64) -> Option<impl Iterator<Item = &str> + '_> {
        if key >= self.height {
            return None;
        }
        let (lo, hi) = match self.rows.binary_search_by_key(&key, |r| u64::from(r.0)) {
            Ok(i) => (
                self.rows[i].1 as usize,
                self.rows
                    .get(i + 1)
                    .map_or(self.ends.len(), |r| r.1 as usize),
            ),
            Err(_) => (0, 0),
        };
        Some(self.cells(lo, hi))
    }

    /// `(sheet row, cells)` of every row that holds cells, in order.
    pub(crate) fn owned_rows(&self) -> impl Iterator<Item = (u64, Vec<String>)> + '_ {
        (0..self.rows.len()).filter_map(|i| {
            let (_, line, cells) = self.row(i)?;
            Some((line, cells.map(str::to_string).collect()))
        })
    }

    /// `width` cells: the stored cells `lo..hi`, then empty ones.
    fn cells(&self, lo: usize, hi: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.width).map(move |j| {
            let k = lo + j;
            if k >= hi {
                return "";
            }
            let from = if k == 0 { 0 } else { self.ends[k - 1] as usize };
            self.text.get(from..self.ends[k] as usize).unwrap_or("")
        })
    }
}

/// Builds a [`Sheet`] from the non-empty cells in sheet order.
struct Builder {
    text: String,
    ends: Vec<u32>,
    rows: Vec<(u32, u32)>,
    first_row: Option<u32>,
    last_row: u32,
    width: usize,
}

/// The sheet's text or cells would not fit the compact form's 32-bit offsets (4 GiB).
struct TooBig(usize);

impl Builder {
    fn new(first_row: Option<u32>) -> Self {
        Builder {
            text: String::new(),
            ends: Vec::new(),
            rows: Vec::new(),
            first_row,
            last_row: 0,
            width: 0,
        }
    }

    /// Adds the cell at 0-based `(row, col)` whose text `put` writes; `false` when it comes
    /// before (or at) a cell added already: the cells are not in sheet order.
    fn cell(&mut self, row: u32, col: u32, put: impl FnOnce(&mut String)) -> Result<bool, TooBig> {
        let first = *self.first_row.get_or_insert(row);
        let Some(off) = row.checked_sub(first) else {
            return Ok(false);
        };
        let n = u32::try_from(self.ends.len()).map_err(|_| TooBig(self.ends.len()))?;
        match self.rows.last() {
            Some(&(last, _)) if last > off => return Ok(false),
            Some(&(last, _)) if last == off => {}
            _ => self.rows.push((off, n)),
        }
        let row_start = self.rows.last().map_or(0, |r| r.1 as usize);
        let have = self.ends.len() - row_start;
        let col = col as usize;
        if col < have {
            return Ok(false);
        }
        let end = u32::try_from(self.text.len()).map_err(|_| TooBig(self.text.len()))?;
        self.ends.extend(std::iter::repeat_n(end, col - have));
        put(&mut self.text);
        let end = u32::try_from(self.text.len()).map_err(|_| TooBig(self.text.len()))?;
        self.ends.push(end);
        self.width = self.width.max(col + 1);
        self.last_row = self.last_row.max(row);
        Ok(true)
    }

    /// The sheet; `height`/`width` as given, or those of the cells added.
    fn finish(self, name: String, bounds: Option<(u64, usize)>) -> Sheet {
        let first_row = self.first_row.unwrap_or(0);
        let (height, width) = bounds.unwrap_or(if self.rows.is_empty() {
            (0, 0)
        } else {
            (u64::from(self.last_row - first_row) + 1, self.width)
        });
        let mut text = self.text;
        text.shrink_to_fit();
        let mut ends = self.ends;
        ends.shrink_to_fit();
        let mut rows = self.rows;
        rows.shrink_to_fit();
        Sheet {
            name,
            text,
            ends,
            rows,
            first_row,
            height,
            width,
        }
    }
}

fn too_big(name: &str, TooBig(bytes): TooBig) -> IssueKind {
    IssueKind::XlsxTooLarge {
        part: clip(name),
        bytes: bytes as u64,
        limit: u64::from(u32::MAX),
    }
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

fn unreadable(e: &dyn std::fmt::Display) -> IssueKind {
    IssueKind::UnreadableFile {
        reason: clip(&e.to_string()),
    }
}

/// Reads one sheet: `wanted`, or the first; refused when the workbook would inflate to more
/// than `max_inflated` bytes.
pub(crate) fn read_sheet(
    bytes: &[u8],
    wanted: Option<&str>,
    max_inflated: Option<u64>,
) -> Result<Sheet, IssueKind> {
    read_sheet_with(bytes, wanted, max_inflated, true)
}

/// [`read_sheet`]; an .xlsx sheet is streamed cell by cell when `stream` (never held as a
/// calamine `Range`, one enum and often one heap string per cell), other formats — and an
/// .xlsx whose cells are not in sheet order — go through the `Range`.
fn read_sheet_with(
    bytes: &[u8],
    wanted: Option<&str>,
    max_inflated: Option<u64>,
    stream: bool,
) -> Result<Sheet, IssueKind> {
    if let Some(limit) = max_inflated {
        check_inflation(bytes, limit)?;
    }
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
    if let (true, calamine::Sheets::Xlsx(x)) = (stream, &mut wb) {
        if let Some(b) = stream_cells(x, &name)? {
            return Ok(b.finish(name, None));
        }
    }
    let range = wb.worksheet_range(&name).map_err(|e| unreadable(&e))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut b = Builder::new(Some(row0));
    for (i, cells) in range.rows().enumerate() {
        let row = row0.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        for (j, cell) in cells.iter().enumerate() {
            if *cell != Data::Empty {
                let col = col0.saturating_add(u32::try_from(j).unwrap_or(u32::MAX));
                b.cell(row, col, |s| push_data(s, cell))
                    .map_err(|e| too_big(&name, e))?;
            }
        }
    }
    let bounds = (range.height() as u64, col0 as usize + range.width());
    Ok(b.finish(name, Some(bounds)))
}

/// The non-empty cells of an .xlsx sheet as calamine's `Range` would hold them, streamed;
/// `None` when they are not in sheet order (the `Range` then sorts them out).
fn stream_cells<RS: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<RS>,
    name: &str,
) -> Result<Option<Builder>, IssueKind> {
    let xlsx_err = |e| unreadable(&calamine::Error::Xlsx(e));
    let mut cells = match x.worksheet_cells_reader(name) {
        Ok(r) => r,
        // As `worksheet_range`: a chart sheet reads as an empty sheet.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Some(Builder::new(None))),
        Err(e) => return Err(xlsx_err(e)),
    };
    let mut b = Builder::new(None);
    while let Some(cell) = cells.next_cell().map_err(xlsx_err)? {
        let value = cell.get_value();
        if *value == DataRef::Empty {
            continue;
        }
        let (row, col) = cell.get_position();
        if !b
            .cell(row, col, |s| push_data_ref(s, value))
            .map_err(|e| too_big(name, e))?
        {
            return Ok(None);
        }
    }
    Ok(Some(b))
}

/// A cell as the text a CSV export would hold.
#[cfg(test)]
pub(crate) fn cell_text(cell: &Data) -> String {
    let mut s = String::new();
    push_data(&mut s, cell);
    s
}

/// Appends a cell's text (as a CSV export would hold it).
fn push_data(out: &mut String, cell: &Data) {
    match cell {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => push_number(out, *f),
        Data::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Data::Error(e) => {
            let _ = write!(out, "{e}");
        }
        Data::DateTime(dt) => push_datetime(out, dt),
    }
}

/// [`push_data`] for a streamed cell (the same text for the same value).
fn push_data_ref(out: &mut String, cell: &DataRef<'_>) {
    match cell {
        DataRef::Empty => {}
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => out.push_str(s),
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::Int(i) => {
            let _ = write!(out, "{i}");
        }
        DataRef::Float(f) => push_number(out, *f),
        DataRef::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        DataRef::Error(e) => {
            let _ = write!(out, "{e}");
        }
        DataRef::DateTime(dt) => push_datetime(out, dt),
    }
}

fn push_datetime(out: &mut String, dt: &calamine::ExcelDateTime) {
    let v = dt.as_f64();
    if !v.is_finite() || v < 0.0 {
        return push_number(out, v);
    }
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    let _ = if v < 1.0 {
        write!(out, "{h:02}:{mi:02}:{s:02}")
    } else if v.fract() == 0.0 {
        write!(out, "{y:04}-{mo:02}-{d:02}")
    } else {
        write!(out, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    };
}

fn push_number(out: &mut String, f: f64) {
    let _ = if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        write!(out, "{}", f as i64)
    } else {
        write!(out, "{f}")
    };
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
        // An error cell as Excel shows it (calamine's text carries the `#`).
        let na = Data::Error(calamine::CellErrorType::NA);
        assert_eq!(cell_text(&na), "#N/A");
        // Serial 45292 = 2024-01-01 (1900 epoch); + 31 (Jan) + 29 (Feb) + 6 = 45358 = 2024-03-07;
        // .5 = 12:00.
        let dt = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&dt(45358.0)), "2024-03-07");
        assert_eq!(cell_text(&dt(45358.5)), "2024-03-07 12:00:00");
        assert_eq!(cell_text(&dt(0.25)), "06:00:00");
        assert_eq!(cell_text(&dt(f64::NAN)), "NaN");
    }

    /// A minimal .xlsx: one sheet `Ark1` with `sheet_data` (the inside of `<sheetData>`),
    /// shared strings `navn`, `p1`, and cell styles 1 = date (built-in format 14), 2 = time
    /// (21), 3 = date and time (22).
    fn book(sheet_data: &str) -> Vec<u8> {
        use std::io::Write as _;
        let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let parts = [
            (
                "[Content_Types].xml",
                format!(
                    r#"{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
                ),
            ),
            (
                "_rels/.rels",
                format!(
                    r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"{head}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/sharedStrings.xml",
                format!(
                    r#"{head}<sst xmlns="{main}" count="2" uniqueCount="2"><si><t>navn</t></si><si><t>p1</t></si></sst>"#
                ),
            ),
            (
                "xl/styles.xml",
                format!(
                    r#"{head}<styleSheet xmlns="{main}"><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="21" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>"#
                ),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"{head}<worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData></worksheet>"#
                ),
            ),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, text) in parts {
            zip.start_file(name, opts).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// Every row of the used range by key: `(key, sheet row, cells)`; and the rows that
    /// hold cells as [`Sheet::row`] gives them.
    type Dump = (Vec<(u64, u64, Vec<String>)>, Vec<(u64, u64, Vec<String>)>);
    fn dump(sheet: &Sheet) -> Dump {
        let owned = |c: &mut dyn Iterator<Item = &str>| c.map(str::to_string).collect();
        let by_key = (0..sheet.height + 1)
            .filter_map(|k| {
                let mut cells = sheet.row_by_key(k)?;
                Some((k, sheet.line_of(k), owned(&mut cells)))
            })
            .collect();
        let held = (0..)
            .map_while(|i| sheet.row(i).map(|(k, l, mut c)| (k, l, owned(&mut c))))
            .collect();
        (by_key, held)
    }

    /// The sheet streamed and through calamine's `Range` (as before streaming), which must agree.
    fn both(bytes: &[u8]) -> Dump {
        let streamed = read_sheet(bytes, None, None).unwrap();
        let ranged = read_sheet_with(bytes, None, None, false).unwrap();
        assert_eq!(streamed.name, ranged.name);
        let d = dump(&streamed);
        assert_eq!(d, dump(&ranged));
        d
    }

    fn row(key: u64, line: u64, cells: &[&str]) -> (u64, u64, Vec<String>) {
        (key, line, cells.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn streamed_sheet_reads_as_the_range_did() {
        // Used range B2:F5 (rows 2..=5, columns up to F): every row holds A..F = 6 cells;
        // row 4 is empty; row 6's only cell is an empty inline string, which counts as a cell
        // for the range (a 5th row) but holds no text.
        let bytes = book(concat!(
            r#"<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="inlineStr"><is><t>dato</t></is></c>"#,
            r#"<c r="D2" t="inlineStr"><is><t>tid</t></is></c></row>"#,
            // 45358 = 2024-03-07 (see `cells_become_csv_text`); 0.25 = 06:00; 1980.0 → 1980.
            r#"<row r="3"><c r="B3" t="s"><v>1</v></c><c r="C3" s="1"><v>45358</v></c>"#,
            r#"<c r="D3" s="2"><v>0.25</v></c><c r="E3"><v>1980.0</v></c></row>"#,
            r#"<row r="5"><c r="B5" t="e"><v>#DIV/0!</v></c><c r="C5" s="3"><v>45358.5</v></c>"#,
            r#"<c r="D5"><v>2.5</v></c><c r="F5" t="b"><v>1</v></c></row>"#,
            r#"<row r="6"><c r="C6" t="inlineStr"><is><t></t></is></c></row>"#,
        ));
        let (by_key, held) = both(&bytes);
        let r2 = row(0, 2, &["", "navn", "dato", "tid", "", ""]);
        let r3 = row(1, 3, &["", "p1", "2024-03-07", "06:00:00", "1980", ""]);
        let r4 = row(2, 4, &["", "", "", "", "", ""]);
        // The error cell reads as Excel shows it and a CSV export writes it: `#DIV/0!`.
        let r5 = row(
            3,
            5,
            &["", "#DIV/0!", "2024-03-07 12:00:00", "2.5", "", "true"],
        );
        let r6 = row(4, 6, &["", "", "", "", "", ""]);
        assert_eq!(
            by_key,
            vec![r2.clone(), r3.clone(), r4, r5.clone(), r6.clone()]
        );
        assert_eq!(held, vec![r2, r3, r5, r6]);
    }

    #[test]
    fn cells_out_of_sheet_order_go_through_the_range() {
        // Row 3 before row 2, and in row 2 column C before B, B twice (the Range keeps the last).
        let data = concat!(
            r#"<row r="3"><c r="A3"><v>3</v></c></row>"#,
            r#"<row r="2"><c r="C2"><v>22</v></c><c r="B2"><v>21</v></c><c r="B2"><v>20</v></c></row>"#,
        );
        let bytes = book(data);
        let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(&bytes[..])).unwrap();
        let calamine::Sheets::Xlsx(x) = &mut wb else {
            panic!("not read as xlsx")
        };
        assert!(stream_cells(x, "Ark1").unwrap().is_none());
        let (by_key, _) = both(&bytes);
        assert_eq!(
            by_key,
            vec![row(0, 2, &["", "20", "22"]), row(1, 3, &["3", "", ""])]
        );
        // Within a row in order: streamed.
        let bytes = book(r#"<row r="2"><c r="B2"><v>1</v></c><c r="D2"><v>2</v></c></row>"#);
        let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(&bytes[..])).unwrap();
        let calamine::Sheets::Xlsx(x) = &mut wb else {
            panic!("not read as xlsx")
        };
        assert!(stream_cells(x, "Ark1").unwrap().is_some());
        assert_eq!(both(&bytes).0, vec![row(0, 2, &["", "1", "", "2"])]);
    }

    #[test]
    fn written_workbook_streams_as_the_range_did() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("dd.mm.yyyy");
        let time = Format::new().set_num_format("hh:mm:ss");
        let ws = wb.add_worksheet();
        // Starts at C3 (row 2, column 2); row 5 empty; shared strings repeated.
        ws.write_string(2, 2, "lopenr").unwrap();
        ws.write_string(2, 3, "dato").unwrap();
        ws.write_string(3, 2, "p1").unwrap();
        let a = ExcelDateTime::from_ymd(2021, 3, 1).unwrap();
        ws.write_datetime_with_format(3, 3, &a, &date).unwrap();
        let t = ExcelDateTime::from_hms(6, 30, 0).unwrap();
        ws.write_datetime_with_format(3, 4, &t, &time).unwrap();
        ws.write_string(5, 2, "p1").unwrap();
        ws.write_number(5, 3, 301.0).unwrap();
        ws.write_number(5, 5, -0.5).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (by_key, _) = both(&bytes);
        assert_eq!(
            by_key,
            vec![
                row(0, 3, &["", "", "lopenr", "dato", "", ""]),
                row(1, 4, &["", "", "p1", "2021-03-01", "06:30:00", ""]),
                row(2, 5, &["", "", "", "", "", ""]),
                row(3, 6, &["", "", "p1", "301", "", "-0.5"]),
            ]
        );
    }

    #[test]
    fn empty_sheet_and_errors_as_before() {
        assert_eq!(both(&book("")), (vec![], vec![]));
        // A cell whose shared string does not exist: the same error both ways.
        let bad = book(r#"<row r="1"><c r="A1" t="s"><v>7</v></c></row>"#);
        let e = read_sheet(&bad, None, None).err();
        assert!(e.is_some());
        assert_eq!(e, read_sheet_with(&bad, None, None, false).err());
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        assert!(matches!(
            read_sheet(b"PK\x03\x04garbage", None, Some(1 << 20)),
            Err(IssueKind::UnreadableFile { .. })
        ));
    }
}
