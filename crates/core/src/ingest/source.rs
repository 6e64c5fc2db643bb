//! Stage 1: bytes → header and raw records with their line numbers, for CSV and workbooks alike.

use super::decode::decode;
use super::delimiter::detect_delimiter;
use super::xlsx::{self, Sheet};
use crate::quality::{IssueKind, TextEncoding};
use csv::StringRecord;
use std::borrow::Cow;

/// A file made ready to read: decoded text, or a worksheet's cells.
pub(crate) enum Prepared<'a> {
    /// CSV text (decoded once; borrowed when it was UTF-8 already).
    Text {
        /// The text, without BOM.
        text: Cow<'a, str>,
        /// How it was encoded.
        encoding: TextEncoding,
        /// Detected delimiter.
        delimiter: u8,
    },
    /// A worksheet.
    Sheet(Sheet),
}

impl<'a> Prepared<'a> {
    /// Decodes the bytes (or opens the workbook). Only an unreadable workbook fails here.
    pub(crate) fn new(bytes: &'a [u8], sheet: Option<&str>) -> Result<Prepared<'a>, IssueKind> {
        if xlsx::is_workbook(bytes) {
            return xlsx::read_sheet(bytes, sheet).map(Prepared::Sheet);
        }
        let (text, encoding) = decode(bytes);
        let delimiter = detect_delimiter(&text);
        Ok(Prepared::Text {
            text,
            encoding,
            delimiter,
        })
    }

    /// Encoding for the report.
    pub(crate) fn encoding(&self) -> TextEncoding {
        match self {
            Prepared::Text { encoding, .. } => *encoding,
            Prepared::Sheet(_) => TextEncoding::Workbook,
        }
    }

    /// Delimiter for the report.
    pub(crate) fn delimiter(&self) -> Option<char> {
        match self {
            Prepared::Text { delimiter, .. } => Some(char::from(*delimiter)),
            Prepared::Sheet(_) => None,
        }
    }

    /// Sheet name for the report.
    pub(crate) fn sheet_name(&self) -> Option<String> {
        match self {
            Prepared::Text { .. } => None,
            Prepared::Sheet(s) => Some(s.name.clone()),
        }
    }

    /// A reader over the records, header first.
    pub(crate) fn rows(&self) -> Rows<'_> {
        match self {
            Prepared::Text {
                text, delimiter, ..
            } => Rows::Csv {
                text,
                delimiter: *delimiter,
                reader: csv_reader(text.as_bytes(), *delimiter),
                last_error_at: None,
            },
            Prepared::Sheet(s) => Rows::Sheet { sheet: s, next: 0 },
        }
    }
}

fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// Where a record was found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordPos {
    /// 1-based physical line (sheet row for workbooks).
    pub line: u64,
    /// Key to fetch the record again ([`Rows::fetch`]): byte offset, or row index.
    pub key: u64,
    /// Bytes of text read so far (for progress).
    pub bytes: u64,
}

/// The records of a prepared file.
pub(crate) enum Rows<'p> {
    /// CSV.
    Csv {
        /// The whole text (to fetch records again).
        text: &'p str,
        /// Its delimiter.
        delimiter: u8,
        /// The reader.
        reader: csv::Reader<&'p [u8]>,
        /// Byte offset of the last parse error, to never loop on one.
        last_error_at: Option<u64>,
    },
    /// Worksheet.
    Sheet {
        /// The sheet.
        sheet: &'p Sheet,
        /// Next row index.
        next: usize,
    },
}

/// What [`Rows::next_record`] found.
pub(crate) enum Next {
    /// A record (never an entirely blank one).
    Record(RecordPos),
    /// A record the CSV parser could not read, at this line.
    Malformed(RecordPos),
    /// End of input.
    End,
}

fn is_blank(rec: &StringRecord) -> bool {
    rec.iter().all(|f| f.trim().is_empty())
}

impl<'p> Rows<'p> {
    /// Reads the next record that is not entirely blank into `rec`.
    pub(crate) fn next_record(&mut self, rec: &mut StringRecord) -> Next {
        loop {
            match self {
                Rows::Csv {
                    reader,
                    last_error_at,
                    ..
                } => match reader.read_record(rec) {
                    Ok(false) => return Next::End,
                    Ok(true) => {
                        if is_blank(rec) {
                            continue;
                        }
                        let (line, byte) = rec
                            .position()
                            .map(|p| (p.line(), p.byte()))
                            .unwrap_or((0, 0));
                        let bytes = reader.position().byte();
                        return Next::Record(RecordPos {
                            line,
                            key: byte,
                            bytes,
                        });
                    }
                    Err(_) => {
                        let p = reader.position();
                        let pos = RecordPos {
                            line: p.line(),
                            key: p.byte(),
                            bytes: p.byte(),
                        };
                        if *last_error_at == Some(p.byte()) {
                            return Next::End;
                        }
                        *last_error_at = Some(p.byte());
                        return Next::Malformed(pos);
                    }
                },
                Rows::Sheet { sheet, next } => {
                    let Some((line, cells)) = sheet.rows.get(*next) else {
                        return Next::End;
                    };
                    let key = *next as u64;
                    *next += 1;
                    rec.clear();
                    for c in cells {
                        rec.push_field(c);
                    }
                    if is_blank(rec) {
                        continue;
                    }
                    return Next::Record(RecordPos {
                        line: *line,
                        key,
                        bytes: 0,
                    });
                }
            }
        }
    }

    /// The record at `key` again (for exact duplicate checks).
    pub(crate) fn fetch(&self, key: u64) -> Option<StringRecord> {
        match self {
            Rows::Csv {
                text, delimiter, ..
            } => {
                let rest = text.as_bytes().get(usize::try_from(key).ok()?..)?;
                let mut r = csv_reader(rest, *delimiter);
                let mut rec = StringRecord::new();
                match r.read_record(&mut rec) {
                    Ok(true) => Some(rec),
                    _ => None,
                }
            }
            Rows::Sheet { sheet, .. } => {
                let (_, cells) = sheet.rows.get(usize::try_from(key).ok()?)?;
                Some(StringRecord::from(cells.clone()))
            }
        }
    }
}
