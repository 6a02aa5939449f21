"""「问题清单」表：各单位的表头写法、每个问题每月一行。"""

from __future__ import annotations

from etl.sample.model import Problem, Project
from etl.sample.senders import Style
from etl.sample.util import _month_end


def _problem_columns(style: Style) -> list[tuple[str, str, str | None]]:
    h = style.header
    if h in ("altgroup", "alias"):
        return [("seq", "序号", None), ("problem_id", "编号", None), ("project_code", "项目编码", None),
                ("name", "项目名称", None), ("county", "县区", None), ("problem_type", "问题类别", None),
                ("description", "具体问题", None), ("found_date", "反映时间", None), ("severity", "问题等级", None),
                ("assigned_date", "交办日期", None), ("answered_date", "反馈时间", None),
                ("responsible_unit", "牵头单位", None), ("resp_leader", "分管领导", None),
                ("responsible_person", "具体责任人", None), ("solution", "推进措施", None),
                ("deadline", "办结时限", None), ("state", "办理情况", None), ("closed_date", "销号时间", None),
                ("satisfaction", "企业评价", None), ("remarks", "备注", None)]
    if h == "linebreak":
        return [("seq", "序号", None), ("problem_id", "问题\n编号", None), ("project_code", "统一项目代码", None),
                ("name", "项目\n名称", None), ("county", "所在县（区）", None), ("problem_type", "问题\n类型", None),
                ("description", "问题\n描述", None), ("found_date", "发现\n时间", None),
                ("severity", "问题\n级别", None), ("assigned_date", "交办\n时间", None),
                ("answered_date", "答复\n时间", None),
                ("responsible_unit", "责任\n单位", None), ("resp_leader", "责任\n领导", None),
                ("responsible_person", "责任人", None), ("solution", "解决\n措施", None),
                ("deadline", "完成\n时限", None), ("state", "办理\n状态", None), ("closed_date", "办结\n时间", None),
                ("satisfaction", "企业\n满意度", None), ("remarks", "备 注", None)]
    grp = None if h == "single" else "责任落实（五到位）"

    def g(field_name: str, label: str):
        return (field_name, grp, label) if grp else (field_name, label, None)

    return [("seq", "序号", None), ("problem_id", "问题编号", None), ("project_code", "项目代码", None),
            ("name", "项目名称", None), ("county", "所在县区", None), ("problem_type", "问题类型", None),
            ("description", "问题描述", None), ("found_date", "发现时间", None), ("severity", "问题级别", None),
            ("assigned_date", "交办时间", None), ("answered_date", "答复时间", None), g("responsible_unit", "责任单位"),
            g("resp_leader", "责任领导"), g("responsible_person", "责任人"), g("solution", "解决措施"),
            g("deadline", "完成时限"), ("state", "办理状态", None), ("closed_date", "办结时间", None),
            ("satisfaction", "企业满意度", None), ("remarks", "备注", None)]


def _problem_row(pr: Problem, p: Project, at: tuple, mi: int) -> dict:
    state, deadline, closed, satisfaction = at
    if state in ("in_progress", "assigned") and deadline and _month_end(mi) > deadline:
        remark = "已超期"
    elif pr.reopens and state != "closed" and pr.reopens[0].reopened <= _month_end(mi):
        remark = "企业不满意，重新办理"
    else:
        remark = None
    return {
        "_state": state, "problem_id": pr.pid_str, "project_code": p.code, "name": p.name, "county": p.county,
        "problem_type": pr.ptype, "description": pr.text, "found_date": pr.found, "responsible_unit": pr.unit,
        "resp_leader": pr.leader, "responsible_person": pr.person, "solution": pr.solution, "deadline": deadline,
        "state": state, "closed_date": closed, "satisfaction": satisfaction, "remarks": remark,
        "severity": "major" if pr.major else "ordinary",
        "assigned_date": pr.assigned if state != "open" and pr.assigned <= _month_end(mi) else None,
        "answered_date": pr.working if state not in ("open", "assigned") and pr.working <= _month_end(mi) else None,
    }
