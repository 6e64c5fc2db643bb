//! Remarks that go with an analysis's results, as typed values; their words in both languages
//! live here, beside each other, not where the remark is made.

use crate::suppress::below_k;
use crate::text::Lang;
use serde::Serialize;

/// A count in a note: notes are published too, so a count below k is said as "under k".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteCount {
    /// The count.
    Exact(u64),
    /// Fewer than this k (and more than 0).
    UnderK(u64),
}

impl NoteCount {
    /// `n`, or "under k" when it is below k.
    pub fn new(n: u64, k: u64) -> NoteCount {
        if below_k(n, k) {
            NoteCount::UnderK(k)
        } else {
            NoteCount::Exact(n)
        }
    }

    fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (NoteCount::Exact(n), _) => n.to_string(),
            (NoteCount::UnderK(k), Lang::Nb) => format!("under {k}"),
            (NoteCount::UnderK(k), Lang::En) => format!("fewer than {k}"),
        }
    }
}

/// A remark about one analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// k = 0: nothing was suppressed.
    Unsuppressed,
    /// The analysis year is outside what the engine can represent.
    YearUnusable {
        /// The year given.
        year: i32,
    },
    /// The population table has no age column: per-1 000 rates divide by everyone.
    PopulationWithoutAge,
    /// The population table has no rows for the analysis year.
    PopulationWithoutYear {
        /// The analysis year.
        year: i32,
    },
    /// Persons with an SMI diagnosis left out of the cohort because their age is unknown.
    SmiUnknownAge {
        /// How many.
        count: NoteCount,
    },
    /// Cohort persons without a municipality, or with one not in the areas table.
    CountryOnly {
        /// How many.
        count: NoteCount,
    },
    /// The population table lacks age or sex: no age- and sex-standardised rates, only crude.
    StandardWithoutAgeOrSex,
    /// The population table has no rows for the year chosen as the standard.
    StandardWithoutYear {
        /// The standard year.
        year: i32,
    },
    /// Persons left out of the standardised rates because their age or sex is unknown, or their
    /// age lies in none of the population table's bands.
    StandardUnassigned {
        /// How many.
        count: NoteCount,
    },
}

impl Note {
    /// The note in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let nb = lang == Lang::Nb;
        match self {
            Note::Unsuppressed if nb => {
                "Ikke skjermet: små tall vises (k = 0). Resultatene må ikke publiseres.".into()
            }
            Note::Unsuppressed => {
                "Not suppressed: small numbers are shown (k = 0). The results must not be published."
                    .into()
            }
            Note::YearUnusable { year } if nb => format!("Året {year} kan ikke brukes."),
            Note::YearUnusable { year } => format!("The year {year} cannot be used."),
            Note::PopulationWithoutAge if nb => "Befolkningstabellen har ikke alder: rater per 1 000 er per 1 000 innbyggere (hele befolkningen), ikke 18 år og eldre.".into(),
            Note::PopulationWithoutAge => "The population table has no age: rates per 1 000 are per 1 000 inhabitants (whole population), not aged 18+.".into(),
            Note::PopulationWithoutYear { year } if nb => {
                format!("Befolkningstabellen har ingen rader for {year}.")
            }
            Note::PopulationWithoutYear { year } => {
                format!("The population table has no rows for {year}.")
            }
            Note::SmiUnknownAge { count } if nb => format!(
                "{} personer med SMI-diagnose er utelatt fordi alderen er ukjent.",
                count.text(lang)
            ),
            Note::SmiUnknownAge { count } => format!(
                "{} persons with an SMI diagnosis are left out because their age is unknown.",
                count.text(lang)
            ),
            Note::CountryOnly { count } if nb => format!(
                "{} personer i kohorten mangler kommune eller har en kommune som ikke er i geografitabellen; de telles bare for landet.",
                count.text(lang)
            ),
            Note::CountryOnly { count } => format!(
                "{} persons in the cohort have no municipality, or one not in the areas table; they count in the country only.",
                count.text(lang)
            ),
            Note::StandardWithoutAgeOrSex if nb => "Befolkningstabellen mangler alder eller kjønn: ingen alders- og kjønnsstandardiserte rater, bare ustandardiserte.".into(),
            Note::StandardWithoutAgeOrSex => "The population table lacks age or sex: no age- and sex-standardised rates, crude rates only.".into(),
            Note::StandardWithoutYear { year } if nb => format!(
                "Befolkningstabellen har ingen rader for standardåret {year}: ingen standardiserte rater."
            ),
            Note::StandardWithoutYear { year } => format!(
                "The population table has no rows for the standard year {year}: no standardised rates."
            ),
            Note::StandardUnassigned { count } if nb => format!(
                "{} personer er utelatt fra de standardiserte ratene fordi alder eller kjønn er ukjent eller alderen ikke er i befolkningstabellens aldersgrupper.",
                count.text(lang)
            ),
            Note::StandardUnassigned { count } => format!(
                "{} persons are left out of the standardised rates because their age or sex is unknown, or their age is in none of the population table's age bands.",
                count.text(lang)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_below_k_are_not_published_in_notes() {
        let n = Note::CountryOnly {
            count: NoteCount::new(3, 5),
        };
        assert!(n.text(Lang::Nb).starts_with("under 5 personer"));
        assert!(n.text(Lang::En).starts_with("fewer than 5 persons"));
        let n = Note::CountryOnly {
            count: NoteCount::new(5, 5),
        };
        assert!(n.text(Lang::En).starts_with("5 persons"));
        // k = 0: every count is said.
        assert_eq!(NoteCount::new(0, 0), NoteCount::Exact(0));
    }
}
