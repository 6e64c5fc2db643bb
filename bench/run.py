#!/usr/bin/env python3
"""Forløp benchmark: the engine (`forlop`) against DuckDB on the same `forlop synth` extracts.

For each size: generate the extract, time `forlop bench` (per-phase JSON), time
`forlop indicators --min-cell 0` end to end (wall clock and peak RSS from /usr/bin/time -v), and
time DuckDB end to end (read CSV + compute + write CSV, in a child process so its peak RSS is
measured the same way) in two ways, each compared with the engine's long table cell by cell:

- text: bench/smi.sql, the SMI module written by hand from the spec, every file read as text
  and typed in SQL; against `forlop indicators --module smi`;
- typed: the files read by `read_csv` with typed columns (bench/typed.sql) feeding the script
  `forlop sql --dialect duckdb` generates from the registry, every module; against
  `forlop indicators` (every module).

    python3 bench/run.py                       # 10k, 100k, national
    python3 bench/run.py --sizes 10000         # one size
    python3 bench/run.py --build               # cargo build --release -p forlop-cli first
    python3 bench/run.py --sizes 900000 --seed 3 --duckdb-threads 2 --repeat 1 --no-bench \
        --delete-extract                       # 10x national, then delete the 2 GB extract

Results go to WORKDIR/results.json and a Markdown summary to standard output.
"""

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL = ROOT / "bench" / "smi.sql"
TYPED = ROOT / "bench" / "typed.sql"
TABLES = ["persons", "episodes", "municipal_services", "primary_care", "population", "areas"]
KEY = ("indicator", "group", "level", "area", "year")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, env=None):
    """Run cmd under /usr/bin/time -v; return (wall seconds, peak RSS bytes, stdout)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-3000:] + p.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) * 1024 if m else None
    return wall, rss, p.stdout


def file_stats(d):
    out = {}
    for t in TABLES:
        f = Path(d) / f"{t}.csv"
        if not f.exists():
            continue
        with open(f, "rb") as fh:
            rows = sum(1 for _ in fh) - 1
        out[t] = {"rows": rows, "bytes": f.stat().st_size}
    return out


DUCK_CHILD = r"""
import duckdb, sys, time, json
sql, threads = sys.argv[1], int(sys.argv[2])
t = time.perf_counter()
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
if threads:
    con.execute(f"SET threads = {threads}")
con.execute(open(sql).read())
print(json.dumps({"s": time.perf_counter() - t}))
"""


def run_duckdb(data, year, out, workdir, threads, readmission=None):
    rs = {"window_days": 30, "acute_only": True, "exclude_death_within_window": False}
    rs.update(readmission or {})
    sql = SQL.read_text().replace("@DATA@", str(data)).replace("@YEAR@", str(year))
    sql = sql.replace("@OUT@", str(out)).replace("@BENCH@", str(ROOT / "bench")).replace("@WINDOW@", str(int(rs["window_days"])))
    sql = sql.replace("@ACUTE_ONLY@", str(bool(rs["acute_only"])).lower())
    sql = sql.replace("@EXCLUDE_DEATHS@", str(bool(rs["exclude_death_within_window"])).lower())
    f = Path(workdir) / "smi.run.sql"
    f.write_text(sql)
    wall, rss, stdout = timed([sys.executable, "-c", DUCK_CHILD, str(f), str(threads)])
    return {"wall_s": wall, "sql_s": json.loads(stdout.strip().splitlines()[-1])["s"], "peak_rss_bytes": rss,
            "threads": threads or os.cpu_count()}


TYPED_CHILD = r"""
import csv, duckdb, sys, time, json
prelude, script, out, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t = time.perf_counter()
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
if threads:
    con.execute(f"SET threads = {threads}")
con.execute(open(prelude).read())
loaded = time.perf_counter()
res = con.execute(open(script).read())
names = [d[0] for d in res.description]
rows = res.fetchall()
done = time.perf_counter()
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(names)
    for r in rows:
        w.writerow("" if v is None else ("true" if v is True else "false" if v is False
                   else repr(v) if isinstance(v, float) else v) for v in r)
print(json.dumps({"s": time.perf_counter() - t, "load_s": loaded - t, "sql_s": done - loaded}))
"""


def run_typed(forlop, data, year, out, workdir, threads):
    """The typed DuckDB run: bench/typed.sql over DATA, then the generated script."""
    prelude = Path(workdir) / "typed.run.sql"
    prelude.write_text(TYPED.read_text().replace("@DATA@", str(data)))
    script = Path(workdir) / f"forlop_{year}.sql"
    with open(script, "w") as fh:
        sh([forlop, "sql", "--dialect", "duckdb", "--year", str(year)], stdout=fh)
    wall, rss, stdout = timed([sys.executable, "-c", TYPED_CHILD, str(prelude), str(script),
                               str(out), str(threads)])
    j = json.loads(stdout.strip().splitlines()[-1])
    return {"wall_s": wall, "sql_s": j["sql_s"], "load_s": j["load_s"], "peak_rss_bytes": rss,
            "threads": threads or os.cpu_count(), "loadavg": os.getloadavg()}


def num(s):
    if s is None or s == "":
        return None
    v = float(s)
    return v


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def load(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return {tuple(r[k] for k in KEY): r for r in csv.DictReader(fh)}


def compare(engine_csv, duck_csv, max_examples=40):
    e, d = load(engine_csv), load(duck_csv)
    only_e = sorted(set(e) - set(d))
    only_d = sorted(set(d) - set(e))
    matched, mismatched, not_estimable, by_ind, examples = 0, 0, 0, {}, []
    for k in sorted(set(e) & set(d)):
        re_, rd = e[k], d[k]
        if (re_["suppressed"] == "true" and rd["value"] == ""
                and re_["value"] == "" and num(rd["denominator"]) in (0, None)):
            # Both say the value cannot be computed (0 in the denominator, a median of
            # nothing); the engine writes that as a suppressed cell even at k = 0, smi.sql as
            # numerator/denominator with an empty value. Counted apart, not as a mismatch.
            not_estimable += 1
            continue
        bad = [c for c in ("numerator", "denominator", "value")
               if not close(num(re_[c]), num(rd[c]))]
        if re_["suppressed"] != rd["suppressed"]:
            bad.append("suppressed")
        if bad:
            mismatched += 1
            by_ind[k[0]] = by_ind.get(k[0], 0) + 1
            if len(examples) < max_examples:
                examples.append({"key": k, "cols": bad,
                                 "engine": [re_[c] for c in ("numerator", "denominator", "value")],
                                 "duckdb": [rd[c] for c in ("numerator", "denominator", "value")]})
        else:
            matched += 1
    only_e_ind, only_d_ind = {}, {}
    for k in only_e:
        only_e_ind[k[0]] = only_e_ind.get(k[0], 0) + 1
    for k in only_d:
        only_d_ind[k[0]] = only_d_ind.get(k[0], 0) + 1
    return {"engine_cells": len(e), "duckdb_cells": len(d), "matched": matched,
            "mismatched": mismatched, "not_estimable_both": not_estimable,
            "mismatched_by_indicator": by_ind,
            "only_engine": len(only_e), "only_engine_by_indicator": only_e_ind,
            "only_duckdb": len(only_d), "only_duckdb_by_indicator": only_d_ind,
            "only_engine_examples": only_e[:10], "only_duckdb_examples": only_d[:10],
            "examples": examples}


COLUMNS = {
    "persons": ["pid", "birth_year", "age", "sex", "municipality", "death_date"],
    "episodes": ["pid", "sector", "care_level", "admit_date", "admit_time", "discharge_date",
                 "urgency", "main_diagnosis", "other_diagnoses", "unit", "ambulant",
                 "contact_mode", "ready_date", "letter_date", "referred_by", "discharged_to"],
    "municipal_services": ["pid", "service", "decision_date", "start_date", "end_date"],
    "primary_care": ["pid", "date", "provider", "contact_type", "interdisciplinary", "tariffs"],
    "population": ["municipality", "year", "sex", "age", "count"],
    "areas": ["municipality", "municipality_name", "health_community", "region"],
}


def check_fixtures(workdir):
    """Run smi.sql on every golden fixture with min_cell 0 and compare with its expected rows.

    The fixtures leave out columns and tables; they are padded to the canonical columns here
    (a missing table becomes a header-only file, which smi.sql reads as empty). Only the
    expected rows are compared (a fixture lists a subset of cells)."""
    fixtures = sorted((ROOT / "tests" / "fixtures").glob("*/settings.json"))
    total_ok = total_bad = 0
    for st in fixtures:
        fx = st.parent
        settings = json.loads(st.read_text())
        if settings.get("min_cell", 5) != 0:
            print(f"{fx.name}: skipped (min_cell {settings.get('min_cell')})")
            continue
        pad = Path(workdir) / "fixtures" / fx.name
        pad.mkdir(parents=True, exist_ok=True)
        for t, cols in COLUMNS.items():
            src = fx / "input" / f"{t}.csv"
            rows = []
            if src.exists():
                with open(src, newline="", encoding="utf-8-sig") as fh:
                    rows = list(csv.DictReader(fh))
            with open(pad / f"{t}.csv", "w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
                w.writeheader()
                w.writerows(rows)
        out = pad / "duckdb.csv"
        run_duckdb(pad, settings["year"], out, pad, 1, settings.get("smi", {}).get("readmission"))
        got = load(out)
        ok = bad = 0
        with open(fx / "expected.csv", newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if not r["indicator"].startswith("smi."):
                    continue  # smi.sql is the SMI module only
                k = tuple(r[c] for c in KEY)
                g = got.get(k)
                if g and all(close(num(r[c]), num(g[c]))
                             for c in ("numerator", "denominator", "value")):
                    ok += 1
                else:
                    bad += 1
                    print(f"  {fx.name}: {','.join(k)} expected "
                          f"{[r[c] for c in ('numerator', 'denominator', 'value')]} got "
                          f"{[g[c] for c in ('numerator', 'denominator', 'value')] if g else None}")
        print(f"{fx.name}: {ok} expected cells matched, {bad} differ")
        total_ok, total_bad = total_ok + ok, total_bad + bad
    print(f"fixtures: {total_ok} matched, {total_bad} differ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,national",
                    help="comma-separated persons counts; 'national' = --national-persons")
    ap.add_argument("--national-persons", type=int, default=90000)
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", default="/tmp/forlop-bench")
    ap.add_argument("--forlop", default=str(ROOT / "target" / "release" / "forlop"))
    ap.add_argument("--build", action="store_true", help="cargo build --release -p forlop-cli")
    ap.add_argument("--duckdb-threads", default="0,1",
                    help="DuckDB thread counts to time (0 = DuckDB's default, all cores)")
    ap.add_argument("--no-engine", action="store_true", help="only synth + DuckDB")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per tool; fastest kept")
    ap.add_argument("--runs", default="text,typed",
                    help="DuckDB runs: text (bench/smi.sql, SMI only), typed (read_csv typed + "
                         "the generated SQL of every module)")
    ap.add_argument("--no-bench", action="store_true", help="skip `forlop bench`")
    ap.add_argument("--delete-extract", action="store_true",
                    help="delete each extract after its size is measured (disk)")
    ap.add_argument("--fixtures", action="store_true",
                    help="only check smi.sql against the golden fixtures (tests/fixtures)")
    args = ap.parse_args()
    if args.fixtures:
        check_fixtures(args.workdir)
        return

    if args.build:
        sh(["cargo", "build", "--release", "-p", "forlop-cli"], cwd=ROOT)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes.split(","):
        n = args.national_persons if size == "national" else int(size)
        label = "national" if size == "national" else f"{n // 1000}k"
        data = workdir / f"synth_{n}"
        res = {"size": label, "persons_arg": n, "year": args.year, "seed": args.seed}
        print(f"== {label}: {n} persons", file=sys.stderr)
        if not (data / "persons.csv").exists():
            t = time.perf_counter()
            sh([args.forlop, "synth", "--out", str(data), "--persons", str(n),
                "--seed", str(args.seed), "--year", str(args.year)], stdout=subprocess.DEVNULL)
            res["synth_s"] = time.perf_counter() - t
        res["files"] = file_stats(data)
        res["rows"] = sum(f["rows"] for f in res["files"].values())
        res["bytes"] = sum(f["bytes"] for f in res["files"].values())

        res["loadavg_before"] = os.getloadavg()
        engine_csv = workdir / f"engine_{n}.csv"
        duck_csv = workdir / f"duckdb_{n}.csv"
        threads = [int(x) for x in args.duckdb_threads.split(",")]
        kinds = args.runs.split(",")
        engine_all_csv = workdir / f"engine_all_{n}.csv"
        typed_csv = workdir / f"duckdb_typed_{n}.csv"
        runs = {"bench": [], "e2e": [], "e2e_all": [], "duck": {th: [] for th in threads},
                "typed": {th: [] for th in threads}}
        # Interleaved repeats, so that a burst of load on the shared machine hits both sides;
        # the fastest run of each is reported (the least disturbed one).
        for _ in range(args.repeat):
            if not args.no_engine and not args.no_bench:
                wall, rss, out = timed([args.forlop, "bench", "--data", str(data),
                                        "--year", str(args.year)])
                try:
                    eb = json.loads(out)
                except json.JSONDecodeError:
                    eb = {"raw": out}
                runs["bench"].append((eb.get("total_s", wall), eb, wall, rss))
            if not args.no_engine and "text" in kinds:
                load = os.getloadavg()
                wall, rss, _ = timed([args.forlop, "indicators", "--data", str(data),
                                      "--year", str(args.year), "--min-cell", "0",
                                      "--module", "smi",  # what smi.sql computes
                                      "--out", str(engine_csv)])
                runs["e2e"].append({"wall_s": wall, "peak_rss_bytes": rss, "loadavg": load})
            if not args.no_engine and "typed" in kinds:
                load = os.getloadavg()
                wall, rss, _ = timed([args.forlop, "indicators", "--data", str(data),
                                      "--year", str(args.year), "--min-cell", "0",
                                      "--out", str(engine_all_csv)])
                runs["e2e_all"].append({"wall_s": wall, "peak_rss_bytes": rss, "loadavg": load})
            for th in threads:
                if "text" in kinds:
                    load = os.getloadavg()
                    r = run_duckdb(data, args.year, duck_csv, workdir, th)
                    r["loadavg"] = load
                    runs["duck"][th].append(r)
                if "typed" in kinds:
                    runs["typed"][th].append(
                        run_typed(args.forlop, data, args.year, typed_csv, workdir, th))
        if runs["bench"]:
            best = min(runs["bench"], key=lambda r: r[0])
            res["engine_bench"] = best[1]
            res["engine_bench_wall_s"], res["engine_bench_peak_rss_bytes"] = best[2], best[3]
        if runs["e2e"]:
            res["engine_e2e"] = min(runs["e2e"], key=lambda r: r["wall_s"])
            res["engine_e2e_all_s"] = [r["wall_s"] for r in runs["e2e"]]
        if runs["e2e_all"]:
            res["engine_all"] = min(runs["e2e_all"], key=lambda r: r["wall_s"])
            res["engine_all_runs_s"] = [r["wall_s"] for r in runs["e2e_all"]]
        res["duckdb"] = [min(v, key=lambda r: r["wall_s"]) for v in runs["duck"].values() if v]
        res["duckdb_all_s"] = {th: [r["wall_s"] for r in v] for th, v in runs["duck"].items()}
        res["duckdb_typed"] = [min(v, key=lambda r: r["wall_s"])
                               for v in runs["typed"].values() if v]
        res["duckdb_typed_all_s"] = {th: [r["wall_s"] for r in v]
                                     for th, v in runs["typed"].items()}
        if "text" in kinds:
            with open(duck_csv) as fh:
                res["duckdb_cohort"] = next(
                    (int(r["numerator"]) for r in csv.DictReader(fh)
                     if r["indicator"] == "smi.patients" and r["group"] == "all"
                     and r["level"] == "country"), None)
        if not args.no_engine and "text" in kinds:
            res["comparison"] = compare(engine_csv, duck_csv)
        if not args.no_engine and "typed" in kinds:
            res["comparison_typed"] = compare(engine_all_csv, typed_csv)
        res["loadavg_after"] = os.getloadavg()
        if args.delete_extract:
            sh(["rm", "-rf", str(data)])
        results.append(res)
        (workdir / "results.json").write_text(json.dumps(results, indent=1, default=str))
        print(json.dumps({k: v for k, v in res.items() if k != "files"}, indent=1, default=str),
              file=sys.stderr)
    print(markdown(results))


def mb(b):
    return f"{b / 1e6:.1f}" if b is not None else "–"


def markdown(results):
    lines = []
    for r in results:
        lines.append(f"### {r['size']} (`--persons {r['persons_arg']}`), "
                     f"cohort {r.get('duckdb_cohort')}")
        lines.append("")
        lines.append("| file | rows | MB |")
        lines.append("|---|---:|---:|")
        for t, f in r["files"].items():
            lines.append(f"| {t}.csv | {f['rows']:,} | {mb(f['bytes'])} |")
        lines.append(f"| **total** | **{r['rows']:,}** | **{mb(r['bytes'])}** |")
        lines.append("")
        rows, byts = r["rows"], r["bytes"]
        lines.append("| run | seconds | rows/s | MB/s | peak RSS MB |")
        lines.append("|---|---:|---:|---:|---:|")
        eb = r.get("engine_bench") or {}
        if "read" in eb:
            rd = eb["read"]
            lines.append(f"| forlop bench: file read | {eb.get('file_read_s', 0):.3f} | | | |")
            lines.append(f"| forlop bench: read (parse/ingest) | {rd['s']:.3f} | "
                         f"{rd['rows_per_s']:,.0f} | {rd['mb_per_s']:.1f} | "
                         f"{mb(rd.get('peak_rss_bytes'))} |")
            for ph in eb.get("analyse", {}).get("phases", []):
                lines.append(f"| forlop bench: {ph['phase']} | {ph['s']:.3f} | | | "
                             f"{mb(ph.get('peak_rss_bytes'))} |")
            lines.append(f"| forlop bench: total | {eb.get('total_s', 0):.3f} | "
                         f"{rows / eb['total_s']:,.0f} | {byts / 1e6 / eb['total_s']:.1f} | "
                         f"{mb(r.get('engine_bench_peak_rss_bytes'))} |")
        if "engine_e2e" in r:
            e = r["engine_e2e"]
            lines.append(f"| **forlop indicators, end to end** | **{e['wall_s']:.3f}** | "
                         f"{rows / e['wall_s']:,.0f} | {byts / 1e6 / e['wall_s']:.1f} | "
                         f"{mb(e['peak_rss_bytes'])} |")
        for d in r["duckdb"]:
            lines.append(f"| **DuckDB smi.sql (text), {d['threads']} thread(s), end to end** | "
                         f"**{d['wall_s']:.3f}** (SQL {d['sql_s']:.3f}) | "
                         f"{rows / d['wall_s']:,.0f} | {byts / 1e6 / d['wall_s']:.1f} | "
                         f"{mb(d['peak_rss_bytes'])} |")
        if "engine_all" in r:
            e = r["engine_all"]
            lines.append(f"| **forlop indicators, every module, end to end** | "
                         f"**{e['wall_s']:.3f}** | {rows / e['wall_s']:,.0f} | "
                         f"{byts / 1e6 / e['wall_s']:.1f} | {mb(e['peak_rss_bytes'])} |")
        for d in r.get("duckdb_typed", []):
            lines.append(f"| **DuckDB typed + generated SQL, {d['threads']} thread(s), end to "
                         f"end** | **{d['wall_s']:.3f}** (read {d['load_s']:.3f}, SQL "
                         f"{d['sql_s']:.3f}) | {rows / d['wall_s']:,.0f} | "
                         f"{byts / 1e6 / d['wall_s']:.1f} | {mb(d['peak_rss_bytes'])} |")
        lines.append("")
        for d in r["duckdb"]:
            if "engine_e2e" in r:
                lines.append(f"- text DuckDB ({d['threads']} threads) / engine (SMI): "
                             f"{d['wall_s'] / r['engine_e2e']['wall_s']:.2f}")
        for d in r.get("duckdb_typed", []):
            if "engine_all" in r:
                lines.append(f"- typed DuckDB ({d['threads']} threads) / engine (every "
                             f"module): {d['wall_s'] / r['engine_all']['wall_s']:.2f}")
        lines.append(f"- load average before / after: {r.get('loadavg_before')} / "
                     f"{r.get('loadavg_after')}")
        for name, key in (("text", "comparison"), ("typed", "comparison_typed")):
            c = r.get(key)
            if c:
                lines.append(f"- {name}: engine {c['engine_cells']:,} cells, DuckDB "
                             f"{c['duckdb_cells']:,}; matched {c['matched']:,}, mismatched "
                             f"{c['mismatched']:,}, only in engine {c['only_engine']:,}, "
                             f"only in DuckDB {c['only_duckdb']:,}")
        c = r.get("comparison")
        if c:
            lines.append("")
            lines.append(f"Cells: engine {c['engine_cells']:,}, DuckDB {c['duckdb_cells']:,}; "
                         f"matched {c['matched']:,}, mismatched {c['mismatched']:,}, "
                         f"not estimable on both sides but written differently "
                         f"{c['not_estimable_both']:,}, "
                         f"only in engine {c['only_engine']:,}, only in DuckDB "
                         f"{c['only_duckdb']:,}.")
            if c["mismatched_by_indicator"]:
                lines.append("Mismatches by indicator: " + ", ".join(
                    f"`{k}` {v}" for k, v in sorted(c["mismatched_by_indicator"].items())))
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
