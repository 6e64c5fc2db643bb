//! The browser worker's read and analyse (`crates/app/src/bin/worker.rs`, `engine::load` and
//! `engine::analyse_years`) on a data folder, outside the browser: built for `wasm32-wasip1` it
//! runs in V8 under Node's `node:wasi` (`bench/wasm-read.mjs`), built natively it gives the
//! baseline on the same data. `bench/wasm-read.sh` builds and runs both.
//!
//! `forlop-wasm-read DIR [FALLBACK_YEAR]` prints one JSON line: the bytes, the worker's `read`
//! (every row parsed into tables, then every file inspected for the mapping panel, as a user's
//! upload does) and `analyse` (each year the page computes), in seconds and MB/s.

use forlop_core::ingest::{self, ReadOptions, SourceFile};
use forlop_core::settings::Settings;
use std::hint::black_box;
use std::time::Instant;

/// As `engine::MAX_YEARS`: the page computes at most this many years back from the latest.
const MAX_YEARS: i32 = 10;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| ".".to_string());
    let fallback: i32 = args.next().and_then(|y| y.parse().ok()).unwrap_or(2024);

    // `WARM` (a third argument, a small data folder): read and analysed first, untimed, so
    // the engine's code is compiled by V8's optimising tier before the timed run (a worker
    // that warms up on a sample while the user picks files).
    if let Some(warm) = args.next() {
        let files = read_dir(&warm);
        let sources = sources_of(&files);
        let (loaded, ..) = read(&sources);
        black_box(analyse(&loaded.tables, fallback));
    }
    let files = read_dir(&dir);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let sources = sources_of(&files);
    let (loaded, load_s, inspect_s, calls) = read(&sources);
    let rows: u64 = loaded.quality.files.iter().map(|f| f.rows_read).sum();
    let t = Instant::now();
    let (years, cells) = analyse(&loaded.tables, fallback);
    let analyse_s = t.elapsed().as_secs_f64();
    // `ANALYSE_REPEAT=N` (native only: node:wasi gets no environment): the analysis N more
    // times, untimed, for a profiler (`perf record`) to see more of it than of the read.
    let repeat: usize = std::env::var("ANALYSE_REPEAT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for _ in 0..repeat {
        black_box(analyse(&loaded.tables, fallback));
    }

    let read_s = load_s + inspect_s;
    let mb = bytes as f64 / 1e6;
    println!(
        "{{\"target\":\"{}\",\"bytes\":{bytes},\"rows\":{rows},\"read_s\":{read_s:.4},\"load_s\":{load_s:.4},\"inspect_s\":{inspect_s:.4},\"read_mb_per_s\":{:.1},\"analyse_s\":{analyse_s:.4},\"years\":{years:?},\"cells\":{cells},\"progress_calls\":{calls}}}",
        std::env::consts::ARCH,
        mb / read_s,
    );
}

/// The worker's "read": `engine::load` with `Source::UserFiles` (the tables, then the mapping
/// panel's look at every file). Not inlined, so a CPU profile can tell read from analyse.
#[inline(never)]
fn read(sources: &[SourceFile<'_>]) -> (ingest::Loaded, f64, f64, u64) {
    let options = ReadOptions::default();
    let t = Instant::now();
    let mut calls = 0u64;
    let loaded = ingest::load_with_progress(sources, &options, &mut |p| {
        calls += 1;
        black_box(p.bytes_done);
        true
    })
    .unwrap_or_default();
    let load_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    inspect(sources, &options);
    (loaded, load_s, t.elapsed().as_secs_f64(), calls)
}

/// `engine::mapping_needs`: every file inspected for headers and code values to map.
#[inline(never)]
fn inspect(sources: &[SourceFile<'_>], options: &ReadOptions) {
    for src in sources {
        let _ = black_box(ingest::inspect(src, options));
    }
}

/// The worker's "analyse": `engine::plan_years` and `engine::analyse_years` (min_cell 5, the
/// start form's default). Returns the years computed and the report rows of all of them.
#[inline(never)]
fn analyse(tables: &forlop_core::model::Tables, fallback: i32) -> (Vec<i32>, usize) {
    let population = forlop_core::years::population_years(tables);
    let with_population = |y: i32| population.is_empty() || population.contains(&y);
    let latest = forlop_core::years::analysis_year(tables).map_or(fallback, |(y, _)| y);
    let mut years: Vec<i32> = forlop_core::years::activity_years(tables)
        .into_iter()
        .filter(|&y| y <= latest && y > latest - MAX_YEARS && with_population(y))
        .chain([latest])
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut cells = 0;
    for &year in &years {
        let settings = Settings {
            year,
            min_cell: 5,
            ..Settings::default()
        };
        let report = forlop_core::analyse_with_progress(tables, &settings, &mut |_, f| {
            black_box(f);
            true
        });
        cells += report.map(|r| r.row_count()).unwrap_or(0);
    }
    (years, cells)
}

/// The data files of `dir` (CSV and workbooks), by name. `-`: a bundle on standard input
/// (`bench/wasm-read-chromium.mjs`: per file, its name's length as a little-endian `u32`, the
/// name, its length, its bytes), for a host without a file system.
fn read_dir(dir: &str) -> Vec<(String, Vec<u8>)> {
    if dir == "-" {
        let mut all = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut all)
            .unwrap_or_else(|e| panic!("cannot read standard input: {e}"));
        let mut files = Vec::new();
        let mut rest = all.as_slice();
        let take = |rest: &mut &[u8]| -> Option<Vec<u8>> {
            let (len, after) = rest.split_first_chunk::<4>()?;
            let len = u32::from_le_bytes(*len) as usize;
            let (field, after) = (after.get(..len)?, after.get(len..)?);
            *rest = after;
            Some(field.to_vec())
        };
        while let (Some(name), Some(bytes)) = (take(&mut rest), take(&mut rest)) {
            files.push((String::from_utf8_lossy(&name).into_owned(), bytes));
        }
        files.sort();
        return files;
    }
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "csv" | "xlsx" | "txt"))
        })
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {p:?}: {e}"));
            (name.unwrap_or_default(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// The files as the reader takes them, their kind recognised from the headers.
fn sources_of(files: &[(String, Vec<u8>)]) -> Vec<SourceFile<'_>> {
    files
        .iter()
        .map(|(name, bytes)| SourceFile {
            name,
            bytes,
            kind: None,
        })
        .collect()
}
