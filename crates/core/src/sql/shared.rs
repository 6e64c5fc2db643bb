//! SQL shared by every module, mirroring the engine's shared steps: the areas and which
//! municipality counts where (`aggregate::Areas`), the population per area
//! (`aggregate::population_by_area`, `whole_population_by_area`) and the continuous stays
//! (`stays::merge_stays`).

use super::Ctx;

/// `forlop_area_list(level, area)`: every area of the output; `forlop_chain(mun, level, area)`:
/// the areas below the country a municipality counts in (a person whose municipality has no
/// chain counts in the country only, as `Areas::chain`).
pub(crate) fn areas(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let mut out = String::new();
    if cx.has_areas() {
        // Only the first row of a municipality counts; a health community belongs to the region
        // of its first row among those (Areas::build). `row_no` is the row's place in the file.
        out += &d.create(
            "forlop_area_first",
            "SELECT municipality AS mun, health_community AS hc, region, row_no\n\
             FROM (SELECT a.*, row_number() OVER (PARTITION BY municipality ORDER BY row_no) AS rk\n\
                   FROM areas a) x\n\
             WHERE rk = 1",
        );
        out += &d.create(
            "forlop_hc_region",
            "SELECT hc, region\n\
             FROM (SELECT hc, region, row_number() OVER (PARTITION BY hc ORDER BY row_no) AS rk\n\
                   FROM forlop_area_first) x\n\
             WHERE rk = 1",
        );
        out += &d.create(
            "forlop_chain",
            "SELECT f.mun, 'region' AS level, h.region AS area\n\
             FROM forlop_area_first f JOIN forlop_hc_region h ON h.hc = f.hc\n\
             UNION ALL SELECT mun, 'health_community', hc FROM forlop_area_first\n\
             UNION ALL SELECT mun, 'municipality', mun FROM forlop_area_first",
        );
    } else {
        // Without an areas table: every municipality that persons name, under the country.
        out += &d.create(
            "forlop_chain",
            "SELECT DISTINCT municipality AS mun, 'municipality' AS level, municipality AS area\n\
             FROM persons WHERE municipality IS NOT NULL",
        );
    }
    out += &d.create(
        "forlop_area_list",
        "SELECT 'country' AS level, 'NO' AS area\n\
         UNION SELECT DISTINCT level, area FROM forlop_chain",
    );
    out
}

/// `forlop_population(level, area, adults, everyone)` of year Y: adults are the rows with an
/// age of 18 or more (an exact age, or a band or `a+` starting at 18 or later) when any row of Y
/// has an age, else every row of Y; everyone is every row of Y, leaving out rows without an
/// age when any row of Y has one. Municipalities outside the chains count in the country only.
pub(crate) fn population(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let (count, year) = (d.ident("count"), d.ident("year"));
    let y = cx.year;
    let mut out = d.create(
        "forlop_pop_rows",
        &format!(
            "SELECT p.municipality AS mun, CAST(p.{count} AS BIGINT) AS n,\n\
                    CASE WHEN b.by_age = 0 THEN 1\n\
                         WHEN CAST(regexp_extract(p.age, '^([0-9]+)', 1) AS INTEGER) >= 18 THEN 1\n\
                         ELSE 0 END AS adult,\n\
                    CASE WHEN b.by_age = 0 OR p.age IS NOT NULL THEN 1 ELSE 0 END AS counted\n\
             FROM population p\n\
             CROSS JOIN (SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END AS by_age\n\
                         FROM population WHERE {year} = {y} AND age IS NOT NULL) b\n\
             WHERE p.{year} = {y}"
        ),
    );
    out += &d.create(
        "forlop_population",
        "SELECT x.level, x.area,\n\
                sum(CASE WHEN r.adult = 1 THEN r.n ELSE 0 END) AS adults,\n\
                sum(CASE WHEN r.counted = 1 THEN r.n ELSE 0 END) AS everyone\n\
         FROM forlop_pop_rows r\n\
         JOIN (SELECT DISTINCT mun, 'country' AS level, 'NO' AS area FROM forlop_pop_rows\n\
               UNION ALL SELECT mun, level, area FROM forlop_chain) x ON x.mun = r.mun\n\
         GROUP BY x.level, x.area",
    );
    out
}

/// `forlop_stays`: the continuous stays of every person and sector (stays.rs): DOGN rows sorted
/// by admit_date (then by their place in the file, `row_no`), a new stay starting when a row's
/// admit_date is after every earlier row's discharge_date (an open row never ends). Urgency,
/// unit, referral and admit time come from the first row; discharge_date (empty when a row is
/// open), letter date and discharged_to from the row that ends last (on a tie the later row);
/// ready_date from the first row that has one.
pub(crate) fn stays(cx: &Ctx<'_>) -> String {
    let d = cx.dialect;
    let order = "PARTITION BY pid, sector ORDER BY admit_date, row_no";
    let mut out = d.create(
        "forlop_stay_rows",
        &format!(
            "SELECT x.*, sum(CASE WHEN prev_end IS NULL OR admit_date > prev_end THEN 1 ELSE 0 END)\n\
                        OVER ({order} ROWS UNBOUNDED PRECEDING) AS stay_no\n\
             FROM (SELECT e.*, coalesce(discharge_date, DATE '9999-12-31') AS end_inf,\n\
                          max(coalesce(discharge_date, DATE '9999-12-31'))\n\
                              OVER ({order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end\n\
                   FROM episodes e WHERE care_level = 'DOGN') x"
        ),
    );
    out += &d.create(
        "forlop_stays",
        "SELECT pid, sector, stay_no,\n\
                min(admit_date) AS admit_date,\n\
                max(CASE WHEN rk_first = 1 THEN admit_time END) AS admit_time,\n\
                max(CASE WHEN rk_first = 1 THEN urgency END) AS urgency,\n\
                max(CASE WHEN rk_first = 1 THEN unit END) AS unit,\n\
                max(CASE WHEN rk_first = 1 THEN referred_by END) AS referred_by,\n\
                CASE WHEN max(end_inf) = DATE '9999-12-31' THEN NULL ELSE max(end_inf) END\n\
                    AS discharge_date,\n\
                max(CASE WHEN rk_last = 1 THEN letter_date END) AS letter_date,\n\
                max(CASE WHEN rk_last = 1 THEN discharged_to END) AS discharged_to,\n\
                max(CASE WHEN rk_ready = 1 THEN ready_date END) AS ready_date,\n\
                count(*) AS n_rows\n\
         FROM (SELECT r.*,\n\
                      row_number() OVER (PARTITION BY pid, sector, stay_no\n\
                                         ORDER BY admit_date, row_no) AS rk_first,\n\
                      row_number() OVER (PARTITION BY pid, sector, stay_no\n\
                                         ORDER BY end_inf DESC, admit_date DESC, row_no DESC) AS rk_last,\n\
                      row_number() OVER (PARTITION BY pid, sector, stay_no\n\
                                         ORDER BY CASE WHEN ready_date IS NULL THEN 1 ELSE 0 END,\n\
                                                  admit_date, row_no) AS rk_ready\n\
               FROM forlop_stay_rows r) s\n\
         GROUP BY pid, sector, stay_no",
    );
    out
}
