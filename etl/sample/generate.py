"""逐月、逐报送单位生成报表文件和 manifest.json。"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import random
import threading
from pathlib import Path

from etl import divisions, vocab
from etl.sample.approval_sheet import (
    APPROVAL_SHEET, FACTOR_SHEET, _approval_columns, _approval_rows, _factor_columns, _factor_rows)
from etl.sample.calibration import COUNTY_FACTOR, LATE_REPORTER, RESERVE_TARGET_RATIO, SEASON
from etl.sample.faults import _blank_some, FAULT_LABEL, _forced_faults, _inject_faults, _plan_inconsistencies
from etl.sample.milestone_sheet import _milestone_columns, _milestone_rows
from etl.sample.model import Problem, Programme, Project
from etl.sample.problem_sheet import _problem_columns, _problem_row
from etl.sample.problems import problem_at
from etl.sample.programme import build_programme, programme_summary, reserve_members
from etl.sample.progress_sheet import _progress_columns, _progress_row, _row_sort_key
from etl.sample.reserve_sheet import _reserve_columns, _reserve_row
from etl.sample.senders import MESSINESS, Style
from etl.sample.util import _mi_of, _period, _person, _phone, _ym
from etl.sample.writers import _data_sheet, _write_csv, _write_xlsx, _written_wan


class _Index:
    """按年份、报送单位分组的年度项目，以及按月的储备项目。"""

    def __init__(self, prog: Programme):
        self.by_year_sender: dict[tuple[int, str], list[Project]] = {}
        for y, ps in prog.year_entries.items():
            for p in ps:
                self.by_year_sender.setdefault((y, p.sender), []).append(p)
        self.project = {p.pid: p for p in prog.projects}
        self.problems_by_pid: dict[int, list[Problem]] = {}
        for pr in prog.problems:
            self.problems_by_pid.setdefault(pr.pid, []).append(pr)


def _period_output(prog: Programme, mi: int, out: Path, index: _Index, forced: dict, incons: dict) -> dict:
    y, m = _ym(mi)
    period = _period(mi)
    folder = out / period
    folder.mkdir(parents=True, exist_ok=True)
    report_day = dt.date(*_ym(mi + 1), 5)
    # 本月问题清单
    problems_by_sender: dict[str, list[tuple[Problem, tuple]]] = {}
    open_text: dict[int, str] = {}
    for pr in prog.problems:
        at = problem_at(pr, mi)
        if at is None:
            continue
        p = index.project[pr.pid]
        problems_by_sender.setdefault(p.sender, []).append((pr, at))
        if at[0] != "closed" and pr.pid not in open_text:
            open_text[pr.pid] = pr.text
    reserve_by_sender: dict[str, list[Project]] = {}
    for p in reserve_members(prog, mi):
        reserve_by_sender.setdefault(p.sender, []).append(p)

    files, faults, omissions, inconsistencies = [], [], [], []
    seeds, protect = incons["seeds"], incons["protect"]
    truth = {"progress_rows": 0, "annual_plan_wan": 0.0, "completed_month_wan": 0.0, "completed_ytd_wan": 0.0,
             "completed_cum_wan": 0.0, "reserve_rows": 0, "reserve_total_wan": 0.0,
             "key_projects": {lvl: 0 for lvl in vocab.KEY_LEVEL}, "problems": {s: 0 for s in vocab.PROBLEM_STATE},
             "problem_rows": 0, "milestone_rows": 0, "approval_rows": 0, "factor_rows": 0, "faulty_rows": 0, "senders_reported": [], "senders_missing": [],
             "senders_empty": [],
             "by_sender": {}, "by_county": {}}
    for sender in prog.senders:
        if mi == prog.end and sender.sid == LATE_REPORTER:
            truth["senders_missing"].append(sender.sid)
            continue
        style = sender.style
        rng = random.Random(f"{prog.seed}|{prog.scale}|{period}|{sender.sid}|报表")
        names = style.sheet_names
        # 项目进展
        new_rows, cont_rows = [], []
        for p in index.by_year_sender.get((y, sender.sid), []):
            e = p.entries[y]
            if e.listed_from > mi:
                continue
            row = _progress_row(p, e, mi, open_text.get(p.pid))
            row["_omit_ok"] = e.listed_from < mi < prog.end and m < 12 and p.pid not in protect
            _blank_some(row, rng)
            if p.pid in seeds:
                row.update(seeds[p.pid]["set"])
                row["_incons"] = seeds[p.pid]
            (new_rows if e.library == "new_start" else cont_rows).append(row)
        new_rows.sort(key=_row_sort_key)
        cont_rows.sort(key=_row_sort_key)
        keyed = [r["_pid"] for r in new_rows + cont_rows if r["_key"]]
        (new_rows, cont_rows), bad, omitted = _inject_faults([new_rows, cont_rows], rng,
                                                             forced.get((mi, sender.sid), []), style, True,
                                                             protect)
        if style.title_order == "place_first":
            p_title = f"{sender.place}{y}年{m}月重点工程及年度建设项目进展情况表"
        else:
            p_title = f"{y}年{m}月{sender.place}重点工程及年度建设项目进展情况表"
        unit_line = f"单位：{style.unit}" if style.unit_line else None
        date_text = report_day.isoformat()
        sheet_p = _data_sheet(names[0], _progress_columns(style), sender, p_title, unit_line, date_text,
                              [("一、新开工项目", new_rows), ("二、续建项目", cont_rows)], True, False)
        # 储备项目
        res = sorted(reserve_by_sender.get(sender.sid, []), key=lambda p: (p.reserve_from, p.code))
        r_rows = []
        for p in res:
            row = _reserve_row(p, mi)
            _blank_some(row, rng)
            r_rows.append(row)
        sheet_r = _data_sheet(names[1], _reserve_columns(style), sender, f"{y}年{m}月{sender.place}储备项目库清单",
                              unit_line, date_text,
                              [("一、企业投资项目", [r for r in r_rows if r["invest_kind"] == "enterprise"]),
                               ("二、政府投资项目", [r for r in r_rows if r["invest_kind"] == "government"])],
                              True, False)
        # 问题清单
        q_rows = [_problem_row(pr, index.project[pr.pid], at, mi)
                  for pr, at in sorted(problems_by_sender.get(sender.sid, []), key=lambda t: t[0].pid_str)]
        sheet_q = _data_sheet(names[2], _problem_columns(style), sender, f"{y}年{m}月{sender.place}项目建设问题清单",
                              None, date_text, [(None, q_rows)], False, True)
        sheets = [sheet_r, sheet_q]
        # 节点计划（有重点工程时）
        m_rows = []
        for pid in keyed:
            m_rows += _milestone_rows(index.project[pid], mi)
        if m_rows:
            sheets.append(_data_sheet(names[3], _milestone_columns(style), sender,
                                      f"{y}年{m}月{sender.place}重点工程节点计划（挂图作战）表", None, date_text,
                                      [(None, m_rows)], False, True))
        # 审批事项、要素保障（有这些项目时）
        a_rows, f_rows = [], []
        for p in sorted(index.by_year_sender.get((y, sender.sid), []), key=lambda p: p.code):
            e = p.entries[y]
            if e.listed_from > mi:
                continue
            first = mi == min(x.listed_from for x in p.entries.values())
            if p.pid in prog.approvals:
                a_rows += _approval_rows(p, prog.approvals[p.pid], mi, first)
            if p.pid in prog.factors:
                f_rows += _factor_rows(p, prog.factors[p.pid], mi, first, style)
        sheet_a = sheet_f = None
        if a_rows:
            sheet_a = _data_sheet(APPROVAL_SHEET, _approval_columns(style), sender,
                                  f"{y}年{m}月{sender.place}项目审批事项办理情况表", None, date_text,
                                  [(None, a_rows)], False, True)
            sheets.append(sheet_a)
        if f_rows:
            sheet_f = _data_sheet(FACTOR_SHEET, _factor_columns(style), sender,
                                  f"{y}年{m}月{sender.place}项目要素保障情况表", None, date_text,
                                  [(None, f_rows)], False, True)
            sheets.append(sheet_f)
        if not (sheet_p.data_rows or sheet_r.data_rows or q_rows or m_rows or a_rows or f_rows):
            truth["senders_empty"].append(sender.sid)  # 本月没有任何项目，不报送
            continue
        base = f"{y}年{m}月_{sender.sid}_项目进展情况表"
        created = dt.datetime(report_day.year, report_day.month, report_day.day, 9, 30, 0)
        if style.csv_progress:
            planned = [(folder / f"{base}.csv", "csv", [sheet_p]), (folder / f"{base}.xlsx", "xlsx", sheets)]
        else:
            planned = [(folder / f"{base}.xlsx", "xlsx", [sheet_p] + sheets)]
        # 只有表头、没有任何数据行的文件不报送（ETL 会拒收这样的文件）
        entry_files = [(path, fmt, shs) for path, fmt, shs in planned if any(sh.data_rows for sh in shs)]
        for path, fmt, shs in entry_files:
            if fmt == "csv":
                _write_csv(path, shs[0])
            else:
                _write_xlsx(path, shs, style, created, sender.filler, sender.filler_org, p_title)
        kinds = {id(sheet_p): "progress", id(sheet_r): "reserve", id(sheet_q): "problems",
                 id(sheet_a): "approvals", id(sheet_f): "factors"}
        for path, fmt, shs in entry_files:
            rel = path.relative_to(out).as_posix()
            files.append({"path": rel, "sender": sender.sid, "period": period, "format": fmt,
                          "encoding": "gbk" if fmt == "csv" else None,
                          "sheets": [{"name": s.name, "kind": kinds.get(id(s), "milestones"), "rows": s.data_rows}
                                     for s in shs]})
        p_file = next((f["path"] for f in files[-len(entry_files):]
                       if any(sh["kind"] == "progress" for sh in f["sheets"])), None)
        # 错误与 truth
        for row in bad:
            vals = {f: (_written_wan(row[f], style) if isinstance(row[f], (int, float)) else row[f])
                    for f in ("annual_plan_wan", "completed_month_wan", "completed_ytd_wan", "completed_cum_wan")}
            faults.append({"file": p_file, "sheet": sheet_p.name, "row": row["_excel_row"],
                           "project_code": index.project[row["_pid"]].code, "kind": row["_fault"],
                           "label": FAULT_LABEL[row["_fault"]], "values": vals})
        for row in omitted:
            omissions.append({"period": period, "sender": sender.sid, "project_code": row["project_code"]})
        for row in new_rows + cont_rows:
            spec = row.get("_incons")
            if spec is not None:
                inconsistencies.append({"file": p_file, "sheet": sheet_p.name, "row": row["_excel_row"],
                                        "period": period, "sender": sender.sid,
                                        "project_code": index.project[row["_pid"]].code, "kind": spec["kind"],
                                        "field": spec["field"], "label": spec["label"],
                                        "value_wan": spec["value_wan"], "reference_wan": spec["reference_wan"]})
        st = {"progress_rows": 0, "annual_plan_wan": 0.0, "completed_month_wan": 0.0, "completed_ytd_wan": 0.0,
              "reserve_rows": len(r_rows), "problem_rows": len(q_rows)}
        for row in new_rows + cont_rows:
            if row.get("_fault") or "_exact_of" in row:
                continue
            st["progress_rows"] += 1
            plan = _written_wan(row["annual_plan_wan"], style)
            mon = _written_wan(row["completed_month_wan"], style)
            ytd = _written_wan(row["completed_ytd_wan"], style)
            cum = _written_wan(row["completed_cum_wan"], style)
            st["annual_plan_wan"] += plan
            st["completed_month_wan"] += mon
            st["completed_ytd_wan"] += ytd
            truth["completed_cum_wan"] += cum
            if row["_key"]:
                truth["key_projects"][row["_key"]] += 1
            c = truth["by_county"].setdefault(row["_county"], {"progress_rows": 0, "annual_plan_wan": 0.0,
                                                               "completed_ytd_wan": 0.0})
            c["progress_rows"] += 1
            c["annual_plan_wan"] += plan
            c["completed_ytd_wan"] += ytd
        truth["faulty_rows"] += len(bad)
        for f in ("progress_rows", "annual_plan_wan", "completed_month_wan", "completed_ytd_wan", "reserve_rows",
                  "problem_rows"):
            truth[f] += st[f]
        truth["reserve_total_wan"] += sum(_written_wan(r["total_investment_wan"], style) for r in r_rows)
        for r in q_rows:
            truth["problems"][r["_state"]] += 1
        truth["milestone_rows"] += len(m_rows)
        truth["approval_rows"] += len(a_rows)
        truth["factor_rows"] += len(f_rows)
        truth["senders_reported"].append(sender.sid)
        truth["by_sender"][sender.sid] = {k: round(v, 2) if isinstance(v, float) else v for k, v in st.items()}
    for k in ("annual_plan_wan", "completed_month_wan", "completed_ytd_wan", "completed_cum_wan", "reserve_total_wan"):
        truth[k] = round(truth[k], 2)
    truth["by_county"] = {c: {k: round(v, 2) if isinstance(v, float) else v for k, v in d.items()}
                          for c, d in sorted(truth["by_county"].items())}
    return {"files": files, "faults": faults, "omissions": omissions, "inconsistencies": inconsistencies,
            "truth": truth}


def _remove_previous(out: Path) -> None:
    """删除上一次生成的文件（只删旧 manifest 中列出的）。"""
    old = out / "manifest.json"
    if not old.exists():
        return
    try:
        listed = json.loads(old.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError):
        return
    for f in listed:
        p = out / f.get("path", "")
        if p.is_file() and p.resolve().is_relative_to(out.resolve()):
            p.unlink()
    for d in sorted({(out / f.get("path", "")).parent for f in listed}, reverse=True):
        if d != out and d.is_dir() and not any(d.iterdir()):
            d.rmdir()


_WORKER_STATE: tuple | None = None


def _period_worker(mi: int) -> tuple[int, dict]:
    prog, out, index, forced, incons = _WORKER_STATE  # type: ignore[misc]
    return mi, _period_output(prog, mi, out, index, forced, incons[mi])


def _auto_workers(n_months: int) -> int:
    """多进程只在单线程的进程中使用（fork 在多线程进程中不安全，如 Streamlit 内调用时）。"""
    if n_months < 4 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(4, os.cpu_count() or 1, n_months // 2))


class SampleRun:
    """一次生成：先构造盘子（与月份无关），再按任意顺序写各月文件，最后写 manifest.json。

    各月的文件只取决于盘子和月份，与写的先后、进程数无关；finish() 按月份顺序汇总，所以
    先写最近几个月、再写其余月份（首次启动时）与 generate() 一次写完，文件和 manifest 都相同。
    """

    def __init__(self, out: Path, seed: int = 2021, scale: float = 1.0, start: str = "2024-01",
                 end: str = "2026-10"):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.seed, self.scale = seed, scale
        prog = self.prog = build_programme(seed, scale, start, end)
        people_rng = random.Random(f"{seed}|报送人")
        used = {ld["name"] for ld in prog.leaders}
        for s in prog.senders:
            s.filler = _person(people_rng, used)
            s.reviewer = _person(people_rng, used)
            s.phone = _phone(people_rng)
        _remove_previous(self.out)
        self.months = list(range(prog.start, prog.end + 1))
        self.index = _Index(prog)
        self.forced = _forced_faults(prog, self.months)
        self.incons = _plan_inconsistencies(prog, self.months)

    def month(self, mi: int) -> dict:
        """写一个月各报送单位的文件，返回该月的 files、faults、omissions、inconsistencies、truth。"""
        return _period_output(self.prog, mi, self.out, self.index, self.forced, self.incons[mi])

    def in_workers(self, months: list[int], workers: int, nice: int = 0):
        """在 workers 个子进程（fork）中写这些月份：子进程此刻就开始写，返回的迭代器按完成先后
        给出 (月份, 结果)。nice 为子进程的调度优先级增量（首次启动时后台写历史月份，让最近月份的
        检查和入库先用 CPU）。子进程只写表格，不用 polars、DuckDB（fork 之后不安全）。"""
        global _WORKER_STATE
        _WORKER_STATE = (self.prog, self.out, self.index, self.forced, self.incons)
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=os.nice, initargs=(nice,))
        todo = pool.imap_unordered(_period_worker, months)

        def results():
            global _WORKER_STATE
            try:
                yield from todo
                pool.close()
            finally:
                pool.terminate()
                pool.join()
                _WORKER_STATE = None

        return results()

    def finish(self, results: dict[int, dict]) -> dict:
        """按月份顺序汇总各月结果，写出并返回 manifest.json。"""
        prog, months = self.prog, self.months
        files, faults, omissions, inconsistencies, truth = [], [], [], [], {}
        for mi in months:
            res = results[mi]
            files.extend(res["files"])
            faults.extend(res["faults"])
            omissions.extend(res["omissions"])
            inconsistencies.extend(res["inconsistencies"])
            truth[_period(mi)] = res["truth"]
        return _write_manifest(self, files, faults, omissions, inconsistencies, truth)


def generate(out: Path, seed: int = 2021, scale: float = 1.0, start: str = "2024-01", end: str = "2026-10",
             progress=None, workers: int | None = None) -> dict:
    """生成 start—end 各月、各报送单位的月报表到 out，返回并写出 out/manifest.json。

    progress(done, total) 每写完一个月调用一次（done、total 为月数）。workers 为并行进程数，
    默认自动（单线程进程中按 CPU 数最多 4 个，否则 1 个）；结果与进程数无关。
    """
    run = SampleRun(out, seed, scale, start, end)
    months = run.months
    n_workers = _auto_workers(len(months)) if workers is None else max(1, int(workers))
    if progress:
        progress(0, len(months))
    results: dict[int, dict] = {}
    done = (run.in_workers(months, n_workers) if n_workers > 1 else ((mi, run.month(mi)) for mi in months))
    for mi, res in done:
        results[mi] = res
        if progress:
            progress(len(results), len(months))
    return run.finish(results)


def _write_manifest(run: SampleRun, files, faults, omissions, inconsistencies, truth) -> dict:
    prog, months, out, seed, scale = run.prog, run.months, run.out, run.seed, run.scale
    summary = programme_summary(prog)
    manifest = {
        "generator": "etl.sample",
        "seed": seed,
        "scale": scale,
        "start": _period(prog.start),
        "end": _period(prog.end),
        "months": [_period(mi) for mi in months],
        "money_unit": "万元",
        "senders": [{"name": s.sid, "kind": s.kind, "unit_code": s.unit_code, "filler_org": s.filler_org,
                     "sheet_names": list(s.style.sheet_names),
                     "style": {k: getattr(s.style, k) for k in Style.__dataclass_fields__}}
                    for s in prog.senders],
        "late_reporters": {_period(prog.end): [LATE_REPORTER]},
        "messiness": [{"sender": s, "what": w} for s, w in MESSINESS],
        "files": files,
        "faults": faults,
        "omissions": omissions,
        "inconsistencies": inconsistencies,
        "reopened_problems": [
            {"problem_id": pr.pid_str, "closed_unsatisfied": pr.closed.isoformat(),
             "satisfaction": pr.satisfaction, "reopened": rd.reopened.isoformat(), "deadline": rd.deadline.isoformat(),
             "closed": rd.closed.isoformat() if rd.closed else None, "final_satisfaction": rd.satisfaction}
            for pr in prog.problems for rd in pr.reopens if prog.start <= _mi_of(rd.reopened) <= prog.end],
        "blank_leader_projects": prog.blank_leader_codes,
        "leaders": [{"name": ld["name"], "title": ld["title"], "level": ld["level"]} for ld in prog.leaders],
        "truth_rules": ("progress_rows 等只统计有效行：有错误的行（faults）不计；完全重复的行只计一次；"
                        "统计口径疑点行（inconsistencies）是有效行，照常计入；"
                        "同一项目数据冲突的两行都不计；迟报单位没有文件。金额为文件中实际写的数折成万元。"),
        "truth": truth,
        "calibration": {
            "annual_plan_target_wan": {str(y): round(v, 2) for y, v in prog.targets.items()},
            "county_factor": {divisions.COUNTY_NAME[c]: f for c, f in COUNTY_FACTOR.items()},
            "reserve_target_ratio": RESERVE_TARGET_RATIO,
            "season": list(SEASON),
        },
        "summary": summary,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    (out / "manifest.json").write_text(text, encoding="utf-8")
    return json.loads(text)
