//! A look at one file before loading it: what the app's mapping screen is built from.

use super::aliases::{self, columns};
use super::codes;
use super::source::{self, Next, Prepared};
use super::{ReadOptions, SourceFile};
use crate::model::TableKind;
use crate::quality::{clip, Issue, IssueKind, Location, Severity, TextEncoding};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Rows shown in a preview.
const PREVIEW_ROWS: usize = 10;
/// Distinct unrecognised values kept per column.
const MAX_DISTINCT: usize = 50;

/// What [`inspect`] sees in a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilePreview {
    /// File name.
    pub name: String,
    /// Text encoding (or workbook).
    pub encoding: TextEncoding,
    /// CSV delimiter; `None` for workbooks.
    pub delimiter: Option<char>,
    /// Worksheet read, for workbooks.
    pub sheet: Option<String>,
    /// The headers as written.
    pub headers: Vec<String>,
    /// The table: as given, or recognised from the headers (the best partial fit when required
    /// columns are missing; loading needs them all, or the kind given).
    pub kind: Option<TableKind>,
    /// For each header, the canonical column it matched.
    pub matched: Vec<Option<&'static str>>,
    /// Required canonical columns the file lacks.
    pub missing_required: Vec<&'static str>,
    /// The first rows, as text.
    pub rows: Vec<Vec<String>>,
    /// For each coded column, the raw values that are not recognised (after the mapping).
    pub unrecognised: Vec<UnrecognisedValues>,
}

/// Raw values of one coded column that are neither canonical, register codes, nor mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnrecognisedValues {
    /// Canonical column, e.g. `sector`.
    pub column: &'static str,
    /// The header as written.
    pub header: String,
    /// `(value, rows)`, most frequent first.
    pub values: Vec<(String, u64)>,
    /// Whether more distinct values exist than are listed.
    pub more: bool,
}

/// Whether a value (after mapping) is a known value of coded column `column`: chosen once per
/// column, not by the column's name for every cell.
fn recogniser(column: &str) -> fn(&str) -> bool {
    match column {
        "sector" => |raw| codes::sector(raw).is_some(),
        "care_level" => |raw| codes::care_level(raw).is_some(),
        "urgency" => |raw| codes::urgency(raw).is_some(),
        "ambulant" => |raw| codes::ambulant(raw).is_some(),
        "contact_mode" => |raw| codes::contact_mode(raw).is_some(),
        "referred_by" => |raw| codes::referred_by(raw).is_some(),
        "discharged_to" => |raw| codes::discharged_to(raw).is_some(),
        "service" => |raw| codes::service(raw).is_some(),
        "provider" => |raw| codes::provider(raw).is_some(),
        "contact_type" => |raw| codes::contact_type(raw).is_some(),
        "interdisciplinary" => |raw| codes::boolean(raw).is_some(),
        "sex" => |raw| codes::sex(raw).is_ok(),
        _ => |_| true,
    }
}

/// A coded column: file column, canonical name, the user's value mapping (keys in lower case)
/// and what it recognises.
type Coded = (
    usize,
    &'static str,
    HashMap<String, String>,
    fn(&str) -> bool,
);
/// A coded column's unrecognised values with their rows, and whether there were more.
type Found = (BTreeMap<String, u64>, bool);

/// Notes the unrecognised values of one record's coded columns. A function of its own, called
/// for each record: V8 runs a WebAssembly function in its baseline tier until it has been
/// called hot and compiled again, so a loop over a million records inside one call would stay
/// there (`inspect` is called once per file).
#[inline(never)]
fn note_codes(rec: &source::Record, coded: &[Coded], found: &mut [Found]) {
    for ((fc, _, map, recognises), (values, more)) in coded.iter().zip(found.iter_mut()) {
        let Some(raw) = rec.get(*fc).map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        // Without a mapping for the column no value is looked up (nor lower-cased, which
        // allocates: a million rows of a few coded columns each).
        let mapped = if map.is_empty() {
            raw
        } else {
            map.get(&raw.to_lowercase())
                .map(String::as_str)
                .unwrap_or(raw)
        };
        if recognises(mapped) {
            continue;
        }
        if let Some(n) = values.get_mut(raw) {
            *n += 1;
        } else if values.len() < MAX_DISTINCT {
            values.insert(clip(raw), 1);
        } else {
            *more = true;
        }
    }
}

/// Looks at one file: encoding, delimiter, headers and what they match, the first rows, and the
/// code values that need mapping. Scans the whole file for the code values.
///
/// # Errors
/// An [`Issue`] (`unreadable_file`, `unknown_sheet`) when the file cannot be read at all. A file
/// whose table cannot be recognised is not an error: `kind` is `None`.
pub fn inspect(file: &SourceFile<'_>, options: &ReadOptions) -> Result<FilePreview, Issue> {
    let name: Arc<str> = Arc::from(file.name);
    let fail = |kind| Issue {
        location: Location {
            file: name.clone(),
            line: 1,
            column: None,
        },
        kind,
        severity: Severity::Rejected,
    };
    if file.bytes.len() as u64 > options.max_file_bytes {
        return Err(fail(IssueKind::FileTooLarge {
            bytes: file.bytes.len() as u64,
            limit: options.max_file_bytes,
        }));
    }
    let prepared = Prepared::new(
        file.bytes,
        options.sheet.as_deref(),
        Some(options.max_inflated_bytes),
    )
    .map_err(fail)?;
    let mut rows = prepared.rows();
    let mut rec = source::Record::new();
    let headers: Vec<String> = match rows.next_record(&mut rec) {
        Next::Record(_) => rec.iter().map(|h| h.trim().to_string()).collect(),
        Next::Unclosed(pos, lines) => {
            return Err(Issue {
                location: Location {
                    file: name.clone(),
                    line: pos.line,
                    column: None,
                },
                ..fail(IssueKind::UnclosedQuote { lines })
            })
        }
        Next::Malformed(_) => return Err(fail(IssueKind::MalformedRow)),
        Next::End => return Err(fail(IssueKind::EmptyFile)),
    };
    rows.set_expected(headers.len());
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let kind = file
        .kind
        .or_else(|| aliases::guess_kind(&refs, &options.mapping));
    let (matched_idx, missing_required) = match kind {
        Some(k) => {
            let m = aliases::match_headers(k, &refs, &options.mapping);
            let missing = aliases::required_missing(k, &m);
            (m, missing)
        }
        None => (vec![None; headers.len()], Vec::new()),
    };
    let defs = kind.map(columns).unwrap_or(&[]);
    let matched: Vec<Option<&'static str>> = matched_idx
        .iter()
        .map(|m| m.and_then(|i| defs.get(i)).map(|d| d.name))
        .collect();

    // Coded columns: (file column, canonical name, value mapping, what it recognises).
    #[allow(clippy::type_complexity)]
    let coded: Vec<(
        usize,
        &'static str,
        HashMap<String, String>,
        fn(&str) -> bool,
    )> = matched_idx
        .iter()
        .enumerate()
        .filter_map(|(fc, m)| {
            let d = defs.get((*m)?)?;
            if !d.coded {
                return None;
            }
            let key = format!("{}.{}", kind?.canonical_name(), d.name);
            let map = options
                .mapping
                .values
                .get(&key)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            Some((fc, d.name, map, recogniser(d.name)))
        })
        .collect();
    let mut found: Vec<Found> = vec![(BTreeMap::new(), false); coded.len()];

    let mut preview_rows = Vec::new();
    loop {
        match rows.next_record(&mut rec) {
            Next::End => break,
            Next::Malformed(_) | Next::Unclosed(..) => continue,
            Next::Record(_) => {}
        }
        if preview_rows.len() < PREVIEW_ROWS {
            preview_rows.push(rec.iter().map(str::to_string).collect());
        }
        note_codes(&rec, &coded, &mut found);
    }
    let unrecognised = coded
        .iter()
        .zip(found)
        .filter(|(_, (values, _))| !values.is_empty())
        .map(|((fc, column, _, _), (values, more))| {
            let mut values: Vec<(String, u64)> = values.into_iter().collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            UnrecognisedValues {
                column,
                header: headers.get(*fc).cloned().unwrap_or_default(),
                values,
                more,
            }
        })
        .collect();
    Ok(FilePreview {
        name: file.name.to_string(),
        encoding: prepared.encoding(),
        delimiter: prepared.delimiter(),
        sheet: prepared.sheet_name(),
        headers,
        kind,
        matched,
        missing_required,
        rows: preview_rows,
        unrecognised,
    })
}
