"""「审批事项」和「要素保障」表：各单位的表头写法、每月列出的项目和行。

审批事项：项目在年度项目表中的月份，列出截至月末已受理的各事项（首次列入的月份、有事项在办、
或本月内受理或办结时）；要素保障：开始落实后，有缺口或本月有落实进展的项目列出全部要素。"""

from __future__ import annotations

import datetime as dt

from etl.sample.approvals import Approval, Factor
from etl.sample.model import Project
from etl.sample.senders import Style
from etl.sample.util import _month_end

APPROVAL_SHEET, FACTOR_SHEET = "审批事项", "要素保障"
FACTOR_WORDS = {
    "std": {"land": "用地", "energy": "用能", "emission": "排污总量", "funding": "资金"},
    "alt": {"land": "土地", "energy": "能耗", "emission": "排污权", "funding": "资金保障"},
}
UNIT = {"land": "亩", "energy": "吨标准煤", "emission": "吨", "funding": "万元"}
APPROVAL_STATE_WORDS = {
    "std": {"not_accepted": "未受理", "in_progress": "办理中", "done": "已办结"},
    "alt": {"not_accepted": "待受理", "in_progress": "审批中", "done": "已批复"},
}


def _approval_columns(style: Style) -> list[tuple[str, str, str | None]]:
    h = style.header
    if h in ("altgroup", "alias"):
        return [("seq", "序号", None), ("project_code", "项目编码", None), ("name", "项目名称", None),
                ("approval_item", "办理事项", None), ("department", "办理部门", None),
                ("accepted_date", "受理日期", None), ("completed_date", "办结日期", None),
                ("limit_days", "承诺时限", None), ("is_promise", "告知承诺制", None), ("is_agent", "帮办代办", None),
                ("is_low_risk", "是否低风险", None), ("approval_state", "办理情况", None), ("remarks", "说明", None)]
    if h == "linebreak":
        return [("seq", "序号", None), ("project_code", "统一项目代码", None), ("name", "项目\n名称", None),
                ("approval_item", "审批\n事项", None), ("department", "审批\n部门", None),
                ("accepted_date", "受理\n时间", None), ("completed_date", "办结\n时间", None),
                ("limit_days", "办理时限\n（工作日）", None), ("is_promise", "是否\n承诺制", None),
                ("is_agent", "是否\n代办", None), ("is_low_risk", "低风险\n小型项目", None),
                ("approval_state", "办理\n状态", None), ("remarks", "备 注", None)]
    grp = None if h == "single" else "办理时间"

    def g(field_name: str, label: str):
        return (field_name, grp, label) if grp else (field_name, label, None)

    return [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
            ("approval_item", "审批事项", None), ("department", "审批部门", None), g("accepted_date", "受理时间"),
            g("completed_date", "办结时间"), ("limit_days", "办理时限（工作日）", None),
            ("is_promise", "是否承诺制", None), ("is_agent", "是否代办", None), ("is_low_risk", "低风险小型项目", None),
            ("approval_state", "办理状态", None), ("remarks", "备注", None)]


def _factor_columns(style: Style) -> list[tuple[str, str, str | None]]:
    h = style.header
    if h in ("altgroup", "alias"):
        return [("seq", "序号", None), ("project_code", "项目编码", None), ("name", "项目名称", None),
                ("factor_kind", "保障要素", None), ("factor_detail", "具体内容", None), ("factor_unit", "单位", None),
                ("needed", "需求数量", None), ("secured", "已到位", None), ("factor_department", "保障部门", None),
                ("planned_date", "计划保障时间", None), ("remarks", "说明", None)]
    grp = None if h in ("single", "linebreak") else "落实情况"

    def g(field_name: str, label: str):
        return (field_name, grp, label) if grp else (field_name, label, None)

    return [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
            ("factor_kind", "要素类型", None), ("factor_detail", "要素细项", None), ("factor_unit", "计量单位", None),
            g("needed", "需求量"), g("secured", "已落实"), ("factor_department", "责任部门", None),
            ("planned_date", "计划落实时间", None), ("remarks", "备注", None)]


def _approval_rows(p: Project, chain: list[Approval], mi: int, first_month: bool) -> list[dict]:
    """项目在 mi 月末的审批事项行；本月不需列出时为空。"""
    end = _month_end(mi)
    since = end.replace(day=1)
    shown = [a for a in chain if a.accepted <= end]
    if not shown:
        return []
    open_now = any(a.completed is None or a.completed > end for a in shown)
    moved = any(a.accepted >= since or (a.completed is not None and since <= a.completed <= end) for a in shown)
    if not (first_month or open_now or moved):
        return []
    out = []
    for a in sorted(shown, key=lambda a: (a.accepted, a.item)):
        done = a.completed if a.completed is not None and a.completed <= end else None
        remark = None
        if done is None and a.accepted < end - dt.timedelta(days=int(a.limit * 1.4) + 2):
            remark = "已超时限，正在协调"
        out.append({"project_code": p.code, "name": p.name, "approval_item": a.item, "department": a.dept,
                    "accepted_date": a.accepted, "completed_date": done, "limit_days": a.limit,
                    "is_promise": a.promise, "is_agent": a.agent, "is_low_risk": a.low_risk,
                    "approval_state": "done" if done else "in_progress", "remarks": remark, "_code": a.code})
    return out


def _factor_rows(p: Project, factors: list[Factor], mi: int, first_month: bool, style: Style) -> list[dict]:
    """项目在 mi 月末的要素保障行；本月不需列出时为空。"""
    end = _month_end(mi)
    prev_end = end.replace(day=1) - dt.timedelta(days=1)
    started = [f for f in factors if f.secured_path and f.secured_path[0][0] <= end]
    if not started:
        return []
    gap = any(f.secured_at(end) < f.needed for f in started)
    moved = any(f.secured_at(end) != f.secured_at(prev_end) for f in started)
    if not (first_month or gap or moved):
        return []
    yi = style.unit == "亿元"
    out = []
    for f in started:
        need, got, unit = f.needed, f.secured_at(end), UNIT[f.kind]
        if f.kind == "funding" and yi:
            need, got, unit = round(need / 10000, 4), round(got / 10000, 4), "亿元"
        out.append({"project_code": p.code, "name": p.name, "factor_kind": f.kind, "factor_detail": f.detail,
                    "factor_unit": unit, "needed": need, "secured": got, "factor_department": f.dept,
                    "planned_date": f.planned,
                    "remarks": "未按计划落实" if got < f.needed and f.planned < end and not yi else None})
    return out
