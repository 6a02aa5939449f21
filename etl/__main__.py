"""Command line: python -m etl {sample,check,load,history,rollback,bootstrap,export}."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from etl import config


def _progress_bar(label: str):
    def show(*args):
        stage, done, total = args if len(args) == 3 else (label, *args)
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{ {'read': '检查', 'load': '写入'}.get(stage, stage)} "
                         f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in (".xlsx", ".csv", ".parquet", ".xls")
                          and not f.name.startswith(("~$", ".")))
        else:
            out.append(p)
    return out


def cmd_sample(args) -> int:
    from etl.sample import generate

    t0 = time.perf_counter()
    out = Path(args.out or config.sample_dir())
    manifest = generate(out, seed=args.seed, scale=args.scale, start=args.start, end=args.end,
                        progress=None if args.json else _progress_bar("生成"))
    secs = time.perf_counter() - t0
    if args.json:
        print(json.dumps({"out": str(out), "seconds": round(secs, 2), "files": len(manifest.get("files", []))},
                         ensure_ascii=False))
    else:
        print(f"已生成示例数据：{out}（{len(manifest.get('files', []))} 个文件，用时 {secs:.1f} 秒）")
    return 0


def cmd_check(args) -> int:
    from etl.guard import summary_lines
    from etl.parse import parse_period_arg
    from etl.read import FileError, read_file

    period = parse_period_arg(args.period) if args.period else None
    results, rc = [], 0
    for f in _files(args.paths):
        try:
            r = read_file(f, period=period, unit=args.unit)
        except FileError as e:
            rc = 1
            results.append({"file": f.name, "ok": False, "message": str(e)})
            if not args.json:
                print(f"✗ {e}")
            continue
        entry = {"file": f.name, "ok": True, "period": r.period.isoformat(), "sender": r.sender,
                 "rows_read": r.rows_read, "rows_accepted": r.rows_accepted,
                 "rows_quarantined": r.rows_quarantined, "warnings": r.warnings,
                 "sheets": [{"sheet": s.sheet, "kind": s.kind, "mapping": s.mapping,
                             "unrecognised": s.unrecognised, "unit": s.unit,
                             "quarantine": s.quarantine.select("source_row", "column_name", "value", "rule",
                                                               "message").to_dicts()}
                            for s in r.sheets],
                 "skipped_sheets": [{"sheet": k.sheet, "rows": k.rows, "reason": k.reason} for k in r.skipped_sheets],
                 "filled_date": r.filled_date.isoformat() if r.filled_date else None}
        results.append(entry)
        if not args.json:
            print(f"✓ {f.name}：{r.period.year}年{r.period.month}月，填报单位 {r.sender}，读取 {r.rows_read} 行，"
                  f"通过 {r.rows_accepted} 行，隔离 {r.rows_quarantined} 行")
            for s in r.sheets:
                if s.unrecognised:
                    print(f"    工作表「{s.sheet}」未识别的表头：{'、'.join(s.unrecognised)}")
                for line in summary_lines(s.quarantine):  # one line per reason when there are many
                    print(f"    - {line}")
            for k in r.skipped_sheets:
                print(f"    工作表「{k.sheet}」已跳过：{k.reason}")
            for w in r.warnings:
                print(f"    ! {w}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return rc


def cmd_load(args) -> int:
    from etl.parse import parse_period_arg
    from etl.warehouse import load_files

    period = parse_period_arg(args.period) if args.period else None
    files = _files(args.paths)
    if not files:
        print("没有找到要加载的文件", file=sys.stderr)
        return 2
    db = Path(args.db) if args.db else None
    result = load_files(files, db=db, period=period, unit=args.unit, user=args.user,
                        progress=None if args.json or len(files) < 2 else _progress_bar("加载"))
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    else:
        for o in result.outcomes:
            mark = {"loaded": "✓", "unchanged": "=", "error": "✗"}[o.status]
            if o.status == "error":
                print(f"{mark} {o.message}")
            else:
                print(f"{mark} {o.file_name}：{o.period.year}年{o.period.month}月 {o.sender}，读取 {o.rows_read} 行，"
                      f"通过 {o.rows_accepted} 行，隔离 {o.rows_quarantined} 行"
                      + (f"（其中多单位重复上报 {o.conflicts} 行）" if o.conflicts else "")
                      + ("" if o.status == "loaded" else f"，{o.message}"))
        loaded = sum(o.status == "loaded" for o in result.outcomes)
        print(f"共 {len(result.outcomes)} 个文件：加载 {loaded} 个，"
              f"未变 {sum(o.status == 'unchanged' for o in result.outcomes)} 个，"
              f"失败 {sum(o.status == 'error' for o in result.outcomes)} 个；用时 {result.seconds:.1f} 秒")
    return 0 if result.ok else 1


def cmd_history(args) -> int:
    from etl.warehouse import available_states, history

    db = Path(args.db) if args.db else None
    h = history(db)
    for row in h.iter_rows(named=True):
        print(f"{row['load_id']:>5} {row['loaded_at']:%Y-%m-%d %H:%M:%S} {row['action']:<8} {row['status']:<14} "
              f"{str(row['period'] or ''):<10} {row['sender'] or '':<12} {row['file_name'] or ''}")
    print("可回退的历史状态：")
    for s in available_states(db):
        print("  ", s.name)
    return 0


def cmd_rollback(args) -> int:
    from etl.warehouse import rollback

    try:
        target = rollback(args.state, Path(args.db) if args.db else None, user=args.user)
    except FileNotFoundError as e:
        print(f"✗ {e}", file=sys.stderr)
        return 1
    print(f"已回退，当前状态：{target.name}")
    return 0


def _progress_lines(stage: str, done: int, total: int) -> None:
    """Progress for another program (the cockpit's first start): one `stage done total` line each."""
    print(stage, done, total, flush=True)


def cmd_bootstrap(args) -> int:
    from etl.bootstrap import ensure_warehouse

    ensure_warehouse(Path(args.db) if args.db else None,
                     progress=_progress_lines if args.progress_lines else _progress_bar("初始化"))
    return 0


def cmd_export(args) -> int:
    from etl.export import export_parquet

    t0 = time.perf_counter()
    written = export_parquet(Path(args.out), Path(args.db) if args.db else None)
    if args.json:
        print(json.dumps({"out": args.out, "relations": written}, ensure_ascii=False, indent=1))
    else:
        for name, info in written.items():
            print(f"✓ {name}：{info['rows']:,} 行" + ("（按月分区）" if info["partitioned"] else ""))
        print(f"已导出到 {args.out}（Parquet，按 period 分区），用时 {time.perf_counter() - t0:.1f} 秒")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m etl", description="大同项目建设驾驶舱：数据加载工具")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("sample", help="生成示例数据（各县区月报表）")
    s.add_argument("--seed", type=int, default=2021)
    s.add_argument("--scale", type=float, default=1.0)
    s.add_argument("--out", help="输出目录，默认 data/sample")
    s.add_argument("--start", default="2024-01")
    s.add_argument("--end", default="2026-10")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_sample)

    for name, func, helptext in (("check", cmd_check, "只检查文件，不写入"), ("load", cmd_load, "检查并加载文件")):
        c = sub.add_parser(name, help=helptext)
        c.add_argument("paths", nargs="+", help="文件或目录")
        c.add_argument("--period", help="数据期间，如 2026-10（文件中没有写明时使用）")
        c.add_argument("--unit", help="填报单位（文件中没有写明时使用）")
        c.add_argument("--json", action="store_true", help="输出 JSON")
        c.add_argument("--db", help="数据仓库路径（默认 COCKPIT_DB 或 data/cockpit.duckdb）")
        c.add_argument("--user", help="操作人")
        c.set_defaults(func=func)

    h = sub.add_parser("history", help="加载历史")
    h.add_argument("--db")
    h.set_defaults(func=cmd_history)

    r = sub.add_parser("rollback", help="回退到历史状态")
    r.add_argument("state", help="历史状态文件名，如 state-20261105-101500-ab12cd.duckdb")
    r.add_argument("--db")
    r.add_argument("--user")
    r.set_defaults(func=cmd_rollback)

    b = sub.add_parser("bootstrap", help="没有数据仓库时用示例数据建立")
    b.add_argument("--db")
    b.add_argument("--progress-lines", action="store_true", help="进度逐行输出（阶段 已完成 总数），供驾驶舱读取")
    b.set_defaults(func=cmd_bootstrap)

    e = sub.add_parser("export", help="导出数据仓库（按月分区的 Parquet，供省级汇总）")
    e.add_argument("--format", choices=["parquet"], default="parquet", help="导出格式")
    e.add_argument("--out", required=True, help="输出目录")
    e.add_argument("--db")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_export)

    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
