-- Forløp: the serious-mental-illness indicators (indicators.md §1) in DuckDB, written from the
-- spec (shared/spec/indicators.md, shared/spec/data-format.md, docs/choices.md), not from the
-- Rust engine. It is the independent reading the benchmark compares the engine against.
--
-- Input: the canonical CSV files of a `forlop synth` extract (`,`, UTF-8, ISO dates, canonical
-- codes). Output: the long table of §6 for year Y, k = 0 (nothing suppressed), every group at
-- every level (country NO, and every region, health community and municipality of areas.csv).
--
-- Placeholders, substituted by bench/run.py (or by sed):
--   @DATA@  directory with persons.csv, episodes.csv, municipal_services.csv, primary_care.csv,
--           population.csv, areas.csv
--   @YEAR@  the analysis year Y
--   @OUT@   the output CSV file
--   @WINDOW@ @ACUTE_ONLY@ @EXCLUDE_DEATHS@  readmission settings (defaults 30, true, false)
--
--   @BENCH@ this directory (bench/templates/*.csv: header-only files with every canonical column,
--           read with union_by_name so that an optional column a file leaves out is empty)
--
-- Every file is read as text and typed here, so that `0301` keeps its leading zero and an
-- empty cell is a missing value.

-- ---------------------------------------------------------------------------------------------
-- Reading
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE TEMP MACRO blank(x) AS NULLIF(trim(x), '');
-- 3-digit municipality codes get their leading zero back (data-format.md).
CREATE OR REPLACE TEMP MACRO muni(x) AS
    CASE WHEN blank(x) IS NULL THEN NULL ELSE lpad(trim(x), 4, '0') END;
-- Dates before 1900 make a row invalid (choices.md, Reading).
CREATE OR REPLACE TEMP MACRO dt(x) AS TRY_CAST(blank(x) AS DATE);
CREATE OR REPLACE TEMP MACRO okdate(d) AS (d IS NOT NULL AND d >= DATE '1900-01-01');
-- 1/0, ja/nei, true/false.
CREATE OR REPLACE TEMP MACRO truthy(x) AS
    coalesce(lower(blank(x)) IN ('1', 'ja', 'j', 'true', 't', 'yes', 'y'), false);
-- ICD-10 codes of a row, normalised: upper case, no dot (F20.0 = F200).
CREATE OR REPLACE TEMP MACRO codes(main, other) AS
    list_filter(
        list_transform(
            regexp_split_to_array(coalesce(main, '') || ' ' || coalesce(other, ''), '[ ,;|]+'),
            lambda c: upper(replace(c, '.', ''))),
        lambda c: length(c) >= 3);
CREATE OR REPLACE TEMP MACRO has3(cs, prefixes) AS
    len(list_filter(cs, lambda c: list_contains(prefixes, c[1:3]))) > 0;

CREATE TEMP TABLE persons AS
SELECT trim(pid) AS pid,
       TRY_CAST(blank(birth_year) AS INTEGER) AS birth_year,
       TRY_CAST(blank(age) AS INTEGER) AS age,
       muni(municipality) AS mun,
       dt(death_date) AS death
FROM read_csv(['@DATA@/persons.csv', '@BENCH@/templates/persons.csv'], union_by_name = true, header = true, all_varchar = true, delim = ',', quote = '"');

-- A municipality listed twice: the first row wins; a health community belongs to the region of
-- its first row (docs/choices.md, further choices).
CREATE TEMP TABLE areas AS
WITH r AS (
    SELECT row_number() OVER () AS line, muni(municipality) AS mun,
           trim(health_community) AS hc, trim(region) AS region
    FROM read_csv(['@DATA@/areas.csv', '@BENCH@/templates/areas.csv'], union_by_name = true,
                  header = true, all_varchar = true, delim = ',', quote = '"')
    WHERE muni(municipality) IS NOT NULL
), m AS (
    SELECT mun, arg_min(hc, line) AS hc FROM r GROUP BY mun
), h AS (
    SELECT hc, arg_min(region, line) AS region FROM r GROUP BY hc
)
SELECT m.mun, m.hc, h.region FROM m JOIN h USING (hc);

-- Episodes. The table keeps the file's order (DuckDB preserves insertion order), so its rowid
-- is the line order: the tie-break when two rows of a person share an admit_date.
CREATE TEMP TABLE ep AS
SELECT *
FROM (
    SELECT trim(pid) AS pid,
           upper(trim(sector)) AS sector,
           upper(trim(care_level)) AS care_level,
           dt(admit_date) AS admit,
           dt(discharge_date) AS disch_raw,
           upper(blank(urgency)) AS urgency,
           main_diagnosis AS main_dx,
           other_diagnoses AS other_dx,
           truthy(ambulant) AS ambulant,
           dt(letter_date) AS letter
    FROM read_csv(['@DATA@/episodes.csv', '@BENCH@/templates/episodes.csv'], union_by_name = true, header = true, all_varchar = true, delim = ',',
                  quote = '"')
)
-- Care level 8 (outpatient contact for an inpatient) is counted in no indicator.
WHERE care_level IN ('DOGN', 'DAG', 'POL')
  AND sector IN ('PHV', 'TSB', 'SOM', 'AVT_PHV', 'AVT_SOM')
  -- urgency is required for DOGN (data-format.md): a DOGN row without it is invalid
  AND (care_level <> 'DOGN' OR urgency IN ('ACUTE', 'PLANNED'))
  AND okdate(admit)
  AND (disch_raw IS NULL OR disch_raw >= admit);

-- ---------------------------------------------------------------------------------------------
-- The cohort SMI(Y)
-- ---------------------------------------------------------------------------------------------

-- Rows overlapping Y, judged per row (choices.md). Open DOGN = open to infinity; POL/DAG
-- without a discharge_date end on their admit_date (data-format.md).
CREATE TEMP TABLE ep_y AS
SELECT pid, sector, codes(main_dx, other_dx) AS dx
FROM ep
WHERE sector IN ('PHV', 'TSB')
  AND admit <= DATE '@YEAR@-12-31'
  AND coalesce(disch_raw, CASE WHEN care_level = 'DOGN' THEN DATE '9999-12-31' ELSE admit END)
      >= DATE '@YEAR@-01-01';

CREATE TEMP TABLE dxp AS
SELECT pid,
       bool_or(sector = 'PHV') AS has_phv,
       bool_or(sector = 'PHV' AND has3(dx, ['F20', 'F25'])) AS schizophrenia,
       bool_or(sector = 'PHV' AND has3(dx, ['F30', 'F31'])) AS bipolar,
       bool_or(sector = 'PHV' AND has3(dx, ['F32', 'F33'])) AS depression,
       bool_or(sector = 'PHV' AND has3(dx, ['F60', 'F61', 'F62', 'F63', 'F64', 'F65', 'F66',
                                            'F67', 'F68', 'F69'])) AS personality,
       bool_or(has3(dx, ['F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F17', 'F18',
                         'F19'])) AS substance
FROM ep_y
GROUP BY pid;

CREATE TEMP TABLE cohort AS
SELECT p.pid, p.mun, p.death, a.hc, a.region,
       d.schizophrenia, d.bipolar, d.depression, d.personality, d.substance
FROM persons p
JOIN dxp d USING (pid)
LEFT JOIN areas a ON a.mun = p.mun
WHERE coalesce(@YEAR@ - p.birth_year, p.age) >= 18
  AND d.has_phv
  AND (d.schizophrenia OR d.bipolar OR d.depression OR d.personality);

-- Person × group: every base group the person has, and the same with the substance suffix.
CREATE TEMP TABLE pg AS
WITH base AS (
    SELECT pid, substance, 'all' AS g FROM cohort
    UNION ALL SELECT pid, substance, 'schizophrenia' FROM cohort WHERE schizophrenia
    UNION ALL SELECT pid, substance, 'bipolar' FROM cohort WHERE bipolar
    UNION ALL SELECT pid, substance, 'depression' FROM cohort WHERE depression
    UNION ALL SELECT pid, substance, 'personality' FROM cohort WHERE personality
)
SELECT pid, g AS grp FROM base
UNION ALL
SELECT pid, g || CASE WHEN substance THEN '+substance' ELSE '-substance' END FROM base;

-- Person × area: the country always; region, health community and municipality only when the
-- municipality is in the areas table (choices.md). Without an areas table (an empty areas.csv):
-- the country and every municipality that persons name.
CREATE TEMP TABLE pa AS
SELECT pid, 'country' AS level, 'NO' AS area FROM cohort
UNION ALL SELECT pid, 'region', region FROM cohort WHERE region IS NOT NULL
UNION ALL SELECT pid, 'health_community', hc FROM cohort WHERE hc IS NOT NULL
UNION ALL SELECT pid, 'municipality', mun FROM cohort
          WHERE hc IS NOT NULL OR (mun IS NOT NULL AND NOT EXISTS (SELECT 1 FROM areas));

-- Every (group, level, area) that gets rows, also those with nobody in them.
CREATE TEMP TABLE frame AS
WITH groups AS (
    SELECT unnest(['all', 'schizophrenia', 'bipolar', 'depression', 'personality']) AS g
), grp AS (
    SELECT g AS grp FROM groups
    UNION ALL SELECT g || '+substance' FROM groups
    UNION ALL SELECT g || '-substance' FROM groups
), ar AS (
    SELECT 'country' AS level, 'NO' AS area
    UNION SELECT DISTINCT 'region', region FROM areas
    UNION SELECT DISTINCT 'health_community', hc FROM areas
    UNION SELECT DISTINCT 'municipality', mun FROM areas
    UNION SELECT DISTINCT 'municipality', mun FROM persons
          WHERE mun IS NOT NULL AND NOT EXISTS (SELECT 1 FROM areas)
)
SELECT grp, level, area FROM grp, ar;

-- ---------------------------------------------------------------------------------------------
-- Merged PHV DOGN stays of cohort persons (gaps and islands)
-- ---------------------------------------------------------------------------------------------

-- A new stay starts when admit_date > the running maximum of the earlier rows' discharge_date
-- (an open row = infinity, so it absorbs every later row).
CREATE TEMP TABLE isl AS
WITH d AS (
    SELECT e.pid, e.rowid AS rn, e.admit, e.disch_raw, e.urgency, e.letter,
           coalesce(e.disch_raw, DATE '9999-12-31') AS d_inf
    FROM ep e SEMI JOIN cohort c ON c.pid = e.pid
    WHERE e.sector = 'PHV' AND e.care_level = 'DOGN'
), w AS (
    SELECT *, max(d_inf) OVER (PARTITION BY pid ORDER BY admit, rn
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
    FROM d
)
SELECT *, sum(CASE WHEN prev_max IS NULL OR admit > prev_max THEN 1 ELSE 0 END)
              OVER (PARTITION BY pid ORDER BY admit, rn ROWS UNBOUNDED PRECEDING) AS island
FROM w;

-- admit_date and urgency from the first row; discharge_date (empty if any row is open) and
-- letter_date from the row that ends last (on a tie: the later row in admit order).
CREATE TEMP TABLE stays AS
SELECT pid, island,
       min(admit) AS admit,
       first(urgency ORDER BY admit, rn) AS urgency,
       CASE WHEN max(d_inf) = DATE '9999-12-31' THEN NULL ELSE max(d_inf) END AS disch,
       first(letter ORDER BY d_inf DESC, admit DESC, rn DESC) AS letter
FROM isl
GROUP BY pid, island;

-- ---------------------------------------------------------------------------------------------
-- Per-person facts
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE f_stays AS
SELECT pid,
       bool_or(admit <= DATE '@YEAR@-12-31'
               AND coalesce(disch, DATE '9999-12-31') >= DATE '@YEAR@-01-01') AS admitted,
       bool_or(urgency = 'ACUTE' AND admit BETWEEN DATE '@YEAR@-01-01' AND DATE '@YEAR@-12-31')
           AS admitted_acute,
       -- Bed days inside Y = days(max(admit, 1 Jan), min(discharge or 31 Dec, 31 Dec)), ≥ 0.
       sum(greatest(0, date_diff('day', greatest(admit, DATE '@YEAR@-01-01'),
                                 least(coalesce(disch, DATE '@YEAR@-12-31'),
                                       DATE '@YEAR@-12-31')))) AS bed_days
FROM stays
GROUP BY pid;

-- Readmission (choices.md): index discharges in 1 Jan .. 31 Dec − (window + 1) days (30 Nov for
-- 30 days) of Y, of persons with a municipality code; a discharge counts when a later stay
-- (ACUTE only unless @ACUTE_ONLY@ is false) is admitted 1..window days after it. With
-- @EXCLUDE_DEATHS@, a discharge is dropped when the person died on or before discharge + window.
CREATE TEMP TABLE f_readm AS
WITH idx AS (
    SELECT s.pid, s.disch
    FROM stays s JOIN cohort c ON c.pid = s.pid
    WHERE c.mun IS NOT NULL
      AND s.disch BETWEEN DATE '@YEAR@-01-01'
                      AND DATE '@YEAR@-12-31' - INTERVAL (@WINDOW@ + 1) DAY
      AND NOT (@EXCLUDE_DEATHS@ AND c.death IS NOT NULL
               AND c.death <= s.disch + INTERVAL (@WINDOW@) DAY)
)
SELECT i.pid,
       bool_or(EXISTS (SELECT 1 FROM stays r
                       WHERE r.pid = i.pid AND (r.urgency = 'ACUTE' OR NOT @ACUTE_ONLY@)
                         AND date_diff('day', i.disch, r.admit) BETWEEN 1 AND @WINDOW@))
           AS readmitted
FROM idx i
GROUP BY i.pid;

-- Other episodes. "Episode in Y" (tsb, somatic, private_*): DOGN row overlaps Y, POL/DAG
-- admit_date in Y. "Contacts in Y": rows with admit_date in Y (choices.md).
CREATE TEMP TABLE f_ep AS
WITH e AS (
    SELECT e.*,
           e.admit BETWEEN DATE '@YEAR@-01-01' AND DATE '@YEAR@-12-31' AS admit_in_y,
           CASE WHEN e.care_level = 'DOGN'
                THEN e.admit <= DATE '@YEAR@-12-31'
                     AND coalesce(e.disch_raw, DATE '9999-12-31') >= DATE '@YEAR@-01-01'
                ELSE e.admit BETWEEN DATE '@YEAR@-01-01' AND DATE '@YEAR@-12-31'
           END AS in_y
    FROM ep e SEMI JOIN cohort c ON c.pid = e.pid
)
SELECT pid,
       count(*) FILTER (WHERE sector = 'PHV' AND care_level = 'POL' AND admit_in_y) AS pol_contacts,
       bool_or(sector = 'PHV' AND ambulant AND admit_in_y) AS ambulant,
       bool_or(sector = 'TSB' AND in_y) AS tsb,
       bool_or(sector = 'SOM' AND in_y) AS somatic,
       bool_or(sector = 'AVT_PHV' AND in_y) AS private_psych,
       bool_or(sector = 'AVT_SOM' AND in_y) AS private_somatic,
       count(*) FILTER (WHERE sector IN ('AVT_PHV', 'AVT_SOM') AND admit_in_y) AS private_contacts
FROM e
GROUP BY pid;

-- Primary care; contact_type and interdisciplinary derived from the tariffs when missing.
CREATE TEMP TABLE pc AS
WITH r AS (
    SELECT trim(pid) AS pid,
           dt(date) AS d,
           upper(trim(provider)) AS provider,
           upper(blank(contact_type)) AS ct,
           blank(interdisciplinary) AS idisc,
           list_transform(
               list_filter(regexp_split_to_array(coalesce(lower(tariffs), ''), '[ ,;|]+'),
                           lambda t: t <> ''),
               lambda t: trim(t)) AS tar
    FROM read_csv(['@DATA@/primary_care.csv', '@BENCH@/templates/primary_care.csv'], union_by_name = true, header = true, all_varchar = true, delim = ',',
                  quote = '"')
)
SELECT r.pid, r.provider,
       coalesce(r.ct,
                CASE WHEN list_has_any(r.tar, ['11ad', '11ak']) THEN 'HOME_VISIT'
                     WHEN list_has_any(r.tar, ['2ad', '2ak', '2ed', '2fk', '615'])
                         THEN 'CONSULTATION'
                     WHEN list_has_any(r.tar, ['2ae', '2aef', '2aek']) THEN 'E_CONSULTATION'
                     ELSE 'OTHER' END) AS ct,
       CASE WHEN r.idisc IS NULL THEN list_contains(r.tar, '14') ELSE truthy(r.idisc) END AS idisc
FROM r SEMI JOIN cohort c ON c.pid = r.pid
WHERE r.d BETWEEN DATE '@YEAR@-01-01' AND DATE '@YEAR@-12-31';

CREATE TEMP TABLE f_pc AS
SELECT pid,
       bool_or(provider = 'GP') AS gp_contact,
       count(*) FILTER (WHERE provider = 'GP' AND ct IN ('CONSULTATION', 'HOME_VISIT'))
           AS gp_consultations,
       bool_or(provider = 'OUT_OF_HOURS') AS oohs_contact,
       bool_or(provider = 'OUT_OF_HOURS' AND ct IN ('CONSULTATION', 'HOME_VISIT'))
           AS oohs_consultation,
       bool_or(provider = 'GP' AND ct = 'HOME_VISIT') AS gp_home_visit,
       bool_or(idisc) AS gp_interdisciplinary
FROM pc
GROUP BY pid;

-- Municipal services overlapping Y (start after end, or before 1900: invalid row).
CREATE TEMP TABLE svc AS
SELECT DISTINCT r.pid, r.service
FROM (
    SELECT trim(pid) AS pid, upper(trim(service)) AS service,
           dt(start_date) AS s, dt(end_date) AS e
    FROM read_csv(['@DATA@/municipal_services.csv', '@BENCH@/templates/municipal_services.csv'], union_by_name = true, header = true, all_varchar = true,
                  delim = ',', quote = '"')
) r SEMI JOIN cohort c ON c.pid = r.pid
WHERE okdate(r.s) AND (r.e IS NULL OR r.e >= r.s)
  AND r.s <= DATE '@YEAR@-12-31'
  AND (r.e IS NULL OR r.e >= DATE '@YEAR@-01-01');

CREATE TEMP TABLE f_svc AS
SELECT pid, bool_or(service <> 'WELFARE_TECH') AS any_service
FROM svc
GROUP BY pid;

-- One row per cohort person with every fact.
CREATE TEMP TABLE pf AS
SELECT c.pid,
       coalesce(s.admitted, false) AS admitted,
       coalesce(s.admitted_acute, false) AS admitted_acute,
       coalesce(s.bed_days, 0) AS bed_days,
       r.pid IS NOT NULL AS readm_den,
       coalesce(r.readmitted, false) AS readm_num,
       coalesce(e.pol_contacts, 0) AS pol_contacts,
       coalesce(e.ambulant, false) AS ambulant,
       coalesce(e.tsb, false) AS tsb,
       coalesce(e.somatic, false) AS somatic,
       coalesce(e.private_psych, false) AS private_psych,
       coalesce(e.private_somatic, false) AS private_somatic,
       coalesce(e.private_contacts, 0) AS private_contacts,
       coalesce(p.gp_contact, false) AS gp_contact,
       coalesce(p.gp_consultations, 0) AS gp_consultations,
       coalesce(p.oohs_contact, false) AS oohs_contact,
       coalesce(p.oohs_consultation, false) AS oohs_consultation,
       coalesce(p.gp_home_visit, false) AS gp_home_visit,
       coalesce(p.gp_interdisciplinary, false) AS gp_interdisciplinary,
       coalesce(v.any_service, false) AS any_service
FROM cohort c
LEFT JOIN f_stays s USING (pid)
LEFT JOIN f_readm r USING (pid)
LEFT JOIN f_ep e USING (pid)
LEFT JOIN f_pc p USING (pid)
LEFT JOIN f_svc v USING (pid);

-- ---------------------------------------------------------------------------------------------
-- Aggregation per (group, level, area)
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE agg AS
WITH a AS (
    SELECT g.grp, x.level, x.area,
           count(*) AS persons,
           count(*) FILTER (WHERE f.admitted) AS admitted,
           count(*) FILTER (WHERE f.admitted_acute) AS admitted_acute,
           sum(f.bed_days) AS bed_days,
           count(*) FILTER (WHERE f.readm_den) AS readm_den,
           count(*) FILTER (WHERE f.readm_num) AS readm_num,
           count(*) FILTER (WHERE f.pol_contacts > 0) AS outpatient,
           sum(f.pol_contacts) AS pol_contacts,
           count(*) FILTER (WHERE f.ambulant) AS ambulant,
           count(*) FILTER (WHERE f.tsb) AS tsb,
           count(*) FILTER (WHERE f.somatic) AS somatic,
           count(*) FILTER (WHERE f.private_psych) AS private_psych,
           count(*) FILTER (WHERE f.private_somatic) AS private_somatic,
           count(*) FILTER (WHERE f.private_contacts > 0) AS private_any,
           sum(f.private_contacts) AS private_contacts,
           count(*) FILTER (WHERE f.gp_contact) AS gp_contact,
           count(*) FILTER (WHERE f.gp_consultations > 0) AS gp_consultation,
           sum(f.gp_consultations) AS gp_consultations,
           count(*) FILTER (WHERE f.oohs_contact) AS oohs_contact,
           count(*) FILTER (WHERE f.oohs_consultation) AS oohs_consultation,
           count(*) FILTER (WHERE f.gp_home_visit) AS gp_home_visit,
           count(*) FILTER (WHERE f.gp_interdisciplinary) AS gp_interdisciplinary,
           count(*) FILTER (WHERE f.any_service) AS any_service
    FROM pf f
    JOIN pg g USING (pid)
    JOIN pa x USING (pid)
    GROUP BY ALL
)
SELECT fr.grp, fr.level, fr.area,
       coalesce(persons, 0) AS persons,
       coalesce(admitted, 0) AS admitted,
       coalesce(admitted_acute, 0) AS admitted_acute,
       coalesce(bed_days, 0) AS bed_days,
       coalesce(readm_den, 0) AS readm_den,
       coalesce(readm_num, 0) AS readm_num,
       coalesce(outpatient, 0) AS outpatient,
       coalesce(pol_contacts, 0) AS pol_contacts,
       coalesce(ambulant, 0) AS ambulant,
       coalesce(tsb, 0) AS tsb,
       coalesce(somatic, 0) AS somatic,
       coalesce(private_psych, 0) AS private_psych,
       coalesce(private_somatic, 0) AS private_somatic,
       coalesce(private_any, 0) AS private_any,
       coalesce(private_contacts, 0) AS private_contacts,
       coalesce(gp_contact, 0) AS gp_contact,
       coalesce(gp_consultation, 0) AS gp_consultation,
       coalesce(gp_consultations, 0) AS gp_consultations,
       coalesce(oohs_contact, 0) AS oohs_contact,
       coalesce(oohs_consultation, 0) AS oohs_consultation,
       coalesce(gp_home_visit, 0) AS gp_home_visit,
       coalesce(gp_interdisciplinary, 0) AS gp_interdisciplinary,
       coalesce(any_service, 0) AS any_service
FROM frame fr
LEFT JOIN a ON a.grp = fr.grp AND a.level = fr.level AND a.area = fr.area;

-- Letters: merged stays discharged in Y with a letter date (discharges, not persons).
CREATE TEMP TABLE letters AS
WITH d AS (
    SELECT pid, date_diff('day', disch, letter) AS days
    FROM stays
    WHERE disch BETWEEN DATE '@YEAR@-01-01' AND DATE '@YEAR@-12-31' AND letter IS NOT NULL
), a AS (
    SELECT g.grp, x.level, x.area,
           count(*) AS n,
           count(*) FILTER (WHERE d.days <= 1) AS within_1d,
           count(*) FILTER (WHERE d.days <= 7) AS within_7d,
           -- median: the mean of the two middle values for an even count
           quantile_cont(d.days, 0.5) AS median_days
    FROM d JOIN pg g USING (pid) JOIN pa x USING (pid)
    GROUP BY ALL
)
SELECT fr.grp, fr.level, fr.area,
       coalesce(n, 0) AS n, coalesce(within_1d, 0) AS within_1d,
       coalesce(within_7d, 0) AS within_7d, median_days
FROM frame fr
LEFT JOIN a ON a.grp = fr.grp AND a.level = fr.level AND a.area = fr.area;

-- Municipal services per code.
CREATE TEMP TABLE svc_agg AS
WITH codes AS (
    SELECT unnest(['HOME_HEALTH', 'PRACTICAL_HELP', 'PRACTICAL_TRAINING', 'SUPPORT_CONTACT',
                   'HOUSING', 'DAY_ACTIVITY', 'MEALS', 'LONG_TERM_STAY',
                   'SHORT_STAY_TREATMENT', 'SHORT_STAY_OTHER', 'INDIVIDUAL_PLAN', 'COORDINATOR',
                   'NUTRITION_ASSESSMENT', 'MEDICATION_REVIEW', 'WELFARE_TECH']) AS service
), a AS (
    SELECT g.grp, x.level, x.area, s.service, count(*) AS n
    FROM svc s JOIN pg g USING (pid) JOIN pa x USING (pid)
    GROUP BY ALL
)
SELECT fr.grp, fr.level, fr.area, codes.service, coalesce(a.n, 0) AS n
FROM frame fr CROSS JOIN codes
LEFT JOIN a ON a.grp = fr.grp AND a.level = fr.level AND a.area = fr.area
           AND a.service = codes.service;

-- Population 18+ of year Y per area: integer age ≥ 18, band `a-b` or `a+` with a ≥ 18 (a band
-- straddling 18 is not adult, and neither is a row whose age cell is empty: "rows with an adult
-- age", choices.md); when no row of Y has an age, the whole population. The country is
-- every population row of Y; a region or health community is the sum of its municipalities.
CREATE TEMP TABLE pop AS
WITH r AS (
    SELECT muni(municipality) AS mun,
           TRY_CAST(blank(year) AS INTEGER) AS y,
           blank(age) AS age,
           TRY_CAST(blank(count) AS BIGINT) AS n
    FROM read_csv(['@DATA@/population.csv', '@BENCH@/templates/population.csv'], union_by_name = true, header = true, all_varchar = true, delim = ',',
                  quote = '"')
), adult AS (
    SELECT mun, n FROM r
    WHERE y = @YEAR@
      AND (NOT EXISTS (SELECT 1 FROM r WHERE y = @YEAR@ AND age IS NOT NULL)
           OR TRY_CAST(regexp_extract(age, '^\s*(\d+)', 1) AS INTEGER) >= 18)
)
SELECT 'country' AS level, 'NO' AS area, sum(n) AS n FROM adult
UNION ALL
SELECT 'region', a.region, sum(n) FROM adult JOIN areas a USING (mun) GROUP BY a.region
UNION ALL
SELECT 'health_community', a.hc, sum(n) FROM adult JOIN areas a USING (mun) GROUP BY a.hc
UNION ALL
SELECT 'municipality', mun, sum(n) FROM adult GROUP BY mun;

-- ---------------------------------------------------------------------------------------------
-- The long table (§6)
-- ---------------------------------------------------------------------------------------------

CREATE TEMP MACRO pct(n, d) AS CASE WHEN d > 0 THEN 100.0 * n / d END;
CREATE TEMP MACRO ratio(n, d) AS CASE WHEN d > 0 THEN n::DOUBLE / d END;

CREATE TEMP TABLE long AS
WITH cells AS (
    -- counts: denominator empty, value = numerator
    SELECT 'smi.patients' AS indicator, grp, level, area,
           persons::BIGINT AS numerator, NULL::BIGINT AS denominator, persons::DOUBLE AS value
    FROM agg
    UNION ALL
    SELECT 'smi.patients_per_1000', grp, level, agg.area, persons, coalesce(pop.n, 0),
           CASE WHEN pop.n > 0 THEN 1000.0 * persons / pop.n END
    FROM agg LEFT JOIN pop USING (level, area)
    UNION ALL SELECT 'smi.admitted', grp, level, area, admitted, persons, pct(admitted, persons) FROM agg
    UNION ALL SELECT 'smi.admitted_acute', grp, level, area, admitted_acute, persons, pct(admitted_acute, persons) FROM agg
    UNION ALL SELECT 'smi.readmitted_30d', grp, level, area, readm_num, readm_den, pct(readm_num, readm_den) FROM agg
    UNION ALL SELECT 'smi.outpatient', grp, level, area, outpatient, persons, pct(outpatient, persons) FROM agg
    UNION ALL SELECT 'smi.bed_days_per_patient', grp, level, area, bed_days, persons, ratio(bed_days, persons) FROM agg
    UNION ALL SELECT 'smi.bed_days_per_admitted', grp, level, area, bed_days, admitted, ratio(bed_days, admitted) FROM agg
    UNION ALL SELECT 'smi.outpatient_contacts_per_outpatient', grp, level, area, pol_contacts, outpatient, ratio(pol_contacts, outpatient) FROM agg
    UNION ALL SELECT 'smi.ambulant', grp, level, area, ambulant, persons, pct(ambulant, persons) FROM agg
    UNION ALL SELECT 'smi.letter_within_1d', grp, level, area, within_1d, n, pct(within_1d, n) FROM letters
    UNION ALL SELECT 'smi.letter_within_7d', grp, level, area, within_7d, n, pct(within_7d, n) FROM letters
    -- medians: numerator and denominator empty
    UNION ALL SELECT 'smi.letter_days_median', grp, level, area, NULL, NULL, median_days FROM letters
    UNION ALL SELECT 'smi.tsb', grp, level, area, tsb, persons, pct(tsb, persons) FROM agg
    UNION ALL SELECT 'smi.somatic', grp, level, area, somatic, persons, pct(somatic, persons) FROM agg
    UNION ALL SELECT 'smi.private_psych', grp, level, area, private_psych, persons, pct(private_psych, persons) FROM agg
    UNION ALL SELECT 'smi.private_somatic', grp, level, area, private_somatic, persons, pct(private_somatic, persons) FROM agg
    UNION ALL SELECT 'smi.private_contacts_per_patient', grp, level, area, private_contacts, private_any, ratio(private_contacts, private_any) FROM agg
    UNION ALL SELECT 'smi.gp_contact', grp, level, area, gp_contact, persons, pct(gp_contact, persons) FROM agg
    UNION ALL SELECT 'smi.gp_consultation', grp, level, area, gp_consultation, persons, pct(gp_consultation, persons) FROM agg
    UNION ALL SELECT 'smi.oohs_contact', grp, level, area, oohs_contact, persons, pct(oohs_contact, persons) FROM agg
    UNION ALL SELECT 'smi.oohs_consultation', grp, level, area, oohs_consultation, persons, pct(oohs_consultation, persons) FROM agg
    UNION ALL SELECT 'smi.gp_consultations_per_patient', grp, level, area, gp_consultations, gp_consultation, ratio(gp_consultations, gp_consultation) FROM agg
    UNION ALL SELECT 'smi.gp_home_visit', grp, level, area, gp_home_visit, persons, pct(gp_home_visit, persons) FROM agg
    UNION ALL SELECT 'smi.gp_interdisciplinary', grp, level, area, gp_interdisciplinary, persons, pct(gp_interdisciplinary, persons) FROM agg
    UNION ALL
    SELECT 'smi.service.' || s.service, s.grp, s.level, s.area, s.n, agg.persons,
           pct(s.n, agg.persons)
    FROM svc_agg s JOIN agg USING (grp, level, area)
    UNION ALL SELECT 'smi.any_municipal_service', grp, level, area, any_service, persons, pct(any_service, persons) FROM agg
)
SELECT indicator, grp AS "group", level, area, @YEAR@ AS year, numerator, denominator, value,
       false AS suppressed
FROM cells;

COPY (SELECT * FROM long ORDER BY indicator, "group", level, area)
TO '@OUT@' (HEADER, DELIMITER ',');
