#!/usr/bin/env python3
"""Runs a `forlop sql --dialect spark` script in Spark SQL (PySpark, local mode) over canonical
tables (docs/sql.md).

usage: run_spark.py TABLES_DIR SCRIPT.sql OUT.csv [SUMMARY.csv]

As run_duckdb.py: TABLES_DIR holds the CSV files of `forlop tables` and `tables.json`; every file
is read as text and each column cast to its type, an empty cell being NULL. The script is run one
statement at a time (statements end with `;` at the end of a line); the last SELECT is written to
OUT.csv, and the table `forlop_summary` to SUMMARY.csv when given.
"""
import csv
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
from pyspark.sql import SparkSession  # noqa: E402

SPARK_TYPES = {"VARCHAR": "STRING"}


def main() -> int:
    tables_dir, script_path, out_path = map(Path, sys.argv[1:4])
    summary_path = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    schema = json.loads((tables_dir / "tables.json").read_text())
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("forlop-sql")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        # A fresh warehouse per run: the in-memory catalog forgets the script's tables when the
        # process ends, their files would stay.
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="forlop-spark-"))
        .config("spark.driver.memory", "2g")
        # Small tables, wide CASE expressions: generated code costs more than it saves.
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    started = time.time()
    for table, columns in schema.items():
        path = tables_dir / f"{table}.csv"
        if not path.exists():
            continue
        raw = spark.read.csv(str(path), header=True, inferSchema=False, escape='"')
        raw.createOrReplaceTempView(f"raw_{table}")
        cols = ", ".join(
            f"CAST(NULLIF(`{c}`, '') AS {SPARK_TYPES.get(t, t)}) AS `{c}`" for c, t in columns
        )
        spark.sql(f"CACHE TABLE {table} AS SELECT {cols} FROM raw_{table}")
    loaded = time.time()
    statements = [s for s in script_path.read_text().split(";\n") if s.strip()]
    result = None
    for i, s in enumerate(statements):
        t = time.time()
        result = spark.sql(s)
        if os.environ.get("FORLOP_SQL_TRACE"):
            head = next((l for l in s.splitlines() if l and not l.startswith("--")), "")
            print(f"{i} {time.time() - t:.2f}s {head[:60]}", file=sys.stderr, flush=True)
    rows = result.collect() if result is not None else []
    names = result.columns if result is not None else []
    done = time.time()
    if summary_path:
        summary = spark.sql("SELECT module, item, n FROM forlop_summary ORDER BY module, item")
        with open(summary_path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["module", "item", "n"])
            w.writerows(tuple(r) for r in summary.collect())
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
    warehouse = spark.conf.get("spark.sql.warehouse.dir")
    spark.stop()
    shutil.rmtree(warehouse.removeprefix("file:"), ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
