//! The fictional demo geography: 4 health regions, 9 health communities, 39 municipalities with
//! Norwegian-sounding invented names (æ, ø, å on purpose) and 4-digit codes, many with a leading
//! zero. Population is scaled to the number of persons so that the SMI cohort lands near the
//! seed's 16 patients per 1 000 inhabitants aged 18+.

/// Health regions.
pub(crate) const REGIONS: [&str; 4] = [
    "Helse Østmark",
    "Helse Vestfjære",
    "Helse Midtøy",
    "Helse Nordlys",
];

/// Health communities: name, region index, and how common serious mental illness is there
/// (per mille of the national rate), so that areas differ.
pub(crate) const HEALTH_COMMUNITIES: [(&str, usize, u64); 9] = [
    ("Storåsen", 0, 1000),
    ("Glåmvik", 0, 850),
    ("Løvøy og Sand", 0, 1100),
    ("Bjørgvin og Øyane", 1, 1200),
    ("Fjæreland", 1, 900),
    ("Nidarøy", 2, 950),
    ("Skjærdal", 2, 1250),
    ("Nordkjær", 3, 1100),
    ("Lyngsøy", 3, 800),
];

/// One municipality: code, name, health-community index, relative size (≈ inhabitants / 1 000).
pub(crate) struct Municipality {
    pub code: &'static str,
    pub name: &'static str,
    pub hc: usize,
    pub size: u64,
}

const fn m(code: &'static str, name: &'static str, hc: usize, size: u64) -> Municipality {
    Municipality {
        code,
        name,
        hc,
        size,
    }
}

pub(crate) const MUNICIPALITIES: [Municipality; 39] = [
    m("0312", "Storåsen by", 0, 650),
    m("0321", "Åsvang", 0, 45),
    m("0334", "Bjørkely", 0, 28),
    m("0345", "Lillesæter", 0, 12),
    m("0402", "Glåmvik", 1, 95),
    m("0418", "Trøstad", 1, 22),
    m("0427", "Hærøy", 1, 8),
    m("0436", "Fløtten", 1, 5),
    m("0441", "Åmotvang", 1, 4),
    m("0511", "Løvøy", 2, 130),
    m("0524", "Sandnæs", 2, 60),
    m("0537", "Østre Vål", 2, 18),
    m("0549", "Kløvstad", 2, 9),
    m("4601", "Bjørgvin", 3, 290),
    m("4626", "Skårøy", 3, 30),
    m("4627", "Øyane", 3, 40),
    m("4631", "Sølvberg", 3, 25),
    m("4632", "Hosøy", 3, 15),
    m("4640", "Fjærevik", 4, 40),
    m("4645", "Sæby", 4, 12),
    m("4647", "Måløyvik", 4, 20),
    m("4650", "Gråhella", 4, 6),
    m("5001", "Nidarøy", 5, 210),
    m("5028", "Mælen", 5, 20),
    m("5031", "Ståvik", 5, 25),
    m("5035", "Rørbakken", 5, 6),
    m("5006", "Skjærdal", 6, 25),
    m("5014", "Frøyvåg", 6, 5),
    m("5020", "Ørnvik", 6, 3),
    m("5025", "Tåsen", 6, 7),
    m("1804", "Nordkjær", 7, 52),
    m("1813", "Brønnvær", 7, 8),
    m("1820", "Alsøyen", 7, 7),
    m("1833", "Rånes", 7, 26),
    m("5501", "Lyngsøy", 8, 78),
    m("5512", "Kåfjordbotn", 8, 4),
    m("5520", "Bårdvik", 8, 6),
    m("5524", "Sjøvåg", 8, 3),
    m("5530", "Målselvik", 8, 7),
];

/// Four-digit codes used for the `unknown_municipality` defect: not in [`MUNICIPALITIES`].
pub(crate) const UNKNOWN_MUNICIPALITIES: [&str; 4] = ["9876", "9801", "9913", "9455"];

/// Population age bands: label and share of the population in per mille (sums to 1 000; the
/// adult bands, 18 and over, to 790), and the male share of the band in per mille.
pub(crate) const AGE_BANDS: [(&str, u64, u64); 7] = [
    ("0-17", 210, 513),
    ("18-24", 88, 515),
    ("25-34", 138, 512),
    ("35-44", 132, 510),
    ("45-54", 138, 508),
    ("55-66", 150, 500),
    ("67+", 144, 460),
];

/// Adults per synthetic person: the cohort is ≈ 77.5 % of the persons and should be 16 per
/// 1 000 adults, so adults ≈ 0.775 × 1 000 / 16 ≈ 48.4 per person.
const ADULTS_PER_PERSON_X10: u64 = 484;

/// Inhabitants of each municipality in year Y (whole population), scaled to `persons`.
pub(crate) fn population(persons: usize) -> Vec<u64> {
    let total_size: u64 = MUNICIPALITIES.iter().map(|m| m.size).sum();
    // total inhabitants = adults / 0.79
    let inhabitants = persons as u64 * ADULTS_PER_PERSON_X10 * 10 / 79;
    MUNICIPALITIES
        .iter()
        .map(|m| (inhabitants * m.size / total_size).max(40))
        .collect()
}

/// Count of one (municipality, year, sex, band) cell. `year_back` = 1 for Y−1 (0.6 % fewer).
pub(crate) fn population_cell(total: u64, band: usize, male: bool, year_back: bool) -> u64 {
    let total = if year_back { total * 994 / 1000 } else { total };
    let (_, share, male_share) = AGE_BANDS[band];
    let band_total = total * share / 1000;
    let males = band_total * male_share / 1000;
    let count = if male { males } else { band_total - males };
    count.max(1)
}

/// Weight of each municipality when placing a person: adults × the local prevalence factor
/// (a small per-municipality jitter on top of the health community's).
pub(crate) fn person_weights(population: &[u64]) -> Vec<u64> {
    MUNICIPALITIES
        .iter()
        .zip(population)
        .enumerate()
        .map(|(i, (m, &pop))| {
            let jitter = 900 + (i as u64 * 37) % 200; // 900..1099 per mille
            pop * 790 / 1000 * HEALTH_COMMUNITIES[m.hc].2 * jitter / 1000
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geography_is_consistent() {
        assert!(MUNICIPALITIES.len() >= 30);
        let mut codes: Vec<&str> = MUNICIPALITIES.iter().map(|m| m.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), MUNICIPALITIES.len(), "codes are unique");
        assert!(codes
            .iter()
            .all(|c| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit())));
        assert!(codes.iter().filter(|c| c.starts_with('0')).count() >= 5);
        for u in UNKNOWN_MUNICIPALITIES {
            assert!(!codes.contains(&u));
        }
        let hcs_used: std::collections::BTreeSet<usize> =
            MUNICIPALITIES.iter().map(|m| m.hc).collect();
        assert_eq!(hcs_used.len(), HEALTH_COMMUNITIES.len());
        assert_eq!(AGE_BANDS.iter().map(|b| b.1).sum::<u64>(), 1000);
        assert_eq!(AGE_BANDS[1..].iter().map(|b| b.1).sum::<u64>(), 790);
    }

    #[test]
    fn population_scales_with_persons() {
        // 10 000 persons: 10 000 × 48.4 / 0.79 = 612 658 inhabitants (integer arithmetic).
        let pop = population(10_000);
        let total: u64 = pop.iter().sum();
        assert!((612_000..=612_700).contains(&total), "{total}");
    }
}
