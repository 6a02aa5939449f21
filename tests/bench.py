"""Benchmark at N times Datong's scale, with a pandas peer baseline measured in the same run.

    .venv/bin/python tests/bench.py [--scale 10] [--quick] [--reuse] [--out docs/benchmarks.md]

Generates monthly county snapshots with the etl/sample package into a temporary folder (never the
repository), loads them, and measures: generation; loading one month into an existing
warehouse and the whole history; warehouse size; every query in queries/*.sql (median and
p95 over repeated runs with varied parameters); every page's server-side script time with
AppTest (cold in a fresh process, warm); peak memory of a real streamlit server while
browsers request every page, and 10 sessions at once. The peer path is the common way:
pandas read_excel (openpyxl) with row-by-row cleaning into DuckDB, and the key queries in
pandas. Results go to docs/benchmarks.md (a --quick run writes into the work folder unless
--out is given). Not a pytest module: no test functions here.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
PORT = 8606

# targets
T_MONTH_LOAD_S = 2.0
T_PEER_RATIO = 5.0
T_QUERY_P95_MS = 20.0
T_SESSIONS = 50
T_SESSIONS_S = 15.0
T_WARM_MS = 300.0
T_COLD_S = 2.0


# ---------------------------------------------------------------- small helpers

def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Timer:
    """Wall seconds (.s), this process's CPU seconds, all threads (.cpu), and with the child
    processes that ended meanwhile (.cpu_all: the reading workers of etl.warehouse.load_files)."""

    def __enter__(self):
        self.t0, self.c0, self.k0 = time.perf_counter(), time.process_time(), _children_cpu()
        return self

    def __exit__(self, *exc):
        self.s = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.c0
        self.cpu_all = self.cpu + _children_cpu() - self.k0


def mb(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:,.1f} MB"


def machine() -> dict:
    info = {}
    for ln in Path("/proc/cpuinfo").read_text().splitlines():
        if ":" in ln:
            k, v = ln.split(":", 1)
            info.setdefault(k.strip(), v.strip())
    cpu = info.get("model name", platform.processor())
    if "cpu family" in info:
        cpu += f" (family {info['cpu family']}, model {info.get('model')}, {info.get('cpu MHz', '?')} MHz)"
    if "hypervisor" in info.get("flags", ""):
        cpu += ", virtual machine"
    mem_kb = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal")))
    import duckdb
    import pandas
    import polars
    import streamlit

    import openpyxl
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem_kb / 2**20, 1),
            "os": platform.platform(), "python": platform.python_version(), "duckdb": duckdb.__version__,
            "polars": polars.__version__, "streamlit": streamlit.__version__, "pandas": pandas.__version__,
            "openpyxl": openpyxl.__version__, "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "load_start": os.getloadavg()}


# ---------------------------------------------------------------- generation

def generate(out: Path, scale: float, start: str, end: str, seed: int) -> dict:
    """Run `python -m etl sample` into `out`; returns seconds and file count."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [PY, "-m", "etl", "sample", "--scale", str(scale), "--out", str(out), "--start", start, "--end", end,
           "--seed", str(seed), "--json"]
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with Timer() as t:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise RuntimeError(f"etl sample failed:\n{r.stdout}\n{r.stderr}")
    info = json.loads(r.stdout.strip().splitlines()[-1])
    files = spreadsheet_files(out)
    return {"seconds": t.s, "cpu_seconds": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "cli_seconds": info.get("seconds"), "files": len(files),
            "bytes": sum(f.stat().st_size for f in files)}


def approval_files(out: Path, scale: float, start: str, end: str, seed: int) -> dict:
    """Only the 审批事项 and 要素保障 sheets of the same programme, one workbook per month and sender.

    A sample generated before those sheets existed gets them without generating (and paying for)
    the whole history again: the programme is built once with the generator's own functions and
    the same rows the generator writes go into files of their own; a load adds them as the
    approvals/factors partitions of the same months and senders."""
    import datetime as dt_

    from etl.sample.approval_sheet import (
        APPROVAL_SHEET, FACTOR_SHEET, _approval_columns, _approval_rows, _factor_columns, _factor_rows)
    from etl.sample.programme import build_programme
    from etl.sample.util import _period, _ym
    from etl.sample.writers import _data_sheet, _write_xlsx

    t0, c0 = time.perf_counter(), time.process_time()
    prog = build_programme(seed, scale, start, end)
    by_year_sender: dict = {}
    for y, ps in prog.year_entries.items():
        for p in ps:
            by_year_sender.setdefault((y, p.sender), []).append(p)
    n_files = rows = 0
    for mi in range(prog.start, prog.end + 1):
        y, m = _ym(mi)
        report_day = dt_.date(*_ym(mi + 1), 5)
        folder = out / _period(mi)
        folder.mkdir(parents=True, exist_ok=True)
        for sender in prog.senders:
            a_rows, f_rows = [], []
            for p in sorted(by_year_sender.get((y, sender.sid), []), key=lambda p: p.code):
                if p.entries[y].listed_from > mi:
                    continue
                first = mi == min(x.listed_from for x in p.entries.values())
                if p.pid in prog.approvals:
                    a_rows += _approval_rows(p, prog.approvals[p.pid], mi, first)
                if p.pid in prog.factors:
                    f_rows += _factor_rows(p, prog.factors[p.pid], mi, first, sender.style)
            sheets = []
            if a_rows:
                sheets.append(_data_sheet(APPROVAL_SHEET, _approval_columns(sender.style), sender,
                                          f"{y}年{m}月{sender.place}项目审批事项办理情况表", None,
                                          report_day.isoformat(), [(None, a_rows)], False, True))
            if f_rows:
                sheets.append(_data_sheet(FACTOR_SHEET, _factor_columns(sender.style), sender,
                                          f"{y}年{m}月{sender.place}项目要素保障情况表", None,
                                          report_day.isoformat(), [(None, f_rows)], False, True))
            if not sheets:
                continue
            title = f"{y}年{m}月{sender.place}项目审批事项办理情况表"
            _write_xlsx(folder / f"{y}年{m}月_{sender.sid}_审批要素.xlsx", sheets, sender.style,
                        dt_.datetime(report_day.year, report_day.month, report_day.day, 9, 30), "", "", title)
            n_files += 1
            rows += len(a_rows) + len(f_rows)
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "files": n_files,
            "rows": rows}


def spreadsheet_files(folder: Path) -> list[Path]:
    from etl.bootstrap import sample_files

    return sample_files(folder)


# ---------------------------------------------------------------- loads

@contextlib.contextmanager
def stage_timer(stages: dict):
    """Time the load's stages by wrapping the warehouse's own steps (no change to etl/)."""
    import etl.warehouse as wh

    patched = []

    def wrap(owner, attr, name):
        fn = getattr(owner, attr, None)
        if fn is None:  # the ETL changed: time what still exists
            return

        def inner(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stages[name] = stages.get(name, 0.0) + time.perf_counter() - t0
        setattr(owner, attr, inner)
        patched.append((owner, attr, fn))

    wrap(wh, "load_reports", "write")
    wrap(wh, "rebuild_derived", "rebuild_derived")
    wrap(wh, "_rebuild_approvals", "rebuild_approvals")  # inside rebuild_derived
    wrap(wh, "_rebuild_marts", "rebuild_marts")
    wrap(wh, "_apply_all", "apply")
    wrap(wh, "_apply", "apply")
    wrap(shutil, "copyfile", "copy_state")
    try:
        yield stages
    finally:
        for owner, attr, fn in reversed(patched):
            setattr(owner, attr, fn)


def _write_split(r: dict) -> str:
    """The write side of one load, as the warehouse timed its steps (LoadResult.stages)."""
    w = r["write_stages"]
    return (f"write {r.get('write', 0):.2f} s: copy state {w.get('copy_state', 0):.2f}, insert {w.get('insert', 0):.2f}, "
            f"rebuild derived {w.get('rebuild', 0):.2f} (approvals {r.get('rebuild_approvals', 0):.2f}, marts "
            f"{r.get('rebuild_marts', 0):.2f}), commit {w.get('commit', 0):.2f}, publish {w.get('publish', 0):.2f}")


def month_loads(month_files: list[Path], base_state: Path, work: Path, reps: int) -> dict:
    """One month loaded into a copy of the history without it: by the command line's parallel
    reader, `reps` times, and with the files read one after another (as inside the server)."""
    from etl.read import read_file
    from etl.warehouse import load_files, load_reports

    out: dict = {}

    def fresh(name: str) -> Path:
        db = work / name / "cockpit.duckdb"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        shutil.copyfile(base_state, db)
        return db

    runs = []
    for i in range(reps):
        log(f"one month into the existing warehouse (python -m etl load), run {i + 1}/{reps}")
        db = fresh(f"month{i}")
        stages = {}
        with stage_timer(stages), Timer() as t_all:
            res = load_files(month_files, db=db)
        assert res.ok and all(o.status == "loaded" for o in res.outcomes), res.as_dict()
        runs.append({"total": t_all.s, "cpu": t_all.cpu, "cpu_all": t_all.cpu_all,
                     "read": t_all.s - stages.get("write", 0.0), **stages, "load": os.getloadavg(),
                     "write_stages": dict(res.stages)})
        if i < reps - 1:
            shutil.rmtree(db.parent, ignore_errors=True)
    out["month_runs"] = runs
    out["month_s"] = median([r["total"] for r in runs])

    log("one month, files read one after another (as the 数据管理 page does inside the server)")
    db = fresh("month_seq")
    stages = {}
    with Timer() as t_all:
        with Timer() as t_read:
            reports = [read_file(f) for f in month_files]
        with stage_timer(stages), Timer() as t_write:
            res = load_reports(reports, db=db)
    assert res.ok
    out["month_sequential"] = {"total": t_all.s, "cpu": t_all.cpu, "read": t_read.s, "read_cpu": t_read.cpu, **stages,
                               "write": t_write.s, "write_cpu": t_write.cpu, "load": os.getloadavg(),
                               "write_stages": dict(res.stages)}
    shutil.rmtree(db.parent, ignore_errors=True)
    out["month_dir"] = str(work / f"month{reps - 1}")
    return out


def load_benchmarks(files: list[Path], work: Path, reps: int) -> dict:
    import duckdb

    from etl.parse import period_from_filename
    from etl.read import read_file
    from etl.warehouse import current_state, load_files

    out: dict = {}
    by_period: dict = {}
    for f in files:
        p = period_from_filename(f.name) or period_from_filename(f.parent.name) or read_file(f).period
        by_period.setdefault(p, []).append(f)
    periods = sorted(by_period)
    last = periods[-1]
    month_files = by_period[last]
    out["periods"] = [p.isoformat() for p in (periods[0], last)]
    out["months"] = len(periods)
    out["month"] = last.isoformat()
    out["month_files"] = len(month_files)
    out["month_bytes"] = sum(f.stat().st_size for f in month_files)

    # the history without its last month, from scratch (as on a first start), then the last month
    # on top of it: the whole history is `before` + one incremental load (the same answers as a
    # full build, tests/test_load.py), which saves a second whole-history load per run
    log("building the warehouse without the last month, from scratch")
    before = work / "before" / "cockpit.duckdb"
    shutil.rmtree(before.parent, ignore_errors=True)
    stages: dict = {}
    with stage_timer(stages), Timer() as t:
        res = load_files([f for p in periods[:-1] for f in by_period[p]], db=before)
    assert res.ok, [o for o in res.outcomes if o.status == "error"][:3]
    out["history_s"] = t.s
    out["history_cpu_s"] = t.cpu
    out["history_stages"] = stages
    out["history_months"] = len(periods) - 1
    log(f"history without the last month: {t.s:.1f} s ({stages})")
    out["history_rows"] = sum(o.rows_read for o in res.outcomes)
    base_state = current_state(before)
    out["before_size_bytes"] = base_state.stat().st_size
    full = work / "full" / "cockpit.duckdb"
    shutil.rmtree(full.parent, ignore_errors=True)
    full.parent.mkdir(parents=True)
    shutil.copyfile(base_state, full)
    res = load_files(month_files, db=full)
    assert res.ok
    out["history_rows"] += sum(o.rows_read for o in res.outcomes)
    out["month_rows"] = sum(o.rows_read for o in res.outcomes if o.period == last)
    state = current_state(full)
    out["state"] = str(state)
    out["size_bytes"] = state.stat().st_size
    con = duckdb.connect(str(state), read_only=True)
    out["tables"] = {name: con.execute(f"select count(*) from {name}").fetchone()[0]
                     for name in ("project_month", "projects", "problems", "problem_month", "milestones",
                                  "mart_annual_month", "mart_league_month", "mart_progress_month",
                                  "mart_approval_month", "mart_factor_month", "stg_progress", "stg_reserve",
                                  "quarantine")}
    out["annual_projects_last_month"] = con.execute(
        "select count(*) from project_month where period = ? and library <> 'reserve'", [last]).fetchone()[0]
    out["reserve_projects_last_month"] = con.execute(
        "select count(*) from project_month where period = ? and library = 'reserve'", [last]).fetchone()[0]
    out["month_rows_by_kind"] = {kind: con.execute(f"select count(*) from stg_{kind} where period = ?",
                                                   [last]).fetchone()[0]
                                 for kind in ("progress", "reserve", "problems", "milestones")}
    con.close()

    out.update(month_loads(month_files, base_state, work, reps))
    out["month_file_list"] = [str(f) for f in month_files]
    out["base_state"] = str(base_state)
    return out


# ---------------------------------------------------------------- pandas peer: the month's load

def peer_month_load(month_files: list[Path], base_state: Path, work: Path) -> dict:
    """The common way: pandas.read_excel(engine='openpyxl'), iterrows cleaning, insert into DuckDB."""
    import duckdb
    import pandas as pd

    from etl import divisions
    from etl.parse import (CellError, clean_text, normalise_header, parse_bool, parse_date, parse_money,
                           parse_number, period_from_filename, period_from_text)
    from etl.read import detect_kind
    from etl.schema import alias_index, columns

    col_type = {c.name: c.type for c in columns().values()}
    db = work / "peer" / "peer.duckdb"
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    shutil.copyfile(base_state, db)

    def frames(path: Path) -> dict:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl", dtype=object)
        if path.suffix.lower() == ".csv":
            raw = path.read_bytes()
            enc = "utf-8-sig"
            try:
                raw.decode(enc)
            except UnicodeDecodeError:
                enc = "gb18030"
            return {path.stem: pd.read_csv(path, header=None, encoding=enc, dtype=object)}
        return {path.stem: pd.read_parquet(path).astype(object).T.reset_index().T.reset_index(drop=True)}

    def header_row(df) -> int:
        for i in range(min(25, len(df))):
            cells = [normalise_header(c)[0] for c in df.iloc[i].tolist() if isinstance(c, str)]
            if "项目代码" in cells or "统一项目代码" in cells or "项目编码" in cells:
                return i
        return -1

    def convert(kind_type, v):
        if v is None or (isinstance(v, float) and v != v):
            return None
        try:
            if kind_type == "money":
                return parse_money(v)
            if kind_type == "number":
                return parse_number(v)
            if kind_type == "date":
                return parse_date(v)
            if kind_type == "bool":
                return parse_bool(v)
            return clean_text(v)
        except CellError:
            return "__bad__"

    t_read = t_clean = t_insert = 0.0
    rows_out: dict[str, list[dict]] = {}
    rejected = 0
    for path in month_files:
        t0 = time.perf_counter()
        sheets = frames(path)
        t_read += time.perf_counter() - t0
        t0 = time.perf_counter()
        for sheet_name, df in sheets.items():
            h = header_row(df)
            if h < 0:
                continue
            top = df.iloc[h].tolist()
            sub = df.iloc[h + 1].tolist() if h + 1 < len(df) else [None] * len(top)
            two = any(isinstance(s, str) and not (isinstance(t, str)) for t, s in zip(top, sub)) and not any(
                isinstance(s, str) and re.match(r"^\d{4}-\d{6}", s) for s in sub)
            names, last_top = [], None
            for t, s in zip(top, sub if two else [None] * len(top)):
                t = t if isinstance(t, str) else None
                s = s if isinstance(s, str) else None
                if t:
                    last_top = t
                elif s:
                    t = last_top
                tn, sn = normalise_header(t)[0], normalise_header(s)[0]
                names.append(f"{tn}|{sn}" if tn and sn else tn or sn)
            kind = detect_kind(sheet_name, names)
            if kind is None:
                continue
            idx = alias_index(kind)
            mapping = {}
            for j, nm in enumerate(names):
                canon = idx.get(nm) or (idx.get(nm.split("|", 1)[1]) if "|" in nm else None)
                if canon and canon not in mapping.values():
                    mapping[j] = canon
            title = " ".join(str(c) for r in range(h) for c in df.iloc[r].tolist() if isinstance(c, str))
            period = period_from_text(title) or period_from_filename(path.name)
            factor = 10000.0 if "单位：亿元" in title.replace(" ", "") else 1.0
            for _, r in df.iloc[h + (2 if two else 1):].iterrows():
                cells = r.tolist()
                first = next((c for c in cells if isinstance(c, str) or (isinstance(c, float) and c == c)), None)
                if first is None:
                    continue
                if isinstance(first, str) and re.match(r"^(合计|小计|总计|填报|注|[一二三四五六七八九十]+、)", first.strip()):
                    continue
                rec = {}
                bad = False
                for j, canon in mapping.items():
                    v = convert(col_type[canon], cells[j] if j < len(cells) else None)
                    if v == "__bad__":
                        bad = True
                        v = None
                    if col_type[canon] == "money" and v is not None:
                        v = v * factor
                    rec[canon] = v
                if not rec.get("project_code"):
                    continue
                if "county" in rec:
                    rec["county_code"] = divisions.normalise_county(rec["county"])
                if "zone" in rec:
                    rec["zone_code"] = divisions.normalise_zone(rec["zone"])
                if bad:
                    rejected += 1
                    continue
                rec["period"] = period
                rec["sender"] = path.stem
                rows_out.setdefault(kind, []).append(rec)
        t_clean += time.perf_counter() - t0
    t0 = time.perf_counter()
    con = duckdb.connect(str(db))
    for kind, rows in rows_out.items():
        frame = pd.DataFrame(rows)
        con.register("frame", frame)
        con.execute(f"create or replace table peer_{kind} as select * from frame")
        con.unregister("frame")
    con.execute("checkpoint")
    con.close()
    t_insert = time.perf_counter() - t0
    return {"read": t_read, "clean": t_clean, "insert": t_insert, "total": t_read + t_clean + t_insert,
            "rows": {k: len(v) for k, v in rows_out.items()}, "rejected": rejected}


def our_read_split(month_files: list[Path]) -> dict:
    """Our reader's own split: fastexcel grids vs the row checks (same files as the peer)."""
    from etl.read import read_file, read_grids

    with Timer() as t_grid:
        for f in month_files:
            read_grids(f)
    with Timer() as t_all:
        for f in month_files:
            read_file(f)
    return {"grids": t_grid.s, "read_file": t_all.s, "checks": t_all.s - t_grid.s}


# ---------------------------------------------------------------- queries

def param_space(state: Path) -> dict[str, list]:
    """Sensible values for every parameter name we know, taken from the warehouse."""
    import duckdb

    con = duckdb.connect(str(state), read_only=True)

    def col(sql, *p):
        return [r[0] for r in con.execute(sql, list(p)).fetchall()]

    periods = col("select distinct period from project_month where library <> 'reserve' order by period desc")
    latest = periods[0]
    units = col("select distinct unit_code from project_month where period = ? order by 1", latest)
    counties = col("select distinct county_code from project_month where period = ? order by 1", latest)
    zones = col("select distinct zone_code from project_month where zone_code is not null order by 1")
    leaders = col("select leader from projects where leader is not null group by 1 order by count(*) desc limit 30")
    key_codes = col("select project_code from projects where is_key order by hash(project_code) limit 40")
    any_codes = col("select project_code from projects where library <> 'reserve' "
                    "order by hash(project_code) limit 40")
    problem_ids = col("select problem_id from problems order by hash(problem_id) limit 40")
    resp_units = col("select responsible_unit from problems where responsible_unit is not null "
                     "group by 1 order by count(*) desc limit 20")
    sectors = col("select distinct sector from project_month where sector is not null order by 1")
    senders = col("select distinct sender from partitions order by 1")
    six_new = col("select distinct six_new_type from project_month where six_new_type is not null order by 1")
    names = col("select name from projects where name is not null order by hash(name) limit 20")
    con.close()
    # constants the pages pass, read from where the pages take them
    consts = {}
    for module, attr, key in (("ui.leaders", "CITY_LEADER_PATTERN", "city_pattern"),
                              ("ui.leaders", "MILESTONE_WINDOW_DAYS", "days"),
                              ("etl.problem_rules", "NO_PROBLEM_PATTERN", "no_problem_pattern"),
                              ("ui.approvals", "LOW_RISK_TARGET_DAYS", "target_days")):
        try:
            consts[key] = getattr(__import__(module, fromlist=[attr]), attr)
        except (ImportError, AttributeError):
            pass
    years = sorted({p.year for p in periods}, reverse=True)
    space = {
        "period": periods[:12] + periods[12::3],
        "unit": [None] + units,
        "county": [None] + counties,
        "zone": [None] + zones,
        "library": [None, "new_start", "continuing", "key"],
        "leader": leaders,
        "project_code": key_codes + any_codes,
        "code": key_codes + any_codes,
        "codes": [key_codes[:10], any_codes[:20], key_codes[5:8] + any_codes[:3]],
        "problem_id": problem_ids,
        "responsible_unit": [None] + resp_units,
        "sector": [None] + sectors,
        "key_level": [None, "province_managed", "province_city_managed", "municipal"],
        "level": [None, "province_managed", "province_city_managed", "municipal"],
        "status": [None, "red", "yellow", "green", "red,yellow"],
        "six_new": [None] + six_new,
        "dim": ["unit", "sector", "library", "key_level", "six_new", "invest_kind"],
        # what someone types into a search box: part of a name, the start of a code
        "text": [n[:2] for n in names[:10]] + [n[2:5] for n in names[10:]] + [c[:11] for c in key_codes[:5]],
        "today": [dt.date.today()],
        "deadline": [dt.date(p.year + p.month // 12, p.month % 12 + 1, 10) for p in periods[:6]],
        "months": [3],
        "year": years,
        "sender": senders,
        "limit": [10, 20, 50],
        "top": [10, 20],
        "n": [10, 20],
    }
    # aliases
    space.update({k: [v] for k, v in consts.items()})
    space["project"] = space["project_code"]
    space["unit_code"] = space["unit"]
    space["county_code"] = space["county"]
    space["zone_code"] = space["zone"]
    space["lib"] = space["library"]
    space["leader_name"] = space["leader"]
    return space


def bench_queries(state: Path, reps: int, seed: int = 8, unit: str | None = None) -> list[dict]:
    """Every query `reps` times with varied parameters; with `unit`, as that unit's account sees
    them (project queries through the runner's per-unit views)."""
    import queries
    from queries.scope import EVERYTHING, Scope

    scope = Scope("unit", unit) if unit else EVERYTHING
    space = param_space(state)
    wh = queries.Warehouse(state)
    rng = random.Random(seed)
    out = []
    for name in queries.names():
        params = sorted(queries.parameters(name))
        unknown = [p for p in params if p not in space]
        if unknown:
            out.append({"query": name, "params": params, "skipped": f"no sensible values known for "
                                                                    f"{', '.join('$' + u for u in unknown)}"})
            continue
        times, first, rows, errors, cpu = [], None, 0, [], []
        for i in range(reps + 1):
            bound = {p: rng.choice(space[p]) for p in params}
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                df = wh.run(name, scope, **bound)
            except Exception as e:  # report, keep going
                errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:160]} with {bound}")
                continue
            ms, cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            rows = max(rows, df.height)
            if i == 0:
                first = ms
            else:
                times.append(ms)
                cpu.append(cpu_ms)
        if not times:
            out.append({"query": name, "params": params, "skipped": "every run failed: " + "; ".join(errors[:2])})
            continue
        out.append({"query": name, "params": params, "runs": len(times), "first_ms": first,
                    "median_ms": median(times), "p95_ms": pct(times, 95), "max_ms": max(times),
                    "cpu_median_ms": median(cpu), "cpu_p95_ms": pct(cpu, 95), "min_ms": min(times),
                    "rows": rows, "errors": errors[:3]})
    wh.close()
    return out


# ---------------------------------------------------------------- pandas peer: key queries

def peer_queries(state: Path, reps: int, seed: int = 9) -> dict:
    """overview_kpis, by_unit and monthly_cumulative in pandas on the same project_month, against
    the same queries in DuckDB with the same parameters; results checked equal."""
    import duckdb
    import numpy as np

    import queries

    con = duckdb.connect(str(state), read_only=True)
    with Timer() as t_load:
        pm = con.sql("select period, unit_code, library, is_key, status, annual_plan_wan, completed_month_wan, "
                     "completed_ytd_wan, total_investment_wan, planned_start, actual_start from project_month").df()
    con.close()
    pm["period"] = pm["period"].astype("datetime64[ns]")
    space = param_space(state)
    rng = random.Random(seed)
    combos = [{"period": rng.choice(space["period"][:12]), "unit": rng.choice(space["unit"]),
               "library": rng.choice(space["library"])} for _ in range(reps)]

    def scoped(df, unit, library):
        if unit is not None:
            df = df[df["unit_code"] == unit]
        ann = df[df["library"] != "reserve"]
        if library == "key":
            ann = ann[ann["is_key"]]
        elif library is not None:
            ann = ann[ann["library"] == library]
        return df, ann

    def pd_overview(period, unit, library):
        p = np.datetime64(period, "ns")
        ly = np.datetime64(period.replace(year=period.year - 1), "ns")
        df, ann = scoped(pm, unit, library)
        now = ann[ann["period"] == p]
        res = {"plan_wan": now["annual_plan_wan"].sum(), "ytd_wan": now["completed_ytd_wan"].sum(),
               "month_wan": now["completed_month_wan"].sum(), "projects": len(now),
               "red": int((now["status"] == "red").sum()), "yellow": int((now["status"] == "yellow").sum()),
               "green": int((now["status"] == "green").sum()),
               "ytd_last_year_wan": ann.loc[ann["period"] == ly, "completed_ytd_wan"].sum()}
        res_now = df[(df["library"] == "reserve") & (df["period"] == p)]
        res["reserve_projects"] = len(res_now)
        res["reserve_total_wan"] = res_now["total_investment_wan"].sum()
        return res

    def pd_by_unit(period, unit, library):
        p = np.datetime64(period, "ns")
        ly = np.datetime64(period.replace(year=period.year - 1), "ns")
        _, ann = scoped(pm, None, library)
        now = ann[ann["period"] == p].groupby("unit_code").agg(
            projects=("annual_plan_wan", "size"), plan_wan=("annual_plan_wan", "sum"),
            month_wan=("completed_month_wan", "sum"), ytd_wan=("completed_ytd_wan", "sum"))
        last = ann[ann["period"] == ly].groupby("unit_code")["completed_ytd_wan"].sum().rename("ytd_last_year_wan")
        out = now.join(last, how="left")
        out["completion_rate"] = out["ytd_wan"] / out["plan_wan"]
        return out

    def pd_cumulative(period, unit, library):
        _, ann = scoped(pm, unit, library)
        ann = ann[ann["period"].dt.year.isin([period.year, period.year - 1])]
        g = ann.groupby([ann["period"].dt.year, ann["period"].dt.month]).agg(
            plan_wan=("annual_plan_wan", "sum"), ytd_wan=("completed_ytd_wan", "sum"))
        return g

    wh = queries.Warehouse(state)
    pairs = [("overview_kpis", pd_overview), ("by_unit", pd_by_unit), ("monthly_cumulative", pd_cumulative)]
    out = {"pandas_load_s": t_load.s, "rows": len(pm), "memory_mb": pm.memory_usage(deep=True).sum() / 2**20,
           "queries": []}
    for name, fn in pairs:
        if name not in queries.names():
            continue
        needed = queries.parameters(name)
        d_times, p_times, mismatches = [], [], 0
        for c in combos:
            bound = {k: v for k, v in c.items() if k in needed}
            t0 = time.perf_counter()
            d = wh.run(name, **bound)
            d_times.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            p = fn(**c)
            p_times.append((time.perf_counter() - t0) * 1000)
            # the same answer: check one headline number
            if name == "overview_kpis" and d.height:
                if abs((d["ytd_wan"][0] or 0) - p["ytd_wan"]) > 1e-6 * max(1, p["ytd_wan"]):
                    mismatches += 1
            elif name == "by_unit":
                if abs((d["ytd_wan"].sum() or 0) - p["ytd_wan"].sum()) > 1e-6 * max(1, p["ytd_wan"].sum()):
                    mismatches += 1
        out["queries"].append({"query": name, "duckdb_median_ms": median(d_times), "duckdb_p95_ms": pct(d_times, 95),
                               "pandas_median_ms": median(p_times), "pandas_p95_ms": pct(p_times, 95),
                               "ratio": median(p_times) / median(d_times), "mismatches": mismatches,
                               "runs": len(combos)})
    wh.close()
    return out


# ---------------------------------------------------------------- pages (AppTest)

def page_worker(page: str, reps: int) -> None:
    """Child process: run one page with AppTest cold, then warm, then with caches cleared; print JSON."""
    t0 = time.perf_counter()
    import streamlit as st

    import queries

    calls = {"n": 0, "s": 0.0}
    real_run = queries.Warehouse.run

    def counted(self, name, *scope, **params):
        t = time.perf_counter()
        try:
            return real_run(self, name, *scope, **params)
        finally:
            calls["n"] += 1
            calls["s"] += time.perf_counter() - t

    queries.Warehouse.run = counted
    import_s = time.perf_counter() - t0
    sys.path.insert(0, str(ROOT / "tests"))
    from apptest import page_test

    at = page_test(Path(page).stem, timeout=300)  # as the centre, signed in
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    cold_queries = dict(calls)
    exc = [str(e.value)[:300] for e in at.exception]
    warm = []
    for _ in range(reps):
        calls.update(n=0, s=0.0)
        t = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t)
    warm_queries = dict(calls)
    cleared = []
    for _ in range(max(1, reps // 2)):
        st.cache_data.clear()
        calls.update(n=0, s=0.0)
        t = time.perf_counter()
        at.run()
        cleared.append(time.perf_counter() - t)
    cleared_queries = dict(calls)
    texts = " ".join(m.value for m in at.markdown) + " ".join(t.value for t in at.title)
    print("RESULT " + json.dumps({
        "page": page, "import_s": import_s, "cold_s": cold, "warm_s": warm, "cleared_s": cleared,
        "cold_queries": cold_queries, "warm_queries": warm_queries, "cleared_queries": cleared_queries,
        "exceptions": exc, "placeholder": "本页面正在建设中" in " ".join(i.value for i in at.info),
        "has_date": "数据截至" in texts}, ensure_ascii=False))


def page_paths() -> list[tuple[str, str, str]]:
    """(file, url_path, navigation title) of every page registered in app.py."""
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    found = re.findall(r'st\.Page\("([^"]+)",\s*title="([^"]+)".*?url_path="([^"]+)"([^)]*)\)', text)
    # the default page is served at "/" (its url_path answers 「Page not found」)
    return [(f, "" if "default=True" in rest else u, t) for f, t, u, rest in found]


def bench_pages(state_db: Path, reps: int) -> list[dict]:
    out = []
    env = {**os.environ, "COCKPIT_DB": str(state_db)}
    for file, url, title in page_paths():
        log(f"AppTest {file}")
        with Timer() as t:
            r = subprocess.run([PY, __file__, "--page-worker", file, "--reps", str(reps)], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=900)
        line = next((ln for ln in r.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            out.append({"page": file, "url": url, "title": title, "error": (r.stderr or r.stdout)[-800:]})
            continue
        res = json.loads(line[7:])
        res.update(url=url, title=title, process_s=t.s)
        out.append(res)
    return out


# ---------------------------------------------------------------- real server: memory and browsers

def rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in kB."""
    vals = {}
    for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ln.startswith(("VmRSS", "VmHWM")):
            k, v = ln.split(":")
            vals[k] = int(v.split()[0])
    return vals.get("VmRSS", 0), vals.get("VmHWM", 0)


from browser import IDLE_JS as READY_JS, IDLE_MS, stop  # noqa: E402 - Streamlit's run state, held IDLE_MS


def bench_server(state_db: Path, port: int, sessions: int) -> dict:
    """Start `streamlit run app.py` on the warehouse, open every page in Chromium, then `sessions`
    pages at once; sample the server's memory throughout."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, SERVERS, error_boxes, signed_in_state

    samples: list[int] = []
    stop = threading.Event()
    out: dict = {"pages": []}
    server = pinned_server(state_db, port, None)
    base, pid = server.__enter__()

    def sample():
        while not stop.is_set():
            try:
                samples.append(rss_kb(pid)[0])
            except (FileNotFoundError, ProcessLookupError):
                return
            time.sleep(0.1)

    try:
        out["idle_rss_kb"] = rss_kb(pid)[0]
        threading.Thread(target=sample, daemon=True).start()
        pages = page_paths()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            SERVERS[base] = Path(env.get("COCKPIT_ACCOUNTS") or state_db.parent / "accounts.sqlite")
            signed_in = signed_in_state(browser, base + "/")  # a user signs in once, then opens pages
            for round_ in ("first", "again"):
                for file, url, title in pages:
                    ctx = browser.new_context(viewport=DESKTOP, storage_state=signed_in)
                    page = ctx.new_page()
                    t0 = time.perf_counter()
                    page.goto(f"{base}/{url}", wait_until="commit")
                    ok = True
                    try:
                        page.get_by_text("数据截至").first.wait_for(timeout=120_000)
                        page.wait_for_function(READY_JS, timeout=120_000, polling=100)
                    except Exception:
                        ok = False
                    secs = time.perf_counter() - t0 - (IDLE_MS / 1000 if ok else 0)  # minus the idle window
                    boxes = error_boxes(page)
                    out["pages"].append({"url": url, "round": round_, "seconds": secs, "ok": ok and not boxes,
                                         "errors": boxes[:2]})
                    ctx.close()
            # sessions at once
            ctxs = [browser.new_context(viewport=DESKTOP, storage_state=signed_in) for _ in range(sessions)]
            tabs = [c.new_page() for c in ctxs]
            t0 = time.perf_counter()
            for i, tab in enumerate(tabs):
                tab.goto(f"{base}/{pages[i % len(pages)][1]}", wait_until="commit")
            ok = 0
            for tab in tabs:
                try:
                    tab.get_by_text("数据截至").first.wait_for(timeout=180_000)
                    tab.wait_for_function(READY_JS, timeout=180_000, polling=100)
                    ok += not error_boxes(tab)
                except Exception:
                    pass
            out["concurrent"] = {"sessions": sessions, "seconds": time.perf_counter() - t0 - IDLE_MS / 1000, "ok": ok}
            for c in ctxs:
                c.close()
            browser.close()
        time.sleep(0.3)
        out["rss_kb_after"], out["hwm_kb"] = rss_kb(pid)
        out["peak_sampled_kb"] = max(samples) if samples else None
    finally:
        stop.set()
        server.__exit__(None, None, None)
    return out


# ---------------------------------------------------------------- server cost, protocol-level clients

# Pages opened by the protocol client: (page name as the browser sends it, query string)
# every page by its own address («/» only switches to the user's home page, so it is not a view)
WS_PAGES = [("overview", ""), ("progress", ""), ("league", ""), ("map", ""), ("mobile", ""), ("dossier", ""),
            ("leaders", ""), ("problems", ""), ("approvals", ""), ("briefing", ""), ("data", "")]


BENCH_USERS = {"centre": ("bench-centre", "centre", None), "unit": ("bench-unit", "unit", "140213")}
_COOKIES: dict[str, str] = {}  # role → "cockpit_session=…" of the signed-in bench user


def bench_accounts(folder: Path) -> dict:
    """An accounts store with a centre and a unit account, each with an open session: the
    environment for a server whose views the clients make signed in (as a browser with the
    session cookie does, without the sign-in form)."""
    from accounts import Store

    path = folder / "bench-accounts.sqlite"
    path.unlink(missing_ok=True)
    store = Store(path)
    for role, (login, kind, unit) in BENCH_USERS.items():
        store.add(login, kind, password=None, unit=unit, must_change=False)
        _COOKIES[role] = f"cockpit_session={store.open_session(login)}"
    return {"COCKPIT_ACCOUNTS": str(path)}


async def ws_view(base: str, page_name: str, query: str = "", timeout: float = 300, role: str = "centre") -> dict:
    """One page view as a browser's websocket makes it, without a browser: open a session (with
    the bench user's session cookie), ask for the page, read every message until the script has
    finished. No rendering on this side."""
    import asyncio

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    async with websockets.connect(base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=timeout,
                                  # a browser sends no pings: a server busy with 50 scripts must not
                                  # have its views cut off for a late pong
                                  ping_interval=None, ping_timeout=None,
                                  additional_headers={"Cookie": _COOKIES[role]} if role in _COOKIES else None) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page_name
        await ws.send(msg.SerializeToString())
        deltas, nbytes, date_seen, errors = 0, 0, False, 0
        while True:
            raw = await asyncio.wait_for(ws.recv(), timeout)
            nbytes += len(raw)
            f = ForwardMsg()
            f.ParseFromString(raw)
            kind = f.WhichOneof("type")
            if kind == "delta":
                deltas += 1
                el = f.delta.new_element if f.delta.WhichOneof("type") == "new_element" else None
                if el is not None:
                    which = el.WhichOneof("type")
                    if which == "exception":
                        errors += 1
                    elif "数据截至" in str(getattr(el, which)):
                        date_seen = True
            elif kind == "script_finished":
                return {"page": page_name, "seconds": time.perf_counter() - t0, "deltas": deltas, "bytes": nbytes,
                        "ok": date_seen and not errors and f.script_finished == 0, "status": f.script_finished,
                        "errors": errors, "date_seen": date_seen}


def proc_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of processes (and their finished children)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(x) for x in fields[11:15]) / tick  # utime, stime, cutime, cstime
    return total


@contextlib.contextmanager
def pinned_server(state_db: Path, port: int, cpus: str | None):
    """`streamlit run app.py`, pinned to `cpus` with taskset when given; yields (url, pid)."""
    env = {**os.environ, "COCKPIT_DB": str(state_db), **bench_accounts(state_db.parent)}
    log_path = state_db.parent / f"server-{port}.log"
    fh = open(log_path, "w")
    cmd = [PY, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true"]
    if cpus and shutil.which("taskset"):
        cmd = ["taskset", "-c", cpus] + cmd
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(log_path.read_text()[-2000:])
                time.sleep(0.3)
        yield base, proc.pid
    finally:
        stop(proc, 15)
        fh.close()


def many_views(base: str, views: list[tuple[str, str]], concurrency: int | None = None) -> dict:
    """Open `views` at once (or `concurrency` at a time); seconds until the last has finished."""
    import asyncio

    async def run():
        sem = asyncio.Semaphore(concurrency or len(views))

        async def one(v):
            async with sem:
                try:
                    return await ws_view(base, *v)
                except Exception as e:  # noqa: BLE001 - counted as a failed view
                    return {"page": v[0], "ok": False, "error": repr(e)[:200], "seconds": float("nan")}

        t0 = time.perf_counter()
        res = await asyncio.gather(*(one(v) for v in views))
        return time.perf_counter() - t0, res

    secs, res = asyncio.run(run())
    done = [r["seconds"] for r in res if r.get("ok")]
    return {"views": len(views), "ok": sum(bool(r.get("ok")) for r in res), "seconds": secs,
            "median_s": median(done) if done else float("nan"), "max_s": max(done) if done else float("nan"),
            "errors": [r["error"] for r in res if "error" in r][:3]}


def bench_server_cost(state_db: Path, port: int, sessions: int = T_SESSIONS) -> dict:
    """Server CPU per page view (cold and warm, every page), views per second one process
    sustains, and `sessions` mixed pages at once; the server on core 1, the clients on core 0."""
    two = (os.cpu_count() or 1) >= 2
    if two:
        os.sched_setaffinity(0, {0})  # this process (the clients) on core 0
    out: dict = {"pinned": two, "load_start": os.getloadavg(), "pages": []}
    with pinned_server(state_db, port, "1" if two else None) as (base, pid):
        for _ in range(40):  # let the start settle (kaleido's browser starts in the background)
            c0 = proc_cpu([pid])
            time.sleep(1)
            if proc_cpu([pid]) - c0 < 0.05:
                break
        out["start_cpu_s"] = proc_cpu([pid])
        for name, query in WS_PAGES:
            row = {"page": name}
            for kind in ("cold", "warm", "warm2"):
                c0, v = proc_cpu([pid]), many_views(base, [(name, query)])
                row[f"{kind}_cpu_s"] = proc_cpu([pid]) - c0
                row[f"{kind}_s"] = v["seconds"]
                row[f"{kind}_ok"] = v["ok"] == 1
            out["pages"].append(row)
            log(f"server cost /{name}: cold {row['cold_cpu_s']:.2f} s CPU, warm {row['warm_cpu_s'] * 1000:.0f} ms")
        # sustained: 8 clients at a time for 40 mixed warm views
        mix = [WS_PAGES[i % len(WS_PAGES)] for i in range(40)]
        c0 = proc_cpu([pid])
        t = many_views(base, mix, concurrency=8)
        t["cpu_s"] = proc_cpu([pid]) - c0
        out["throughput"] = t
        log(f"throughput: {t['views'] / t['seconds']:.1f} views/s")
        c0 = proc_cpu([pid])
        burst = many_views(base, [WS_PAGES[i % len(WS_PAGES)] for i in range(sessions)])
        burst["cpu_s"] = proc_cpu([pid]) - c0
        out["sessions"] = burst
        log(f"{sessions} sessions: last finished after {burst['seconds']:.1f} s ({burst['ok']} ok)")
        out["rss_kb"], out["hwm_kb"] = rss_kb(pid)
    out["load_end"] = os.getloadavg()
    if two:
        os.sched_setaffinity(0, set(range(os.cpu_count())))
    return out


# (processes, the cores they run on, the cores the clients run on); None: every core
PROCESS_LAYOUTS = ((1, "1", "0"), (2, "1", "0"), (1, None, None), (2, "0,1", None))


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def bench_processes(state_db: Path, layouts=PROCESS_LAYOUTS, sessions: int = T_SESSIONS) -> list[dict]:
    """`sessions` mixed pages at once through nginx in front of N processes (scripts/deploy.sh),
    after a warm-up round, then 60 views 8×N at a time; for each layout of processes and clients
    on the cores (COCKPIT_CPUS pins the processes, this process holds the clients)."""
    out = []
    every = set(range(os.cpu_count() or 1))
    for n, cpus, client_cpus in layouts:
        if cpus and max(int(c) for c in cpus.split(",")) >= len(every):
            continue
        run = state_db.parent / f"deploy-{n}"
        port, base_port = 28700 + 10 * n, 28600 + 10 * n
        env = {**os.environ, "COCKPIT_DB": str(state_db), "COCKPIT_RUN": str(run), "COCKPIT_BASE_PORT": str(base_port),
               "COCKPIT_BIND": "127.0.0.1", **bench_accounts(state_db.parent)}
        env.pop("COCKPIT_CPUS", None)
        if cpus:
            env["COCKPIT_CPUS"] = cpus
        os.sched_setaffinity(0, {int(c) for c in client_cpus.split(",")} if client_cpus else every)
        row = {"processes": n, "cpus": cpus or "all", "client_cpus": client_cpus or "all"}
        r = subprocess.run(["bash", "scripts/deploy.sh", "start", str(n), str(port)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            out.append({**row, "error": (r.stdout + r.stderr)[-500:]})
            continue
        try:
            pids = [int(p.read_text()) for p in run.glob("streamlit-*.pid")]
            url = f"http://127.0.0.1:{port}"
            warm = many_views(url, [WS_PAGES[i % len(WS_PAGES)] for i in range(4 * n * len(WS_PAGES))], concurrency=4 * n)
            row["load_start"] = os.getloadavg()
            c0, own0 = proc_cpu(pids), _own_cpu()
            burst = many_views(url, [WS_PAGES[i % len(WS_PAGES)] for i in range(sessions)])
            burst["cpu_s"], burst["client_cpu_s"] = proc_cpu(pids) - c0, _own_cpu() - own0
            c0, own0 = proc_cpu(pids), _own_cpu()
            thr = many_views(url, [WS_PAGES[i % len(WS_PAGES)] for i in range(60)], concurrency=8 * n)
            thr["cpu_s"], thr["client_cpu_s"] = proc_cpu(pids) - c0, _own_cpu() - own0
            out.append({**row, "warm_up_ok": warm["ok"], "warm_up_views": warm["views"], "sessions": burst,
                        "throughput": thr, "load": os.getloadavg()})
            log(f"{n} processes on cores {row['cpus']}, clients on {row['client_cpus']}: {sessions} sessions in "
                f"{burst['seconds']:.1f} s ({burst['ok']} ok); {thr['views'] / thr['seconds']:.1f} views/s")
        finally:
            subprocess.run(["bash", "scripts/deploy.sh", "stop"], cwd=ROOT, env=env, capture_output=True, timeout=60)
    os.sched_setaffinity(0, every)
    return out


def floor_parse(files: list[Path]) -> dict:
    """The floor a load pays: fastexcel's raw parse of every sheet of the same files, one process."""
    import fastexcel

    t0, c0 = time.perf_counter(), time.process_time()
    rows = 0
    for f in files:
        if f.suffix.lower() in (".xlsx", ".xls"):
            reader = fastexcel.read_excel(str(f))
            for name in reader.sheet_names:
                rows += reader.load_sheet_by_name(name, header_row=None).height
        else:
            rows += len(f.read_bytes().splitlines())
    return {"seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0, "rows": rows,
            "files": len(files)}


def growth(samples: dict[str, Path], first: str, last: str, work: Path, reps: int = 15) -> list[dict]:
    """The same months at each scale, loaded from scratch by `python -m etl load` in a process of
    its own (peak memory from /usr/bin/time): load time, CPU, warehouse size, query p95."""
    out = []
    for scale, folder in samples.items():
        files = [f for f in spreadsheet_files(folder) if first <= f.parent.name[:7] <= last]
        db = work / f"growth-s{scale}" / "cockpit.duckdb"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        timing = db.parent / "time.txt"
        log(f"growth: scale {scale}, {len(files)} files")
        t0 = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-v", "-o", str(timing), PY, "-m", "etl", "load", *map(str, files),
                            "--db", str(db), "--json"], cwd=ROOT, capture_output=True, text=True)
        secs = time.perf_counter() - t0
        tv = timing.read_text() if timing.exists() else ""

        def grab(key: str) -> float:
            m = re.search(rf"{key}: ([\d.]+)", tv)
            return float(m.group(1)) if m else float("nan")
        from etl.warehouse import current_state

        state = current_state(db)
        row = {"scale": scale, "first": first, "last": last, "files": len(files), "bytes": sum(f.stat().st_size for f in files),
               "load_s": secs, "cpu_s": grab("User time \\(seconds\\)") + grab("System time \\(seconds\\)"),
               "peak_rss_mb": grab("Maximum resident set size \\(kbytes\\)") / 1024, "ok": r.returncode == 0,
               "size_bytes": state.stat().st_size if state else 0, "load": os.getloadavg()}
        if state:
            import duckdb

            con = duckdb.connect(str(state), read_only=True)
            row["project_month_rows"] = con.sql("select count(*) from project_month").fetchall()[0][0]
            row["annual_last"] = con.sql("select count(*) from project_month where library <> 'reserve' and "
                                         "period = (select max(period) from project_month)").fetchall()[0][0]
            row["reserve_last"] = con.sql("select count(*) from project_month where library = 'reserve' and "
                                          "period = (select max(period) from project_month)").fetchall()[0][0]
            con.close()
            qs = [q for q in bench_queries(state, reps) if "p95_ms" in q]
            worst = max(qs, key=lambda q: q["p95_ms"])
            row.update(query_p95_worst=worst["p95_ms"], query_worst=worst["query"],
                       query_p95_median=median([q["p95_ms"] for q in qs]),
                       over_20=[q["query"] for q in qs if q["p95_ms"] >= T_QUERY_P95_MS])
        out.append(row)
        log(f"growth {scale}: {secs:.1f} s, {row['cpu_s']:.1f} s CPU, {row['peak_rss_mb']:.0f} MB, "
            f"{mb(row['size_bytes'])}")
    return out


# ---------------------------------------------------------------- first start (README's first command)

FIRST_START_TARGET_S = 20.0


def _cpu_of(pid: int) -> float:
    """CPU seconds of a process and its waited-for children (utime, stime, cutime, cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def bench_first_start(work: Path) -> dict:
    """A fresh data folder: the server as scripts/start.sh starts it (demo accounts, then
    scripts/serve.py), a browser opening the URL, signing in as the demo 推进中心 account (centre /
    demo-centre, as the sign-in page shows them) and waiting for the overview's KPI tiles with the
    sample's data; then until the history is in. Then the same build on its own from the command
    line (`python -m etl bootstrap`), for its CPU seconds: what a quiet machine's wall time approaches."""
    import playwright.sync_api as pw

    from browser import free_port, launch
    from etl.bootstrap import history_pending

    base = work / "first-start"
    shutil.rmtree(base, ignore_errors=True)
    data = base / "data"
    data.mkdir(parents=True)
    db = data / "cockpit.duckdb"
    env = {**os.environ, "COCKPIT_DB": str(db), "COCKPIT_SAMPLE": str(data / "sample"),
           "COCKPIT_ACCOUNTS": str(data / "accounts.sqlite")}
    env.pop("COCKPIT_STATES", None)
    subprocess.run([PY, "-m", "accounts", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    load0 = os.getloadavg()
    server = subprocess.Popen([PY, str(ROOT / "scripts" / "serve.py"), "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(base / "server.err").open("w"))
    url = f"http://127.0.0.1:{port}"  # stderr to a file: a pipe read only at the end could fill and stop the server
    out: dict = {"load_start": load0, "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
    try:
        t_server = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - t_server > 120:
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
        out["server_start_s"] = time.perf_counter() - t_server
        with pw.sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            t0 = time.perf_counter()
            page.goto(url)
            page.get_by_label("账号").wait_for(timeout=120_000)
            out["sign_in_page_s"] = time.perf_counter() - t0
            page.get_by_label("账号").fill("centre")
            page.get_by_label("密码").fill("demo-centre")
            page.get_by_role("button", name="登录").click()
            # the overview's KPI tiles, with figures: 「2026年计划投资」 and a 亿元 value under it
            page.wait_for_function("""() => {
                const t = document.body.innerText;
                return t.includes("年计划投资") && t.includes("累计完成") && /\d+\.\d\d亿元/.test(t)
                    && t.includes("数据截至");
            }""", timeout=600_000, polling=100)
            out["overview_s"] = time.perf_counter() - t0
            log(f"overview after {out['overview_s']:.1f} s")
            out["load_at_overview"] = os.getloadavg()
            out["cpu_at_overview_s"] = _cpu_of(server.pid)  # the server with its finished children
            out["loading_marked"] = page.evaluate("() => document.body.innerText.includes('加载中')")
            # what the first user sees while the history loads, on a desktop and on a phone
            ready = "() => document.body.innerText.includes('年计划投资')"
            for name, size in (("1440", {"width": 1440, "height": 2600}), ("390", {"width": 390, "height": 2400})):
                page.set_viewport_size(size)
                if name == "390":
                    page.reload()
                try:
                    page.wait_for_function(ready, timeout=120_000, polling=200)
                    page.wait_for_timeout(2500)
                    page.screenshot(path=str(work / f"first-start-overview-{name}.png"), timeout=120_000)
                except pw.Error as e:  # a screenshot is no part of the measurement
                    log(f"no {name} px screenshot: {str(e).splitlines()[0]}")
            deadline = time.perf_counter() + 900
            while history_pending(db) is not None and time.perf_counter() < deadline:
                time.sleep(0.5)
            out["history_s"] = time.perf_counter() - t0
            browser.close()
        time.sleep(1)
        out["server_cpu_s"] = _cpu_of(server.pid)
    finally:
        stop(server, 20)
    err = (base / "server.err").read_text(encoding="utf-8", errors="replace")
    out["notes"] = [ln for ln in err.splitlines() if ln.startswith("bootstrap ")]
    out["load_end"] = os.getloadavg()
    # the build alone, from the command line: its CPU seconds, part by part
    cli = base / "cli"
    cli.mkdir()
    env_cli = {**env, "COCKPIT_DB": str(cli / "cockpit.duckdb"), "COCKPIT_SAMPLE": str(cli / "sample")}
    t1 = time.perf_counter()
    run = subprocess.run([PY, "-c", "import resource, sys; from etl.bootstrap import ensure_warehouse; "
                          "ensure_warehouse(); r = resource.getrusage(resource.RUSAGE_CHILDREN); "
                          "s = resource.getrusage(resource.RUSAGE_SELF); "
                          "print(s.ru_utime + s.ru_stime + r.ru_utime + r.ru_stime)"],
                         cwd=ROOT, env=env_cli, capture_output=True, text=True, check=True)
    out["cli_wall_s"] = time.perf_counter() - t1
    out["cli_cpu_s"] = float(run.stdout.split()[-1])
    out["cli_notes"] = [ln for ln in run.stderr.splitlines() if ln.startswith("bootstrap ")]
    out["cli_load"] = os.getloadavg()
    return out


def _cpu_s(note: str) -> float:
    """The CPU seconds in a bootstrap timing line (「… 127.3 s wall, 12.1 s CPU」)."""
    m = re.search(r"([\d.]+) s CPU", note)
    return float(m.group(1)) if m else float("nan")


def first_start_section(F: dict) -> list[str]:
    la = lambda t: " / ".join(f"{x:.1f}" for x in t)  # noqa: E731
    early = next((n for n in F["cli_notes"] if "early months" in n), "?")
    whole = next((n for n in F["cli_notes"] if "whole sample" in n), "?")
    met = F["overview_s"] <= FIRST_START_TARGET_S
    return [
        "## First start", "",
        f"Measured {F.get('date', '?')}. "
        "README's first command on a fresh data folder (`tests/bench.py --first-start`): the server as "
        "`scripts/start.sh` starts it, a headless Chromium opening the URL, signing in with the demo account "
        "`centre` and waiting until the overview shows its KPI tiles with the sample's figures. The build "
        "(etl/bootstrap.py) generates, checks and loads the latest month, the month before and the same month a "
        "year earlier first (the overview shows then, what needs the history marked 加载中), and the other 31 "
        "months after, in the background. The same build is then run alone from the command line for its CPU "
        "seconds, which is what the wall time approaches on a quiet two-core machine.", "",
        "| | measured | load average (1/5/15 min) |", "|---|---:|---|",
        f"| browser opens the URL → sign-in page | {F['sign_in_page_s']:.1f} s | {la(F['load_start'])} |",
        f"| browser opens the URL → overview's KPIs (signing in included; target ≤ {FIRST_START_TARGET_S:.0f} s) | "
        f"**{F['overview_s']:.1f} s** {'met' if met else 'not met'} | {la(F['load_at_overview'])} |",
        f"| … → the whole history loaded | {F['history_s']:.1f} s | {la(F['load_end'])} |",
        f"| the server's CPU with its build until the overview showed (build still running in the background) | "
        f"{F['cpu_at_overview_s']:.1f} s | |",
        f"| the build alone, command line: overview's months | {early.split(':', 1)[-1].strip()} | |",
        f"| the build alone, command line: whole sample (generation + load) | {whole.split(':', 1)[-1].strip()} "
        f"(total CPU {F['cli_cpu_s']:.1f} s) | {la(F['cli_load'])} |",
        "",
        "CPU on the way to the overview: the server's own "
        f"{F['cpu_at_overview_s']:.1f} s (sign-in page, the overview's run) plus the build's overview months "
        f"{_cpu_s(early):.1f} s = **{F['cpu_at_overview_s'] + _cpu_s(early):.1f} s**; the history's workers run at "
        "nice 10 meanwhile. That sum is what the wall time approaches on one quiet core; on two the early months' "
        "workers (one per core) and the server share them, so it is the bound, not the estimate. Wall times "
        "here include the machine's other work: at a load average of "
        f"{F['load_at_overview'][0]:.0f} on {os.cpu_count()} cores a busy process gets about "
        f"{os.cpu_count() / max(F['load_at_overview'][0], 1):.0%} of a core.", "",
        "Measured with main's reader (`etl/read.py`); a faster reader shortens the checking and the history. "
        "The overview showed 「加载中」 where it needs the history: "
        f"{'yes' if F.get('loading_marked') else 'no (the history was already in)'}.", "",
    ]


def update_first_start(path: Path, F: dict) -> None:
    """Write the first-start section into an existing report (replacing the previous one)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# 性能基准 / Benchmarks\n"
    section = "\n".join(first_start_section(F)) + "\n"
    m = re.search(r"^## First start\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
    if m:
        text = text[:m.start()] + section + text[m.end():]
    else:
        m = re.search(r"^## (?!Machine)(?!Data)", text, flags=re.M)
        text = (text[:m.start()] + section + "\n" + text[m.start():]) if m else text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- report

def ok(flag: bool) -> str:
    return "✅" if flag else "❌"


def _la(t) -> str:
    return " / ".join(f"{x:.1f}" for x in t) if t else "?"


def report_server_cost(R: dict) -> list[str]:
    """Sections for the parse floor, the server's cost per page view, many sessions, N processes, growth."""
    lines: list[str] = []
    M = R.get("month_fresh")
    if M:
        P = M.get("peer", {})
        lines += [f"## One month at {M['scale']}× from scratch against the pandas path", "",
                  f"{M['files']} files ({mb(M['bytes'])}; {M.get('annual_last', 0):,} annual and "
                  f"{M.get('reserve_last', 0):,} reserve projects) loaded into an empty warehouse by `python -m etl "
                  f"load` in a process of its own (CPU with its reading workers, from `/usr/bin/time`), and read, "
                  f"cleaned and inserted the common way (pandas `read_excel(engine=\"openpyxl\")`, `iterrows`; "
                  f"`peer_month_load`, one process) in the same run.", "",
                  "| path | wall s | CPU s | load average |", "|---|---:|---:|---|",
                  f"| `python -m etl load` | {M['load_s']:.2f} | {M['cpu_s']:.2f} | {_la(M.get('load'))} |"]
        if P:
            lines += [f"| pandas path | {P['total']:.2f} | {P.get('cpu_s', float('nan')):.2f} | {_la(P.get('load_end'))} |",
                      f"| pandas ÷ ours | {P['total'] / M['load_s']:.1f}× | "
                      f"{P.get('cpu_s', float('nan')) / M['cpu_s']:.1f}× | |"]
        lines.append("")
    F = R.get("floor")
    if F:
        lines += ["## The load against its floor (the 1× sample)", "",
                  f"fastexcel's raw parse of every sheet of the same files ({F['files']} files, {F['rows']:,} rows), "
                  f"one process: **{F['seconds']:.1f} s** wall, {F['cpu_s']:.1f} s CPU "
                  f"(load average {_la(F.get('load'))}).", ""]
        if F.get("load_s"):
            lines += [f"`python -m etl load` of the same files from scratch: {F['load_s']:.1f} s wall, "
                      f"{F['load_cpu_s']:.1f} s CPU with its workers: **{F['load_cpu_s'] / F['cpu_s']:.1f}× the "
                      f"floor in CPU** ({F['load_s'] / F['seconds']:.1f}× in wall time, which other work on the "
                      f"machine moves; target 3×).", ""]
    S = R.get("serverload")
    if S:
        lines += ["## The server's own cost per page view", "",
                  "`streamlit run app.py` on the whole-history warehouse, pinned to core 1 with `taskset`; the "
                  "clients pinned to core 0 (`os.sched_setaffinity`). The clients speak Streamlit's websocket "
                  "protocol (`tests/bench.py: ws_view`: open a session, ask for the page, read every message "
                  "until the script has finished) and render nothing, so the figures are the server's. CPU is the "
                  "server process's own (`/proc/<pid>/stat`, 10 ms ticks). **cold**: the first view of the page "
                  "in this process (imports, connection, queries, builders); **warm**: a new session opening the "
                  f"same view again (caches filled). Load average {_la(S['load_start'])} → {_la(S['load_end'])}; "
                  "other engineers' work shared both cores, so wall times are inflated, CPU much less.", "",
                  "| page | cold CPU s | cold wall s | warm CPU ms | warm again CPU ms | warm wall s | ok |",
                  "|---|---:|---:|---:|---:|---:|---|"]
        for p in S["pages"]:
            lines.append(f"| `/{p['page']}` | {p['cold_cpu_s']:.2f} | {p['cold_s']:.2f} | {p['warm_cpu_s'] * 1000:.0f} | "
                         f"{p['warm2_cpu_s'] * 1000:.0f} | {p['warm_s']:.2f} | "
                         f"{ok(p['cold_ok'] and p['warm_ok'] and p['warm2_ok'])} |")
        warm = [p["warm2_cpu_s"] for p in S["pages"]]
        t, b = S["throughput"], S["sessions"]
        lines += ["",
                  f"Mean warm CPU per view **{statistics.mean(warm) * 1000:.0f} ms**: one process on one core can "
                  f"serve at most ≈ {1 / statistics.mean(warm):.1f} warm views per second. Measured: "
                  f"{t['views']} mixed views, 8 at a time, in {t['seconds']:.1f} s = **{t['views'] / t['seconds']:.1f} "
                  f"views/s** ({t['ok']}/{t['views']} ok, server CPU {t['cpu_s']:.1f} s).", "",
                  f"**{b['views']} sessions opening mixed pages at once** (one process): the last finished after "
                  f"**{b['seconds']:.1f} s** (median {b['median_s']:.1f} s; {b['ok']}/{b['views']} ok; server CPU "
                  f"{b['cpu_s']:.1f} s) — target {T_SESSIONS_S:g} s: {ok(b['seconds'] < T_SESSIONS_S)}. "
                  f"The burst needs {b['cpu_s']:.1f} s of the server's one core: on a core of its own it cannot "
                  f"finish sooner, and on a quiet machine it finishes about then "
                  f"({ok(b['cpu_s'] < T_SESSIONS_S)} for {T_SESSIONS_S:g} s). "
                  f"Server memory at the end {S['rss_kb'] / 1024:,.0f} MB (peak {S['hwm_kb'] / 1024:,.0f} MB).", ""]
    P = R.get("processes")
    if P:
        lines += ["## N processes behind nginx (scripts/deploy.sh)", "",
                  f"{T_SESSIONS} sessions at once through nginx after a warm-up round, then 60 views 8×N at a "
                  "time (views/s). The processes are pinned with `COCKPIT_CPUS`; the protocol-level clients run in "
                  "the benchmark's process, on the cores named (their own CPU is shown: it is not the server's).", "",
                  "| processes | their cores | clients' cores | sessions ok | last finished s | median s | "
                  "server CPU s | clients' CPU s | views/s | server CPU per view ms | load average |",
                  "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for p in P:
            if "error" in p:
                lines.append(f"| {p['processes']} | {p.get('cpus', '')} | {p.get('client_cpus', '')} | "
                             f"failed: {p['error'][-120:]} | | | | | | | |")
                continue
            b, t = p["sessions"], p["throughput"]
            lines.append(f"| {p['processes']} | {p.get('cpus', 'all')} | {p.get('client_cpus', 'all')} | "
                         f"{b['ok']}/{b['views']} | {b['seconds']:.1f} | {b['median_s']:.1f} | {b['cpu_s']:.1f} | "
                         f"{b.get('client_cpu_s', float('nan')):.1f} | {t['views'] / t['seconds']:.1f} | "
                         f"{1000 * t.get('cpu_s', float('nan')) / t['views']:.0f} | {_la(p['load'])} |")
        lines.append("")
    G = R.get("growth")
    if G:
        lines += ["## Growth: 1× → 10× → 30×", "",
                  f"The same months ({G[0]['first']} to {G[0]['last']}) of each sample, loaded from "
                  "scratch by `python -m etl load` in a process of its own (peak memory from `/usr/bin/time -v`; "
                  "CPU includes the reading workers); every query then run 15 times with varied parameters.", "",
                  "| scale | files | input MB | annual / reserve projects (last month) | `project_month` rows | "
                  "load s | load CPU s | peak RSS MB | warehouse MB | query p95 median ms | worst p95 ms | "
                  f"queries ≥ {T_QUERY_P95_MS:g} ms | load average |",
                  "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|---|"]
        for g in G:
            lines.append(f"| {g['scale']}× | {g['files']} | {g['bytes'] / 2**20:.1f} | {g.get('annual_last', 0):,} / "
                         f"{g.get('reserve_last', 0):,} | {g.get('project_month_rows', 0):,} | {g['load_s']:.1f} | "
                         f"{g['cpu_s']:.1f} | {g['peak_rss_mb']:.0f} | {g['size_bytes'] / 2**20:.1f} | "
                         f"{g.get('query_p95_median', float('nan')):.1f} | {g.get('query_p95_worst', float('nan')):.1f} "
                         f"(`{g.get('query_worst', '?')}`) | {', '.join(g.get('over_20', [])) or '—'} | {_la(g['load'])} |")
        lines.append("")
    return lines


def write_report(path: Path, R: dict) -> None:
    m, g, L = R["machine"], R.get("generate", {}), R["load"]
    lines = [
        "# 性能基准 / Benchmarks",
        "",
        f"Measured by `tests/bench.py --scale {R['scale']:g}`{' --quick' if R['quick'] else ''} on "
        f"{R.get('first_date', m['date'])}. "
        "Re-run it after a change that could slow a load, a query or a page, and compare."
        + (f" Re-measured with `--only {','.join(R['remeasured'])}` on {m['date']}; the other parts come from the "
           f"full run of {R.get('first_date', '?')}." if R.get("remeasured") else ""),
        "",
        *(["## Findings", "", *R["notes"], ""] if R.get("notes") else []),  # what a reader needs first
        "## Machine",
        "",
        "| | |", "|---|---|",
        f"| CPU | {m['cpu']}, {m['cores']} cores |",
        f"| RAM | {m['ram_gib']} GiB |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| duckdb / polars / streamlit | {m['duckdb']} / {m['polars']} / {m['streamlit']} |",
        f"| pandas / openpyxl (peer) | {m['pandas']} / {m['openpyxl']} |",
        f"| load average (1/5/15 min) at start → end | {' / '.join(f'{x:.1f}' for x in m['load_start'])} → "
        f"{' / '.join(f'{x:.1f}' for x in R.get('load_end', (float('nan'),) * 3))} |",
        "",
        "## Data",
        "",
        f"Generated with `python -m etl sample --scale {R['scale']:g} --start {R['start']} --end {R['end']}` "
        f"into a temporary folder: {g.get('files', '?')} files ({mb(g.get('bytes', 0))}), "
        f"{L['months']} months ({L['periods'][0][:7]} to {L['periods'][1][:7]}).",
        "",
        "| | |", "|---|---|",
        f"| annual projects in the last month | {L['annual_projects_last_month']:,} |",
        f"| reserve projects in the last month | {L['reserve_projects_last_month']:,} |",
        f"| rows read, whole history | {L['history_rows']:,} |",
    ]
    for t, n in L["tables"].items():
        lines.append(f"| `{t}` rows | {n:,} |")
    lines += [f"| warehouse file (one state) | {mb(L['size_bytes'])} |", ""]

    # targets
    runs = L["month_runs"]
    peer = R.get("peer_load")
    qrows = [q for q in R["queries"] if "p95_ms" in q]
    pages = [p for p in R.get("pages", []) if "cold_s" in p]
    ratio = peer["total"] / L["month_s"] if peer else None
    worst_q = max(qrows, key=lambda q: q["p95_ms"]) if qrows else None
    worst_warm = max(pages, key=lambda p: median(p["warm_s"])) if pages else None
    worst_cold = max(pages, key=lambda p: p["cold_s"]) if pages else None
    lines += ["## Targets", "", "| target | measured | met |", "|---|---|---|",
              f"| one month's snapshot loads in < {T_MONTH_LOAD_S:g} s | {L['month_s']:.2f} s (median of "
              f"{len(runs)}"
              + (f"; {median([r['cpu_all'] for r in runs]):.2f} s CPU with its workers" if runs and "cpu_all" in runs[0]
                 else "")
              + f") | {ok(L['month_s'] < T_MONTH_LOAD_S)} |"]
    if ratio is not None:
        lines.append(f"| … and ≥ {T_PEER_RATIO:g}× faster than the pandas path | {ratio:.1f}× | "
                     f"{ok(ratio >= T_PEER_RATIO)} |")
    if worst_q:
        over = [q["query"] for q in qrows if q["p95_ms"] >= T_QUERY_P95_MS]
        lines.append(f"| every page query p95 < {T_QUERY_P95_MS:g} ms (wall, load average "
                     f"{R['machine']['load_start'][0]:.0f}) | worst `{worst_q['query']}` "
                     f"{worst_q['p95_ms']:.1f} ms{'; over: ' + ', '.join(over) if over else ''} | "
                     f"{ok(not over)} |")
        cpu_rows = qrows + [q for q in R.get("queries_unit", []) if "cpu_p95_ms" in q]
        if all("cpu_p95_ms" in q for q in cpu_rows):
            worst_c = max(cpu_rows, key=lambda q: q["cpu_p95_ms"])
            over = sorted({q["query"] for q in cpu_rows if q["cpu_p95_ms"] >= T_QUERY_P95_MS})
            lines.append(f"| every page query CPU p95 < {T_QUERY_P95_MS:g} ms (centre and unit account) | worst "
                         f"`{worst_c['query']}` {worst_c['cpu_p95_ms']:.1f} ms"
                         f"{'; over: ' + ', '.join(over) if over else ''} | {ok(not over)} |")
    if worst_warm:
        over = ["/" + p["url"] for p in pages if median(p["warm_s"]) * 1000 >= T_WARM_MS]
        lines.append(f"| every page warm < {T_WARM_MS:g} ms | worst `/{worst_warm['url']}` "
                     f"{median(worst_warm['warm_s']) * 1000:.0f} ms{'; over: ' + ', '.join(over) if over else ''} | "
                     f"{ok(not over)} |")
        over = ["/" + p["url"] for p in pages if p["cold_s"] >= T_COLD_S]
        lines.append(f"| every page cold < {T_COLD_S:g} s | worst `/{worst_cold['url']}` {worst_cold['cold_s']:.2f} s"
                     f"{'; over: ' + ', '.join(over) if over else ''} | {ok(not over)} |")
    skipped = [q for q in R["queries"] if "skipped" in q]
    if skipped:
        lines.append(f"| (queries not measured) | {', '.join(q['query'] for q in skipped)} | — |")
    lines.append("")

    # loads
    lines += ["## Loads", "",
              f"Generation: {g.get('seconds', float('nan')):.1f} s wall, {g.get('cpu_seconds', float('nan')):.1f} s CPU, "
              f"for {g.get('files', '?')} files"
              + (" (reused from an earlier run)" if R.get("reused") else "") + ".", "",
              "| load | seconds | detail |", "|---|---:|---|"]
    st = L["history_stages"]
    lines.append(f"| the history without its last month ({L.get('history_months', L['months'])} months, from scratch) | "
                 f"{L['history_s']:.1f} | CPU {L['history_cpu_s']:.1f} s in this process; read+check "
                 f"{L['history_s'] - st.get('write', 0):.1f} s; write {st.get('write', 0):.1f} s "
                 f"(rebuild derived tables {st.get('rebuild_derived', 0):.1f} s) |")
    r0 = runs[len(runs) // 2] if runs else {}
    for i, r in enumerate(runs):
        lines.append(f"| one month ({L['month'][:7]}, {L['month_files']} files, {mb(L['month_bytes'])}, "
                     f"{L['month_rows']:,} rows) into the {L['months'] - 1}-month warehouse, run {i + 1} | "
                     f"{r['total']:.2f} | CPU {r.get('cpu', float('nan')):.2f} s"
                     + (f" ({r['cpu_all']:.2f} s with the reading workers)" if "cpu_all" in r else "")
                     + (f" at load {_la(r['load'])}" if r.get("load") else "") + f"; read+check {r['read']:.2f} s; "
                     + (_write_split(r) if "write_stages" in r else
                        f"copy state {r.get('copy_state', 0):.2f} s; insert {r.get('apply', 0):.2f} s; rebuild derived "
                        f"{r.get('rebuild_derived', 0):.2f} s; other {r['write'] - r.get('copy_state', 0) - r.get('apply', 0) - r.get('rebuild_derived', 0):.2f} s")
                     + " |")
    sq = L.get("month_sequential")
    if sq:
        lines.append(f"| the same month, files read one after another (inside the server) | {sq['total']:.2f} | "
                     + (f"CPU {sq['cpu']:.2f} s (read+check {sq['read_cpu']:.2f} s"
                        + (f", write {sq['write_cpu']:.2f} s" if "write_cpu" in sq else "") + "); " if "read_cpu" in sq else "")
                     + (f"at load {_la(sq['load'])}; " if sq.get("load") else "")
                     + f"read+check {sq['read']:.2f} s; " + (_write_split(sq) if "write_stages" in sq else
                                                          f"write {sq.get('write', 0):.2f} s") + " |")
    lines += ["", "Read+check of many files runs in up to 4 worker processes from the command line "
              "(`etl.warehouse.load_files`); CPU is this process's own, and with the workers where shown. The "
              "machine is shared: CPU time is the figure to compare across runs, wall time only within one."]
    if peer:
        split = R.get("our_read_split", {})
        lines += ["", "### Peer baseline: the same month the common way", "",
                  "pandas `read_excel(engine=\"openpyxl\")` per sheet, `iterrows` cleaning with the same cell "
                  "parsers, a DataFrame per kind inserted into a DuckDB file. It does less than our load (no "
                  "atomic new state, no derived tables, no duplicate or conflict checks, no quarantine).", "",
                  "| step | pandas path, one process (s) | ours, one process (s) |", "|---|---:|---:|",
                  f"| read the workbooks | {peer['read']:.2f} | {split.get('grids', float('nan')):.2f} (fastexcel) |",
                  f"| clean / check rows | {peer['clean']:.2f} | {split.get('checks', float('nan')):.2f} |",
                  f"| write into DuckDB | {peer['insert']:.2f} | {(sq or {}).get('write', float('nan')):.2f} "
                  f"(new state + derived tables) |",
                  f"| **total** | **{peer['total']:.2f}** | **{(sq or {}).get('total', float('nan')):.2f}** |",
                  f"| ratio pandas ÷ ours | | **{peer['total'] / (sq or {}).get('total', float('nan')):.1f}×** |",
                  "",
                  f"Against our command-line load (parallel read, {L['month_s']:.2f} s): **{ratio:.1f}×**.", ""]

    # queries
    lines += ["## Queries", "",
              f"Each query in `queries/*.sql` run {R['query_reps']} times on the whole-history warehouse through "
              "`queries.Warehouse.run` (no streamlit cache), parameters drawn at random from values in the "
              "warehouse (periods, counties/zones and 全市, libraries, leaders, project codes…). `first` is the "
              "first run on a fresh connection; CPU is all threads of this process (DuckDB uses both cores), "
              "a figure that other work on the machine does not inflate.", "",
              "**CPU p95** is the 95th percentile of each run's CPU time: on a shared machine the wall "
              "time is the CPU time plus the wait for a core, so CPU p95 below the target is what a "
              "quiet machine's wall p95 reaches (a query runs on one or both cores, so its wall time is at "
              "most its CPU time once it has a core). **unit account**: the same query as a county's "
              "account runs it, through the runner's per-unit views (`queries/scope.py`; public queries "
              "are not scoped).", "",
              "| query | parameters | first ms | median ms | p95 ms | CPU median ms | CPU p95 ms | "
              "unit account CPU p95 ms | rows | "
              f"CPU p95 < {T_QUERY_P95_MS:g} ms |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    by_unit_q = {q["query"]: q for q in R.get("queries_unit", []) if "cpu_p95_ms" in q}
    for q in R["queries"]:
        ps = ", ".join("$" + p for p in q["params"]) or "—"
        if "skipped" in q:
            lines.append(f"| `{q['query']}` | {ps} | | | | | | | | skipped: {q['skipped']} |")
        else:
            uq = by_unit_q.get(q["query"])
            worst = max(q.get("cpu_p95_ms", float("nan")), uq["cpu_p95_ms"] if uq else 0)
            lines.append(f"| `{q['query']}` | {ps} | {q['first_ms']:.1f} | {q['median_ms']:.1f} | "
                         f"{q['p95_ms']:.1f} | {q['cpu_median_ms']:.1f} | {q.get('cpu_p95_ms', float('nan')):.1f} | "
                         f"{uq['cpu_p95_ms'] if uq else float('nan'):.1f} | {q['rows']:,} | "
                         f"{ok(worst < T_QUERY_P95_MS)} |")
    errs = [(q["query"], e) for q in qrows for e in q.get("errors", [])]
    if errs:
        lines += ["", "Errors during query runs:", ""] + [f"- `{n}`: {e}" for n, e in errs]
    pq = R.get("peer_queries")
    if pq:
        lines += ["", "### Peer baseline: key queries in pandas", "",
                  f"`project_month` ({pq['rows']:,} rows) held in a pandas DataFrame ({pq['memory_mb']:.0f} MB, "
                  f"{pq['pandas_load_s']:.1f} s to load it), filtered and grouped the usual way; the same "
                  "parameters for both; answers checked equal.", "",
                  "| query | DuckDB median ms | pandas median ms | DuckDB p95 ms | pandas p95 ms | pandas ÷ DuckDB | "
                  "mismatches |", "|---|---:|---:|---:|---:|---:|---:|"]
        for q in pq["queries"]:
            lines.append(f"| `{q['query']}` | {q['duckdb_median_ms']:.1f} | {q['pandas_median_ms']:.1f} | "
                         f"{q['duckdb_p95_ms']:.1f} | {q['pandas_p95_ms']:.1f} | {q['ratio']:.1f}× | "
                         f"{q['mismatches']}/{q['runs']} |")
    lines.append("")

    # pages
    if R.get("pages"):
        lines += ["## Pages (server-side script, AppTest)", "",
                  "Each page file run with `AppTest` on the whole-history warehouse (default filters: latest "
                  "month, 全市). **cold**: first run in a fresh process (imports, connection, every query); "
                  "**cleared**: same process, `st.cache_data` cleared (what every user sees right after a new "
                  "load); **warm**: median of reruns with the cache filled. Queries: count and time spent in SQL "
                  "during the cold run.", "",
                  "| page | cold s | cleared ms | warm ms | queries (cold) | SQL s (cold) | state | "
                  f"cold < {T_COLD_S:g} s | warm < {T_WARM_MS:g} ms |",
                  "|---|---:|---:|---:|---:|---:|---|---|---|"]
        for p in R["pages"]:
            if "error" in p:
                lines.append(f"| `/{p['url']}` | | | | | | failed: {p['error'][-200:].replace('|', '/')} | | |")
                continue
            state = "placeholder (建设中)" if p["placeholder"] else ("exception" if p["exceptions"] else "ok")
            w = median(p["warm_s"]) * 1000
            lines.append(f"| `/{p['url']}` ({p['title']}) | {p['cold_s']:.2f} | {median(p['cleared_s']) * 1000:.0f} | "
                         f"{w:.0f} | {p['cold_queries']['n']} | {p['cold_queries']['s']:.2f} | {state} | "
                         f"{ok(p['cold_s'] < T_COLD_S)} | {ok(w < T_WARM_MS)} |")
        lines.append("")

    S = R.get("server")
    if S:
        lines += ["## Real server: memory and browsers", "",
                  f"`streamlit run app.py` on the whole-history warehouse (port {PORT}); headless Chromium opened "
                  "every page at 1440×900 twice (first and again), then "
                  f"{S['concurrent']['sessions']} sessions at once. Browser time: from navigation until the data "
                  "date shows and Streamlit is idle.", "",
                  "| | |", "|---|---|",
                  f"| server RSS after start | {S['idle_rss_kb'] / 1024:,.0f} MB |",
                  f"| server peak RSS (VmHWM) | **{S['hwm_kb'] / 1024:,.0f} MB** |",
                  f"| server RSS at the end | {S['rss_kb_after'] / 1024:,.0f} MB |",
                  f"| {S['concurrent']['sessions']} sessions at once: all rendered in | "
                  f"{S['concurrent']['seconds']:.1f} s ({S['concurrent']['ok']}/{S['concurrent']['sessions']} ok) |",
                  "", "| page | first open s | again s | ok |", "|---|---:|---:|---|"]
        by = {}
        for e in S["pages"]:
            by.setdefault(e["url"], {})[e["round"]] = e
        for url, e in by.items():
            f_, a_ = e.get("first", {}), e.get("again", {})
            lines.append(f"| `/{url}` | {f_.get('seconds', float('nan')):.1f} | {a_.get('seconds', float('nan')):.1f} | "
                         f"{ok(f_.get('ok', False) and a_.get('ok', False))} |")
        lines.append("")
    lines += report_server_cost(R)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=10)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions; report into the work folder")
    ap.add_argument("--reuse", action="store_true", help="reuse generated files in the work folder")
    ap.add_argument("--start", default="2023-10")
    ap.add_argument("--end", default="2026-10")
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--work", help="work folder (default /tmp/cockpit-bench-s<scale>)")
    ap.add_argument("--out", help="markdown report (default docs/benchmarks.md; --quick: in the work folder)")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: peer,queries,pages,server,serverload,processes,floor,growth")
    ap.add_argument("--only", help="re-measure only these parts (month,month-fresh,peer,queries,pages,server,serverload,processes,floor,growth) on the warehouse "
                                   "of the last full run in the work folder, keeping its other figures")
    ap.add_argument("--notes", help="a markdown file whose lines are appended under Findings")
    ap.add_argument("--report-only", action="store_true",
                    help="write the report again from the work folder's results.json (with --notes)")
    ap.add_argument("--files", help="use the spreadsheets in this folder instead of generating them")
    ap.add_argument("--floor-files", help="folder of the sample whose raw parse is the load's floor")
    ap.add_argument("--month-files", help="folder of one month's files: loaded from scratch by `etl load` in a process "
                    "of its own, against the pandas path on the same files (part month-fresh)")
    ap.add_argument("--growth", help="scale=folder,… of samples for the growth table (same months each)")
    ap.add_argument("--growth-months", default="2026-07..2026-10", help="first..last month of the growth table")
    ap.add_argument("--approval-files", metavar="DIR",
                    help="write only the approvals/factors sheets of the programme into DIR and stop")
    ap.add_argument("--first-start", action="store_true",
                    help="measure only the first start (fresh data folder → overview in a browser) and write its "
                         "section into the report")
    ap.add_argument("--page-worker", help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=5, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.page_worker:
        page_worker(a.page_worker, a.reps)
        return 0

    if a.approval_files:
        info = approval_files(Path(a.approval_files), a.scale, a.start, a.end, a.seed)
        print(json.dumps(info))
        return 0
    work = Path(a.work or f"/tmp/cockpit-bench-s{a.scale:g}")
    work.mkdir(parents=True, exist_ok=True)
    out = Path(a.out) if a.out else (work / "benchmarks.md" if a.quick else ROOT / "docs" / "benchmarks.md")
    if a.first_start:
        sys.path.insert(0, str(ROOT / "tests"))
        log("first start: fresh data folder, server, browser")
        F = bench_first_start(work)
        (work / "first_start.json").write_text(json.dumps(F, ensure_ascii=False, indent=1))
        log(f"overview after {F['overview_s']:.1f} s; history after {F['history_s']:.1f} s")
        update_first_start(out, F)
        log(f"report: {out}")
        return 0
    if a.report_only:
        R = json.loads((work / "results.json").read_text())
        if a.notes:
            R["notes"] = Path(a.notes).read_text(encoding="utf-8").splitlines()
        write_report(out, R)
        log(f"report: {out}")
        return 0
    skip = set(filter(None, a.skip.split(",")))
    R: dict = {"scale": a.scale, "quick": a.quick, "start": a.start, "end": a.end, "machine": machine()}
    reps_q = 15 if a.quick else 60
    R["query_reps"] = reps_q
    results = work / "results.json"
    only = set(filter(None, (a.only or "").split(",")))
    if only:  # re-measure some parts on the warehouse of the last full run; keep the rest
        before = json.loads(results.read_text())
        R = {**before, "machine": R["machine"], "remeasured": sorted(only),
             "first_date": before.get("first_date", before["machine"]["date"])}

    def wanted(part: str) -> bool:
        return part in only if only else part not in skip

    if not only:
        sample = work / "sample"
        if a.files:
            sample = Path(a.files)
            R["generate"] = {"files": len(spreadsheet_files(sample)), "seconds": float("nan"),
                             "bytes": sum(f.stat().st_size for f in spreadsheet_files(sample))}
            R["reused"] = True
        elif a.reuse and (work / "generate.json").exists() and spreadsheet_files(sample):
            R["generate"] = json.loads((work / "generate.json").read_text())
            R["reused"] = True
        else:
            log(f"generating scale {a.scale:g} from {a.start} to {a.end}")
            R["generate"] = generate(sample, a.scale, a.start, a.end, a.seed)
            (work / "generate.json").write_text(json.dumps(R["generate"]))
            log(f"generated {R['generate']['files']} files in {R['generate']['seconds']:.1f} s")
        files = spreadsheet_files(sample)
        R["load"] = load_benchmarks(files, work, reps=1 if a.quick else 3)
        log(f"one month: {R['load']['month_s']:.2f} s; history {R['load']['history_s']:.1f} s")
        results.write_text(json.dumps(R, ensure_ascii=False, indent=1, default=str))
    full_db = work / "full" / "cockpit.duckdb"
    state = Path(R["load"]["state"])
    if only:  # the warehouse as it is now (a later load, e.g. of sheets added since, moved its state)
        from etl.warehouse import current_state

        state = current_state(full_db) or state
    month_files = [Path(f) for f in R["load"]["month_file_list"]]
    if only and wanted("month"):  # the month again, into the same history as the last full run
        R["load"].update(month_loads(month_files, Path(R["load"]["base_state"]), work, 1 if a.quick else 3))
        log(f"one month: {R['load']['month_s']:.2f} s")
    if wanted("peer"):
        log("peer: the same month with pandas + openpyxl")
        R["our_read_split"] = our_read_split(month_files)
        R["peer_load"] = peer_month_load(month_files, Path(R["load"]["base_state"]), work)
        log(f"peer month: {R['peer_load']['total']:.2f} s")
    if wanted("queries"):
        log("queries")
        R["queries"] = bench_queries(state, reps_q)
        R["queries_unit"] = bench_queries(state, max(15, reps_q // 2), unit=BENCH_USERS["unit"][2])
        R["peer_queries"] = peer_queries(state, 10 if a.quick else 30)
    R.setdefault("queries", [])
    if wanted("pages"):
        R["pages"] = bench_pages(full_db, 3 if a.quick else 7)
    if wanted("server"):
        log("real server + browsers")
        R["server"] = bench_server(full_db, PORT, 10)
    if wanted("serverload"):
        log(f"server cost per page view and {T_SESSIONS} sessions (protocol-level clients)")
        R["serverload"] = bench_server_cost(full_db, PORT + 1)
    if wanted("processes"):
        R["processes"] = bench_processes(full_db)
    if a.floor_files and wanted("floor"):
        files = spreadsheet_files(Path(a.floor_files))
        log(f"parse floor: {len(files)} files")
        R["floor"] = {**floor_parse(files), "folder": a.floor_files, "load": os.getloadavg()}
        same = growth({"1": Path(a.floor_files)}, "0000-00", "9999-99", work, reps=5)[0]
        R["floor"].update(load_s=same["load_s"], load_cpu_s=same["cpu_s"], load_ok=same["ok"])
    if a.month_files and wanted("month-fresh"):
        from etl.warehouse import current_state

        folder = Path(a.month_files)
        files = spreadsheet_files(folder)
        log(f"one month from scratch: {len(files)} files, then the pandas path on the same files")
        M = growth({f"{a.scale:g}": folder}, "0000-00", "9999-99", work, reps=5)[0]
        with Timer() as t:
            M["peer"] = peer_month_load(files, current_state(work / f"growth-s{a.scale:g}" / "cockpit.duckdb"), work)
        M["peer"].update(cpu_s=t.cpu, load_end=os.getloadavg())
        R["month_fresh"] = M
    if a.growth and wanted("growth"):
        samples = dict(item.split("=", 1) for item in a.growth.split(","))
        first, last = a.growth_months.split("..")
        R["growth"] = growth({k: Path(v) for k, v in samples.items()}, first, last, work)
    R["load_end"] = os.getloadavg()
    if a.notes:
        R["notes"] = Path(a.notes).read_text(encoding="utf-8").splitlines()
    results.write_text(json.dumps(R, ensure_ascii=False, indent=1, default=str))
    write_report(out, R)
    if (work / "first_start.json").exists():  # keep the last first-start measurement in the report
        update_first_start(out, json.loads((work / "first_start.json").read_text()))
    log(f"report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
