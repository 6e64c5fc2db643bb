//! The canonical columns of each table and their header aliases (data-format.md), and matching
//! a file's header line against them.
//!
//! Norwegian header names appear only here (STYLE P12).

use super::MappingProfile;
use crate::model::TableKind;

/// One canonical column of a table, as listed in data-format.md (the mapping screen offers
/// these for headers that were not recognised).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Canonical name, e.g. `admit_date`.
    pub name: &'static str,
    /// Aliases from the spec (compared after normalising case, separators and diacritics).
    pub aliases: &'static [&'static str],
    /// Whether the column must be present on its own. `false` for the either-or pairs (persons:
    /// `birth_year` OR `age`; primary care: `contact_type` OR `tariffs`), whose rule the reader
    /// applies separately.
    pub required: bool,
    /// Whether the column holds codes (the mapping screen lists its unrecognised values).
    pub coded: bool,
}

type ColumnDef = ColumnSpec;

const fn col(name: &'static str, aliases: &'static [&'static str], required: bool) -> ColumnDef {
    ColumnDef {
        name,
        aliases,
        required,
        coded: false,
    }
}

const fn code(name: &'static str, aliases: &'static [&'static str], required: bool) -> ColumnDef {
    ColumnDef {
        name,
        aliases,
        required,
        coded: true,
    }
}

const PID: &[&str] = &["lopenr", "lnr", "pasientid", "personid"];

/// persons (personer)
pub(crate) const PERSONS: &[ColumnDef] = &[
    col("pid", PID, true),
    col("birth_year", &["fodselsar", "fødselsår", "faar"], false),
    col("age", &["alder"], false),
    code("sex", &["kjonn", "kjønn"], false),
    col(
        "municipality",
        &["kommune", "kommunenr", "bostedskommune", "komnr"],
        false,
    ),
    col("death_date", &["dodsdato", "dødsdato"], false),
];

/// episodes (opphold)
pub(crate) const EPISODES: &[ColumnDef] = &[
    col("pid", PID, true),
    code("sector", &["sektor", "tjenesteomrade"], true),
    code("care_level", &["omsorgsniva", "omsorgsnivå"], true),
    col("admit_date", &["inndato", "inn_dato", "startdato"], true),
    col("admit_time", &["inntid", "inn_tid", "klokkeslett"], false),
    col("discharge_date", &["utdato", "ut_dato", "sluttdato"], false),
    code("urgency", &["hastegrad", "innmatehast"], false),
    col("main_diagnosis", &["hovedtilstand", "hoveddiagnose"], false),
    col(
        "other_diagnoses",
        &["bitilstand", "bitilstander", "bidiagnoser"],
        false,
    ),
    col("unit", &["enhet", "avdeling"], false),
    code("ambulant", &["ambulant", "stedaktivitet"], false),
    code("contact_mode", &["kontaktform"], false),
    col("ready_date", &["utskrklar_dato", "utskrivningsklar"], false),
    col("letter_date", &["epikrise_dato", "epikrisedato"], false),
    code("referred_by", &["henvist_fra", "henvisningstype"], false),
    code("discharged_to", &["ut_til", "utskrevet_til"], false),
];

/// municipal_services (kommunale_tjenester)
pub(crate) const MUNICIPAL_SERVICES: &[ColumnDef] = &[
    col("pid", PID, true),
    code("service", &["tjeneste", "tjenestetype"], true),
    col("decision_date", &["vedtaksdato", "vedtak_dato"], false),
    col("start_date", &["startdato", "fra_dato"], true),
    col("end_date", &["sluttdato", "til_dato"], false),
];

/// primary_care (primaerhelse)
pub(crate) const PRIMARY_CARE: &[ColumnDef] = &[
    col("pid", PID, true),
    col("date", &["dato", "kontaktdato"], true),
    code("provider", &["tjenestested", "praksistype"], true),
    code("contact_type", &["kontakttype"], false),
    code("interdisciplinary", &["tverrfaglig"], false),
    col("tariffs", &["takster"], false),
];

/// population (befolkning)
pub(crate) const POPULATION: &[ColumnDef] = &[
    col("municipality", &["kommune"], true),
    col("year", &["aar", "år"], true),
    code("sex", &["kjonn"], false),
    col("age", &["alder"], false),
    col("count", &["antall", "personer", "folkemengde"], true),
];

/// areas (geografi)
pub(crate) const AREAS: &[ColumnDef] = &[
    col("municipality", &["kommune"], true),
    col("municipality_name", &["kommunenavn"], false),
    col("health_community", &["helsefellesskap"], true),
    col("region", &["helseregion"], true),
];

/// The position of column `name` in `defs`, at compile time: the table readers take their
/// column indices from here, so they cannot drift from the order of the lists above (a name
/// not in the list fails the build).
pub(crate) const fn index_of(defs: &[ColumnDef], name: &str) -> usize {
    let mut i = 0;
    while i < defs.len() {
        let (a, b) = (defs[i].name.as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such column")
}

/// The canonical columns of a table kind, in the order of data-format.md.
///
/// ```
/// use forlop_core::ingest::columns;
/// use forlop_core::model::TableKind;
/// let urgency = columns(TableKind::Episodes).iter().find(|c| c.name == "urgency");
/// assert_eq!(urgency.map(|c| c.required), Some(false));
/// ```
pub fn columns(kind: TableKind) -> &'static [ColumnSpec] {
    match kind {
        TableKind::Persons => PERSONS,
        TableKind::Episodes => EPISODES,
        TableKind::MunicipalServices => MUNICIPAL_SERVICES,
        TableKind::PrimaryCare => PRIMARY_CARE,
        TableKind::Population => POPULATION,
        TableKind::Areas => AREAS,
    }
}

/// Header normal form: lower case, without spaces, `_`, `-` and diacritics (ø → o, å → a,
/// æ → ae, é → e …), so `Fødselsår`, `fodsels_ar` and `FODSELSAR` are one name.
pub(crate) fn normalise_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in h.trim().trim_start_matches('\u{feff}').chars() {
        for l in c.to_lowercase() {
            match l {
                ' ' | '_' | '-' | '\u{a0}' | '\t' => {}
                'ø' | 'ö' | 'ó' | 'ò' | 'ô' | 'õ' => out.push('o'),
                'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' => out.push('a'),
                'æ' => out.push_str("ae"),
                'é' | 'è' | 'ê' | 'ë' => out.push('e'),
                'ü' | 'ú' | 'ù' | 'û' => out.push('u'),
                'í' | 'ì' | 'î' | 'ï' => out.push('i'),
                _ => out.push(l),
            }
        }
    }
    out
}

/// For each header of the file, the index of the canonical column it matches (or `None`).
/// The mapping profile is consulted first; the first header to claim a column wins, later ones
/// with the same meaning are ignored like unknown columns.
pub(crate) fn match_headers(
    kind: TableKind,
    headers: &[&str],
    mapping: &MappingProfile,
) -> Vec<Option<usize>> {
    let defs = columns(kind);
    let user = mapping.columns.get(kind.canonical_name());
    let mut taken = vec![false; defs.len()];
    headers
        .iter()
        .map(|h| {
            let n = normalise_header(h);
            let by_profile = user.and_then(|m| {
                m.iter()
                    .find(|(from, _)| normalise_header(from) == n)
                    .and_then(|(_, to)| defs.iter().position(|d| d.name == to.as_str()))
            });
            let found = by_profile.or_else(|| {
                defs.iter().position(|d| {
                    normalise_header(d.name) == n
                        || d.aliases.iter().any(|a| normalise_header(a) == n)
                })
            })?;
            if taken[found] {
                return None;
            }
            taken[found] = true;
            Some(found)
        })
        .collect()
}

/// Headers that mean a column an earlier header already claimed (by name, alias or the
/// user's mapping): `(file column, canonical name, file column that is read)`, 0-based.
pub(crate) fn repeated_headers(
    kind: TableKind,
    headers: &[&str],
    mapping: &MappingProfile,
) -> Vec<(usize, &'static str, usize)> {
    let defs = columns(kind);
    let user = mapping.columns.get(kind.canonical_name());
    let mut first: Vec<Option<usize>> = vec![None; defs.len()];
    let mut out = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise_header(h);
        let by_profile = user.and_then(|m| {
            m.iter()
                .find(|(from, _)| normalise_header(from) == n)
                .and_then(|(_, to)| defs.iter().position(|d| d.name == to.as_str()))
        });
        let found = by_profile.or_else(|| {
            defs.iter().position(|d| {
                normalise_header(d.name) == n || d.aliases.iter().any(|a| normalise_header(a) == n)
            })
        });
        if let Some(c) = found {
            match first[c] {
                Some(f) => out.push((i, defs[c].name, f)),
                None => first[c] = Some(i),
            }
        }
    }
    out
}

/// The canonical names of the required columns the matched headers lack.
pub(crate) fn required_missing(kind: TableKind, matched: &[Option<usize>]) -> Vec<&'static str> {
    let defs = columns(kind);
    let has = |name: &str| {
        matched
            .iter()
            .flatten()
            .any(|&i| defs.get(i).is_some_and(|d| d.name == name))
    };
    let mut missing: Vec<&'static str> = defs
        .iter()
        .filter(|d| d.required && !has(d.name))
        .map(|d| d.name)
        .collect();
    match kind {
        TableKind::Persons if !has("birth_year") && !has("age") => missing.push("birth_year"),
        TableKind::PrimaryCare if !has("contact_type") && !has("tariffs") => {
            missing.push("contact_type")
        }
        _ => {}
    }
    missing
}

/// Recognises the table from its headers: the kind whose required columns are all present,
/// with the most matched columns; `None` when no kind fits or two fit equally well.
pub(crate) fn detect_kind_with(headers: &[&str], mapping: &MappingProfile) -> Option<TableKind> {
    let mut best: Option<(usize, TableKind)> = None;
    let mut tie = false;
    for kind in TableKind::ALL {
        let matched = match_headers(kind, headers, mapping);
        if !required_missing(kind, &matched).is_empty() {
            continue;
        }
        let score = matched.iter().flatten().count();
        match best {
            Some((s, _)) if s > score => {}
            Some((s, _)) if s == score => tie = true,
            _ => {
                best = Some((score, kind));
                tie = false;
            }
        }
    }
    if tie {
        None
    } else {
        best.map(|(_, k)| k)
    }
}

/// For previews: the kind with the most matched columns (at least two), even when required
/// columns are missing, so the mapping screen can say which ones; `None` on a tie.
pub(crate) fn guess_kind(headers: &[&str], mapping: &MappingProfile) -> Option<TableKind> {
    if let Some(k) = detect_kind_with(headers, mapping) {
        return Some(k);
    }
    let mut scores: Vec<(usize, TableKind)> = TableKind::ALL
        .iter()
        .map(|&k| {
            (
                match_headers(k, headers, mapping).iter().flatten().count(),
                k,
            )
        })
        .collect();
    scores.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scores.as_slice() {
        [(a, k), (b, _), ..] if *a >= 2 && a > b => Some(*k),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_column_of_the_spec_is_listed() {
        // The `column` cells of each table in spec/data-format.md, in order; `required` = the
        // spec's "yes" (the `yes*` either-or pairs and "for DOGN" are not required on their own).
        let spec: [(TableKind, &[(&str, bool)]); 6] = [
            (
                TableKind::Persons,
                &[
                    ("pid", true),
                    ("birth_year", false),
                    ("age", false),
                    ("sex", false),
                    ("municipality", false),
                    ("death_date", false),
                ],
            ),
            (
                TableKind::Episodes,
                &[
                    ("pid", true),
                    ("sector", true),
                    ("care_level", true),
                    ("admit_date", true),
                    ("admit_time", false),
                    ("discharge_date", false),
                    ("urgency", false),
                    ("main_diagnosis", false),
                    ("other_diagnoses", false),
                    ("unit", false),
                    ("ambulant", false),
                    ("contact_mode", false),
                    ("ready_date", false),
                    ("letter_date", false),
                    ("referred_by", false),
                    ("discharged_to", false),
                ],
            ),
            (
                TableKind::MunicipalServices,
                &[
                    ("pid", true),
                    ("service", true),
                    ("decision_date", false),
                    ("start_date", true),
                    ("end_date", false),
                ],
            ),
            (
                TableKind::PrimaryCare,
                &[
                    ("pid", true),
                    ("date", true),
                    ("provider", true),
                    ("contact_type", false),
                    ("interdisciplinary", false),
                    ("tariffs", false),
                ],
            ),
            (
                TableKind::Population,
                &[
                    ("municipality", true),
                    ("year", true),
                    ("sex", false),
                    ("age", false),
                    ("count", true),
                ],
            ),
            (
                TableKind::Areas,
                &[
                    ("municipality", true),
                    ("municipality_name", false),
                    ("health_community", true),
                    ("region", true),
                ],
            ),
        ];
        for (kind, want) in spec {
            let got: Vec<(&str, bool)> =
                columns(kind).iter().map(|c| (c.name, c.required)).collect();
            assert_eq!(got, want.to_vec(), "{kind:?}");
        }
        // Spot check that the aliases come along: urgency's are the spec's two.
        let urgency = columns(TableKind::Episodes)
            .iter()
            .find(|c| c.name == "urgency");
        assert_eq!(
            urgency.map(|c| c.aliases),
            Some(&["hastegrad", "innmatehast"][..])
        );
    }

    #[test]
    fn normal_form_strips_case_separators_and_diacritics() {
        assert_eq!(normalise_header(" Fødsels_år "), "fodselsar");
        assert_eq!(normalise_header("OMSORGSNIVÅ"), "omsorgsniva");
        assert_eq!(normalise_header("Primær-helse"), "primaerhelse");
        assert_eq!(normalise_header("\u{feff}pid"), "pid");
    }

    #[test]
    fn every_alias_and_canonical_name_matches_its_column() {
        for kind in TableKind::ALL {
            for (i, def) in columns(kind).iter().enumerate() {
                for h in std::iter::once(&def.name).chain(def.aliases.iter()) {
                    let upper = h.to_uppercase();
                    for variant in [h.to_string(), upper, h.replace('_', " ")] {
                        let m =
                            match_headers(kind, &[variant.as_str()], &MappingProfile::default());
                        assert_eq!(m, vec![Some(i)], "{kind:?}: {variant}");
                    }
                }
            }
        }
    }

    #[test]
    fn profile_columns_win_and_first_claim_wins() {
        let mut p = MappingProfile::default();
        p.columns.insert(
            "episodes".into(),
            [("Innleggelse".to_string(), "admit_date".to_string())].into(),
        );
        let m = match_headers(
            TableKind::Episodes,
            &["lopenr", "innleggelse", "inndato", "x"],
            &p,
        );
        // admit_date is index 3 of EPISODES; the later `inndato` is ignored.
        assert_eq!(m, vec![Some(0), Some(3), None, None]);
    }

    #[test]
    fn kinds_are_recognised_from_headers() {
        let none = MappingProfile::default();
        let k = |h: &[&str]| detect_kind_with(h, &none);
        assert_eq!(
            k(&["lopenr", "fødselsår", "kjønn", "kommune"]),
            Some(TableKind::Persons)
        );
        assert_eq!(k(&["pid", "alder"]), Some(TableKind::Persons));
        assert_eq!(
            k(&["lopenr", "sektor", "omsorgsnivå", "inndato", "utdato"]),
            Some(TableKind::Episodes)
        );
        assert_eq!(
            k(&["pid", "tjeneste", "startdato", "sluttdato"]),
            Some(TableKind::MunicipalServices)
        );
        assert_eq!(
            k(&["pid", "dato", "praksistype", "takster"]),
            Some(TableKind::PrimaryCare)
        );
        assert_eq!(k(&["kommune", "år", "antall"]), Some(TableKind::Population));
        assert_eq!(
            k(&["kommune", "kommunenavn", "helsefellesskap", "helseregion"]),
            Some(TableKind::Areas)
        );
        assert_eq!(k(&["a", "b"]), None);
        assert_eq!(k(&["pid", "kommune"]), None);
    }
}
