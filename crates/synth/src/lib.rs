//! Seeded, deterministic synthetic extracts in Forløp's canonical tables
//! (`spec/data-format.md`), clean or with defects injected at known rates.
//!
//! The generator is a second, independent reading of the data-format spec: it does not depend
//! on `forlop-core`, writes the CSV itself, and runs in the browser (no clock, no files, no
//! OS randomness: ChaCha8 from a `u64` seed, integer sampling that is the same on every
//! platform).
//!
//! An extract covers the analysis year Y and Y−1 (a few inpatient stays began in Y−2) in six
//! files: `persons.csv`, `episodes.csv`, `municipal_services.csv`, `primary_care.csv`,
//! `population.csv` and `areas.csv`. About 77 % of the persons form the SMI cohort of Y in the
//! proportions of seed 000 (schizophrenia : bipolar : depression : personality =
//! 8 651 : 9 908 : 42 853 : 15 115, 10.7 % in two or more groups, 8.3 % with substance use);
//! the rest are minors, adults with other diagnoses, persons seen only in Y−1, frail somatic
//! patients with ready-for-discharge stays and persons seen only by GPs, so that the cohort
//! filter matters.
//!
//! [`generate_survey`] writes a patient-survey respondent file and its population aggregates
//! (`spec/survey.md`; `forlop survey synth`, the app's demo survey).
//!
//! ```
//! use forlop_synth::{generate, FileFormat, SynthConfig};
//!
//! let config = SynthConfig { persons: 200, seed: 7, year: 2024, defects: true, format: FileFormat::Canonical };
//! let extract = generate(&config);
//! assert_eq!(extract.files.len(), 6);
//! let persons = extract.file("persons.csv").unwrap();
//! // a header and one line per person
//! assert_eq!(persons.bytes.iter().filter(|&&b| b == b'\n').count(), 201);
//! assert!(extract.injected["duplicate_row"] >= 3);
//! assert_eq!(generate(&config), extract); // same seed, same bytes
//! ```

mod calendar;
mod codes;
mod defects;
mod geography;
mod random;
mod simulate;
mod survey;
mod write;

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use defects::{defect_rates, DEFECT_CODES};
pub use survey::{
    generate_survey, survey_sector_sizes, Survey, SurveyConfig, SURVEY_COLUMNS, SURVEY_POPULATIONS,
    SURVEY_RESPONDENTS, SURVEY_SECTORS,
};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Number of rows of persons.csv (≈ 77 % of them in the SMI cohort).
    pub persons: usize,
    /// Seed of the ChaCha8 generator: the same config gives byte-identical files.
    pub seed: u64,
    /// Analysis year Y; the extract covers Y−1 and Y. Clamped to 1910..=9999.
    pub year: i32,
    /// Inject defects at the rates of [`defect_rates`]; counts in [`Extract::injected`].
    pub defects: bool,
    /// Canonical (`,`, UTF-8, ISO dates) or a Norwegian register export.
    pub format: FileFormat,
}

impl Default for SynthConfig {
    fn default() -> SynthConfig {
        SynthConfig {
            persons: 1_000,
            seed: 1,
            year: 2024,
            defects: false,
            format: FileFormat::Canonical,
        }
    }
}

/// How the files are spelled. Both formats carry the same data for the same seed (except NPR
/// care level 8 rows, which only the Norwegian format has).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// UTF-8 without BOM, `,`, LF, `YYYY-MM-DD`, the canonical column names and codes of the
    /// data-format spec, ICD-10 with a dot (`F20.0`).
    Canonical,
    /// Windows-1252, `;`, CRLF, `DD.MM.YYYY`, Norwegian header aliases (`lopenr`, `inndato`,
    /// `kjønn`, `år`), NPR numeric codes (omsorgsnivå 1/2/3/8, innmateHast 1–5, kjønn 1/2),
    /// `ja`/`nei` for ambulant, KUHR praksistype 62/64 and 65/66, IPLOS service numbers where
    /// one exists, ICD-10 without the dot (`F200`). File names stay canonical.
    Norwegian,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthFile {
    /// File name, e.g. `persons.csv`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A generated extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extract {
    /// persons, episodes, municipal_services, primary_care, population, areas (in that order).
    pub files: Vec<SynthFile>,
    /// Defect code → rows injected (one defect per row); empty when clean.
    pub injected: BTreeMap<&'static str, u64>,
}

impl Extract {
    /// The file with this name.
    pub fn file(&self, name: &str) -> Option<&SynthFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// Generates an extract.
pub fn generate(config: &SynthConfig) -> Extract {
    generate_with_progress(config, &mut |_| true).unwrap_or_else(|| Extract {
        files: Vec::new(),
        injected: BTreeMap::new(),
    })
}

/// Generates an extract, reporting progress in 0.0..=1.0; returns `None` as soon as
/// `progress` returns false (cancelled).
pub fn generate_with_progress(
    config: &SynthConfig,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Option<Extract> {
    let year = config.year.clamp(1910, 9999);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let data = simulate::simulate(config.persons, year, &mut rng, &mut |f| progress(f * 0.6))?;
    let style = write::Style::new(config.format);
    let defects = if config.defects {
        // Its own stream, so the clean rows are the same with and without defects.
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0xD3FE_C7ED_5EED_0001);
        defects::inject(&data, style, &mut rng)
    } else {
        defects::Defects {
            municipality: BTreeMap::new(),
            episodes: Vec::new(),
            services: Vec::new(),
            contacts: Vec::new(),
            counts: BTreeMap::new(),
        }
    };
    if !progress(0.65) {
        return None;
    }
    let mut files = Vec::with_capacity(6);

    let mut buf = String::with_capacity(data.persons.len() * 32 + 64);
    write::persons_header(style, &mut buf);
    for (i, p) in data.persons.iter().enumerate() {
        write::person(
            style,
            p,
            defects.municipality.get(&(i as u32)).copied(),
            &mut buf,
        );
        buf.push_str(style.eol());
    }
    files.push(finish("persons.csv", buf, style));

    let mut buf = String::with_capacity(data.episodes.len() * 80 + 256);
    write::episodes_header(style, &mut buf);
    write_rows(
        &data.episodes,
        defects.episodes,
        style,
        &mut buf,
        |e, buf| {
            if write::episode_written(style, e) {
                write::episode(style, &data.persons, e, buf);
                true
            } else {
                false
            }
        },
    );
    files.push(finish("episodes.csv", buf, style));
    if !progress(0.8) {
        return None;
    }

    let mut buf = String::with_capacity(data.services.len() * 48 + 64);
    write::services_header(style, &mut buf);
    write_rows(
        &data.services,
        defects.services,
        style,
        &mut buf,
        |s, buf| {
            write::service(style, &data.persons, s, buf);
            true
        },
    );
    files.push(finish("municipal_services.csv", buf, style));

    let mut buf = String::with_capacity(data.contacts.len() * 40 + 64);
    write::contacts_header(style, &mut buf);
    write_rows(
        &data.contacts,
        defects.contacts,
        style,
        &mut buf,
        |c, buf| {
            write::contact(style, &data.persons, c, buf);
            true
        },
    );
    files.push(finish("primary_care.csv", buf, style));

    let mut buf = String::new();
    write::population(style, &data, &mut buf);
    files.push(finish("population.csv", buf, style));
    let mut buf = String::new();
    write::areas(style, &mut buf);
    files.push(finish("areas.csv", buf, style));

    if !progress(1.0) {
        return None;
    }
    Some(Extract {
        files,
        injected: defects.counts,
    })
}

/// Writes the clean rows with the injected lines in between (each before the clean row whose
/// index it names, or at the end).
fn write_rows<T>(
    rows: &[T],
    mut extra: Vec<(usize, String)>,
    style: write::Style,
    buf: &mut String,
    mut row: impl FnMut(&T, &mut String) -> bool,
) {
    extra.sort_by_key(|e| e.0); // stable: equal positions keep their injection order
    let mut next = extra.iter().peekable();
    for (i, r) in rows.iter().enumerate() {
        while let Some((_, line)) = next.next_if(|e| e.0 <= i) {
            buf.push_str(line);
            buf.push_str(style.eol());
        }
        if row(r, buf) {
            buf.push_str(style.eol());
        }
    }
    for (_, line) in next {
        buf.push_str(line);
        buf.push_str(style.eol());
    }
}

fn finish(name: &str, text: String, style: write::Style) -> SynthFile {
    let bytes = if style.norwegian {
        // Every character written is in Windows-1252 (æ ø å Æ Ø Å).
        encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
    } else {
        text.into_bytes()
    };
    SynthFile {
        name: name.to_owned(),
        bytes,
    }
}

/// The injected defect counts as JSON (`{"bad_date":12,"duplicate_row":40}`, codes sorted);
/// the CLI writes it as `injected_defects.json` next to the tables.
pub fn injected_json(extract: &Extract) -> String {
    let mut s = String::from("{");
    for (i, (code, n)) in extract.injected.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('"');
        s.push_str(code);
        s.push_str("\":");
        write::push_uint(&mut s, *n);
    }
    s.push('}');
    s
}
