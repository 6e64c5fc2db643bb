//! Arbitrary bytes fed to the reader of every table kind, alone and after a valid persons file
//! (so that the other tables get past the pid lookup), and to `inspect`. The reader must never
//! panic, and must keep its row accounting: rows_read == rows_used + rows_rejected.
#![no_main]

use forlop_core::ingest::{inspect, load, ReadOptions, SourceFile};
use forlop_core::model::TableKind;
use libfuzzer_sys::fuzz_target;

const PERSONS: &[u8] = b"pid,birth_year,sex,municipality\np1,1980,M,0301\np2,1990,K,4601\n";

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options, so the century rule and value mappings are fuzzed too.
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
    let kinds = TableKind::ALL.iter().copied().map(Some).chain([None]);
    for kind in kinds {
        let file = SourceFile { name: "fuzz.csv", bytes, kind };
        let persons = SourceFile { name: "persons.csv", bytes: PERSONS, kind: Some(TableKind::Persons) };
        for files in [&[file][..], &[persons, file][..]] {
            let loaded = load(files, &options);
            for f in &loaded.quality.files {
                assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{}", f.name);
            }
            let _ = loaded.quality.render_text(forlop_core::text::Lang::En);
        }
        let _ = inspect(&file, &options);
    }
});
