//! Derived variables (survey.md §2): the common regression covariates and the descriptive
//! groupings, added to the respondent table as columns of their own. Every choice the report
//! leaves open is a field of [`DeriveSettings`] with the documented default.

use super::scale::{scores, Scale, ScaleSettings};
use super::table::{Column, RespondentTable, DIAGNOSES};

/// Which sex variable `kvinne` comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SexSource {
    /// NPR register sex `kjonn_npr` (1 mann, 2 kvinne) — chapter 4's sex, known for everyone.
    Register,
    /// Self-reported `kjonn` (1 kvinne, 2 mann); annet / vet ikke / ønsker ikke → missing.
    SelfReport,
}

/// Choices the report leaves open (§2.1–2.2), with the defaults of `docs/choices.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeriveSettings {
    /// Source of `kvinne` (default register).
    pub sex: SexSource,
    /// Survey year for age from birth year when `alder` is absent (2023).
    pub survey_year: i32,
    /// Age from the self-reported birth year (survey year − `fodselsaar`) first, the register's
    /// `alder` only without one (default false: the register's age first, as Table 5-1).
    pub age_from_birth_year: bool,
    /// "Skadelig bruk" and "Rusmiddelavhengighet" count as one diagnosis (default true, as the
    /// report shows them as one group everywhere).
    pub substance_as_one_diagnosis: bool,
    /// "Annen diagnose" counts in the number of diagnoses (default true).
    pub count_other_diagnosis: bool,
    /// `kommunale_tj` is the number of the municipal services ticked instead of any-of 0/1
    /// (default false).
    pub municipal_services_as_count: bool,
    /// "Psykolog i kommunen" is one of the municipal health services (default false: the
    /// report lists mental-health/substance services, home nursing and physiotherapy only).
    pub municipal_includes_psychologist: bool,
    /// For TSB respondents `nylig_avsluttet` reads the substance status item (default false:
    /// `status_psyk` for everyone).
    pub tsb_status_from_substance_item: bool,
    /// "Vet ikke" on IP / koordinator / ansvarsgruppe makes `koordineringstiltak` missing unless
    /// another is Ja (default false: every answer other than Ja is 0).
    pub coordination_dont_know_missing: bool,
    /// Scale scoring for `behandlerrelasjon` and `kontinuitet`.
    pub scales: ScaleSettings,
}

impl Default for DeriveSettings {
    fn default() -> Self {
        DeriveSettings {
            sex: SexSource::Register,
            survey_year: 2023,
            age_from_birth_year: false,
            substance_as_one_diagnosis: true,
            count_other_diagnosis: true,
            municipal_services_as_count: false,
            municipal_includes_psychologist: false,
            tsb_status_from_substance_item: false,
            coordination_dont_know_missing: false,
            scales: ScaleSettings::default(),
        }
    }
}

/// Names of the columns [`add_derived`] writes.
pub const DERIVED: [&str; 20] = [
    "kvinne",
    "alder_beregnet",
    "aldersgruppe",
    "aldersgruppe_reg",
    "hoyere_utdanning",
    "egen_inntekt",
    "bor_alene",
    "over_fem_aar",
    "omfang_store",
    "alvorlig_langvarig",
    "antall_diagnoser",
    "diagnoser_gruppe",
    "kommunale_tj",
    "innleggelse",
    "koordineringstiltak",
    "nylig_avsluttet",
    "behandlingslengde",
    "behandlerrelasjon",
    "kontinuitet",
    "behov_mer_oppfolging",
];

fn get(table: &RespondentTable, name: &str, row: usize) -> Option<f64> {
    table.numeric(name).and_then(|v| v[row])
}

/// 1 when the code is one of `one`, 0 when one of `zero`, else missing.
fn recode(table: &RespondentTable, name: &str, one: &[f64], zero: &[f64]) -> Vec<Option<f64>> {
    (0..table.rows)
        .map(|r| {
            let x = get(table, name, r)?;
            if one.contains(&x) {
                Some(1.0)
            } else if zero.contains(&x) {
                Some(0.0)
            } else {
                None
            }
        })
        .collect()
}

/// The ticked options of a multi-select question for one respondent: a blank option counts as
/// not ticked when any option of the question has an answer; all blank is a skipped question.
fn ticked(table: &RespondentTable, options: &[&str], row: usize) -> Option<Vec<bool>> {
    let cells: Vec<Option<f64>> = options.iter().map(|o| get(table, o, row)).collect();
    cells
        .iter()
        .any(Option::is_some)
        .then(|| cells.iter().map(|c| *c == Some(1.0)).collect())
}

/// The age group labels of Table 5-1, and with 66-99 merged for the regressions.
pub fn age_group(age: f64, regression: bool) -> Option<&'static str> {
    let a = age.floor() as i64;
    Some(match a {
        18..=24 => "18-24",
        25..=35 => "25-35",
        36..=45 => "36-45",
        46..=55 => "46-55",
        56..=65 => "56-65",
        66..=99 if regression => "66-99",
        66..=75 => "66-75",
        76..=99 => "76-99",
        _ => return None,
    })
}

/// Adds the derived variables of §2 (named in [`DERIVED`]) to the table. Sources that are
/// absent give missing values, never zeros. A column the data already has under one of these
/// names is kept: a trust that derived a variable its own way is not overruled.
pub fn add_derived(table: &mut RespondentTable, settings: &DeriveSettings) {
    let n = table.rows;
    let kvinne = match settings.sex {
        SexSource::Register => recode(table, "kjonn_npr", &[2.0], &[1.0]),
        SexSource::SelfReport => recode(table, "kjonn", &[1.0], &[2.0]),
    };
    let age: Vec<Option<f64>> = (0..n)
        .map(|r| {
            let register = get(table, "alder", r);
            let reported = get(table, "fodselsaar", r).map(|y| settings.survey_year as f64 - y);
            if settings.age_from_birth_year {
                reported.or(register)
            } else {
                register.or(reported)
            }
        })
        .collect();
    let group_of = |regression: bool| -> Vec<Option<String>> {
        age.iter()
            .map(|a| a.and_then(|a| age_group(a, regression)).map(str::to_string))
            .collect()
    };
    let aldersgruppe = group_of(false);
    let aldersgruppe_reg = group_of(true);
    let omfang_store = recode(table, "omfang_psyk", &[3.0], &[1.0, 2.0]);
    let over_fem_aar = recode(table, "aar_psyk", &[4.0], &[1.0, 2.0, 3.0]);
    let alvorlig_langvarig = (0..n)
        .map(
            |r| match (get(table, "omfang_psyk", r)?, get(table, "aar_psyk", r)?) {
                (o, y) if o == 3.0 && y == 4.0 => Some(1.0),
                (o, y) if (o == 1.0 || o == 2.0) && y < 4.0 => Some(0.0),
                _ => None,
            },
        )
        .collect();

    let counted: Vec<&str> = DIAGNOSES
        .iter()
        .copied()
        .filter(|d| *d != "dg_vet_ikke")
        .filter(|d| settings.count_other_diagnosis || *d != "dg_annen")
        .collect();
    let antall_diagnoser: Vec<Option<f64>> = (0..n)
        .map(|r| {
            let t = ticked(table, &counted, r)?;
            let mut count = t.iter().filter(|&&b| b).count();
            let both_substance = counted
                .iter()
                .zip(&t)
                .filter(|(d, &b)| b && d.starts_with("dg_rus_"))
                .count()
                == 2;
            if settings.substance_as_one_diagnosis && both_substance {
                count -= 1;
            }
            (count > 0).then_some(count as f64)
        })
        .collect();
    let diagnoser_gruppe = antall_diagnoser
        .iter()
        .map(|c| {
            c.map(|c| match c as u32 {
                1 => "1".to_string(),
                2 => "2".to_string(),
                3 => "3".to_string(),
                _ => ">3".to_string(),
            })
        })
        .collect();

    let mut municipal = vec![
        "tj_kommunal_psykisk",
        "tj_kommunal_rus",
        "tj_hjemmesykepleie",
        "tj_fysioterapi",
    ];
    if settings.municipal_includes_psychologist {
        municipal.push("tj_psykolog_kommune");
    }
    let all_services = super::table::SERVICES;
    let kommunale_tj = (0..n)
        .map(|r| {
            ticked(table, &all_services, r)?;
            let k = municipal
                .iter()
                .filter(|s| get(table, s, r) == Some(1.0))
                .count() as f64;
            Some(if settings.municipal_services_as_count {
                k
            } else {
                k.min(1.0)
            })
        })
        .collect();
    let admissions = [
        "tj_innleggelse",
        "tj_innleggelse_psyk",
        "tj_innleggelse_rus",
        "tj_innleggelse_fysisk",
    ];
    let innleggelse = (0..n)
        .map(|r| {
            ticked(table, &all_services, r)?;
            Some(
                if admissions.iter().any(|a| get(table, a, r) == Some(1.0)) {
                    1.0
                } else {
                    0.0
                },
            )
        })
        .collect();

    // IP / koordinator / ansvarsgruppe: 1 Ja; 2–5 the kinds of no, 4 = vet ikke.
    let koordineringstiltak = (0..n)
        .map(|r| {
            let answers: Vec<f64> = ["ip", "koordinator", "ansvarsgruppe"]
                .iter()
                .filter_map(|v| get(table, v, r))
                .collect();
            if answers.contains(&1.0) {
                Some(1.0)
            } else if answers.is_empty()
                || (settings.coordination_dont_know_missing && answers.contains(&4.0))
            {
                None
            } else {
                Some(0.0)
            }
        })
        .collect();

    let sector = |r: usize| table.label("sektor", r);
    let status: Vec<Option<f64>> = (0..n)
        .map(|r| {
            let item =
                if settings.tsb_status_from_substance_item && sector(r).as_deref() == Some("TSB") {
                    "status_rus"
                } else {
                    "status_psyk"
                };
            get(table, item, r)
        })
        .collect();
    let nylig_avsluttet = status
        .iter()
        .map(|s| match s {
            Some(2.0) => Some(1.0),
            Some(1.0) => Some(0.0),
            _ => None,
        })
        .collect();
    // Length: the current course for those in treatment, the last one for those who ended.
    let behandlingslengde = (0..n)
        .map(|r| {
            let code = match status[r] {
                Some(2.0) => get(table, "varighet_sist", r),
                Some(1.0) => get(table, "varighet_naa", r),
                _ => get(table, "varighet_naa", r).or_else(|| get(table, "varighet_sist", r)),
            }?;
            Some(
                match code as u32 {
                    1 | 2 => "<2 mnd",
                    3 => "3-6 mnd",
                    _ => ">6 mnd",
                }
                .to_string(),
            )
        })
        .collect();

    let behandlerrelasjon = scores(table, Scale::StarP, &settings.scales);
    let kontinuitet = scores(table, Scale::ContinuUm, &settings.scales);
    let behov = recode(table, "fornoyd_oppfolging", &[2.0, 3.0], &[1.0]);
    let hoyere = recode(table, "utdanning", &[3.0], &[1.0, 2.0]);
    let egen_inntekt = recode(table, "hovedinntekt", &[1.0], &[2.0, 3.0, 4.0, 5.0]);
    let bor_alene = recode(
        table,
        "bosituasjon",
        &[1.0],
        &[2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
    );

    for (name, values) in [
        ("kvinne", kvinne),
        ("alder_beregnet", age),
        ("hoyere_utdanning", hoyere),
        ("egen_inntekt", egen_inntekt),
        ("bor_alene", bor_alene),
        ("over_fem_aar", over_fem_aar),
        ("omfang_store", omfang_store),
        ("alvorlig_langvarig", alvorlig_langvarig),
        ("antall_diagnoser", antall_diagnoser),
        ("kommunale_tj", kommunale_tj),
        ("innleggelse", innleggelse),
        ("koordineringstiltak", koordineringstiltak),
        ("nylig_avsluttet", nylig_avsluttet),
        ("behandlerrelasjon", behandlerrelasjon),
        ("kontinuitet", kontinuitet),
        ("behov_mer_oppfolging", behov),
    ] {
        if !table.columns.contains_key(name) {
            table.set_numeric(name, values);
        }
    }
    for (name, values) in [
        ("aldersgruppe", aldersgruppe),
        ("aldersgruppe_reg", aldersgruppe_reg),
        ("diagnoser_gruppe", diagnoser_gruppe),
        ("behandlingslengde", behandlingslengde),
    ] {
        if !table.columns.contains_key(name) {
            table.columns.insert(name.to_string(), Column::Text(values));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::table::read_respondents;

    fn derived(csv: &str, settings: &DeriveSettings) -> RespondentTable {
        let r = read_respondents("t.csv", csv.as_bytes());
        assert_eq!(r.rows_rejected, 0, "{:?}", r.issues);
        let mut t = r.table;
        add_derived(&mut t, settings);
        t
    }

    #[test]
    fn every_derived_name_is_written() {
        let t = derived("sektor\nPHV\n", &DeriveSettings::default());
        for name in DERIVED {
            assert!(t.columns.contains_key(name), "{name}");
        }
        assert_eq!(t.columns.len(), DERIVED.len() + 1);
    }

    #[test]
    fn covariates_follow_section_2_1() {
        let t = derived(
            "kjonn_npr,kjonn,alder,fodselsaar,utdanning,hovedinntekt,bosituasjon,omfang_psyk,aar_psyk,ip,koordinator,ansvarsgruppe,status_psyk,varighet_naa,varighet_sist,fornoyd_oppfolging\n\
             2,2,70,,3,1,1,3,4,2,1,4,1,2,,3\n\
             1,3,,1999,1,3,2,4,2,4,4,4,2,,3,1\n\
             ,,,,,,,,,,,,3,5,,\n",
            &DeriveSettings::default(),
        );
        let col = |n: &str| t.numeric(n).unwrap().to_vec();
        assert_eq!(col("kvinne"), [Some(1.0), Some(0.0), None]);
        assert_eq!(col("alder_beregnet"), [Some(70.0), Some(24.0), None]);
        assert_eq!(t.label("aldersgruppe", 0).as_deref(), Some("66-75"));
        assert_eq!(t.label("aldersgruppe_reg", 0).as_deref(), Some("66-99"));
        assert_eq!(t.label("aldersgruppe_reg", 1).as_deref(), Some("18-24"));
        assert_eq!(col("hoyere_utdanning"), [Some(1.0), Some(0.0), None]);
        assert_eq!(col("egen_inntekt"), [Some(1.0), Some(0.0), None]);
        assert_eq!(col("bor_alene"), [Some(1.0), Some(0.0), None]);
        // "Ikke relevant" (4) on extent is missing, not 0.
        assert_eq!(col("omfang_store"), [Some(1.0), None, None]);
        assert_eq!(col("over_fem_aar"), [Some(1.0), Some(0.0), None]);
        assert_eq!(col("alvorlig_langvarig"), [Some(1.0), None, None]);
        assert_eq!(col("koordineringstiltak"), [Some(1.0), Some(0.0), None]);
        assert_eq!(col("nylig_avsluttet"), [Some(0.0), Some(1.0), None]);
        assert_eq!(t.label("behandlingslengde", 0).as_deref(), Some("<2 mnd"));
        assert_eq!(t.label("behandlingslengde", 1).as_deref(), Some("3-6 mnd"));
        assert_eq!(t.label("behandlingslengde", 2).as_deref(), Some(">6 mnd"));
        assert_eq!(col("behov_mer_oppfolging"), [Some(1.0), Some(0.0), None]);

        let strict = DeriveSettings {
            coordination_dont_know_missing: true,
            sex: SexSource::SelfReport,
            ..DeriveSettings::default()
        };
        let t = derived(
            "kjonn,ip,koordinator,ansvarsgruppe\n2,4,2,2\n3,,,\n",
            &strict,
        );
        assert_eq!(t.numeric("koordineringstiltak").unwrap(), [None, None]);
        assert_eq!(t.numeric("kvinne").unwrap(), [Some(0.0), None]);

        // Age source: register 40 with birth year 1999 → 40 by default, 2023 − 1999 = 24 from
        // the birth year; without a birth year the register's 51 either way.
        let csv = "alder,fodselsaar\n40,1999\n51,\n";
        let t = derived(csv, &DeriveSettings::default());
        assert_eq!(
            t.numeric("alder_beregnet").unwrap(),
            [Some(40.0), Some(51.0)]
        );
        let reported = DeriveSettings {
            age_from_birth_year: true,
            ..DeriveSettings::default()
        };
        let t = derived(csv, &reported);
        assert_eq!(
            t.numeric("alder_beregnet").unwrap(),
            [Some(24.0), Some(51.0)]
        );
        assert_eq!(t.label("aldersgruppe", 0).as_deref(), Some("18-24"));
    }

    #[test]
    fn diagnoses_and_services_count_as_the_settings_say() {
        let csv = "dg_depresjon,dg_angst,dg_rus_skadelig,dg_rus_avhengighet,dg_annen,dg_vet_ikke,tj_fastlege,tj_kommunal_rus,tj_fysioterapi,tj_psykolog_kommune,tj_innleggelse_psyk\n\
                   1,1,1,1,1,0,1,1,1,1,0\n\
                   ,,,,,1,,,,,\n\
                   ,,,,,,,,,,1\n";
        let t = derived(csv, &DeriveSettings::default());
        // depression, anxiety, substance (one), other = 4; only "vet ikke" → missing.
        assert_eq!(
            t.numeric("antall_diagnoser").unwrap(),
            [Some(4.0), None, None]
        );
        assert_eq!(t.label("diagnoser_gruppe", 0).as_deref(), Some(">3"));
        assert_eq!(
            t.numeric("kommunale_tj").unwrap(),
            [Some(1.0), None, Some(0.0)]
        );
        assert_eq!(
            t.numeric("innleggelse").unwrap(),
            [Some(0.0), None, Some(1.0)]
        );
        let other = DeriveSettings {
            substance_as_one_diagnosis: false,
            count_other_diagnosis: false,
            municipal_services_as_count: true,
            municipal_includes_psychologist: true,
            ..DeriveSettings::default()
        };
        let t = derived(csv, &other);
        assert_eq!(t.numeric("antall_diagnoser").unwrap()[0], Some(4.0));
        assert_eq!(t.numeric("kommunale_tj").unwrap()[0], Some(3.0));
    }
}
