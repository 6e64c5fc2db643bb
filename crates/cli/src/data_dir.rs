//! Finding an extract's tables in a directory.

use anyhow::{bail, Context, Result};
use forlop_core::ingest::{self, LazyFile, Loaded, MappingProfile, ReadOptions, RowPass};
use forlop_core::model::TableKind;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The table files of one directory: names, paths and sizes. The bytes are read when the
/// engine gets to each file and dropped once its table is built, so that one file at a time
/// is in memory beside the tables (a whole extract held in memory was most of the peak).
pub struct DataFiles {
    files: Vec<(String, PathBuf, u64, TableKind)>,
    max_file_bytes: u64,
}

impl DataFiles {
    /// Reads the files into tables; the kind comes from the file name. A file that cannot be
    /// read now (it changed or went away since it was listed) is reported as unreadable.
    pub fn load(&self, options: &ReadOptions) -> Loaded {
        let threads = options.threads;
        self.load_with(options, &|i| {
            read_regular_on(&self.files[i].1, self.max_file_bytes, threads)
        })
    }

    /// Reads the files into tables, `fetch(index)` giving the bytes of file `index` when the
    /// reader gets to it. The kind of every file is given (from its name), so the reader
    /// fetches each file once.
    fn load_with(&self, options: &ReadOptions, fetch: &dyn Fn(usize) -> Result<Vec<u8>>) -> Loaded {
        let files = self
            .files
            .iter()
            .enumerate()
            .map(|(i, (name, _, len, kind))| LazyFile {
                name: name.clone(),
                kind: Some(*kind),
                len: *len,
                fetch: Box::new(move || fetch(i).map_err(|e| format!("{e:#}"))),
            })
            .collect();
        // The callback never cancels, so the default is never taken.
        ingest::load_lazy(files, options, &mut |_| true).unwrap_or_default()
    }

    /// Bytes of the files whose rows are split between passes (episodes, services, primary
    /// care).
    pub fn split_bytes(&self) -> u64 {
        self.files
            .iter()
            .filter(|(_, _, _, kind)| ingest::split_by_person(*kind))
            .map(|(_, _, len, _)| *len)
            .sum()
    }

    /// The bytes of file `index` as one pass reads it: the persons, population and areas
    /// files whole; the others with the lines of other passes' persons left out as they are
    /// read (each replaced by its line end, so lines keep their numbers), when the file is
    /// plain UTF-8 CSV without quote characters; otherwise whole (the reader then leaves those
    /// rows out itself).
    fn fetch_pass(&self, index: usize, pass: RowPass, mapping: &MappingProfile) -> Result<Vec<u8>> {
        let (_, path, _, kind) = &self.files[index];
        let view = if ingest::split_by_person(*kind) && pass.passes > 1 {
            pass_view(path, *kind, mapping, pass)
                .with_context(|| format!("cannot read {}", path.display()))?
        } else {
            None
        };
        match view {
            Some(v) => Ok(v),
            None => read_regular(path, self.max_file_bytes),
        }
    }

    /// Reads one pass's rows into tables ([`DataFiles::load`] for pass `pass`), one file at a
    /// time as there.
    pub fn load_pass(&self, pass: RowPass, options: &ReadOptions) -> Loaded {
        let options = ReadOptions {
            pass: Some(pass),
            ..options.clone()
        };
        self.load_with(&options, &|i| self.fetch_pass(i, pass, &options.mapping))
    }

    /// Bytes over all files.
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|(_, _, len, _)| *len as usize).sum()
    }
}

/// Reads every `.csv` / `.txt` / `.xlsx` file in `dir` whose stem names a table, canonically
/// (`episodes`) or in Norwegian (`opphold`); `.txt` is the name Excel gives its "Unicode text"
/// export. Other files (e.g. `injected_defects.json`) are ignored. Two files for one table are
/// both passed on: the engine refuses them by name. Fails when the directory cannot be read,
/// a table file is not a regular file after following links (a directory, FIFO, device or
/// socket: never opened, so a FIFO cannot block and /dev/zero cannot fill memory), a table
/// file is larger than `max_file_bytes`, or there is no persons table.
pub fn read(dir: &Path, max_file_bytes: u64) -> Result<DataFiles> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let Some(kind) = table_kind_of(&path) else {
            continue;
        };
        let len = check_regular(&path, max_file_bytes)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, path, len, kind));
    }
    // Directory order is not portable; the engine's messages and order must be.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if !files.iter().any(|(_, _, _, k)| *k == TableKind::Persons) {
        bail!(
            "no persons table (persons.csv, persons.xlsx or personer.csv) in {}",
            dir.display()
        );
    }
    Ok(DataFiles {
        files,
        max_file_bytes,
    })
}

/// One pass's lines of a plain CSV file, streamed: the header, the lines of this pass's
/// persons (and those the router cannot place), a bare line end for every other line. `None`
/// when the file is not plain (not UTF-8, a workbook, a quote character, a NUL or a lone CR
/// anywhere): then it is read whole.
fn pass_view(
    path: &Path,
    kind: TableKind,
    mapping: &MappingProfile,
    pass: RowPass,
) -> std::io::Result<Option<Vec<u8>>> {
    // Small in tests, so that lines run over blocks.
    const BLOCK: usize = if cfg!(test) { 64 } else { 1 << 22 };
    let mut file = std::fs::File::open(path)?;
    let mut out = Vec::new();
    // Bytes read but not yet routed: whole lines are routed block by block, the rest waits.
    let mut pending: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    let mut router: Option<ingest::LineRouter> = None;
    loop {
        let len = pending.len();
        pending.resize(len + BLOCK, 0);
        let n = file.read(&mut pending[len..])?;
        pending.truncate(len + n);
        let end = if n == 0 {
            pending.len()
        } else {
            match memchr::memrchr(b'\n', &pending) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let block = &pending[..end];
        // Plain: no quote, no NUL, every CR ends a line, UTF-8 (a block ends at a line end).
        let lone_cr = memchr::memchr_iter(b'\r', block).any(|i| block.get(i + 1) != Some(&b'\n'));
        if memchr::memchr2(b'"', 0, block).is_some()
            || lone_cr
            || std::str::from_utf8(block).is_err()
        {
            return Ok(None);
        }
        let mut start = 0;
        while start < block.len() {
            let stop = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
            let (line, with_end) = (
                &block[start..stop],
                &block[start..(stop + 1).min(block.len())],
            );
            start = stop + 1;
            let Some(r) = &router else {
                let header = std::str::from_utf8(line).unwrap_or_default();
                match ingest::LineRouter::new(
                    header.trim_end_matches('\r'),
                    kind,
                    mapping,
                    pass.passes,
                ) {
                    Some(r) => router = Some(r),
                    None => return Ok(None),
                }
                out.extend_from_slice(with_end);
                continue;
            };
            match r.pass_of(line) {
                Some(p) if p != pass.pass => {
                    if with_end.len() > line.len() {
                        out.push(b'\n');
                    }
                }
                _ => out.extend_from_slice(with_end),
            }
        }
        pending.drain(..end);
        if n == 0 {
            break;
        }
    }
    out.shrink_to_fit();
    Ok(Some(out))
}

/// The size of a regular file (links followed) of at most `max` bytes; anything else is
/// refused by name, never opened.
fn check_regular(path: &Path, max: u64) -> Result<u64> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "{} is not a regular file (a directory, FIFO, device or socket); only regular files are read",
            path.display()
        );
    }
    if meta.len() > max {
        return Err(too_large(path, meta.len(), max));
    }
    Ok(meta.len())
}

fn too_large(path: &Path, bytes: u64, max: u64) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is {} MB, above the limit of {} MB (raise it with --max-file-mb)",
        path.display(),
        bytes.div_ceil(1 << 20),
        max.div_ceil(1 << 20)
    )
}

/// The bytes of a regular file (links followed) of at most `max` bytes; anything else is
/// refused by name before it is opened.
fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>> {
    let len = check_regular(path, max)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    std::fs::File::open(path)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", path.display()))?;
    // It grew while being read.
    if bytes.len() as u64 > max {
        return Err(too_large(path, bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// [`read_regular`], a large file read in `threads` parts at once (copying a file of 150 MB out
/// of the page cache takes tens of milliseconds on one core).
fn read_regular_on(path: &Path, max: u64, threads: usize) -> Result<Vec<u8>> {
    #[cfg(unix)]
    if let Some(bytes) = read_in_parts(path, max, threads) {
        return Ok(bytes);
    }
    #[cfg(not(unix))]
    let _ = threads;
    read_regular(path, max)
}

/// The bytes of a regular file of at most `max` bytes read in `threads` parts at once; `None`
/// when it is small, over the cap, unreadable, or changed size while it was read (then
/// [`read_regular`] reads it in one go, and reports what is wrong).
#[cfg(unix)]
fn read_in_parts(path: &Path, max: u64, threads: usize) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    /// Smaller files are read in one go.
    const MIN_PART: usize = if cfg!(test) { 4 } else { 8 << 20 };
    let len = check_regular(path, max).ok()?;
    let n = usize::try_from(len).ok()?;
    let parts = threads.min(n / MIN_PART);
    if parts < 2 {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = vec![0u8; n];
    let part = n.div_ceil(parts);
    let all_read = std::thread::scope(|scope| {
        let reads: Vec<_> = bytes
            .chunks_mut(part)
            .enumerate()
            .map(|(k, chunk)| {
                let file = &file;
                scope.spawn(move || file.read_exact_at(chunk, (k * part) as u64).is_ok())
            })
            .collect();
        reads.into_iter().all(|h| h.join().unwrap_or(false))
    });
    // Shorter than listed (a part not read), or longer: changed while read.
    let mut more = [0u8; 1];
    (all_read && file.read_at(&mut more, len).ok()? == 0).then_some(bytes)
}

fn table_kind_of(path: &Path) -> Option<TableKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if ext != "csv" && ext != "txt" && ext != "xlsx" {
        return None;
    }
    let stem = path.file_stem()?.to_str()?.to_lowercase();
    TableKind::ALL
        .into_iter()
        .find(|k| stem == k.canonical_name() || stem == k.norwegian_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_kind_from_canonical_and_norwegian_names() {
        assert_eq!(
            table_kind_of(Path::new("x/episodes.csv")),
            Some(TableKind::Episodes)
        );
        assert_eq!(
            table_kind_of(Path::new("opphold.XLSX")),
            Some(TableKind::Episodes)
        );
        assert_eq!(
            table_kind_of(Path::new("Personer.csv")),
            Some(TableKind::Persons)
        );
        assert_eq!(table_kind_of(Path::new("injected_defects.json")), None);
        assert_eq!(table_kind_of(Path::new("notes.csv")), None);
        assert_eq!(
            table_kind_of(Path::new("befolkning.txt")),
            Some(TableKind::Population)
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_under_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let persons = dir.path().join("persons.csv");
        std::fs::write(&persons, "pid,age\na,40\n").unwrap();
        // A link to a regular file is followed; 13 bytes fit a 13-byte cap, not a 12-byte one.
        std::os::unix::fs::symlink(&persons, dir.path().join("personer.csv")).unwrap();
        let files = read(dir.path(), 13).unwrap();
        assert_eq!(files.total_bytes(), 26);
        let err = read(dir.path(), 12).err().unwrap().to_string();
        assert!(
            err.ends_with("is 1 MB, above the limit of 1 MB (raise it with --max-file-mb)"),
            "{err}"
        );
        // A link to a device, and a directory, are refused by name without being opened.
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("episodes.csv")).unwrap();
        let err = read(dir.path(), 1 << 20).err().unwrap().to_string();
        assert!(err.contains("episodes.csv is not a regular file"), "{err}");
        std::fs::remove_file(dir.path().join("episodes.csv")).unwrap();
        // A FIFO would block forever once opened: refused from its metadata alone.
        let fifo = dir.path().join("primary_care.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = read(dir.path(), 1 << 20).err().unwrap().to_string();
            assert!(
                err.contains("primary_care.csv is not a regular file"),
                "{err}"
            );
            std::fs::remove_file(&fifo).unwrap();
        }
        std::fs::create_dir(dir.path().join("areas.csv")).unwrap();
        let err = read(dir.path(), 1 << 20).err().unwrap().to_string();
        assert!(err.contains("areas.csv is not a regular file"), "{err}");
    }

    /// The lines of one pass, streamed from plain files, give what reading the whole files
    /// gives: the long table and the quality report of one pass over everything; the views
    /// hold fewer bytes but as many lines.
    #[test]
    fn streamed_passes_read_like_whole_files() {
        use forlop_core::passes::analyse_in_passes;
        use forlop_synth::{generate, FileFormat, SynthConfig};
        for (seed, defects, format) in [
            (3, false, FileFormat::Canonical),
            (4, true, FileFormat::Canonical),
            (5, false, FileFormat::Norwegian),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let config = SynthConfig {
                persons: 300,
                seed,
                year: 2024,
                defects,
                format,
            };
            for f in generate(&config).files {
                std::fs::write(dir.path().join(&f.name), &f.bytes).unwrap();
            }
            let options = forlop_core::ingest::ReadOptions {
                analysis_year: Some(2024),
                ..Default::default()
            };
            let settings = [forlop_core::Settings {
                year: 2024,
                min_cell: 0,
                ..Default::default()
            }];
            let whole = read(dir.path(), 1 << 30).unwrap();
            let loaded = whole.load(&options);
            let want_report = forlop_core::analyse(&loaded.tables, &settings[0]);
            let csv = |reports: &[forlop_core::Report]| {
                let mut out = Vec::new();
                forlop_core::output::write_long_table_csv(
                    forlop_core::long_rows_of(reports),
                    &mut out,
                );
                out
            };
            let want_csv = csv(std::slice::from_ref(&want_report));
            let want_quality = serde_json::to_string(&loaded.quality).unwrap();
            for n in [2, 3, 7] {
                let mut viewed = false;
                let mut load = |pass: RowPass| {
                    for (i, (name, path, _, kind)) in whole.files.iter().enumerate() {
                        let view = whole.fetch_pass(i, pass, &options.mapping).unwrap();
                        let full = std::fs::read(path).unwrap();
                        let lines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count();
                        assert_eq!(lines(&view), lines(&full), "{name}");
                        if ingest::split_by_person(*kind) && view.len() < full.len() {
                            viewed = true;
                        }
                    }
                    Ok(whole.load_pass(pass, &options))
                };
                let (reports, quality) =
                    analyse_in_passes(n, &settings, &mut load, &mut |_, _, _| true).unwrap();
                // Plain files are streamed (the Norwegian ones too when their split files hold
                // only ASCII), so the views are not the files.
                assert!(viewed, "seed {seed}: nothing streamed");
                assert!(
                    csv(&reports) == want_csv,
                    "seed {seed}, {n} passes: long table"
                );
                let got_quality = serde_json::to_string(&quality).unwrap();
                assert!(
                    got_quality == want_quality,
                    "seed {seed}, {n} passes: quality"
                );
            }
        }
    }

    /// Each file is fetched once per load and once per pass (the routing scan of a split file
    /// is its fetch), and loading through the counter gives what `load` gives.
    #[test]
    fn each_file_is_fetched_once() {
        use forlop_synth::{generate, FileFormat, SynthConfig};
        let dir = tempfile::tempdir().unwrap();
        let config = SynthConfig {
            persons: 200,
            seed: 3,
            year: 2024,
            defects: false,
            format: FileFormat::Canonical,
        };
        for f in generate(&config).files {
            std::fs::write(dir.path().join(&f.name), &f.bytes).unwrap();
        }
        let files = read(dir.path(), 1 << 30).unwrap();
        // persons, population, areas, episodes, municipal services, primary care.
        assert_eq!(files.files.len(), 6);
        let options = ReadOptions::default();
        let counts = std::cell::RefCell::new(vec![0; files.files.len()]);
        let counted = |fetch: &dyn Fn(usize) -> Result<Vec<u8>>| {
            counts.borrow_mut().fill(0);
            let count = |i: usize| {
                counts.borrow_mut()[i] += 1;
                fetch(i)
            };
            let loaded = files.load_with(&options, &count);
            (loaded, counts.borrow().clone())
        };
        let (loaded, fetched) = counted(&|i| read_regular(&files.files[i].1, 1 << 30));
        assert_eq!(fetched, vec![1; 6]);
        let plain = files.load(&options);
        assert_eq!(loaded.tables, plain.tables);
        assert_eq!(loaded.quality, plain.quality);
        let pass = RowPass { pass: 1, passes: 2 };
        let (_, fetched) = counted(&|i| files.fetch_pass(i, pass, &options.mapping));
        assert_eq!(fetched, vec![1; 6]);
    }

    #[test]
    fn a_file_read_in_parts_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("episodes.csv");
        // 1 001 bytes in parts of at least 4 (in tests): 2, 3 and 7 parts, the last shorter.
        let text: Vec<u8> = (0..1001u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        for threads in [1, 2, 3, 7] {
            assert_eq!(read_regular_on(&path, 1 << 20, threads).unwrap(), text);
        }
        // Over the cap: refused as when read in one go.
        let err = read_regular_on(&path, 1000, 2).err().unwrap().to_string();
        assert!(err.contains("above the limit"), "{err}");
    }

    #[test]
    fn only_plain_files_are_streamed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("episodes.csv");
        let m = MappingProfile::default();
        let pass = |pass| RowPass { pass, passes: 2 };
        let view = |text: &str, p| {
            std::fs::write(&path, text).unwrap();
            pass_view(&path, TableKind::Episodes, &m, pass(p)).unwrap()
        };
        // CRLF lines: each line in exactly one of the two views, the others bare line ends.
        let mut text = String::from("pid,sector,care_level,admit_date\r\n");
        for i in 0..30 {
            text += &format!("person{i},PHV,DOGN,2024-01-01\r\n");
        }
        let (a, b) = (view(&text, 0).unwrap(), view(&text, 1).unwrap());
        let rows = |v: &[u8]| String::from_utf8_lossy(v).matches("person").count();
        assert_eq!(rows(&a) + rows(&b), 30);
        assert!(rows(&a) > 0 && rows(&b) > 0);
        for v in [&a, &b] {
            assert_eq!(v.iter().filter(|&&c| c == b'\n').count(), 31);
        }
        // A quote, a lone CR, bytes that are not UTF-8: read whole.
        assert!(view(&text.replace("person7,", "\"person7\","), 0).is_none());
        assert!(view(&text.replace("person7,PHV", "person7\rPHV"), 0).is_none());
        let mut latin1 = text.clone().into_bytes();
        latin1.extend_from_slice(b"p\xf8,PHV,DOGN,2024-01-01\n");
        std::fs::write(&path, &latin1).unwrap();
        assert!(pass_view(&path, TableKind::Episodes, &m, pass(0))
            .unwrap()
            .is_none());
    }
}
