"""python -m ui.report quarterly|notice|special … --out DIR: the centre's documents as Word files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ui.briefing import _period, available_period
from ui.report import parse_quarter, quarter_end, render


def _quarter(text: str) -> tuple[int, int]:
    try:
        return parse_quarter(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m ui.report", description="生成可编辑的Word文档（季度分析、排队通报、项目专报）")
    sub = ap.add_subparsers(dest="kind", required=True)
    q = sub.add_parser("quarterly", help="季度项目建设情况分析")
    q.add_argument("--quarter", type=_quarter, required=True, help="季度，如 2026Q3")
    n = sub.add_parser("notice", help="“比亮晒”排队通报")
    n.add_argument("--period", type=_period, help="数据期间，如 2026-10（默认最新月份）")
    n.add_argument("--units", action="store_true", help="另为每个县区、开发区各生成一份")
    s = sub.add_parser("special", help="项目专报（重点工程，每项目一页）")
    s.add_argument("--period", type=_period, help="数据期间，如 2026-10（默认最新月份）")
    s.add_argument("--project", action="append", default=[], help="项目代码（可多次给出）")
    s.add_argument("--leader", help="包联领导姓名：其包联的全部重点工程")
    for p in (q, n, s):
        p.add_argument("--out", type=Path, required=True, help="输出目录")
    return ap


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)

    period, error = available_period(quarter_end(*a.quarter) if a.kind == "quarterly" else a.period)
    if error:
        print(error, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    if a.kind == "quarterly":
        from ui.report import quarterly

        reports = [quarterly.build(quarterly.load(*a.quarter))]
    elif a.kind == "notice":
        from ui.report import notice

        data = notice.load(period)
        reports = [notice.build(data)] + ([notice.build_unit(data, c) for c in notice.ranked_units(data)]
                                          if a.units else [])
    else:
        from ui.report import special

        data = special.load(period, projects=a.project or None, leader=a.leader)
        if not data.projects:
            print("没有符合条件的重点工程（项目代码或包联领导）", file=sys.stderr)
            return 2
        reports = [special.build(data)]
    a.out.mkdir(parents=True, exist_ok=True)
    for rep in reports:
        path = a.out / f"{rep.file_stem}.docx"
        path.write_bytes(render(rep))
        print(f"{path}  {path.stat().st_size / 1024:,.0f} KB")
    print(f"已生成{len(reports):,}个Word文档，用时{time.perf_counter() - t0:.1f}秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
