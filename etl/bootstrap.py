"""First start: build the warehouse from the bundled sample when there is none.

The cockpit runs this as its own process (`python -m etl bootstrap --progress-lines`, from
ui/data.py): inside the server both the generator and the reader would work on one core
(they start worker processes only from a plain command line), here they use them all.
"""

from __future__ import annotations

from pathlib import Path

from etl import config


def sample_files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.suffix.lower() in (".xlsx", ".csv", ".parquet"))


def ensure_warehouse(db: Path | None = None, progress=None) -> bool:
    """Generate the sample spreadsheets and load them if no warehouse exists. True if built."""
    from etl.warehouse import current_state, load_files

    db = Path(db or config.db_path())
    if current_state(db) is not None:
        return False
    folder = config.sample_dir()
    if not (folder / "manifest.json").exists():
        from etl.sample import generate

        generate(folder, progress=(lambda done, total: progress("generate", done, total)) if progress else None)
    files = sample_files(folder)
    load_files(files, db=db, user="示例数据", progress=progress)
    return True
