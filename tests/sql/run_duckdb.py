#!/usr/bin/env python3
"""Runs a `forlop sql --dialect duckdb` script in DuckDB over canonical tables (docs/sql.md).

usage: run_duckdb.py TABLES_DIR SCRIPT.sql OUT.csv [SUMMARY.csv]

TABLES_DIR holds the CSV files of `forlop tables` and its `tables.json` (each table's columns
and SQL types). Every file is read as text and each column cast to its type, an empty cell being
NULL, so that `0301` keeps its leading zero. The script's last SELECT is written to OUT.csv
(`,`, header, numbers at full precision); the table `forlop_summary` (the modules' summaries)
to SUMMARY.csv when given.
"""
import csv
import json
import sys
import time
from pathlib import Path

import duckdb


def main() -> int:
    tables_dir, script_path, out_path = map(Path, sys.argv[1:4])
    summary_path = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    schema = json.loads((tables_dir / "tables.json").read_text())
    con = duckdb.connect()
    started = time.time()
    for table, columns in schema.items():
        path = tables_dir / f"{table}.csv"
        if not path.exists():
            continue
        cols = ", ".join(
            f'CAST(NULLIF("{c}", \'\') AS {t}) AS "{c}"' for c, t in columns
        )
        con.execute(
            f"CREATE TABLE {table} AS SELECT {cols} FROM read_csv(?, header = true, "
            f"all_varchar = true, delim = ',', quote = '\"', escape = '\"')",
            [str(path)],
        )
    loaded = time.time()
    result = con.execute(script_path.read_text())
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    done = time.time()
    if summary_path:
        summary = con.execute("SELECT module, item, n FROM forlop_summary ORDER BY module, item")
        with open(summary_path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["module", "item", "n"])
            w.writerows(summary.fetchall())
    with open(out_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for r in rows:
            w.writerow(
                "" if v is None else ("true" if v is True else "false" if v is False else repr(v) if isinstance(v, float) else v)
                for v in r
            )
    print(
        json.dumps({"rows": len(rows), "load_s": round(loaded - started, 3),
                    "sql_s": round(done - loaded, 3)}),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
