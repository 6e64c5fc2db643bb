//! Finding an extract's tables in a directory.

use anyhow::{bail, Context, Result};
use forlop_core::ingest::{self, LazyFile, Loaded, ReadOptions};
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
        let max = self.max_file_bytes;
        let files = self
            .files
            .iter()
            .map(|(name, path, len, kind)| LazyFile {
                name: name.clone(),
                kind: Some(*kind),
                len: *len,
                fetch: Box::new(move || read_regular(path, max).map_err(|e| format!("{e:#}"))),
            })
            .collect();
        // The callback never cancels, so the default is never taken.
        ingest::load_lazy(files, options, &mut |_| true).unwrap_or_default()
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
}
