//! A synthetic respondent file of the national patient survey (`spec/survey.md`, issue 9) and its
//! population aggregates (Table 4-1's counts), seeded and deterministic like the rest of the
//! crate.
//!
//! The three sectors are in the survey's proportions (PHV 21 346 : TSB 3 199 : AVT 8 913, so
//! 33 458 respondents give exactly the report's sizes), the register variables and answers are
//! drawn near the report's published distributions per sector (Tables 5-1/5-2, Figs 6-2, 9-10,
//! 9-11, 12-3 and the numbers of survey.md §5.4), and a few latent traits tie the answers
//! together so the regressions of survey.md §4.5 point the report's way:
//!
//! * `R`, the therapeutic relationship: drives the STAR-P items, the outcome items (`hjelper`,
//!   `tro_bedre_liv`, `tilfreds`), `tilpasset`, the continuity items, and against the need for
//!   more follow-up (Table 7-1's OR 0.24 for Behandlerrelasjon).
//! * `S`, severity: drives `omfang_psyk` / `aar_psyk`, the municipal and hospital services,
//!   coordination measures, and the need for more follow-up (Table 7-1's OR 1.9 for Store).
//! * coordination (IP / koordinator / ansvarsgruppe), raised by the outreach team (Table 9-3's OR
//!   2.3) and lowering the need for more follow-up (Table 7-1's OR 0.57).
//! * video consultation, more likely in Helse Nord and Midt-Norge and less from 66 years on
//!   (Table 8-1).
//!
//! Answer codes are those the survey reader accepts (survey.md §1 and docs/choices.md, "Patient
//! survey"). About 1.5 % of each answer is left blank (item non-response); routed items are blank
//! where the questionnaire skips them. Only `+ − × ÷` and `sqrt` are used on floating point
//! numbers (no `exp`/`ln`, which may differ in the last bit between platforms): the normal
//! variates are Irwin–Hall sums of uniforms and the normal quantiles come from a power series.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::random::{chance, weighted};
use crate::SynthFile;

/// The sectors, as the respondent file spells them.
pub const SURVEY_SECTORS: [&str; 3] = ["PHV", "TSB", "AVT"];
/// Respondents per sector in the report (Table 4-1: 21 346, 3 199, 8 913 = 33 458).
pub const SURVEY_RESPONDENTS: [u32; 3] = [21_346, 3_199, 8_913];
/// Total and recipient populations per sector in the report (Table 4-1).
pub const SURVEY_POPULATIONS: [(u32, u32); 3] =
    [(87_424, 82_050), (17_257, 15_667), (26_227, 25_917)];

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyConfig {
    /// Respondents in all; split over the sectors in the report's proportions.
    pub respondents: usize,
    /// Seed: the same config gives byte-identical files.
    pub seed: u64,
}

impl Default for SurveyConfig {
    fn default() -> Self {
        SurveyConfig {
            respondents: 33_458,
            seed: 1,
        }
    }
}

/// A generated survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// `survey_respondents.csv`: one row per respondent, survey.md's variable names, `,`, UTF-8.
    pub respondents: SynthFile,
    /// `survey_aggregates.csv`: the population aggregates in the long format
    /// (`sektor,populasjon,inndeling,kategori,kjonn,antall`, docs/survey.md): each
    /// sector's total population and recipients (the report's, scaled by respondents / 33 458)
    /// and respondents; the total population by sex, age group, region, health trust and
    /// diagnosis (1st main condition) in the report's proportions, by sex and region also the
    /// same period and the whole of the year before; the respondents of the generated file by
    /// the same breakdowns (their own diagnoses).
    pub aggregates: SynthFile,
    /// Respondents per sector (PHV, TSB, AVT).
    pub sector_sizes: [usize; 3],
}

/// The respondents of each sector for `n` in all: the report's proportions, largest remainder.
pub fn survey_sector_sizes(n: usize) -> [usize; 3] {
    let total: u64 = SURVEY_RESPONDENTS.iter().map(|&x| x as u64).sum();
    let mut sizes = [0usize; 3];
    let mut remainders = [(0u64, 0usize); 3];
    for (i, &r) in SURVEY_RESPONDENTS.iter().enumerate() {
        let exact = n as u64 * r as u64;
        sizes[i] = (exact / total) as usize;
        remainders[i] = (exact % total, i);
    }
    let mut left = n - sizes.iter().sum::<usize>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in &remainders {
        if left == 0 {
            break;
        }
        sizes[i] += 1;
        left -= 1;
    }
    sizes
}

/// Every column of the respondent file, in order.
pub const SURVEY_COLUMNS: &[&str] = &[
    "respondent_id",
    "sektor",
    "kjonn_npr",
    "alder",
    "helseregion",
    "helseforetak",
    "status_psyk",
    "status_rus",
    "avbrutt_psyk",
    "avbrutt_rus",
    "varighet_naa",
    "antall_kontakter",
    "varighet_sist",
    "antall_behandlere",
    "valgt_sektor",
    "video",
    "video_fornoyd",
    "gruppebeh",
    "info_oppstart",
    "info_tidsplan",
    "info_diagnose",
    "info_muligheter",
    "info_pakkeforlop",
    "hjelper",
    "tro_bedre_liv",
    "tilfreds",
    "beh_plan",
    "plan_aktiv",
    "plan_mer_involvert",
    "tilpasset",
    "endringer",
    "medisiner",
    "tilbakemelding",
    "forhold_familie",
    "forhold_venner",
    "pr_informere",
    "pr_onsker_samarbeid",
    "pr_samarbeider_godt",
    "star01",
    "star02",
    "star03",
    "star04",
    "star05",
    "star06",
    "star07",
    "star08",
    "star09",
    "star10",
    "star11",
    "star12",
    "fastlege_involvert",
    "sp_fysisk_helse",
    "sp_levevaner",
    "tj_fastlege",
    "tj_psykolog_privat",
    "tj_psykolog_kommune",
    "tj_oppsokende_team",
    "tj_kommunal_psykisk",
    "tj_kommunal_rus",
    "tj_hjemmesykepleie",
    "tj_dagsenter",
    "tj_stottekontakt",
    "tj_fysioterapi",
    "tj_arbeidstiltak",
    "tj_nav",
    "tj_hjelpetelefon",
    "tj_innleggelse",
    "tj_innleggelse_psyk",
    "tj_innleggelse_rus",
    "tj_innleggelse_fysisk",
    "tj_ingen",
    "tj_dps",
    "tilstrekkelig_pol",
    "fornoyd_oppfolging",
    "beh_samarbeid_tj",
    "ip",
    "koordinator",
    "ansvarsgruppe",
    "kriseplan",
    "coc01_tilgang",
    "coc02_alle_tjenester",
    "coc03_velge",
    "coc04_vente",
    "coc05_kveld_helg",
    "coc06_bytte",
    "coc07_informasjon",
    "coc08_endret",
    "coc09_framskritt",
    "coc10_kommuniserer",
    "coc11_stotte_likepersoner",
    "coc12_livshistorien",
    "livstilfredshet",
    "meningsfylt",
    "psykisk_helse_naa",
    "fysisk_helse_naa",
    "daglige_aktiviteter",
    "dg_depresjon",
    "dg_angst",
    "dg_bipolar",
    "dg_schizofreni",
    "dg_psykose",
    "dg_ptsd",
    "dg_spise",
    "dg_tvang_fobier",
    "dg_personlighet",
    "dg_rus_skadelig",
    "dg_rus_avhengighet",
    "dg_avhengighet_ikke_rus",
    "dg_autisme",
    "dg_adhd",
    "dg_annen",
    "dg_vet_ikke",
    "omfang_psyk",
    "aar_psyk",
    "omfang_rus",
    "aar_rus",
    "kjonn",
    "fodselsaar",
    "utdanning",
    "under_utdanning",
    "hovedinntekt",
    "bosituasjon",
];

/// Standard normal CDF by its power series (only `+ − × ÷`: the same bits everywhere).
fn phi(x: f64) -> f64 {
    let x = x.clamp(-7.0, 7.0);
    // Φ(x) = ½ + (1/√(2π)) Σ (−1)ⁿ x^(2n+1) / (2ⁿ n! (2n+1)).
    let mut term = x; // (−1)ⁿ x^(2n+1) / (2ⁿ n!)
    let mut sum = x;
    let x2 = x * x;
    for n in 1..200 {
        term *= -x2 / (2.0 * n as f64);
        let add = term / (2 * n + 1) as f64;
        sum += add;
        if add.abs() < 1e-17 {
            break;
        }
    }
    (0.5 + 0.398_942_280_401_432_7 * sum).clamp(0.0, 1.0)
}

/// Standard normal quantile by bisection on [`phi`].
fn quantile(p: f64) -> f64 {
    let (mut lo, mut hi) = (-7.0f64, 7.0f64);
    for _ in 0..70 {
        let mid = 0.5 * (lo + hi);
        if phi(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Approximately standard normal: the sum of four uniforms, centred and scaled (Irwin–Hall).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let s: f64 = (0..4).map(|_| rng.random::<f64>()).sum();
    (s - 2.0) * 1.732_050_807_568_877_2
}

/// `w·signal + √(1 − w²)·z`: a unit-variance latent loading `w` on a unit-variance signal.
fn mix(rng: &mut ChaCha8Rng, signal: f64, w: f64) -> f64 {
    w * signal + (1.0 - w * w).sqrt() * normal(rng)
}

/// Thresholds (normal quantiles of the cumulative shares) per weight table, computed once.
struct Cuts(HashMap<&'static [u32], Vec<f64>>);

impl Cuts {
    /// The category (0-based, in the order of `weights`) whose band holds `latent`: a unit
    /// normal latent gives the shares of `weights`, and higher latents higher categories.
    fn cat(&mut self, weights: &'static [u32], latent: f64) -> usize {
        let cuts = self.0.entry(weights).or_insert_with(|| {
            let total: u32 = weights.iter().sum();
            let mut acc = 0u32;
            weights[..weights.len() - 1]
                .iter()
                .map(|&w| {
                    acc += w;
                    quantile(acc as f64 / total.max(1) as f64)
                })
                .collect()
        });
        cuts.iter().take_while(|&&c| latent > c).count()
    }
}

/// One respondent's answers by column (absent = blank).
struct Row(HashMap<&'static str, String>);

impl Row {
    fn set(&mut self, name: &'static str, v: impl ToString) {
        self.0.insert(name, v.to_string());
    }
}

const STAR_POSITIVE: [[u32; 5]; 3] = [[3, 6, 16, 38, 37], [3, 6, 15, 37, 39], [2, 4, 11, 36, 47]];
const STAR_HONEST: [[u32; 5]; 3] = [[2, 3, 11, 37, 47], [2, 3, 10, 36, 49], [1, 2, 8, 34, 55]];
const STAR_GOALS: [[u32; 5]; 3] = [[4, 7, 18, 38, 33], [4, 6, 17, 38, 35], [3, 5, 14, 38, 40]];
/// Negative items (4, 7, 9): worst raw answer (Alltid) first, so a high relationship latent
/// gives a low raw code.
const STAR_WITHHOLDS: [[u32; 5]; 3] = [[3, 5, 12, 20, 60], [3, 5, 12, 20, 60], [2, 3, 9, 18, 68]];
const STAR_UNDERSTANDING: [[u32; 5]; 3] =
    [[6, 11, 15, 20, 48], [6, 10, 14, 20, 50], [4, 9, 12, 20, 55]];
const STAR_IMPATIENT: [[u32; 5]; 3] = [[3, 5, 9, 16, 67], [3, 4, 8, 15, 70], [2, 3, 6, 14, 75]];

const HJELPER: [[u32; 5]; 3] = [[6, 12, 38, 30, 14], [5, 9, 32, 32, 22], [4, 7, 26, 38, 25]];
const TRO: [[u32; 5]; 3] = [[9, 15, 37, 27, 12], [8, 10, 30, 30, 22], [4, 8, 31, 35, 23]];
const TILFREDS: [[u32; 5]; 3] = [[8, 12, 30, 32, 18], [6, 10, 24, 35, 25], [3, 6, 21, 40, 30]];
const VIDEO_FORNOYD: [[u32; 5]; 3] = [
    [5, 12, 33, 32, 18],
    [5, 12, 33, 32, 18],
    [4, 10, 30, 35, 21],
];

/// Continuity, worst to best among the valid answers 1–5.
const COC_VALID: [u32; 5] = [8, 12, 20, 35, 25];
/// Share (per mille) answering "not relevant / no need" (6), items 1–11.
const COC_NOT_RELEVANT: [u32; 11] = [30, 30, 100, 30, 450, 200, 20, 60, 30, 180, 150];

/// Share (per mille) yes per sector.
type PerMille = [u32; 3];

fn per_mille(rng: &mut ChaCha8Rng, p: PerMille, s: usize) -> bool {
    chance(rng, p[s] as f64 / 1000.0)
}

fn draw(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    weighted(rng, weights)
}

/// Yes with probability `p`, raised by a latent: yes when `mix(signal, w) > Φ⁻¹(1 − p)`.
fn event(rng: &mut ChaCha8Rng, p: f64, signal: f64, w: f64) -> bool {
    mix(rng, signal, w) > quantile_cached(1.0 - p)
}

thread_local! {
    static QUANTILES: std::cell::RefCell<HashMap<u64, f64>> = std::cell::RefCell::new(HashMap::new());
}

fn quantile_cached(p: f64) -> f64 {
    QUANTILES.with(|q| {
        *q.borrow_mut()
            .entry(p.to_bits())
            .or_insert_with(|| quantile(p))
    })
}

/// Generates the respondent file and the aggregates.
pub fn generate_survey(config: &SurveyConfig) -> Survey {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x5E_C0DE_5A11_u64);
    let sizes = survey_sector_sizes(config.respondents);
    let mut sectors: Vec<usize> = Vec::with_capacity(config.respondents);
    for (s, &n) in sizes.iter().enumerate() {
        sectors.extend(std::iter::repeat_n(s, n));
    }
    crate::random::shuffle(&mut rng, &mut sectors);
    let mut cuts = Cuts(HashMap::new());
    let mut text = String::with_capacity(config.respondents * 300 + 2048);
    text.push_str(&SURVEY_COLUMNS.join(","));
    text.push('\n');
    let mut tally = Tally::default();
    for (i, &s) in sectors.iter().enumerate() {
        let row = respondent(&mut rng, &mut cuts, s, i + 1);
        tally.add(s, &row);
        for (j, name) in SURVEY_COLUMNS.iter().enumerate() {
            if j > 0 {
                text.push(',');
            }
            if let Some(v) = row.0.get(name) {
                text.push_str(v);
            }
        }
        text.push('\n');
    }
    let agg = aggregates(config, &sizes, &tally);
    Survey {
        respondents: SynthFile {
            name: "survey_respondents.csv".into(),
            bytes: text.into_bytes(),
        },
        aggregates: SynthFile {
            name: "survey_aggregates.csv".into(),
            bytes: agg.into_bytes(),
        },
        sector_sizes: sizes,
    }
}

const REGIONS: [&str; 6] = [
    "Helse Sør-Øst",
    "Helse Vest",
    "Helse Midt-Norge",
    "Helse Nord",
    "Andre",
    "Ukjent",
];
/// Respondents by region (Table 4-6's Utvalget; AVT's Andre as Table 4-4's Ukjent).
const REGION_WEIGHTS: [[u32; 6]; 3] = [
    [11976, 4202, 2800, 2061, 307, 0],
    [2059, 626, 310, 204, 0, 0],
    [5596, 1913, 810, 581, 0, 13],
];
const TRUSTS: [&[&str]; 5] = [
    &[
        "Oslo universitetssykehus HF",
        "Akershus universitetssykehus HF",
        "Sykehuset Innlandet HF",
        "Vestre Viken HF",
        "Sykehuset i Vestfold HF",
        "Sykehuset Telemark HF",
        "Sørlandet sykehus HF",
        "Sykehuset Østfold HF",
        "Lovisenberg Diakonale Sykehus",
        "Diakonhjemmet Sykehus",
    ],
    &[
        "Helse Bergen HF",
        "Helse Stavanger HF",
        "Helse Fonna HF",
        "Helse Førde HF",
    ],
    &[
        "St. Olavs hospital HF",
        "Helse Møre og Romsdal HF",
        "Helse Nord-Trøndelag HF",
    ],
    &[
        "Universitetssykehuset Nord-Norge HF",
        "Nordlandssykehuset HF",
        "Helgelandssykehuset HF",
        "Finnmarkssykehuset HF",
    ],
    &["Privat institusjon"],
];
/// Age groups of Table 5-1 (PHV from its printed percentages, the counts being inconsistent).
const AGE_GROUPS: [(u32, u32); 7] = [
    (18, 24),
    (25, 35),
    (36, 45),
    (46, 55),
    (56, 65),
    (66, 75),
    (76, 90),
];
const AGE_WEIGHTS: [[u32; 7]; 3] = [
    [21, 32, 20, 15, 8, 3, 1],
    [262, 775, 767, 742, 507, 132, 14],
    [598, 2299, 2269, 2095, 1224, 360, 68],
];
/// Women per mille (register sex of respondents, Table 4-5).
const WOMEN: PerMille = [683, 424, 749];

/// Diagnosis prevalences per mille (survey.md §5.4, Fig 6-1).
const DIAGNOSES: [(&str, PerMille); 16] = [
    ("dg_depresjon", [600, 350, 500]),
    ("dg_angst", [500, 300, 400]),
    ("dg_bipolar", [100, 70, 60]),
    ("dg_schizofreni", [40, 20, 4]),
    ("dg_psykose", [40, 50, 10]),
    ("dg_ptsd", [290, 270, 260]),
    ("dg_spise", [60, 20, 50]),
    ("dg_tvang_fobier", [120, 60, 120]),
    ("dg_personlighet", [150, 130, 60]),
    ("dg_rus_skadelig", [10, 300, 8]),
    ("dg_rus_avhengighet", [12, 450, 8]),
    ("dg_avhengighet_ikke_rus", [10, 30, 10]),
    ("dg_autisme", [30, 10, 20]),
    ("dg_adhd", [220, 200, 150]),
    ("dg_annen", [120, 120, 180]),
    ("dg_vet_ikke", [20, 20, 20]),
];

/// Services per mille, and whether severity raises them.
const SERVICES: [(&str, PerMille, bool); 16] = [
    ("tj_fastlege", [920, 910, 940], false),
    ("tj_psykolog_privat", [80, 30, 100], false),
    ("tj_psykolog_kommune", [100, 50, 40], false),
    ("tj_oppsokende_team", [65, 70, 5], true),
    ("tj_kommunal_psykisk", [270, 230, 90], true),
    ("tj_kommunal_rus", [30, 390, 5], true),
    ("tj_hjemmesykepleie", [30, 70, 10], true),
    ("tj_dagsenter", [50, 90, 20], true),
    ("tj_stottekontakt", [30, 40, 10], true),
    ("tj_fysioterapi", [250, 200, 320], false),
    ("tj_arbeidstiltak", [100, 100, 70], false),
    ("tj_nav", [300, 390, 190], true),
    ("tj_hjelpetelefon", [80, 90, 40], true),
    ("tj_innleggelse_psyk", [100, 80, 10], true),
    ("tj_innleggelse_rus", [10, 170, 2], true),
    ("tj_innleggelse_fysisk", [90, 80, 70], false),
];

/// Item non-response: blank with probability 1.5 %.
fn answered(rng: &mut ChaCha8Rng) -> bool {
    !chance(rng, 0.015)
}

fn respondent(rng: &mut ChaCha8Rng, cuts: &mut Cuts, s: usize, id: usize) -> Row {
    let mut row = Row(HashMap::with_capacity(SURVEY_COLUMNS.len()));
    // Sets an answer unless this one is left blank.
    macro_rules! answer {
        ($name:expr, $v:expr) => {{
            let v = $v;
            if answered(rng) {
                row.set($name, v);
            }
        }};
    }
    row.set("respondent_id", id);
    row.set("sektor", SURVEY_SECTORS[s]);
    let woman = per_mille(rng, WOMEN, s);
    row.set("kjonn_npr", if woman { 2 } else { 1 });
    let group = draw(rng, &AGE_WEIGHTS[s]);
    let (lo, hi) = AGE_GROUPS[group];
    let age = lo + rng.random_range(0..=hi - lo);
    row.set("alder", age);
    let region = draw(rng, &REGION_WEIGHTS[s]);
    row.set("helseregion", REGIONS[region]);
    if s != 2 && region < 5 {
        let trusts = TRUSTS[region];
        let t = trusts[rng.random_range(0..trusts.len() as u32) as usize];
        row.set("helseforetak", t);
    }

    // Latent traits.
    let rel = normal(rng);
    let mut sev = normal(rng);

    // Diagnoses (at least one: depression, or substance dependence in TSB).
    let skip_diagnoses = chance(rng, 0.01);
    let mut ticked = [false; 16];
    for (k, (_, p)) in DIAGNOSES.iter().enumerate() {
        ticked[k] = per_mille(rng, *p, s);
    }
    if !ticked.iter().any(|&t| t) {
        ticked[if s == 1 { 10 } else { 0 }] = true;
    }
    if ticked[3] || ticked[4] || ticked[8] {
        sev += 0.6;
    }
    let n_diag = ticked.iter().filter(|&&t| t).count() as f64;
    sev += 0.15 * (n_diag - 2.0);
    let sev = sev / 1.1;
    if !skip_diagnoses {
        for (k, (name, _)) in DIAGNOSES.iter().enumerate() {
            row.set(name, u8::from(ticked[k]));
        }
    }

    // Extent and duration of problems (Figs 6-2, 6-3, 6-5, 6-6).
    const NOT_RELEVANT_PSYK: PerMille = [70, 130, 150];
    const OMFANG: [[u32; 3]; 3] = [[13, 43, 37], [18, 38, 31], [22, 44, 19]];
    let omfang = if per_mille(rng, NOT_RELEVANT_PSYK, s) {
        4
    } else {
        1 + cuts.cat(&OMFANG[s], mix(rng, sev, 0.9))
    };
    answer!("omfang_psyk", omfang);
    if omfang != 4 {
        const AAR: [[u32; 4]; 3] = [[3, 5, 13, 79], [4, 6, 15, 75], [4, 6, 14, 76]];
        answer!("aar_psyk", 1 + cuts.cat(&AAR[s], mix(rng, sev, 0.5)));
    }
    const RUS_RELEVANT: PerMille = [100, 770, 60];
    let omfang_rus = if per_mille(rng, RUS_RELEVANT, s) {
        const RUS: [u32; 3] = [30, 40, 30];
        1 + cuts.cat(&RUS, mix(rng, sev, 0.5))
    } else {
        4
    };
    answer!("omfang_rus", omfang_rus);
    if omfang_rus != 4 {
        const AAR_RUS: [[u32; 4]; 3] = [[15, 15, 29, 41], [4, 8, 18, 70], [10, 15, 25, 50]];
        answer!("aar_rus", 1 + cuts.cat(&AAR_RUS[s], mix(rng, sev, 0.4)));
    }

    // Treatment status and course (Table 5-2).
    const STATUS: [[u32; 4]; 3] = [[68, 28, 4, 0], [63, 17, 18, 0], [740, 210, 30, 26]];
    const STATUS_RUS: [[u32; 4]; 3] = [[30, 10, 960, 0], [58, 18, 24, 0], [8, 2, 980, 6]];
    let status = 1 + draw(rng, &STATUS[s]);
    answer!("status_psyk", status);
    let status_rus = if s == 1 && omfang_rus != 4 {
        1 + draw(rng, &[75, 23, 2])
    } else {
        1 + draw(rng, &STATUS_RUS[s])
    };
    answer!("status_rus", status_rus);
    const AVBRUTT: PerMille = [60, 40, 40];
    answer!("avbrutt_psyk", u8::from(per_mille(rng, AVBRUTT, s)));
    const AVBRUTT_RUS: PerMille = [3, 40, 1];
    answer!("avbrutt_rus", u8::from(per_mille(rng, AVBRUTT_RUS, s)));
    const NOW: [&[u32]; 3] = [
        &[475, 1432, 3990, 8635],
        &[91, 215, 530, 1606],
        &[61, 60, 681, 1261, 1614, 2874],
    ];
    const LAST: [&[u32]; 3] = [
        &[554, 840, 2106, 2614],
        &[85, 95, 225, 396],
        &[42, 151, 509, 374, 359, 417],
    ];
    const CONTACTS: [&[u32]; 3] = [
        &[400, 588, 2236, 11296],
        &[94, 111, 335, 1902],
        &[68, 73, 416, 793, 5197],
    ];
    let in_treatment = status == 1 || (s == 1 && status_rus == 1);
    if in_treatment {
        answer!("varighet_naa", 1 + draw(rng, NOW[s]));
        answer!("antall_kontakter", 1 + draw(rng, CONTACTS[s]));
    } else if status == 2 || (s == 1 && status_rus == 2) {
        answer!("varighet_sist", 1 + draw(rng, LAST[s]));
    }
    const BEHANDLERE: [[u32; 2]; 3] = [[54, 46], [48, 52], [84, 16]];
    answer!("antall_behandlere", 1 + draw(rng, &BEHANDLERE[s]));
    let valgt = match s {
        1 => 1 + usize::from(!chance(rng, 0.38)),
        _ => 1 + usize::from(chance(rng, 0.01)),
    };
    answer!("valgt_sektor", valgt);
    if s == 2 {
        answer!("gruppebeh", 1 + draw(rng, &[24, 890, 86]));
    }

    // Video (Table 8-1's directions: Nord and Midt-Norge up, 66+ down).
    const VIDEO: [f64; 3] = [0.18, 0.15, 0.26];
    let region_effect = match region {
        3 => 0.75,
        2 => 0.45,
        1 => 0.0,
        _ => 0.05,
    };
    let age_effect = if age >= 66 {
        -0.9
    } else if age >= 56 {
        -0.2
    } else {
        0.05
    };
    let video = event(rng, VIDEO[s], region_effect + age_effect, 0.6);
    answer!("video", u8::from(video));
    if video {
        answer!(
            "video_fornoyd",
            1 + cuts.cat(&VIDEO_FORNOYD[s], mix(rng, rel, 0.6))
        );
    }

    // Outreach team and the other services (needed before coordination).
    let skip_services = chance(rng, 0.02);
    let mut services: Vec<(&str, bool)> = Vec::with_capacity(19);
    for (name, p, severe) in SERVICES {
        let p = p[s] as f64 / 1000.0;
        let yes = if severe {
            event(rng, p, sev, 0.55)
        } else {
            chance(rng, p)
        };
        services.push((name, yes));
    }
    let has = |name: &str, list: &[(&str, bool)]| list.iter().any(|(n, y)| *n == name && *y);
    let team = has("tj_oppsokende_team", &services);
    let admitted = [
        "tj_innleggelse_psyk",
        "tj_innleggelse_rus",
        "tj_innleggelse_fysisk",
    ]
    .iter()
    .any(|n| has(n, &services));
    let any_service = services.iter().any(|(_, y)| *y);
    if !skip_services {
        for (name, yes) in &services {
            row.set(name, u8::from(*yes));
        }
        row.set("tj_innleggelse", u8::from(admitted));
        row.set("tj_ingen", u8::from(!any_service));
        if s == 2 {
            row.set("tj_dps", u8::from(chance(rng, 0.12)));
        }
    }

    // Coordination: IP, koordinator, ansvarsgruppe, kriseplan (1 Ja, 2 Nei ikke relevant,
    // 3 Nei ønsker ikke, 4 Vet ikke, 5 Nei ikke fått tilbud).
    let coord_signal = (0.55 * sev + if team { 1.6 } else { 0.0 } - 0.1) / 1.2;
    const IP: [[u32; 5]; 3] = [[14, 25, 4, 35, 22], [26, 20, 4, 30, 20], [7, 39, 4, 26, 24]];
    const KOORD: [[u32; 5]; 3] = [[7, 35, 5, 27, 26], [18, 30, 5, 26, 21], [3, 55, 5, 20, 17]];
    const ANSVAR: [[u32; 5]; 3] = [
        [7, 40, 10, 25, 18],
        [23, 30, 10, 20, 17],
        [2, 60, 10, 15, 13],
    ];
    const KRISE: [[u32; 5]; 3] = [[23, 35, 5, 17, 20], [34, 30, 5, 15, 16], [3, 65, 5, 12, 15]];
    let mut coordinated = false;
    for (name, table, is_coordination) in [
        ("ip", &IP, true),
        ("koordinator", &KOORD, true),
        ("ansvarsgruppe", &ANSVAR, true),
        ("kriseplan", &KRISE, false),
    ] {
        let w = &table[s];
        let p_yes = w[0] as f64 / w.iter().sum::<u32>() as f64;
        let code = if event(rng, p_yes, coord_signal, 0.75) {
            coordinated |= is_coordination;
            1
        } else {
            2 + draw(rng, &w[1..])
        };
        answer!(name, code);
    }

    // Information (1 Ja, 2 Nei, 3 Vet ikke, 4 Ikke relevant): Ja with the relationship.
    const INFO: [(&str, [[u32; 4]; 3]); 5] = [
        (
            "info_oppstart",
            [[64, 19, 10, 7], [65, 18, 10, 7], [72, 10, 8, 10]],
        ),
        (
            "info_tidsplan",
            [[55, 30, 10, 5], [55, 30, 10, 5], [50, 17, 10, 23]],
        ),
        (
            "info_diagnose",
            [[57, 28, 10, 5], [57, 28, 10, 5], [46, 30, 15, 9]],
        ),
        (
            "info_muligheter",
            [[45, 35, 15, 5], [52, 30, 13, 5], [65, 20, 10, 5]],
        ),
        (
            "info_pakkeforlop",
            [[12, 65, 15, 8], [16, 63, 14, 7], [7, 70, 13, 10]],
        ),
    ];
    for (name, w) in INFO {
        answer!(name, four_way(rng, &w[s], rel, 0.5));
    }

    // Outcomes: relationship first, then less severity.
    let outcome = |rng: &mut ChaCha8Rng, wr: f64, ws: f64| {
        let n = (1.0 - wr * wr - ws * ws).max(0.0).sqrt();
        wr * rel - ws * sev + n * normal(rng)
    };
    let l = outcome(rng, 0.72, 0.25);
    answer!("hjelper", 1 + cuts.cat(&HJELPER[s], l));
    let l = outcome(rng, 0.68, 0.3);
    answer!("tro_bedre_liv", 1 + cuts.cat(&TRO[s], l));
    let l = outcome(rng, 0.78, 0.15);
    answer!("tilfreds", 1 + cuts.cat(&TILFREDS[s], l));

    // Participation.
    const PLAN: [[u32; 3]; 3] = [[35, 40, 25], [46, 30, 24], [21, 55, 24]];
    let plan_signal = (0.4 * rel + 0.5 * coord_signal) / 0.8;
    let p_plan = PLAN[s][0] as f64 / 100.0;
    let plan = if event(rng, p_plan, plan_signal, 0.6) {
        1
    } else {
        2 + draw(rng, &PLAN[s][1..])
    };
    answer!("beh_plan", plan);
    if plan == 1 {
        const AKTIV: [[u32; 3]; 3] = [[81, 10, 9], [88, 6, 6], [89, 6, 5]];
        answer!("plan_aktiv", yes_first(rng, &AKTIV[s], rel, 0.5));
        const MER: [[u32; 3]; 3] = [[18, 60, 22], [20, 61, 19], [9, 75, 17]];
        answer!("plan_mer_involvert", yes_first(rng, &MER[s], -rel, 0.4));
    }
    const TILPASSET: [[u32; 4]; 3] = [[62, 18, 15, 5], [65, 15, 15, 5], [74, 10, 13, 3]];
    let tilpasset_signal = (0.9 * rel + 0.3 * f64::from(u8::from(coordinated)) - 0.1) / 0.95;
    answer!(
        "tilpasset",
        four_way(rng, &TILPASSET[s], tilpasset_signal, 0.8)
    );
    const ENDRINGER: [[u32; 4]; 3] = [[51, 31, 10, 7], [59, 26, 8, 6], [55, 30, 5, 10]];
    answer!("endringer", four_way(rng, &ENDRINGER[s], rel, 0.4));
    const MEDISINER: [[u32; 4]; 3] = [[35, 20, 5, 40], [35, 20, 5, 40], [20, 20, 5, 55]];
    answer!("medisiner", four_way(rng, &MEDISINER[s], rel, 0.3));
    const FEEDBACK: [[u32; 5]; 3] = [[67, 3, 17, 5, 8], [66, 4, 17, 5, 8], [75, 2, 17, 4, 2]];
    answer!("tilbakemelding", 1 + draw(rng, &FEEDBACK[s]));

    // Family and friends.
    answer!("forhold_familie", 1 + draw(rng, &[30, 40, 15, 7, 8]));
    answer!("forhold_venner", 1 + draw(rng, &[28, 38, 15, 6, 13]));
    const INFORMERE: [[u32; 3]; 3] = [[52, 38, 10], [62, 30, 8], [42, 50, 8]];
    answer!("pr_informere", yes_first(rng, &INFORMERE[s], rel, 0.3));
    const ONSKER: [[u32; 3]; 3] = [[30, 50, 20], [32, 48, 20], [15, 65, 20]];
    let wants = yes_first(rng, &ONSKER[s], sev, 0.3);
    answer!("pr_onsker_samarbeid", wants);
    if wants == 1 {
        answer!(
            "pr_samarbeider_godt",
            yes_first(rng, &[55, 30, 15], rel, 0.5)
        );
    }

    // STAR-P: positive items rise with the relationship, negative ones (4, 7, 9) fall.
    for (k, name) in [
        "star01", "star02", "star03", "star04", "star05", "star06", "star07", "star08", "star09",
        "star10", "star11", "star12",
    ]
    .iter()
    .enumerate()
    {
        let item = k + 1;
        let l = mix(rng, rel, 0.74);
        let code = match item {
            4 => 4 - cuts.cat(&STAR_WITHHOLDS[s], l),
            7 => 4 - cuts.cat(&STAR_UNDERSTANDING[s], l),
            9 => 4 - cuts.cat(&STAR_IMPATIENT[s], l),
            2 | 3 | 5 => cuts.cat(&STAR_HONEST[s], l),
            6 | 11 => cuts.cat(&STAR_GOALS[s], l),
            _ => cuts.cat(&STAR_POSITIVE[s], l),
        };
        answer!(name, code);
    }

    // Somatic health questions.
    answer!("fastlege_involvert", 1 + draw(rng, &[20, 15, 25, 40]));
    answer!("sp_fysisk_helse", 1 + draw(rng, &[60, 30, 5, 5]));
    answer!("sp_levevaner", 1 + draw(rng, &[68, 25, 4, 3]));
    answer!("tilstrekkelig_pol", yes_first(rng, &[60, 25, 15], rel, 0.4));

    // Follow-up (Table 7-1): need more with severity, less with the relationship and with
    // coordination.
    const FORNOYD: [f64; 3] = [0.33, 0.29, 0.22];
    let need_signal = (-0.8 * rel + 0.45 * sev - if coordinated { 0.45 } else { 0.0 }) / 0.95;
    let need = event(rng, FORNOYD[s], need_signal, 0.75);
    answer!(
        "fornoyd_oppfolging",
        if need {
            2 + usize::from(chance(rng, 0.4))
        } else {
            1
        }
    );
    const SAMARBEID: [[u32; 4]; 3] = [[38, 20, 33, 9], [47, 20, 25, 8], [47, 12, 20, 21]];
    answer!("beh_samarbeid_tj", four_way(rng, &SAMARBEID[s], rel, 0.4));

    // CONTINU-UM: relationship, coordination and less severity (Table 11-1).
    let cont = (0.7 * rel + if coordinated { 0.35 } else { 0.0 } - 0.25 * sev) / 0.8;
    for (k, name) in [
        "coc01_tilgang",
        "coc02_alle_tjenester",
        "coc03_velge",
        "coc04_vente",
        "coc05_kveld_helg",
        "coc06_bytte",
        "coc07_informasjon",
        "coc08_endret",
        "coc09_framskritt",
        "coc10_kommuniserer",
        "coc11_stotte_likepersoner",
        "coc12_livshistorien",
    ]
    .iter()
    .enumerate()
    {
        let item = k + 1;
        if item <= 11 && chance(rng, COC_NOT_RELEVANT[k] as f64 / 1000.0) {
            answer!(name, 6);
            continue;
        }
        let best = cuts.cat(&COC_VALID, mix(rng, cont, 0.72)); // 0 worst … 4 best
                                                               // Positive items: 1 = helt klart (best); items 4, 6 and 12: 5 is best.
        let code = if matches!(item, 4 | 6 | 12) {
            1 + best
        } else {
            5 - best
        };
        answer!(name, code);
    }

    // Quality of life and health.
    let life = |rng: &mut ChaCha8Rng| 0.3 * rel - 0.6 * sev + 0.74 * normal(rng);
    let l = life(rng);
    answer!("livstilfredshet", 1 + cuts.cat(&[10, 20, 35, 25, 10], l));
    let l = life(rng);
    answer!("meningsfylt", 1 + cuts.cat(&[8, 18, 35, 28, 11], l));
    let ended_better = if status == 2 { 0.4 } else { 0.0 };
    let health = |rng: &mut ChaCha8Rng, worst_first: &'static [u32], cuts: &mut Cuts| {
        if chance(rng, 0.02) {
            6
        } else {
            5 - cuts.cat(worst_first, -0.7 * sev + ended_better + 0.7 * normal(rng))
        }
    };
    answer!("psykisk_helse_naa", health(rng, &[8, 27, 38, 21, 6], cuts));
    answer!("fysisk_helse_naa", health(rng, &[5, 20, 40, 28, 7], cuts));
    let daily = if chance(rng, 0.05) {
        4
    } else {
        3 - cuts.cat(&[20, 47, 33], mix(rng, sev, 0.6))
    };
    answer!("daglige_aktiviteter", daily);

    // Background (Table 5-1).
    let self_sex = if chance(rng, 0.975) {
        if woman {
            1
        } else {
            2
        }
    } else {
        3 + draw(rng, &[5, 1, 4])
    };
    answer!("kjonn", self_sex);
    answer!("fodselsaar", 2023 - age - u32::from(chance(rng, 0.5)));
    const UTDANNING: [[u32; 3]; 3] = [[13, 44, 43], [21, 44, 34], [5, 26, 69]];
    answer!("utdanning", 1 + draw(rng, &UTDANNING[s]));
    const STUDENT: [f64; 3] = [0.17, 0.08, 0.15];
    let p_student = if age < 30 {
        (STUDENT[s] * 2.5).min(0.9)
    } else {
        STUDENT[s] * 0.5
    };
    answer!("under_utdanning", u8::from(chance(rng, p_student)));
    const INNTEKT: [[u32; 5]; 3] = [[40, 18, 31, 6, 5], [31, 30, 33, 1, 4], [54, 20, 18, 5, 3]];
    answer!("hovedinntekt", 1 + draw(rng, &INNTEKT[s]));
    const BOSITUASJON: [[u32; 7]; 3] = [
        [30, 8, 20, 23, 12, 5, 2],
        [49, 6, 18, 13, 6, 4, 4],
        [27, 11, 24, 30, 3, 4, 1],
    ];
    answer!("bosituasjon", 1 + draw(rng, &BOSITUASJON[s]));
    row
}

/// A Ja / Nei / Vet ikke / Ikke relevant item: Ja when the latent is in its top share, else
/// one of the others by their weights.
fn four_way(rng: &mut ChaCha8Rng, w: &[u32; 4], signal: f64, load: f64) -> usize {
    yes_first(rng, w, signal, load)
}

/// Code 1 (the first weight) when a latent loading `load` on `signal` is in its top share, else
/// 2… by the remaining weights.
fn yes_first(rng: &mut ChaCha8Rng, w: &[u32], signal: f64, load: f64) -> usize {
    let total: u32 = w.iter().sum();
    let p = w[0] as f64 / total.max(1) as f64;
    if event(rng, p, signal, load) {
        1
    } else {
        2 + draw(rng, &w[1..])
    }
}

/// Respondents of the generated file by sector and breakdown.
#[derive(Default)]
struct Tally {
    women: [u64; 3],
    men: [u64; 3],
    age: [[u64; 7]; 3],
    region: [[u64; 6]; 3],
    /// (sector, trust) → respondents, in order of first appearance.
    units: Vec<(usize, &'static str, u64)>,
    diagnoses: [[u64; 14]; 3],
}

/// Table 4-8's diagnosis groups (their order and names) and the questionnaire options that
/// report each.
const DIAGNOSIS_GROUPS: [(&str, &[&str]); 14] = [
    ("Angstlidelse", &["dg_angst"]),
    ("Autisme", &["dg_autisme"]),
    (
        "Avhengighet (ikke rusrelatert)",
        &["dg_avhengighet_ikke_rus"],
    ),
    ("Bipolar lidelse", &["dg_bipolar"]),
    ("Depresjon", &["dg_depresjon"]),
    ("Hyperkinetiske forstyrrelser (ADHD/ADD)", &["dg_adhd"]),
    ("Personlighetsforstyrrelse", &["dg_personlighet"]),
    ("Posttraumatisk stresslidelse (PTSD)", &["dg_ptsd"]),
    ("Psykose", &["dg_psykose"]),
    (
        "Schizofreni/Schizotyp lidelse/Paranoide lidelser",
        &["dg_schizofreni"],
    ),
    (
        "Skadelig bruk av rusmidler og rusmiddelavhengighet",
        &["dg_rus_skadelig", "dg_rus_avhengighet"],
    ),
    ("Spiseforstyrrelse", &["dg_spise"]),
    ("Tvangslidelser/Fobier", &["dg_tvang_fobier"]),
    ("Annet", &["dg_annen"]),
];

/// Table 4-8 (2023) and 4-9 (2022): men and women per diagnosis group and sector.
const DIAGNOSIS_2023: [[(u32, u32); 3]; 14] = [
    [(1778, 4055), (74, 107), (1012, 2753)],
    [(851, 808), (34, 25), (96, 121)],
    [(29, 76), (494, 84), (11, 0)],
    [(1657, 2560), (78, 54), (330, 705)],
    [(5430, 8377), (229, 195), (1786, 4043)],
    [(3604, 5410), (336, 185), (1055, 1876)],
    [(1515, 4251), (92, 146), (365, 792)],
    [(2003, 6473), (151, 252), (437, 2009)],
    [(1003, 1053), (17, 12), (15, 34)],
    [(3705, 1998), (70, 31), (62, 50)],
    [(1125, 480), (9144, 4277), (73, 58)],
    [(93, 1814), (0, 16), (23, 321)],
    [(1726, 2827), (57, 38), (434, 801)],
    [(12492, 20436), (1839, 1323), (2070, 5537)],
];
const DIAGNOSIS_2022: [[(u32, u32); 3]; 14] = [
    [(3708, 8443), (132, 175), (1631, 4328)],
    [(1525, 1198), (38, 30), (141, 153)],
    [(83, 144), (818, 148), (12, 8)],
    [(2810, 4388), (115, 83), (462, 885)],
    [(10804, 16577), (415, 325), (2743, 5937)],
    [(6648, 8706), (525, 243), (1753, 2491)],
    [(2632, 6564), (195, 194), (464, 955)],
    [(3370, 10194), (248, 396), (592, 2420)],
    [(1506, 1521), (23, 16), (16, 39)],
    [(4810, 2726), (91, 51), (69, 59)],
    [(2152, 840), (14675, 6511), (104, 63)],
    [(173, 2962), (0, 17), (29, 406)],
    [(3342, 5544), (109, 80), (637, 1173)],
    [(30251, 46954), (3358, 2321), (3969, 9765)],
];
/// Table 4-5: (women, men) in 2023 Feb–Apr, 2022 Feb–Apr and 2022 per sector.
const SEX_POPULATIONS: [[(u32, u32); 3]; 3] = [
    [(53847, 33317), (54221, 33244), (89847, 58107)],
    [(6129, 11310), (6077, 11002), (9085, 17637)],
    [(18497, 7628), (19140, 7821), (27694, 12273)],
];
/// Table 4-6 in `REGIONS` order (Sør-Øst, Vest, Midt, Nord, Andre, Ukjent) for 2023 Feb–Apr,
/// 2022 Feb–Apr and 2022; AVT's Ukjent from Table 4-4.
const REGION_POPULATIONS: [[[u32; 6]; 3]; 3] = [
    [
        [47502, 16887, 12472, 7685, 2618, 0],
        [46852, 16829, 13692, 7715, 2377, 0],
        [80012, 28805, 22151, 12684, 4302, 0],
    ],
    [
        [10812, 3752, 1812, 1063, 0, 0],
        [10369, 3887, 1873, 947, 0, 0],
        [16812, 5351, 2922, 1636, 0, 0],
    ],
    [
        [16691, 5507, 2402, 1525, 0, 23],
        [16663, 6510, 2244, 1524, 17, 0],
        [24185, 9847, 3535, 2315, 85, 0],
    ],
];
/// Table 4-4: (men, women) of the avtalespesialist population in `REGIONS` order.
const REGION_SEX_AVT: [(u64, u64); 6] = [
    (4978, 11748),
    (1518, 4008),
    (703, 1699),
    (460, 1090),
    (0, 0),
    (4, 19),
];
/// The young answer less often (Fig 4-7's direction): the population's age weights are the
/// respondents' times these tenths.
const AGE_TILT: [u64; 7] = [16, 12, 10, 9, 8, 8, 12];

impl Tally {
    fn add(&mut self, s: usize, row: &Row) {
        let get = |k: &str| row.0.get(k).map(String::as_str);
        match get("kjonn_npr") {
            Some("2") => self.women[s] += 1,
            _ => self.men[s] += 1,
        }
        if let Some(age) = get("alder").and_then(|a| a.parse::<u32>().ok()) {
            if let Some(g) = AGE_GROUPS
                .iter()
                .position(|&(lo, hi)| age >= lo && age <= hi)
            {
                self.age[s][g] += 1;
            }
        }
        if let Some(r) = get("helseregion").and_then(|r| REGIONS.iter().position(|x| *x == r)) {
            self.region[s][r] += 1;
        }
        if let Some(t) = get("helseforetak") {
            match self.units.iter_mut().find(|(x, u, _)| *x == s && *u == t) {
                Some(u) => u.2 += 1,
                None => {
                    if let Some(name) = TRUSTS.iter().flat_map(|t| t.iter()).find(|n| **n == t) {
                        self.units.push((s, name, 1));
                    }
                }
            }
        }
        for (g, (_, options)) in DIAGNOSIS_GROUPS.iter().enumerate() {
            if options.iter().any(|o| get(o) == Some("1")) {
                self.diagnoses[s][g] += 1;
            }
        }
    }
}

/// `total` split in proportion to `weights`, largest remainder (ties to the first).
fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut out: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let mut rest: Vec<(u64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (total * w % sum, i))
        .collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = total - out.iter().sum::<u64>();
    for &(_, i) in rest.iter().take(left as usize) {
        out[i] += 1;
    }
    out
}

/// The aggregates file (see [`Survey::aggregates`]).
fn aggregates(config: &SurveyConfig, sizes: &[usize; 3], tally: &Tally) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x00A6_62E6_A7E5_u64);
    let report_total: u64 = SURVEY_RESPONDENTS.iter().map(|&x| x as u64).sum();
    let n = config.respondents as u64;
    // Report counts scaled like the respondents, half up.
    let scale = |x: u64| (x * n + report_total / 2) / report_total;
    let mut out = String::from("sektor,populasjon,inndeling,kategori,kjonn,antall\n");
    let mut line = |sector: &str, pop: &str, by: &str, cat: &str, sex: &str, count: String| {
        out.push_str(&format!("{sector},{pop},{by},{cat},{sex},{count}\n"));
    };
    let pops = ["totalpop", "forrige_periode", "forrige_aar"];
    for (s, name) in SURVEY_SECTORS.iter().enumerate() {
        let resp = sizes[s] as u64;
        // Table 4-1, as before: never below the respondents.
        let (pop, rec) = SURVEY_POPULATIONS[s];
        let rec = scale(rec as u64).max(resp);
        let pop = scale(pop as u64).max(rec);
        line(name, "totalpop", "total", "", "", pop.to_string());
        line(name, "mottakere", "total", "", "", rec.to_string());
        line(name, "utvalg", "total", "", "", resp.to_string());
        // Table 4-5: the three populations by sex, and the respondents.
        for (p, &(w, m)) in pops.iter().zip(&SEX_POPULATIONS[s]) {
            let total = scale((w + m) as u64);
            let women = split(total, &[w as u64, m as u64])[0];
            line(name, p, "kjonn", "Kvinne", "", women.to_string());
            line(name, p, "kjonn", "Mann", "", (total - women).to_string());
        }
        line(
            name,
            "utvalg",
            "kjonn",
            "Kvinne",
            "",
            tally.women[s].to_string(),
        );
        line(
            name,
            "utvalg",
            "kjonn",
            "Mann",
            "",
            tally.men[s].to_string(),
        );
        // Table 4-6: regions (those with population or respondents).
        let regional: Vec<Vec<u64>> = REGION_POPULATIONS[s]
            .iter()
            .map(|w| {
                let w: Vec<u64> = w.iter().map(|&x| x as u64).collect();
                split(scale(w.iter().sum()), &w)
            })
            .collect();
        for (r, region) in REGIONS.iter().enumerate() {
            if regional.iter().all(|c| c[r] == 0) && tally.region[s][r] == 0 {
                continue;
            }
            for (p, counts) in pops.iter().zip(&regional) {
                line(name, p, "helseregion", region, "", counts[r].to_string());
            }
            line(
                name,
                "utvalg",
                "helseregion",
                region,
                "",
                tally.region[s][r].to_string(),
            );
            // Table 4-4: the avtalespesialist population by region also by sex.
            if s == 2 {
                let (m, k) = REGION_SEX_AVT[r];
                let women = split(regional[0][r], &[k, m])[0];
                line(
                    name,
                    "totalpop",
                    "helseregion",
                    region,
                    "Kvinne",
                    women.to_string(),
                );
                let men = regional[0][r] - women;
                line(
                    name,
                    "totalpop",
                    "helseregion",
                    region,
                    "Mann",
                    men.to_string(),
                );
            }
        }
        // Age groups: the respondents' distribution tilted towards the young.
        let weights: Vec<u64> = AGE_WEIGHTS[s]
            .iter()
            .zip(AGE_TILT)
            .map(|(&w, t)| w as u64 * t)
            .collect();
        for (g, count) in split(pop, &weights).into_iter().enumerate() {
            let (lo, hi) = AGE_GROUPS[g];
            let label = format!("{lo}-{hi}");
            line(name, "totalpop", "alder", &label, "", count.to_string());
            line(
                name,
                "utvalg",
                "alder",
                &label,
                "",
                tally.age[s][g].to_string(),
            );
        }
        // Health trusts: the population in proportion to the respondents, each trust's
        // response rate varied by up to ±25 % so some differ by more than a point.
        let units: Vec<&(usize, &str, u64)> = tally.units.iter().filter(|u| u.0 == s).collect();
        if !units.is_empty() {
            let with_unit: u64 = units.iter().map(|u| u.2).sum();
            let weights: Vec<u64> = units
                .iter()
                .map(|u| u.2 * rng.random_range(75..=125u64))
                .collect();
            for (u, count) in units
                .iter()
                .zip(split(pop * with_unit / resp.max(1), &weights))
            {
                line(name, "totalpop", "helseforetak", u.1, "", count.to_string());
                line(name, "utvalg", "helseforetak", u.1, "", u.2.to_string());
            }
            line(
                name,
                "totalpop",
                "helseforetak",
                "Total",
                "",
                pop.to_string(),
            );
            line(
                name,
                "utvalg",
                "helseforetak",
                "Total",
                "",
                resp.to_string(),
            );
        }
        // Tables 4-8/4-9: diagnoses by the 1st main condition (a patient in one group), men
        // and women, counts below 5 suppressed as NPR does; the respondents' own answers.
        for (p, table, persons) in [
            ("totalpop", &DIAGNOSIS_2023, pop),
            (
                "forrige_aar",
                &DIAGNOSIS_2022,
                scale(SEX_POPULATIONS[s][2].0 as u64 + SEX_POPULATIONS[s][2].1 as u64),
            ),
        ] {
            let weights: Vec<u64> = table
                .iter()
                .flat_map(|row| [row[s].0 as u64, row[s].1 as u64])
                .collect();
            // The report's Sum exceeds the patients by 12 % (PHV 97 629 / 87 164).
            let cells = split(persons * 112 / 100, &weights);
            let shown = |c: u64| {
                if c < 5 {
                    "*".to_string()
                } else {
                    c.to_string()
                }
            };
            for (g, (label, _)) in DIAGNOSIS_GROUPS.iter().enumerate() {
                let (m, k) = (cells[2 * g], cells[2 * g + 1]);
                line(name, p, "diagnose_1", label, "Mann", shown(m));
                line(name, p, "diagnose_1", label, "Kvinne", shown(k));
                line(name, p, "diagnose_1", label, "", (m + k).to_string());
            }
        }
        // No Total row: their shares are of all groups ticked, as the population's are of
        // the Sum of its groups (docs/choices.md).
        for (g, (label, _)) in DIAGNOSIS_GROUPS.iter().enumerate() {
            line(
                name,
                "utvalg",
                "diagnose_1",
                label,
                "",
                tally.diagnoses[s][g].to_string(),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles_match_the_tables() {
        // Φ(1.959964) = 0.975, Φ(0) = ½, Φ(−1) = 0.158655 (printed tables).
        assert!((phi(1.959_964) - 0.975).abs() < 1e-6);
        assert!((phi(0.0) - 0.5).abs() < 1e-15);
        assert!((phi(-1.0) - 0.158_655_25).abs() < 1e-7);
        assert!((quantile(0.975) - 1.959_964).abs() < 1e-5);
    }

    #[test]
    fn sector_sizes_are_the_reports_proportions() {
        assert_eq!(survey_sector_sizes(33_458), [21_346, 3_199, 8_913]);
        // 1 000 × (21 346, 3 199, 8 913) / 33 458 = 637.99, 95.61, 266.39 → 637, 95, 266 and
        // the two units left go to the largest remainders, PHV (.99) and TSB (.61).
        assert_eq!(survey_sector_sizes(1_000), [638, 96, 266]);
        assert_eq!(survey_sector_sizes(0), [0, 0, 0]);
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = generate_survey(&SurveyConfig {
            respondents: 300,
            seed: 5,
        });
        let b = generate_survey(&SurveyConfig {
            respondents: 300,
            seed: 5,
        });
        let c = generate_survey(&SurveyConfig {
            respondents: 300,
            seed: 6,
        });
        assert_eq!(a, b);
        assert_ne!(a.respondents, c.respondents);
        let text = String::from_utf8(a.respondents.bytes).unwrap();
        assert_eq!(text.lines().count(), 301);
        assert!(text
            .lines()
            .all(|l| l.split(',').count() == SURVEY_COLUMNS.len()));
        // 300 × 87 424 / 33 458 = 783.9 → 784; 300 × 82 050 / 33 458 = 735.7 → 736.
        let agg = String::from_utf8(a.aggregates.bytes).unwrap();
        assert!(
            agg.starts_with(
                "sektor,populasjon,inndeling,kategori,kjonn,antall\n\
                 PHV,totalpop,total,,,784\nPHV,mottakere,total,,,736\nPHV,utvalg,total,,,191\n"
            ),
            "{agg}"
        );
        // The respondents by sex are the generated file's: kjonn_npr 2 and 1 in PHV.
        let phv_women = text.lines().filter(|l| l.contains(",PHV,2,")).count();
        assert!(agg.contains(&format!("\nPHV,utvalg,kjonn,Kvinne,,{phv_women}\n")));
        // Every count is a number or `*`, and every line has six fields.
        assert!(agg.lines().skip(1).all(|l| {
            let f: Vec<&str> = l.split(',').collect();
            f.len() == 6 && (f[5] == "*" || f[5].parse::<u64>().is_ok())
        }));
    }
}
