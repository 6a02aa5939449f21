"""「节点计划」（挂图作战）表：表头写法、每个重点工程节点每月一行。"""

from __future__ import annotations

from etl.sample.model import Project
from etl.sample.senders import Style
from etl.sample.util import _month_end


def _milestone_columns(style: Style) -> list[tuple[str, str, str | None]]:
    if style.header in ("altgroup", "alias"):
        return [("project_code", "项目编码", None), ("name", "项目名称", None), ("node_seq", "节点序号", None),
                ("node_name", "关键节点", None), ("node_planned", "倒排工期", None),
                ("node_actual", "实际完成", None), ("remarks", "说明", None)]
    return [("project_code", "项目代码", None), ("name", "项目名称", None), ("node_seq", "节点序号", None),
            ("node_name", "节点名称", None), ("node_planned", "计划完成时间", None),
            ("node_actual", "实际完成时间", None), ("remarks", "备注", None)]


def _milestone_rows(p: Project, mi: int) -> list[dict]:
    end = _month_end(mi)
    out = []
    for nd in p.nodes:
        actual = nd.actual if nd.actual is not None and nd.actual <= end else None
        if actual:
            note = "按期完成" if actual <= nd.planned else "滞后完成"
        else:
            note = "逾期未完成" if nd.planned < end else "未到期"
        out.append({"project_code": p.code, "name": p.name, "node_seq": nd.seq, "node_name": nd.name,
                    "node_planned": nd.planned, "node_actual": actual, "remarks": note})
    return out
