//! Stage 1: bytes → header and raw records with their line numbers, for CSV and workbooks alike.

use super::decode::decode;
use super::delimiter::detect_delimiter;
use super::xlsx::{self, Sheet};
use crate::quality::{IssueKind, TextEncoding};
use csv::StringRecord;

/// One record's fields. A quote-free line is kept as it is, delimiters and all, with the
/// bounds of its fields (one copy of the line, no work per field); a record read by the CSV
/// parser gets its fields one after another.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    buf: String,
    bounds: Vec<(usize, usize)>,
}

impl Record {
    /// An empty record.
    pub(crate) fn new() -> Record {
        Record::default()
    }

    /// Removes every field.
    pub(crate) fn clear(&mut self) {
        self.buf.clear();
        self.bounds.clear();
    }

    /// Adds a field after the others.
    pub(crate) fn push_field(&mut self, field: &str) {
        self.push_field_after(b',', field);
    }

    /// Adds a field after the others, and `delimiter` between them in [`Record::joined`].
    pub(crate) fn push_field_after(&mut self, delimiter: u8, field: &str) {
        if !self.bounds.is_empty() {
            self.buf.push(char::from(delimiter));
        }
        let start = self.buf.len();
        self.buf.push_str(field);
        self.bounds.push((start, self.buf.len()));
    }

    /// The record is `line`, split at every `delimiter` (an ASCII byte).
    ///
    /// Eight bytes are looked at together: a byte-by-byte loop was the reader's largest cost
    /// in the browser, where WebAssembly runs it as written (natively it is vectorised).
    fn set_line(&mut self, line: &str, delimiter: u8) {
        const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        self.clear();
        self.buf.push_str(line);
        let bytes = line.as_bytes();
        let pattern = u64::from_ne_bytes([delimiter; 8]);
        let (words, rest) = bytes.as_chunks::<8>();
        let mut from = 0;
        for (w, word) in words.iter().enumerate() {
            let x = u64::from_le_bytes(*word) ^ pattern;
            // The top bit of each byte that is 0 in `x` (is the delimiter), and of no other:
            // adding 0x7F to a byte's low 7 bits carries into its top bit unless they are 0,
            // and no carry crosses into the next byte.
            let mut found = !(((x & LOW7) + LOW7) | x | LOW7);
            while found != 0 {
                let i = w * 8 + (found.trailing_zeros() / 8) as usize;
                self.bounds.push((from, i));
                from = i + 1;
                found &= found - 1;
            }
        }
        let tail = words.len() * 8;
        for (j, &b) in rest.iter().enumerate() {
            if b == delimiter {
                self.bounds.push((from, tail + j));
                from = tail + j + 1;
            }
        }
        self.bounds.push((from, line.len()));
    }

    /// How many fields.
    pub(crate) fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Field `i`.
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        let &(a, b) = self.bounds.get(i)?;
        self.buf.get(a..b)
    }

    /// The fields in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.bounds
            .iter()
            .map(|&(a, b)| self.buf.get(a..b).unwrap_or(""))
    }

    /// The fields joined by the delimiter: equal records join equally, so this is what the
    /// duplicate check hashes (a field holding the delimiter may join like two fields: only a
    /// collision, which the field-by-field comparison settles).
    pub(crate) fn joined(&self) -> &[u8] {
        self.buf.as_bytes()
    }

    /// Whether any field holds one of `bytes`.
    fn contains_any(&self, bytes: &[u8]) -> bool {
        self.iter().any(|f| f.bytes().any(|b| bytes.contains(&b)))
    }
}

impl<'a> From<Vec<&'a str>> for Record {
    fn from(fields: Vec<&'a str>) -> Record {
        let mut r = Record::new();
        for f in fields {
            r.push_field(f);
        }
        r
    }
}
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
                at: 0,
                line: 1,
                last_error_at: None,
                expected: None,
                scratch: StringRecord::new(),
                #[cfg(test)]
                csv_only: false,
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
    /// file cannot be cut (a workbook, or under `min_piece` bytes a piece). The result starts
    /// with `from` and ends with the text's length.
    pub(crate) fn cut_points(
        &self,
        from: u64,
        pieces: usize,
        min_piece: usize,
    ) -> Option<Vec<u64>> {
        let Prepared::Text { text, .. } = self else {
            return None;
        };
        #[cfg(test)]
        if NO_CUTS.with(std::cell::Cell::get) {
            return None;
        }
        let bytes = text.as_bytes();
        let from = usize::try_from(from).ok()?;
        let data = bytes.get(from..)?;
        if pieces < 2 || data.len() < min_piece.saturating_mul(2) {
            return None;
        }
        let quotes = |range: &[u8]| count_byte(range, b'"');
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
                text.get(start..)?;
                Some(Rows::Csv {
                    text,
                    delimiter: *delimiter,
                    reader: csv_reader(text.as_bytes(), *delimiter),
                    at: start as u64,
                    line: first_line,
                    last_error_at: None,
                    expected: None,
                    scratch: StringRecord::new(),
                    #[cfg(test)]
                    csv_only: false,
                })
            })
            .collect()
    }
}

/// How many bytes of `bytes` are `b`: counted in blocks of 255 with a byte-wide sum, which
/// the compiler turns into vector instructions (a filtered count is not).
pub(crate) fn count_byte(bytes: &[u8], b: u8) -> usize {
    bytes
        .chunks(255)
        .map(|block| usize::from(block.iter().map(|&x| u8::from(x == b)).sum::<u8>()))
        .sum()
}

#[cfg(test)]
thread_local! {
    /// Tests: no file is cut (as a file under the cutting size), so that the big files of
    /// small test extracts are read whole, side by side (`super::side`).
    pub(crate) static NO_CUTS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Pieces smaller than this are not worth a thread (tiny in tests, to cut small files); the
/// default of [`super::ReadOptions::min_piece_bytes`].
pub(crate) const MIN_PIECE_BYTES: usize = if cfg!(test) { 16 } else { 1 << 20 };

fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<std::io::Cursor<&[u8]>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(std::io::Cursor::new(bytes))
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
// One per file (or piece of a file) being read: the size of the CSV variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Rows<'p> {
    /// CSV. A line without a quote character is split at its delimiters here (what the CSV
    /// parser would do with it, several times faster); any other record is read by the CSV
    /// parser, moved to where it starts.
    Csv {
        /// The whole text (to fetch records again).
        text: &'p str,
        /// Its delimiter.
        delimiter: u8,
        /// The CSV parser over the whole text, for the records with quotes.
        reader: csv::Reader<std::io::Cursor<&'p [u8]>>,
        /// Byte of `text` where reading goes on.
        at: u64,
        /// The line of byte `at` (1-based): one more than the line ends before it.
        line: u64,
        /// Byte offset of the last parse error, to never loop on one.
        last_error_at: Option<u64>,
        /// Fields of the header, once it has been read.
        expected: Option<usize>,
        /// The CSV parser's record, before its fields are copied to the caller's.
        scratch: StringRecord,
        /// Tests: every record through the CSV parser, to compare the fast path with it.
        #[cfg(test)]
        csv_only: bool,
    },
    /// Worksheet.
    Sheet {
        /// The sheet.
        sheet: &'p Sheet,
        /// Index of the next row that holds cells.
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

fn is_blank(rec: &Record) -> bool {
    // Nearly every record has a visible ASCII byte in its first field: the first byte of a
    // field that is not ASCII white space decides, unless it is non-ASCII (which may be
    // Unicode white space such as U+00A0).
    rec.iter()
        .all(|f| match f.bytes().find(|b| !b.is_ascii_whitespace()) {
            None => true,
            Some(b) if b.is_ascii() => false,
            Some(_) => f.trim().is_empty(),
        })
}

/// Whether a record that holds a line break inside a quoted field is really an unclosed quote:
/// the field ran over what look like whole records (an embedded line with as many delimiters
/// as a record has), the record's field count differs from the header's, or the quote ran to
/// the end of the file without closing.
fn unclosed(
    text: &str,
    start: usize,
    at_end: bool,
    rec: &Record,
    delimiter: u8,
    expected: Option<usize>,
) -> bool {
    if !rec.contains_any(b"\n\r") {
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
            Rows::Csv { at, line, .. } => Some((*at, *line)),
            Rows::Sheet { .. } => None,
        }
    }

    /// Line ends from the reader's start to the end of its text (0 for workbooks).
    pub(crate) fn newlines_ahead(&self) -> u64 {
        match self {
            Rows::Csv { text, at, .. } => {
                let from = usize::try_from(*at).unwrap_or(usize::MAX);
                let rest = text.as_bytes().get(from..).unwrap_or(&[]);
                count_byte(rest, b'\n') as u64
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
    pub(crate) fn next_record(&mut self, rec: &mut Record) -> Next {
        loop {
            match self {
                Rows::Csv {
                    text,
                    delimiter,
                    reader,
                    at,
                    line,
                    last_error_at,
                    expected,
                    scratch,
                    #[cfg(test)]
                    csv_only,
                } => {
                    let bytes = text.as_bytes();
                    // Line ends before a record are skipped, as the parser skips empty lines.
                    let mut start = usize::try_from(*at).unwrap_or(usize::MAX);
                    while let Some(&b) = bytes.get(start) {
                        match b {
                            b'\n' => (*line, start) = (*line + 1, start + 1),
                            b'\r' => start += 1,
                            _ => break,
                        }
                    }
                    *at = start as u64;
                    let Some(rest) = bytes.get(start..).filter(|r| !r.is_empty()) else {
                        return Next::End;
                    };
                    let newline = memchr::memchr(b'\n', rest);
                    let body = &rest[..newline.unwrap_or(rest.len())];
                    let body = body.strip_suffix(b"\r").unwrap_or(body);
                    #[cfg(test)]
                    let fast = !*csv_only;
                    #[cfg(not(test))]
                    let fast = true;
                    // Decoded text has a `\r` only before a `\n`; any other one, like a quote,
                    // goes to the parser.
                    if fast && memchr::memchr2(b'"', b'\r', body).is_none() {
                        rec.set_line(
                            text.get(start..start + body.len()).unwrap_or(""),
                            *delimiter,
                        );
                        let record_line = *line;
                        match newline {
                            Some(n) => (*at, *line) = ((start + n + 1) as u64, *line + 1),
                            None => *at = bytes.len() as u64,
                        }
                        if is_blank(rec) {
                            continue;
                        }
                        return Next::Record(RecordPos {
                            line: record_line,
                            key: start as u64,
                            bytes: *at,
                        });
                    }
                    let mut here = csv::Position::new();
                    here.set_byte(start as u64).set_line(*line);
                    if reader.seek(here).is_err() {
                        return Next::End;
                    }
                    let newlines = |from: usize, to: u64| {
                        let to = usize::try_from(to).unwrap_or(usize::MAX).min(bytes.len());
                        count_byte(bytes.get(from..to).unwrap_or(&[]), b'\n') as u64
                    };
                    let read = reader.read_record(scratch);
                    rec.clear();
                    for field in scratch.iter() {
                        rec.push_field_after(*delimiter, field);
                    }
                    match read {
                        Ok(false) => return Next::End,
                        Ok(true) => {
                            let end = reader.position().byte();
                            let record_line = *line;
                            let end_line = record_line + newlines(start, end);
                            (*at, *line) = (end, end_line);
                            if is_blank(rec) {
                                continue;
                            }
                            let pos = RecordPos {
                                line: record_line,
                                key: start as u64,
                                bytes: end,
                            };
                            let at_end = end as usize >= text.len();
                            // Only a record over more than one line (or the last one, whose
                            // open quote may have eaten just its own line end) can hold a
                            // quoted line break: an integer test, so most records pay nothing.
                            let spans = end_line > record_line + 1 || at_end;
                            if spans && unclosed(text, start, at_end, rec, *delimiter, *expected) {
                                // Start again after the line the quote opened on.
                                let next = text[start..]
                                    .find('\n')
                                    .map_or(text.len(), |i| start + i + 1);
                                (*at, *line) = (next as u64, record_line + 1);
                                return Next::Unclosed(
                                    pos,
                                    end_line.saturating_sub(record_line).max(1),
                                );
                            }
                            return Next::Record(pos);
                        }
                        Err(_) => {
                            let e = reader.position().byte();
                            let pos = RecordPos {
                                line: *line + newlines(start, e),
                                key: e,
                                bytes: e,
                            };
                            if *last_error_at == Some(e) {
                                return Next::End;
                            }
                            *last_error_at = Some(e);
                            (*at, *line) = (e.max(start as u64 + 1), pos.line);
                            return Next::Malformed(pos);
                        }
                    }
                }
                Rows::Sheet { sheet, next } => {
                    let Some((key, line, cells)) = sheet.row(*next) else {
                        return Next::End;
                    };
                    *next += 1;
                    rec.clear();
                    for c in cells {
                        rec.push_field(c);
                    }
                    if is_blank(rec) {
                        continue;
                    }
                    return Next::Record(RecordPos {
                        line,
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
                        line += count_byte(&bytes[from..to], b'\n') as u64;
                        at = to;
                        line
                    })
                    .collect()
            }
            Fetcher::Sheet(sheet) => keys.iter().map(|&key| sheet.line_of(key)).collect(),
        }
    }

    /// The record at `key` (a byte offset, or a sheet row index).
    pub(crate) fn fetch(&mut self, key: u64) -> Option<Record> {
        match self {
            Fetcher::Csv(reader) => {
                let mut at = csv::Position::new();
                at.set_byte(key);
                reader.seek(at).ok()?;
                let mut rec = StringRecord::new();
                match reader.read_record(&mut rec) {
                    Ok(true) => Some(Record::from(rec.iter().collect::<Vec<_>>())),
                    _ => None,
                }
            }
            Fetcher::Sheet(sheet) => Some(Record::from(sheet.row_by_key(key)?.collect::<Vec<_>>())),
        }
    }
}

#[cfg(test)]
mod fast_path {
    use super::*;
    use proptest::prelude::*;

    /// What the reader gives for `text`, record by record: kind, line, key, fields.
    fn read_all(text: &str, csv_only: bool) -> Vec<(u8, u64, u64, Vec<String>)> {
        let prepared =
            Prepared::new(text.as_bytes(), None, None).unwrap_or_else(|_| panic!("text"));
        let mut rows = prepared.rows();
        if let Rows::Csv { csv_only: c, .. } = &mut rows {
            *c = csv_only;
        }
        let mut rec = Record::new();
        let mut out = Vec::new();
        for i in 0.. {
            if i == 1 {
                // As the reader does after the header.
                rows.set_expected(rec.len());
            }
            let fields = |rec: &Record| rec.iter().map(str::to_string).collect::<Vec<_>>();
            out.push(match rows.next_record(&mut rec) {
                Next::End => break,
                Next::Record(p) => (0, p.line, p.key, fields(&rec)),
                Next::Malformed(p) => (1, p.line, p.key, Vec::new()),
                Next::Unclosed(p, n) => (2, p.line, p.key, vec![n.to_string()]),
            });
        }
        out
    }

    fn line() -> impl Strategy<Value = String> {
        let cell = prop_oneof![
            Just("a"),
            Just(""),
            Just(" "),
            Just("\u{a0}"),
            Just("ø x"),
            Just("\"q\""),
            Just("\"a,b\""),
            Just("\"l1\nl2\""),
            Just("\"a \"\"b\"\"\""),
            Just("5\"x"),
            Just("\"open"),
            Just("2021-03-01"),
        ];
        let end = prop_oneof![
            Just("\n"),
            Just("\r\n"),
            Just("\n\n"),
            Just("\r\n\r\n"),
            Just("")
        ];
        (proptest::collection::vec(cell, 1..6), end, any::<bool>()).prop_map(
            |(cells, end, semi)| format!("{}{end}", cells.join(if semi { ";" } else { "," })),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Lines split here give exactly what the CSV parser gives: the same records, lines,
        /// keys, malformed rows and unclosed quotes.
        #[test]
        fn split_lines_read_like_the_csv_parser(lines in proptest::collection::vec(line(), 1..40)) {
            let text = format!("h1,h2,h3,h4\n{}", lines.concat());
            prop_assert_eq!(read_all(&text, false), read_all(&text, true));
        }
    }

    #[test]
    fn crlf_blank_lines_and_a_last_line_without_end() {
        let text = "a,b\r\n\r\n\n  ,\u{a0}\nc,d\r\ne,\"f\ng\"\nh,i";
        let got = read_all(text, false);
        assert_eq!(got, read_all(text, true));
        let lines: Vec<(u64, u64)> = got.iter().map(|r| (r.1, r.2)).collect();
        // a,b on line 1 (bytes 0–4 with CRLF); lines 2 and 3 are empty and line 4 white space
        // (`␠␠,` and U+00A0, two bytes: 8–13); c,d on line 5 from byte 14; the quoted field
        // runs over lines 6–7 from byte 19; h,i on line 8 from byte 27, without a line end.
        assert_eq!(lines, vec![(1, 0), (5, 14), (6, 19), (8, 27)]);
        assert_eq!(got[2].3, vec!["e".to_string(), "f\ng".to_string()]);
    }

    #[test]
    fn lines_split_eight_bytes_at_a_time_find_every_delimiter() {
        // 29 bytes (`ø` is two, both above 0x7F): delimiters at bytes 0, 7, 8, 15 and 16 (the
        // first and last bytes of the three whole words) and 25 and 27 (in the 5-byte tail).
        let line = ";abcdø;;ghijkl;;opqrstuv;w;x";
        let mut rec = Record::new();
        rec.set_line(line, b';');
        let got: Vec<&str> = rec.iter().collect();
        assert_eq!(
            got,
            vec!["", "abcdø", "", "ghijkl", "", "opqrstuv", "w", "x"]
        );
        // The byte before a delimiter is 0x7F + 1 away: no carry makes a false find.
        let line = "\u{7f},\u{1}A,,";
        rec.set_line(line, b',');
        assert_eq!(
            rec.iter().collect::<Vec<_>>(),
            vec!["\u{7f}", "\u{1}A", "", ""]
        );
        // Shorter than a word, and empty.
        rec.set_line("a,b", b',');
        assert_eq!(rec.iter().collect::<Vec<_>>(), vec!["a", "b"]);
        rec.set_line("", b',');
        assert_eq!(rec.iter().collect::<Vec<_>>(), vec![""]);
    }
}
