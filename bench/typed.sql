-- The canonical tables of docs/sql.md from a canonical `forlop synth` extract, the way a
-- national analyst would load them into DuckDB: every file read once by `read_csv` with its
-- columns typed (dates as DATE, codes and municipality numbers as text so that `0301` keeps its
-- zero), then the few steps the generated SQL expects of validated input (docs/sql.md, 1.2):
-- the file order as `row_no`, `admit_time` as `HH:MM:SS`, and a GP claim's contact type and
-- interdisciplinary flag from its tariffs when the claim has none (docs/choices.md, "Reading").
-- The extract is valid (no `--defects`), so nothing is rejected here.
--
-- Placeholder, substituted by bench/run.py: @DATA@, the extract's directory.
-- Followed by `forlop sql --dialect duckdb --year Y` and the last SELECT written to CSV.

CREATE OR REPLACE TEMP TABLE persons AS
SELECT pid, birth_year, CAST(NULL AS INTEGER) AS age, sex, municipality, death_date
FROM read_csv('@DATA@/persons.csv', header = true, delim = ',', quote = '"',
              columns = {'pid': 'VARCHAR', 'birth_year': 'INTEGER', 'sex': 'VARCHAR',
                         'municipality': 'VARCHAR', 'death_date': 'DATE'});

-- The table keeps the file's order (DuckDB preserves insertion order), so rowid + 1 is the row's
-- place in the file: the tie-break of two rows of a person and sector with one admit date.
CREATE OR REPLACE TEMP TABLE episodes_file AS
SELECT *
FROM read_csv('@DATA@/episodes.csv', header = true, delim = ',', quote = '"',
              columns = {'pid': 'VARCHAR', 'sector': 'VARCHAR', 'care_level': 'VARCHAR',
                         'admit_date': 'DATE', 'admit_time': 'TIME',
                         'discharge_date': 'DATE', 'urgency': 'VARCHAR',
                         'main_diagnosis': 'VARCHAR', 'other_diagnoses': 'VARCHAR',
                         'unit': 'VARCHAR', 'ambulant': 'BOOLEAN', 'contact_mode': 'VARCHAR',
                         'ready_date': 'DATE', 'letter_date': 'DATE',
                         'referred_by': 'VARCHAR', 'discharged_to': 'VARCHAR'});
CREATE OR REPLACE TEMP VIEW episodes AS
SELECT pid, sector, care_level, admit_date, CAST(admit_time AS VARCHAR) AS admit_time,
       discharge_date, urgency, main_diagnosis, other_diagnoses, unit, ambulant, contact_mode,
       ready_date, letter_date, referred_by, discharged_to, rowid + 1 AS row_no
FROM episodes_file;

CREATE OR REPLACE TEMP TABLE municipal_services AS
SELECT *
FROM read_csv('@DATA@/municipal_services.csv', header = true, delim = ',', quote = '"',
              columns = {'pid': 'VARCHAR', 'service': 'VARCHAR', 'decision_date': 'DATE',
                         'start_date': 'DATE', 'end_date': 'DATE'});

-- KUHR claims: HOME_VISIT (11ad, 11ak) over CONSULTATION (2ad, 2ak, 2ed, 2fk, 615) over
-- E_CONSULTATION (2ae, 2aef, 2aek), else OTHER; interdisciplinary when tariff 14 is claimed.
CREATE OR REPLACE TEMP TABLE primary_care AS
SELECT pid, "date", provider,
       coalesce(contact_type,
                CASE WHEN list_has_any(t, ['11ad', '11ak']) THEN 'HOME_VISIT'
                     WHEN list_has_any(t, ['2ad', '2ak', '2ed', '2fk', '615']) THEN 'CONSULTATION'
                     WHEN list_has_any(t, ['2ae', '2aef', '2aek']) THEN 'E_CONSULTATION'
                     ELSE 'OTHER' END) AS contact_type,
       coalesce(interdisciplinary, list_contains(t, '14')) AS interdisciplinary
FROM (SELECT *, string_split_regex(lower(coalesce(tariffs, '')), '[ ,;|]+') AS t
      FROM read_csv('@DATA@/primary_care.csv', header = true, delim = ',', quote = '"',
                    columns = {'pid': 'VARCHAR', 'date': 'DATE', 'provider': 'VARCHAR',
                               'contact_type': 'VARCHAR', 'interdisciplinary': 'BOOLEAN',
                               'tariffs': 'VARCHAR'}));

CREATE OR REPLACE TEMP TABLE population AS
SELECT *
FROM read_csv('@DATA@/population.csv', header = true, delim = ',', quote = '"',
              columns = {'municipality': 'VARCHAR', 'year': 'INTEGER', 'sex': 'VARCHAR',
                         'age': 'VARCHAR', 'count': 'BIGINT'});

CREATE OR REPLACE TEMP TABLE areas_file AS
SELECT *
FROM read_csv('@DATA@/areas.csv', header = true, delim = ',', quote = '"',
              columns = {'municipality': 'VARCHAR', 'municipality_name': 'VARCHAR',
                         'health_community': 'VARCHAR', 'region': 'VARCHAR'});
CREATE OR REPLACE TEMP VIEW areas AS SELECT *, rowid + 1 AS row_no FROM areas_file;
