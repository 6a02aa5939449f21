"""First start: build the warehouse from the bundled sample when there is none.

The cockpit runs this as its own process (`python -m etl bootstrap --progress-lines`, from
ui/data.py): inside the server both the generator and the reader would work on one core
(they start worker processes only from a plain command line), here they use them all.

When the sample has to be generated, the build comes in two parts so the overview can show
early. First the programme is built and the months the overview's figures read are written,
checked and loaded (`EARLY`: the latest month, the month before it for rank changes, and the same
month a year earlier for 同比), while worker processes at a lower priority write the other
months. That state is published with a marker beside the warehouse (`history_marker`) saying
the history is still being loaded; views that need the history say so or wait. Then the other
months are loaded and the marker removed: the end state holds the same files and rows as a load
of the whole sample at once. A build stopped half-way resumes at the next start (the marker is
still there): generated files are kept and the files already loaded are skipped.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from etl import config

# months before the latest one that the first part loads: the month before (rank changes,
# 较上月) and the same month a year earlier (同比)
EARLY = (0, 1, 12)
# the bundled sample programme (tests build a smaller one)
SAMPLE = dict(seed=2021, scale=1.0, start="2024-01", end="2026-10")


def sample_files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.suffix.lower() in (".xlsx", ".csv", ".parquet"))


def history_marker(db: Path | None = None) -> Path:
    """The file that says the warehouse holds only the first start's early months so far."""
    db = Path(db or config.db_path())
    return db.with_name(db.name + ".history")


def history_pending(db: Path | None = None) -> dict | None:
    """What the marker says ({"early": [...], "months": n}) while the history is being loaded, else None."""
    marker = history_marker(db)
    try:
        return json.loads(marker.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _note(what: str, t0: float, c0: float) -> None:
    """A timing line on stderr (the server keeps the last lines if the build fails; bench reads them)."""
    print(f"bootstrap {what}: {time.perf_counter() - t0:.1f} s wall, {_cpu() - c0:.1f} s CPU", file=sys.stderr,
          flush=True)


def ensure_warehouse(db: Path | None = None, progress=None) -> bool:
    """Generate the sample spreadsheets and load them if no warehouse exists (or the history of a
    first start is still to be loaded). True if anything was built."""
    from etl.warehouse import current_state, load_files

    db = Path(db or config.db_path())
    pending = history_pending(db)
    if current_state(db) is not None and pending is None:
        return False
    say = progress or (lambda *a: None)
    folder = config.sample_dir()
    t0, c0 = time.perf_counter(), _cpu()
    if (folder / "manifest.json").exists():  # generated before (or shipped): load it all at once
        load_files(sample_files(folder), db=db, user="示例数据", progress=progress)
        history_marker(db).unlink(missing_ok=True)
        _note("load", t0, c0)
        return True
    if pending is not None:  # a first start stopped before its sample was complete: start again
        history_marker(db).unlink(missing_ok=True)
    _staged(folder, db, say, t0, c0)
    return True


def _staged(folder: Path, db: Path, say, t0: float, c0: float) -> None:
    from etl.sample.generate import SampleRun
    from etl.sample.util import _period
    from etl.read import FileError, read_files
    from etl.warehouse import load_files, load_reports

    run = SampleRun(folder, **SAMPLE)
    latest = run.months[-1]
    early = [latest - k for k in EARLY if latest - k in run.months]
    rest = [mi for mi in reversed(run.months) if mi not in early]  # newest first
    results: dict[int, dict] = {}
    say("early", 0, len(early))
    # the early months are written by one worker process per core (forked before this process uses
    # polars or DuckDB: neither is safe to use in a child forked after), and checked here as each
    # arrives; from now on other workers write the history, at a lower priority
    cpus = max(1, os.cpu_count() or 1)
    early_done = run.in_workers(early, min(len(early), cpus))
    history = run.in_workers(rest, cpus, nice=10) if rest else iter(())
    reports = []
    for mi, res in early_done:
        results[mi] = res
        for r in read_files([folder / f["path"] for f in res["files"]]):  # a month's files checked at once
            if isinstance(r, FileError):
                raise RuntimeError(f"示例数据最近月份的报表未通过检查：{r}") from r
            reports.append(r)
        say("early", len(results), len(early))
    history_marker(db).write_text(json.dumps({"early": [_period(mi) for mi in early], "months": len(run.months)},
                                             ensure_ascii=False), encoding="utf-8")
    load_reports(sorted(reports, key=lambda r: r.file_name), db=db, user="示例数据",
                 progress=lambda done, total: say("early_load", done, total))
    _note("early months", t0, c0)
    say("ready", 1, 1)
    say("history", len(results) - len(early), len(rest))
    for mi, res in history:
        results[mi] = res
        say("history", len(results) - len(early), len(rest))
    run.finish(results)
    _note("generation", t0, c0)
    files = sorted(folder / f["path"] for mi in rest for f in results[mi]["files"])
    load_files(files, db=db, user="示例数据",
               progress=lambda stage, done, total: say("history_" + stage, done, total))
    history_marker(db).unlink(missing_ok=True)
    _note("whole sample", t0, c0)
