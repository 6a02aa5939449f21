"""Export a published warehouse state as hive-partitioned Parquet, for a provincial roll-up.

Month-by-month relations are written one folder per month
(`project_month/period=2026-10-01/data_0.parquet`), the others as one file each, so DuckDB,
Spark or StarRocks read them with hive partitioning. `_meta.json` says which state and data
date the export holds. The state file is read only; nothing in the warehouse changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from etl.warehouse import current_state

# the relations of the warehouse contract (README), in that order
RELATIONS = ("project_month", "projects", "milestones", "problems", "problem_month", "load_log",
             "quarantine", "partitions", "units", "stg_progress", "stg_reserve", "stg_problems",
             "stg_milestones")
# month by month relations, one folder per month; the rest (latest states, logs, units) one file each
MONTHLY = frozenset({"project_month", "problem_month", "quarantine", "stg_progress", "stg_reserve",
                     "stg_problems", "stg_milestones"})


def _sql_str(value: str) -> str:
    """A string literal (COPY takes no bound parameter for its target path)."""
    return "'" + value.replace("'", "''") + "'"


def export_parquet(out: Path, db: Path | None = None) -> dict[str, dict]:
    """Write every contract relation of the current state under `out`; relation → {rows, partitioned}."""
    state = current_state(db)
    if state is None:
        raise FileNotFoundError("数据仓库尚未建立")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(state), read_only=True)
    written: dict[str, dict] = {}
    try:
        tables = {r[0] for r in con.sql("select table_name from duckdb_tables()").fetchall()}
        for name in RELATIONS:
            if name not in tables:
                continue
            partitioned = name in MONTHLY
            target = out / (name if partitioned else f"{name}.parquet")
            if target.is_dir():  # an earlier export of the same relation is replaced whole
                shutil.rmtree(target)
            target.unlink(missing_ok=True)
            rows = con.sql(f"select count(*) from {name}").fetchall()[0][0]
            if partitioned:
                con.execute(f"copy (select * from {name} order by period) to {_sql_str(str(target))} "
                            f"(format parquet, partition_by (period))")
            else:
                con.execute(f"copy {name} to {_sql_str(str(target))} (format parquet)")
            written[name] = {"rows": rows, "partitioned": partitioned}
        meta = dict(con.sql("select key, value from meta").fetchall()) if "meta" in tables else {}
    finally:
        con.close()
    (out / "_meta.json").write_text(json.dumps(
        {"state": state.name, "data_period": meta.get("data_period"), "relations": written},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return written
