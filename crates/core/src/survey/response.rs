//! Response and representativeness from population aggregates (survey.md §4.1–4.2, §5.1):
//! Table 4-1 (populations, error population, response rates) and the percentage distributions
//! of Figs 4-1..4-12, reproducible from the counts the report prints.

/// The aggregate counts of one sector (a row of Table 4-1's input).
#[derive(Debug, Clone, PartialEq)]
pub struct SectorCounts {
    /// Sector (PHV, TSB, AVT, or the trust's own name).
    pub sector: String,
    /// Total population (NPR extract).
    pub total_population: u64,
    /// Recipient population (those Helsenorge could reach).
    pub recipient_population: u64,
    /// Respondents (consented and answered).
    pub respondents: u64,
}

/// One row of the response table.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    /// Sector, or `Totalt` for the sum.
    pub sector: String,
    /// The counts.
    pub total_population: u64,
    /// Recipient population.
    pub recipient_population: u64,
    /// Error population = recipients − total (negative, as the report prints it).
    pub error_population: i64,
    /// Respondents.
    pub respondents: u64,
    /// Respondents / total population × 100.
    pub rate_total: f64,
    /// Respondents / recipients × 100 (the summary's headline rate).
    pub rate_recipients: f64,
    /// The sector's share (%) of the total population, the recipients, the respondents and
    /// the error population (Figs 4-1, 4-3).
    pub share_total: f64,
    /// Share of the recipients.
    pub share_recipients: f64,
    /// Share of the respondents.
    pub share_respondents: f64,
    /// Share of the error population.
    pub share_error: f64,
    /// The sector's own error rate: error population / total population × 100.
    pub error_rate: f64,
}

/// Rounds half up to `decimals` places, as the report's printed rates (survey.md §4.1: half-up
/// reproduces every value). The tiny offset keeps 24.5 stored as 24.4999… from rounding down.
pub fn round_half_up(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f + 0.5 + 1e-9).floor() / f
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        f64::NAN
    } else {
        100.0 * part / whole
    }
}

/// Table 4-1 with the sector shares and error rates, one row per sector and a `Totalt` row.
pub fn response_table(sectors: &[SectorCounts]) -> Vec<ResponseRow> {
    let sum = |f: fn(&SectorCounts) -> u64| sectors.iter().map(f).sum::<u64>();
    let total = SectorCounts {
        sector: "Totalt".into(),
        total_population: sum(|s| s.total_population),
        recipient_population: sum(|s| s.recipient_population),
        respondents: sum(|s| s.respondents),
    };
    let total_error = total.total_population as f64 - total.recipient_population as f64;
    sectors
        .iter()
        .chain(std::iter::once(&total))
        .map(|s| {
            let error = s.recipient_population as i64 - s.total_population as i64;
            ResponseRow {
                sector: s.sector.clone(),
                total_population: s.total_population,
                recipient_population: s.recipient_population,
                error_population: error,
                respondents: s.respondents,
                rate_total: pct(s.respondents as f64, s.total_population as f64),
                rate_recipients: pct(s.respondents as f64, s.recipient_population as f64),
                share_total: pct(s.total_population as f64, total.total_population as f64),
                share_recipients: pct(
                    s.recipient_population as f64,
                    total.recipient_population as f64,
                ),
                share_respondents: pct(s.respondents as f64, total.respondents as f64),
                share_error: pct(-error as f64, total_error),
                error_rate: pct(-error as f64, s.total_population as f64),
            }
        })
        .collect()
}

/// Reads the aggregates: CSV with the columns `sector` (or `sektor`), `total_population`
/// (`totalpop`), `recipient_population` (`mottakspop`) and `respondents` (`utvalg`), `,` or
/// `;`. Errors name the line and column.
pub fn read_aggregates(file: &str, bytes: &[u8]) -> Result<Vec<SectorCounts>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{file}: not UTF-8 / ikke UTF-8"))?;
    let header = text.lines().next().unwrap_or("");
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{file}: {e}"))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let find = |names: &[&str]| -> Result<usize, String> {
        headers
            .iter()
            .position(|h| names.contains(&h.as_str()))
            .ok_or_else(|| {
                format!(
                    "{file}, line 1: expected a column {} / forventet kolonnen",
                    names.join(" or ")
                )
            })
    };
    let sector = find(&["sector", "sektor"])?;
    let columns = [
        find(&["total_population", "totalpop", "totalpopulasjon"])?,
        find(&["recipient_population", "mottakspop", "mottakspopulasjon"])?,
        find(&["respondents", "utvalg"])?,
    ];
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{file}: {e}"))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut n = [0u64; 3];
        for (slot, &c) in n.iter_mut().zip(&columns) {
            let cell = record
                .get(c)
                .unwrap_or("")
                .trim()
                .replace([' ', '\u{a0}'], "");
            *slot = cell.parse().map_err(|_| {
                format!(
                    "{file}, line {line}, column {}: found «{cell}», expected a whole number / forventet et heltall",
                    headers[c]
                )
            })?;
        }
        out.push(SectorCounts {
            sector: record.get(sector).unwrap_or("").trim().to_string(),
            total_population: n[0],
            recipient_population: n[1],
            respondents: n[2],
        });
    }
    Ok(out)
}

/// Percentage distribution of counts (a 100 % bar of Figs 4-4..4-12): each count / sum × 100.
pub fn shares(counts: &[u64]) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    counts
        .iter()
        .map(|&c| pct(c as f64, total as f64))
        .collect()
}

/// Population and respondents of one unit (a health trust or institution, Tables 4-2/4-3);
/// `None` where the published count is suppressed ("*").
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCounts {
    /// The unit's name.
    pub unit: String,
    /// Patients in the total population.
    pub population: Option<u64>,
    /// Respondents.
    pub respondents: Option<u64>,
}

/// A unit's share of the population against its share of the respondents.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitComparison {
    /// The unit's name.
    pub unit: String,
    /// % of the population total.
    pub population_share: Option<f64>,
    /// % of the respondent total.
    pub respondent_share: Option<f64>,
    /// respondent share − population share, percentage points.
    pub difference_pp: Option<f64>,
    /// |difference| above the threshold (the report comments on > 1 pp).
    pub flagged: bool,
}

/// Tables 4-2/4-3: each unit's share of the population and of the respondents. The bases are
/// the totals as published, which include the suppressed units, so the shares are the
/// report's; a suppressed count has no share and is never flagged.
pub fn compare_units(
    units: &[UnitCounts],
    population_total: u64,
    respondent_total: u64,
    flag_above_pp: f64,
) -> Vec<UnitComparison> {
    units
        .iter()
        .map(|u| {
            let population_share = u.population.map(|n| pct(n as f64, population_total as f64));
            let respondent_share = u
                .respondents
                .map(|n| pct(n as f64, respondent_total as f64));
            let difference_pp = population_share.zip(respondent_share).map(|(p, r)| r - p);
            UnitComparison {
                unit: u.unit.clone(),
                population_share,
                respondent_share,
                difference_pp,
                flagged: difference_pp.is_some_and(|d| d.abs() > flag_above_pp),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Table 4-1 [L1198-1230], as the aggregates file a trust would write.
    const TABLE_4_1: &str = "sektor;totalpop;mottakspop;utvalg\n\
                             PHV;87424;82050;21346\n\
                             TSB;17257;15667;3199\n\
                             AVT;26227;25917;8913\n";

    #[test]
    fn table_4_1_is_reproduced() {
        let rows = response_table(&read_aggregates("4-1.csv", TABLE_4_1.as_bytes()).unwrap());
        fn printed(r: &ResponseRow) -> (&str, u64, u64, i64, u64, f64, f64) {
            (
                r.sector.as_str(),
                r.total_population,
                r.recipient_population,
                r.error_population,
                r.respondents,
                round_half_up(r.rate_total, 0),
                round_half_up(r.rate_recipients, 0),
            )
        }
        let got: Vec<_> = rows.iter().map(printed).collect();
        assert_eq!(
            got,
            vec![
                ("PHV", 87424, 82050, -5374, 21346, 24.0, 26.0),
                ("TSB", 17257, 15667, -1590, 3199, 19.0, 20.0),
                ("AVT", 26227, 25917, -310, 8913, 34.0, 34.0),
                ("Totalt", 130908, 123634, -7274, 33458, 26.0, 27.0),
            ]
        );
        // Unrounded rates, survey.md §5.1: tot 24.42 / 18.54 / 33.98 / 25.56; mott 26.02 /
        // 20.42 / 34.39 / 27.06.
        let two = |v: Vec<f64>| {
            v.into_iter()
                .map(|x| round_half_up(x, 2))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            two(rows.iter().map(|r| r.rate_total).collect()),
            [24.42, 18.54, 33.98, 25.56]
        );
        assert_eq!(
            two(rows.iter().map(|r| r.rate_recipients).collect()),
            [26.02, 20.42, 34.39, 27.06]
        );
        let one = |f: fn(&ResponseRow) -> f64| {
            rows[..3]
                .iter()
                .map(|r| round_half_up(f(r), 1))
                .collect::<Vec<_>>()
        };
        assert_eq!(one(|r| r.share_total), [66.8, 13.2, 20.0]);
        assert_eq!(one(|r| r.share_recipients), [66.4, 12.7, 21.0]);
        assert_eq!(one(|r| r.share_respondents), [63.8, 9.6, 26.6]);
        assert_eq!(one(|r| r.share_error), [73.9, 21.9, 4.3]);
        assert_eq!(one(|r| r.error_rate), [6.1, 9.2, 1.2]);
    }

    #[test]
    fn table_4_5_women_shares_and_table_4_6_region_shares() {
        // Table 4-5 (Kvinne, Mann) per population: 2023 Feb-Apr, 2022 Feb-Apr, 2022, respondents.
        let women = |k: u64, m: u64| round_half_up(shares(&[k, m])[0], 1);
        assert_eq!(
            [
                women(53847, 33317),
                women(54221, 33244),
                women(89847, 58107),
                women(14573, 6773)
            ],
            [61.8, 62.0, 60.7, 68.3]
        );
        assert_eq!(
            [
                women(6129, 11310),
                women(6077, 11002),
                women(9085, 17637),
                women(1355, 1844)
            ],
            [35.1, 35.6, 34.0, 42.4]
        );
        assert_eq!(
            [
                women(18497, 7628),
                women(19140, 7821),
                women(27694, 12273),
                women(6671, 2241)
            ],
            [70.8, 71.0, 69.3, 74.9]
        );
        // Men in the totalpop (Fig 4-4 text): 38.2 / 64.9 / 29.2.
        let men = |k: u64, m: u64| round_half_up(shares(&[k, m])[1], 1);
        assert_eq!(
            [men(53847, 33317), men(6129, 11310), men(18497, 7628)],
            [38.2, 64.9, 29.2]
        );
        // Table 4-6 PHV respondents by region: Nord, Midt, Vest, Sør-Øst, Andre.
        let phv: Vec<f64> = shares(&[2061, 2800, 4202, 11976, 307])
            .into_iter()
            .map(|x| round_half_up(x, 1))
            .collect();
        assert_eq!(phv, [9.7, 13.1, 19.7, 56.1, 1.4]);
        // Table 4-4: women 73 % in Helse Vest (4,008 / 5,526 = 72.5), 71 % overall.
        assert_eq!(round_half_up(shares(&[4008, 1518])[0], 1), 72.5);
        assert_eq!(round_half_up(shares(&[18564, 7663])[0], 0), 71.0);
    }

    fn one_decimal(counts: &[u64]) -> Vec<f64> {
        shares(counts)
            .into_iter()
            .map(|x| round_half_up(x, 1))
            .collect()
    }

    #[test]
    fn table_4_4_and_table_4_6_shares_of_every_population() {
        // Table 4-4 (avtalespesialist): Midt, Nord, Sør-Øst, Vest, Ukjent.
        assert_eq!(
            one_decimal(&[2402, 1550, 16726, 5526, 23]),
            [9.2, 5.9, 63.8, 21.1, 0.1]
        );
        assert_eq!(
            one_decimal(&[810, 581, 5596, 1913, 13]),
            [9.1, 6.5, 62.8, 21.5, 0.1]
        );
        // Table 4-6, columns 2023 Feb-Apr, 2022 Feb-Apr, 2022, respondents; rows Nord, Midt,
        // Vest, Sør-Øst (and Andre for PHV and AVT); survey.md §5.1 prints every share.
        let phv = [
            [7685, 7715, 12684, 2061],
            [12472, 13692, 22151, 2800],
            [16887, 16829, 28805, 4202],
            [47502, 46852, 80012, 11976],
            [2618, 2377, 4302, 307],
        ];
        let tsb = [
            [1063, 947, 1636, 204],
            [1812, 1873, 2922, 310],
            [3752, 3887, 5351, 626],
            [10812, 10369, 16812, 2059],
        ];
        let avt = [
            [1525, 1524, 2315, 581],
            [2402, 2244, 3535, 810],
            [5507, 6510, 9847, 1913],
            [16691, 16663, 24185, 5598],
            [0, 17, 85, 11],
        ];
        let by_column = |rows: &[[u64; 4]]| -> Vec<Vec<f64>> {
            (0..4)
                .map(|c| one_decimal(&rows.iter().map(|r| r[c]).collect::<Vec<_>>()))
                .collect()
        };
        let transpose = |want: &[[f64; 4]]| -> Vec<Vec<f64>> {
            (0..4)
                .map(|c| want.iter().map(|r| r[c]).collect())
                .collect()
        };
        assert_eq!(
            by_column(&phv),
            transpose(&[
                [8.8, 8.8, 8.6, 9.7],
                [14.3, 15.7, 15.0, 13.1],
                [19.4, 19.2, 19.5, 19.7],
                [54.5, 53.6, 54.1, 56.1],
                [3.0, 2.7, 2.9, 1.4],
            ])
        );
        assert_eq!(
            by_column(&tsb),
            transpose(&[
                [6.1, 5.5, 6.1, 6.4],
                [10.4, 11.0, 10.9, 9.7],
                [21.5, 22.8, 20.0, 19.6],
                [62.0, 60.7, 62.9, 64.4],
            ])
        );
        assert_eq!(
            by_column(&avt),
            transpose(&[
                [5.8, 5.7, 5.8, 6.5],
                [9.2, 8.3, 8.8, 9.1],
                [21.1, 24.1, 24.6, 21.5],
                [63.9, 61.8, 60.5, 62.8],
                [0.0, 0.1, 0.2, 0.1],
            ])
        );
        // Feb-Apr 2022 as % of the whole of 2022 (Table 4-5): 59 / 64 / 67 (59.1 / 63.9 / 67.5).
        let pct_of = |part: f64, whole: f64| round_half_up(100.0 * part / whole, 1);
        assert_eq!(
            [
                pct_of(87465.0, 147954.0),
                pct_of(17079.0, 26722.0),
                pct_of(26961.0, 39967.0)
            ],
            [59.1, 63.9, 67.5]
        );
    }

    #[test]
    fn a_bad_count_is_positioned() {
        let e = read_aggregates("a.csv", b"sector,totalpop,mottakspop,utvalg\nPHV,1x,2,3\n")
            .unwrap_err();
        assert!(e.contains("line 2, column totalpop"), "{e}");
        assert!(read_aggregates("a.csv", b"sector,totalpop\n").is_err());
    }

    /// Tables 4-2 (PHV) and 4-3 (TSB) as transcribed in the spec's companion file
    /// (`testdata/`, copied unchanged): every printed share reproduces to ±0.05, and the units
    /// whose share differs by more than one point include those the text names.
    #[test]
    fn tables_4_2_and_4_3_shares_and_flagged_units() {
        let text = include_str!("testdata/hf_tables_4-2_4-3_transcribed.csv");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let number = |s: &str| s.replace(',', ".").parse::<f64>().ok();
        let mut by_sector: std::collections::BTreeMap<String, Vec<csv::StringRecord>> =
            Default::default();
        for r in reader.records() {
            let r = r.unwrap();
            by_sector.entry(r[1].to_string()).or_default().push(r);
        }
        let mut flagged_by_sector = Vec::new();
        for (sector, rows) in &by_sector {
            let (units, total): (Vec<_>, Vec<_>) = rows.iter().partition(|r| &r[3] != "Total");
            let population_total = total[0][4].parse().unwrap();
            let respondent_total = total[0][6].parse().unwrap();
            let counts: Vec<UnitCounts> = units
                .iter()
                .map(|r| UnitCounts {
                    unit: r[3].to_string(),
                    population: r[4].parse().ok(),
                    respondents: r[6].parse().ok(),
                })
                .collect();
            let compared = compare_units(&counts, population_total, respondent_total, 1.0);
            for (c, r) in compared.iter().zip(&units) {
                for (share, printed) in [(c.population_share, &r[5]), (c.respondent_share, &r[7])] {
                    if let (Some(share), Some(printed)) = (share, number(printed)) {
                        assert!(
                            (share - printed).abs() <= 0.05 + 1e-9,
                            "{sector} {}: {share} vs {printed}",
                            c.unit
                        );
                    }
                }
            }
            flagged_by_sector.push((
                sector.clone(),
                compared
                    .iter()
                    .filter(|c| c.flagged)
                    .map(|c| c.unit.clone())
                    .collect::<Vec<_>>(),
            ));
        }
        let flagged = |sector: &str| {
            flagged_by_sector
                .iter()
                .find(|(s, _)| s == sector)
                .map(|(_, f)| f.clone())
                .unwrap()
        };
        assert_eq!(
            flagged("PHV"),
            ["Oslo universitetssykehus HF", "St. Olavs Hospital HF"]
        );
        for unit in [
            "Helse Bergen HF",
            "Oslo universitetssykehus HF",
            "St. Olavs Hospital HF",
            "A-senteret",
            "Vestre Viken HF",
        ] {
            assert!(
                flagged("TSB").iter().any(|f| f == unit),
                "{unit}: {:?}",
                flagged("TSB")
            );
        }
    }
}
