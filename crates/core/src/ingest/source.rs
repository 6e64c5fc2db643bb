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
        /// Lines with stray non-UTF-8 bytes (replaced): `(line, bytes)`.
        invalid: Vec<(u64, usize)>,
    },
    /// A worksheet.
    Sheet(Sheet),
}

impl<'a> Prepared<'a> {
    /// Decodes the bytes (or opens the workbook). Only an unreadable workbook fails here.
    pub(crate) fn new(
        bytes: &'a [u8],
        sheet: Option<&str>,
        max_inflated: Option<u64>,
    ) -> Result<Prepared<'a>, IssueKind> {
        if xlsx::is_workbook(bytes) {
            return xlsx::read_sheet(bytes, sheet, max_inflated).map(Prepared::Sheet);
        }
        let d = decode(bytes);
        let delimiter = detect_delimiter(&d.text);
        Ok(Prepared::Text {
            text: d.text,
            encoding: d.encoding,
            delimiter,
            invalid: d.invalid,
        })
    }

    /// Like [`Prepared::new`] for bytes it may keep: UTF-8 text becomes the text without a
    /// copy.
    pub(crate) fn from_owned(
        bytes: Vec<u8>,
        sheet: Option<&str>,
        max_inflated: Option<u64>,
    ) -> Result<Prepared<'static>, IssueKind> {
        if xlsx::is_workbook(&bytes) {
            return xlsx::read_sheet(&bytes, sheet, max_inflated).map(Prepared::Sheet);
        }
        let d = super::decode::decode_owned(bytes);
        let delimiter = detect_delimiter(&d.text);
        Ok(Prepared::Text {
            text: d.text,
            encoding: d.encoding,
            delimiter,
            invalid: d.invalid,
        })
    }

    /// Lines with stray non-UTF-8 bytes: `(line, bytes replaced)`.
    pub(crate) fn invalid_lines(&self) -> &[(u64, usize)] {
        match self {
            Prepared::Text { invalid, .. } => invalid,
            Prepared::Sheet(_) => &[],
        }
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
                base_line: 1,
                base_byte: 0,
                last_error_at: None,
                expected: None,
            },
            Prepared::Sheet(s) => Rows::Sheet { sheet: s, next: 0 },
        }
    }
}

impl<'a> Prepared<'a> {
    /// Byte offsets that cut the text from `from` on into about `pieces` parts at line ends
    /// that are, as far as counting quotes can tell, ends of records: a `\n` with an even
    /// number of `"` before it (from `from`). Counting cannot see every case (a quote inside an
    /// unquoted field, an unclosed one), so the reader checks each cut after reading
    /// ([`super::parallel`]) and reads the file in one go when one was wrong. `None` when the
    /// file cannot be cut (a workbook, too small). The result starts with `from` and ends with
    /// the text's length.
    pub(crate) fn cut_points(&self, from: u64, pieces: usize) -> Option<Vec<u64>> {
        let Prepared::Text { text, .. } = self else {
            return None;
        };
        let bytes = text.as_bytes();
        let from = usize::try_from(from).ok()?;
        let data = bytes.get(from..)?;
        if pieces < 2 || data.len() < MIN_PIECE_BYTES * 2 {
            return None;
        }
        let quotes = |range: &[u8]| range.iter().filter(|&&b| b == b'"').count();
        let mut cuts = vec![from];
        let mut quotes_before = 0usize;
        for i in 1..pieces {
            let last = *cuts.last().unwrap_or(&from);
            let target = (from + data.len() / pieces * i).max(last);
            quotes_before += quotes(&bytes[last..target]);
            // The first line end at or after the target outside quotes.
            let mut at = target;
            let cut = loop {
                let Some(nl) = bytes[at..].iter().position(|&b| b == b'\n') else {
                    break None;
                };
                quotes_before += quotes(&bytes[at..at + nl]);
                at += nl + 1;
                if quotes_before.is_multiple_of(2) {
                    break Some(at);
                }
            };
            match cut {
                Some(c) if c < bytes.len() => cuts.push(c),
                _ => break,
            }
        }
        cuts.push(bytes.len());
        (cuts.len() > 2).then(|| cuts.into_iter().map(|c| c as u64).collect())
    }

    /// Readers over the pieces between `cuts` (from [`Prepared::cut_points`]), each counting
    /// lines from `first_line`. `None` for workbooks or cuts outside the text.
    pub(crate) fn pieces(&self, cuts: &[u64], first_line: u64) -> Option<Vec<Rows<'_>>> {
        let Prepared::Text {
            text, delimiter, ..
        } = self
        else {
            return None;
        };
        cuts.windows(2)
            .map(|w| {
                let (start, end) = (usize::try_from(w[0]).ok()?, usize::try_from(w[1]).ok()?);
                let text = text.get(..end)?;
                Some(Rows::Csv {
                    text,
                    delimiter: *delimiter,
                    reader: csv_reader(text.as_bytes().get(start..)?, *delimiter),
                    base_line: first_line,
                    base_byte: start as u64,
                    last_error_at: None,
                    expected: None,
                })
            })
            .collect()
    }
}

/// Pieces smaller than this are not worth a thread (tiny in tests, to cut small files).
const MIN_PIECE_BYTES: usize = if cfg!(test) { 16 } else { 1 << 20 };

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
        /// The reader, over `text[base_byte..]`.
        reader: csv::Reader<&'p [u8]>,
        /// Line of `text` where the reader starts (1-based).
        base_line: u64,
        /// Byte of `text` where the reader starts.
        base_byte: u64,
        /// Byte offset of the last parse error, to never loop on one.
        last_error_at: Option<u64>,
        /// Fields of the header, once it has been read.
        expected: Option<usize>,
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
    /// A quoted field opened on this line runs over later records or past the end; reading
    /// goes on at the next line. The second value is how many lines the field swallowed.
    Unclosed(RecordPos, u64),
    /// End of input.
    End,
}

fn is_blank(rec: &StringRecord) -> bool {
    // Nearly every record has a visible ASCII byte: the first byte that is not ASCII white
    // space decides, unless it is non-ASCII (which may be Unicode white space such as U+00A0).
    match rec.as_slice().bytes().find(|b| !b.is_ascii_whitespace()) {
        None => return true,
        Some(b) if b.is_ascii() => return false,
        Some(_) => {}
    }
    rec.iter().all(|f| f.trim().is_empty())
}

/// Whether a record that holds a line break inside a quoted field is really an unclosed quote:
/// the field ran over what look like whole records (an embedded line with as many delimiters
/// as a record has), the record's field count differs from the header's, or the quote ran to
/// the end of the file without closing.
fn unclosed(
    text: &str,
    start: usize,
    at_end: bool,
    rec: &StringRecord,
    delimiter: u8,
    expected: Option<usize>,
) -> bool {
    if !rec.as_slice().contains(['\n', '\r']) {
        return false;
    }
    if expected.is_some_and(|n| n != rec.len()) {
        return true;
    }
    let per_record = expected.unwrap_or(2).saturating_sub(1).max(1);
    let d = char::from(delimiter);
    let runs_over_records = rec.iter().any(|f| {
        f.split('\n')
            .skip(1)
            .any(|l| l.matches(d).count() >= per_record)
    });
    if runs_over_records {
        return true;
    }
    // The last record: is a quote still open at the end of the file?
    at_end && open_at_end(text.as_bytes().get(start..).unwrap_or(&[]), delimiter)
}

/// Whether a quoted field is still open at the end of `s` (CSV quoting: a quote opens a field
/// only at its start, `""` inside is one quote, anything after the closing quote is literal).
fn open_at_end(s: &[u8], delimiter: u8) -> bool {
    let (mut quoted, mut field_start, mut i) = (false, true, 0);
    while i < s.len() {
        let b = s[i];
        if quoted {
            if b == b'"' {
                if s.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if field_start && b == b'"' {
            quoted = true;
            field_start = false;
        } else {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
        }
        i += 1;
    }
    quoted
}

impl<'p> Rows<'p> {
    /// Where reading goes on: (byte offset, line). `None` for workbooks.
    pub(crate) fn resume_point(&self) -> Option<(u64, u64)> {
        match self {
            Rows::Csv {
                reader,
                base_line,
                base_byte,
                ..
            } => {
                let p = reader.position();
                Some((*base_byte + p.byte(), *base_line + p.line() - 1))
            }
            Rows::Sheet { .. } => None,
        }
    }

    /// Line ends from the reader's start to the end of its text (0 for workbooks).
    pub(crate) fn newlines_ahead(&self) -> u64 {
        match self {
            Rows::Csv {
                text, base_byte, ..
            } => {
                let from = usize::try_from(*base_byte).unwrap_or(usize::MAX);
                let rest = text.as_bytes().get(from..).unwrap_or(&[]);
                rest.iter().filter(|&&b| b == b'\n').count() as u64
            }
            Rows::Sheet { .. } => 0,
        }
    }

    /// Tells the reader how many fields the header has (to recognise unclosed quotes).
    pub(crate) fn set_expected(&mut self, n: usize) {
        if let Rows::Csv { expected, .. } = self {
            *expected = Some(n);
        }
    }

    /// Reads the next record that is not entirely blank into `rec`.
    pub(crate) fn next_record(&mut self, rec: &mut StringRecord) -> Next {
        loop {
            match self {
                Rows::Csv {
                    text,
                    delimiter,
                    reader,
                    base_line,
                    base_byte,
                    last_error_at,
                    expected,
                } => match reader.read_record(rec) {
                    Ok(false) => return Next::End,
                    Ok(true) => {
                        if is_blank(rec) {
                            continue;
                        }
                        let (line, byte) = rec
                            .position()
                            .map(|p| (p.line(), p.byte()))
                            .unwrap_or((1, 0));
                        let (mut line, mut start) = (*base_line + line - 1, *base_byte + byte);
                        // After a CRLF line end the parser ends the record at `\r` and counts
                        // the `\n` (and any blank lines after it) as the start of the next
                        // one: the record really starts after them.
                        while let Some(&b) = text.as_bytes().get(start as usize) {
                            match b {
                                b'\n' => (line, start) = (line + 1, start + 1),
                                b'\r' => start += 1,
                                _ => break,
                            }
                        }
                        let end = reader.position();
                        let end_line = *base_line + end.line() - 1;
                        let bytes = *base_byte + end.byte();
                        let pos = RecordPos {
                            line,
                            key: start,
                            bytes,
                        };
                        let at_end = bytes as usize >= text.len();
                        // Only a record over more than one line (or the last one, whose
                        // open quote may have eaten just its own line end) can hold a quoted
                        // line break: an integer test, so clean files pay nothing for it.
                        let spans = end_line > line + 1 || at_end;
                        if spans
                            && unclosed(text, start as usize, at_end, rec, *delimiter, *expected)
                        {
                            // Start again after the line the quote opened on.
                            let from = start as usize;
                            let next = text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
                            *reader = csv_reader(&text.as_bytes()[next..], *delimiter);
                            *base_line = line + 1;
                            *base_byte = next as u64;
                            return Next::Unclosed(pos, end_line.saturating_sub(line).max(1));
                        }
                        return Next::Record(pos);
                    }
                    Err(_) => {
                        let p = reader.position();
                        let at = *base_byte + p.byte();
                        let pos = RecordPos {
                            line: *base_line + p.line() - 1,
                            key: at,
                            bytes: at,
                        };
                        if *last_error_at == Some(at) {
                            return Next::End;
                        }
                        *last_error_at = Some(at);
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

    /// A reader that fetches records again by key (for exact duplicate checks).
    pub(crate) fn fetcher(&self) -> Fetcher<'p> {
        match self {
            Rows::Csv {
                text, delimiter, ..
            } => Fetcher::Csv(
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(*delimiter)
                    .from_reader(std::io::Cursor::new(text.as_bytes())),
            ),
            Rows::Sheet { sheet, .. } => Fetcher::Sheet(sheet),
        }
    }
}

/// Fetches records of a file again by their key; one CSV reader for all of them, moved to each
/// record's byte offset (building a reader per record would rebuild the parser's tables).
pub(crate) enum Fetcher<'p> {
    /// CSV text.
    Csv(csv::Reader<std::io::Cursor<&'p [u8]>>),
    /// Worksheet.
    Sheet(&'p Sheet),
}

impl Fetcher<'_> {
    /// The lines of the records at `keys` (in ascending order): for CSV one more than the line
    /// ends before the record's first byte (the reader counts lines so, also after CRLF ends,
    /// blank lines and quoted line breaks), for a worksheet the sheet row.
    pub(crate) fn lines_of(&self, keys: &[u64]) -> Vec<u64> {
        match self {
            Fetcher::Csv(reader) => {
                let bytes: &[u8] = reader.get_ref().get_ref();
                let (mut at, mut line) = (0usize, 1u64);
                keys.iter()
                    .map(|&key| {
                        let to = usize::try_from(key).unwrap_or(usize::MAX).min(bytes.len());
                        let from = at.min(to);
                        line += bytes[from..to].iter().filter(|&&b| b == b'\n').count() as u64;
                        at = to;
                        line
                    })
                    .collect()
            }
            Fetcher::Sheet(sheet) => keys
                .iter()
                .map(|&key| {
                    usize::try_from(key)
                        .ok()
                        .and_then(|i| sheet.rows.get(i))
                        .map_or(0, |(line, _)| *line)
                })
                .collect(),
        }
    }

    /// The record at `key` (a byte offset, or a sheet row index).
    pub(crate) fn fetch(&mut self, key: u64) -> Option<StringRecord> {
        match self {
            Fetcher::Csv(reader) => {
                let mut at = csv::Position::new();
                at.set_byte(key);
                reader.seek(at).ok()?;
                let mut rec = StringRecord::new();
                match reader.read_record(&mut rec) {
                    Ok(true) => Some(rec),
                    _ => None,
                }
            }
            Fetcher::Sheet(sheet) => {
                let (_, cells) = sheet.rows.get(usize::try_from(key).ok()?)?;
                Some(StringRecord::from(cells.clone()))
            }
        }
    }
}
