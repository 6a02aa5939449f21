"""A unit's own rows: in a county's or development zone's upload, the rows of projects that belong
to another unit are moved from the accepted rows to the quarantine, with a reason naming both
units, and the unit's own rows load. Runs after etl.read on the whole checked report (polars,
one filter per sheet); the file's declared sender is checked here too.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl

from etl import divisions
from etl.read import FileReport, _footnote_sender, read_grids, sender_name
from etl.schema import QUARANTINE_SCHEMA

RULE = "不属于本单位"
COLUMN = "所在县区"
_FOOTNOTE_REASON = "落款或注释行"


def declared_sender(report: FileReport, data: bytes) -> str | None:
    """The 填报单位 the file itself names (a footnote or a line above a header), canonical, or
    None. The report's `sender` is the one chosen at upload; this is the one written."""
    grids = dict(read_grids(Path(report.file_name), data))
    for s in report.sheets:
        grid = grids.get(s.sheet.split("、")[0])
        if grid is None:
            continue
        rows = list(range(max(s.header_row - 1, 0))) + [r - 1 for r, why in s.skipped if why == _FOOTNOTE_REASON]
        for i in rows:
            if 0 <= i < len(grid) and (found := _footnote_sender([c for c in grid[i] if c])):
                return sender_name(found)
    return None


def project_units(report: FileReport) -> pl.DataFrame:
    """project_code → unit_code (the development zone, else the county) of the file's project rows."""
    frames = []
    for s in report.sheets:
        df = s.accepted
        if "county_code" in df.columns and "project_code" in df.columns:
            frames.append(df.select("project_code", _unit_expr(df).alias("unit_code")))
    if not frames:
        return pl.DataFrame(schema={"project_code": pl.String, "unit_code": pl.String})
    return pl.concat(frames).drop_nulls().unique("project_code", keep="first")


def _unit_expr(df: pl.DataFrame) -> pl.Expr:
    return pl.coalesce("zone_code", "county_code") if "zone_code" in df.columns else pl.col("county_code")


def keep_own(report: FileReport, unit_code: str, known: pl.DataFrame | None = None) -> FileReport:
    """The report with every accepted row of another unit's project moved to the quarantine.

    A row's unit is its own 所在县区/开发区 where the sheet has one (项目进展, 储备项目), otherwise
    its project's: from the file's project rows first, then from `known` (project_code,
    unit_code: the warehouse's projects). Rows whose unit is unknown stay accepted."""
    mine = divisions.UNIT_NAME.get(unit_code, unit_code)
    units = project_units(report)
    if known is not None and known.height:
        units = pl.concat([units, known.select("project_code", "unit_code").cast(pl.String)]) \
            .drop_nulls().unique("project_code", keep="first")
    names = pl.DataFrame({"unit_code": list(divisions.UNIT_NAME), "unit_name": list(divisions.UNIT_NAME.values())})
    sheets = []
    for s in report.sheets:
        df = s.accepted
        if not df.height or "project_code" not in df.columns:
            sheets.append(s)
            continue
        if "county_code" in df.columns:
            unit = df.select(_unit_expr(df).alias("_unit"))["_unit"]
        else:
            unit = df.select("project_code").join(units, on="project_code", how="left", maintain_order="left")["unit_code"]
        other = unit.is_not_null() & (unit != unit_code)
        if not other.any():
            sheets.append(s)
            continue
        moved = df.filter(other).with_columns(unit.filter(other).alias("_unit")).join(
            names, left_on="_unit", right_on="unit_code", how="left", maintain_order="left")
        name = pl.col("name") if "name" in moved.columns else pl.lit(None, pl.String)
        what = pl.concat_str(pl.lit("项目「"), pl.coalesce(name, "project_code"), pl.lit("」"))
        owner = pl.coalesce("unit_name", "_unit")
        prefix = pl.concat_str(pl.lit(f"文件「{report.file_name}」工作表「{s.sheet}」第"),
                               pl.col("source_row").cast(pl.String), pl.lit("行："))
        q = moved.select(
            source_file=pl.lit(report.file_name),
            sheet=pl.lit(s.sheet),
            source_row=pl.col("source_row").cast(pl.Int32),
            kind=pl.lit(s.kind),
            project_code=pl.col("project_code"),
            column_name=pl.lit(COLUMN),
            value=owner,
            rule=pl.lit(RULE),
            message=pl.concat_str(prefix, what, pl.lit("属于"), owner, pl.lit(f"，不属于{mine}：只能上传本单位的项目，"
                                                                            "该行不导入（可由推进中心加载）")),
            raw=pl.struct(项目代码="project_code", 项目名称=name, 所属单位=owner).struct.json_encode(),
        ).cast(QUARANTINE_SCHEMA)
        quarantine = pl.concat([s.quarantine.cast(QUARANTINE_SCHEMA), q]).sort("source_row", maintain_order=True)
        sheets.append(dataclasses.replace(s, accepted=df.filter(~other), quarantine=quarantine))
    return dataclasses.replace(report, sheets=sheets)


def moved_rows(report: FileReport) -> int:
    """How many rows keep_own moved to the quarantine."""
    return sum(s.quarantine.filter(pl.col("rule") == RULE).select("sheet", "source_row").n_unique()
               for s in report.sheets if s.quarantine.height)
