"""The reader's whole answer for a set of files, saved and compared row for row.

A change to how `etl.read` checks rows must give exactly the same answers: per file the
period, sender, warnings, skipped sheets and 填报日期, or the FileError's message; per sheet its
layout, rows read and skipped, the accepted rows (every staged column) and the quarantined rows
with their reasons and messages, in order.

    .venv/bin/python tests/read_answers.py save DIR OUT      # the answers of every file under DIR
    .venv/bin/python tests/read_answers.py compare DIR OUT   # the same files again: every difference
    .venv/bin/python tests/read_answers.py compare DIR OUT 0 # … every sheet's rules over the whole sheet
    .venv/bin/python tests/read_answers.py compare DIR OUT - 100  # … files read 100 at a time (read_files)

`tests/test_read_answers.py` holds the digests of the real-format variants (tests/realfiles.py)
and the fixture files, so the comparison also runs with the tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.read import FileError, FileReport, read_file, read_files  # noqa: E402

TODAY = dt.date(2026, 11, 20)
SUFFIXES = {".xlsx", ".xls", ".csv", ".parquet", ".txt", ".xlsm"}


def _plain(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float):
        return repr(v)
    return v


def meta(report: FileReport | str) -> dict:
    """Everything of a report but its row frames (a refused file: its message)."""
    if isinstance(report, str):
        return {"error": report}
    return {
        "period": report.period.isoformat(), "sender": report.sender, "warnings": report.warnings,
        "skipped_sheets": [[s.sheet, s.rows, s.reason] for s in report.skipped_sheets],
        "filled_date": _plain(report.filled_date),
        "sheets": [{"sheet": s.sheet, "kind": s.kind, "header_row": s.header_row, "header_rows": s.header_rows,
                    "mapping": s.mapping, "unrecognised": s.unrecognised, "unit": s.unit, "rows_read": s.rows_read,
                    "warnings": s.warnings, "skipped": [list(x) for x in s.skipped],
                    "header_dates": s.header_dates, "accepted_schema": [[c, str(t)] for c, t in s.accepted.schema.items()],
                    "quarantine_schema": [[c, str(t)] for c, t in s.quarantine.schema.items()],
                    "accepted_rows": s.accepted.height, "quarantined_rows": s.quarantine.height}
                   for s in report.sheets]}


def read(path: Path, **kw) -> FileReport | str:
    try:
        return read_file(path, today=kw.pop("today", TODAY), **kw)
    except FileError as e:
        return str(e)


def read_many(paths: list[Path], **kw) -> list[FileReport | str]:
    """read of several files in one etl.read.read_files call."""
    return [str(r) if isinstance(r, FileError) else r for r in read_files(paths, today=kw.pop("today", TODAY), **kw)]


def digest(report: FileReport | str) -> str:
    """One hash of the whole answer: meta and every row of every frame, in order."""
    h = hashlib.sha256(json.dumps(meta(report), ensure_ascii=False, sort_keys=True).encode())
    if not isinstance(report, str):
        for s in report.sheets:
            for frame in (s.accepted, s.quarantine):
                for row in frame.iter_rows():
                    h.update(json.dumps([_plain(v) for v in row], ensure_ascii=False).encode())
                h.update(b"|")
    return h.hexdigest()[:16]


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def answers(folder: Path, batch: int = 1) -> tuple[dict, dict[str, list[pl.DataFrame]], dict[str, list[pl.DataFrame]]]:
    """(meta per file, accepted frames per kind, quarantine frames per kind) of every file under
    folder, read `batch` files at a time."""
    metas, acc, qua = {}, {}, {}
    files = files_under(folder)
    reports = [r for k in range(0, len(files), batch) for r in
               (read_many(files[k:k + batch]) if batch > 1 else [read(files[k])])]
    for p, r in zip(files, reports):
        rel = str(p.relative_to(folder))
        metas[rel] = meta(r)
        if isinstance(r, str):
            continue
        for s in r.sheets:
            acc.setdefault(s.kind, []).append(s.accepted.with_columns(pl.lit(rel).alias("_file")))
            qua.setdefault(s.kind, []).append(s.quarantine.with_columns(pl.lit(rel).alias("_file")))
    return metas, acc, qua


def save(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    metas, acc, qua = answers(folder)
    (out / "meta.json").write_text(json.dumps(metas, ensure_ascii=False, indent=0, sort_keys=True))
    for name, frames in (("accepted", acc), ("quarantine", qua)):
        for kind, fs in frames.items():
            pl.concat(fs, how="vertical_relaxed").write_parquet(out / f"{name}-{kind}.parquet")
    print(f"saved the answers of {len(metas)} files to {out}")


def compare(folder: Path, out: Path, batch: int = 1) -> int:
    """Print every difference with the saved answers; the number of differences."""
    from polars.testing import assert_frame_equal

    metas, acc, qua = answers(folder, batch)
    saved = json.loads((out / "meta.json").read_text())
    bad = 0
    for rel in sorted(set(saved) | set(metas)):
        now = json.loads(json.dumps(metas[rel], ensure_ascii=False)) if rel in metas else None
        if saved.get(rel) != now:
            bad += 1
            print(f"META {rel}:\n  saved {saved.get(rel)}\n  now   {now}")
    for name, frames in (("accepted", acc), ("quarantine", qua)):
        kinds = {p.stem.split("-", 1)[1] for p in out.glob(f"{name}-*.parquet")} | set(frames)
        for kind in sorted(kinds):
            path = out / f"{name}-{kind}.parquet"
            before = pl.read_parquet(path) if path.exists() else None
            now = pl.concat(frames[kind], how="vertical_relaxed") if kind in frames else None
            if before is None or now is None:
                bad += 1
                print(f"{name} {kind}: only {'now' if before is None else 'saved'}")
                continue
            try:
                assert_frame_equal(before, now, check_exact=True)
            except AssertionError as e:
                bad += 1
                print(f"{name} {kind}: {str(e)[:2000]}")
                if before.height == now.height:
                    diff = [i for i, (a, b) in enumerate(zip(before.iter_rows(), now.iter_rows())) if a != b]
                    for i in diff[:5]:
                        print(f"  row {i}:\n    saved {before.row(i)}\n    now   {now.row(i)}")
            else:
                print(f"{name} {kind}: {now.height:,} rows, same")
    print(f"{len(metas)} files, {bad} differences")
    return bad


if __name__ == "__main__":
    cmd, folder, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if len(sys.argv) > 4 and sys.argv[4] != "-":  # the rows from which the row rules run over whole sheets
        import etl.read

        etl.read.FRAME_RULES_FROM = int(sys.argv[4])
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    if cmd == "save":
        save(folder, out)
    else:
        sys.exit(1 if compare(folder, out, batch) else 0)
