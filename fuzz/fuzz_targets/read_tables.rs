//! Arbitrary bytes fed to the reader of every table kind, alone, after a valid persons file (so
//! that the other tables get past the pid lookup), and given twice for one kind; and to
//! `inspect`. The reader must never panic, and must keep its row accounting
//! (rows_read == rows_used + rows_rejected) and its unusable-table contract: a table listed in
//! `Tables::unusable` is listed once and its field is empty.
#![no_main]

use forlop_core::ingest::{inspect, load, Loaded, ReadOptions, SourceFile};
use forlop_core::model::TableKind;
use libfuzzer_sys::fuzz_target;

const PERSONS: &[u8] = b"pid,birth_year,sex,municipality\np1,1980,M,0301\np2,1990,K,4601\n";

fn check(loaded: &Loaded) {
    for f in &loaded.quality.files {
        assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{}", f.name);
    }
    let t = &loaded.tables;
    for (i, u) in t.unusable.iter().enumerate() {
        assert!(t.unusable[..i].iter().all(|v| v.kind != u.kind), "{:?} twice", u.kind);
        if u.kind != TableKind::Persons {
            assert!(!t.has(u.kind), "{:?} unusable but present", u.kind);
        }
        let _ = u.issue.render(forlop_core::text::Lang::Nb);
    }
    let _ = loaded.quality.render_text(forlop_core::text::Lang::En);
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options, so the century rule, value mappings, the analysis year
    // and tiny size caps are fuzzed too.
    let (opts_byte, bytes) = match data.split_first() {
        Some((b, rest)) => (*b, rest),
        None => (0, data),
    };
    let mut options = ReadOptions::default();
    if opts_byte & 1 == 1 {
        options.century_pivot = Some(opts_byte >> 1);
    }
    if opts_byte & 2 == 2 {
        options
            .mapping
            .values
            .insert("episodes.sector".into(), [("x".to_string(), "PHV".to_string())].into());
    }
    if opts_byte & 4 == 4 {
        options.analysis_year = Some(2021);
    }
    if opts_byte & 8 == 8 {
        // Caps small enough that fuzzed files and workbooks cross them.
        options.max_file_bytes = u64::from(opts_byte) * 4;
        options.max_inflated_bytes = u64::from(opts_byte) * 16;
    }
    let kinds = TableKind::ALL.iter().copied().map(Some).chain([None]);
    for kind in kinds {
        let file = SourceFile { name: "fuzz.csv", bytes, kind };
        let persons = SourceFile { name: "persons.csv", bytes: PERSONS, kind: Some(TableKind::Persons) };
        let twice = SourceFile { name: "fuzz2.csv", ..file };
        for files in [&[file][..], &[persons, file][..], &[persons, file, twice][..]] {
            check(&load(files, &options));
        }
        let _ = inspect(&file, &options);
    }
});
