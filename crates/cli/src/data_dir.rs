//! Finding an extract's tables in a directory.

use anyhow::{bail, Context, Result};
use forlop_core::ingest::SourceFile;
use forlop_core::model::TableKind;
use std::path::Path;

/// The table files of one directory, read into memory.
pub struct DataFiles {
    files: Vec<(String, Vec<u8>, TableKind)>,
}

impl DataFiles {
    /// The files as the engine takes them; the kind comes from the file name.
    pub fn sources(&self) -> Vec<SourceFile<'_>> {
        self.files
            .iter()
            .map(|(name, bytes, kind)| SourceFile {
                name,
                bytes,
                kind: Some(*kind),
            })
            .collect()
    }

    /// Bytes over all files.
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|(_, b, _)| b.len()).sum()
    }
}

/// Reads every `.csv` / `.xlsx` file in `dir` whose stem names a table, canonically
/// (`episodes`) or in Norwegian (`opphold`). Other files (e.g. `injected_defects.json`) are
/// ignored. Fails when the directory cannot be read or holds no persons table.
pub fn read(dir: &Path) -> Result<DataFiles> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let Some(kind) = table_kind_of(&path) else {
            continue;
        };
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, bytes, kind));
    }
    // Directory order is not portable; the engine's messages and order must be.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if !files.iter().any(|(_, _, k)| *k == TableKind::Persons) {
        bail!(
            "no persons table (persons.csv, persons.xlsx or personer.csv) in {}",
            dir.display()
        );
    }
    Ok(DataFiles { files })
}

fn table_kind_of(path: &Path) -> Option<TableKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if ext != "csv" && ext != "xlsx" {
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
    }
}
