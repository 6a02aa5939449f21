"""「储备项目」表：各单位的表头写法、每个储备项目每月一行。"""

from __future__ import annotations

from etl.sample.catalogue import PREP_STAGES
from etl.sample.model import Project
from etl.sample.senders import Style
from etl.sample.util import _date_in


def _reserve_columns(style: Style) -> list[tuple[str, str, str | None]]:
    u = style.unit
    h = style.header
    if h == "linebreak":
        return [("seq", "序号", None), ("project_code", "统一项目代码", None), ("name", "项目\n名称", None),
                ("owner", "建设\n单位", None), ("county", "所在县（区）", None), ("zone", "所在\n开发区", None),
                ("library", "项目\n类别", None), ("sector", "所属\n行业", None), ("six_new_type", "六新\n类型", None),
                ("two_new_type", "两新一重\n类型", None), ("invest_kind", "投资\n类型", None),
                ("total_investment_wan", f"总投资\n（{u}）", None), ("planned_start", "计划开工\n时间", None),
                ("planned_end", "计划竣工\n时间", None), ("prep_stage", "前期工作\n进展", None),
                ("is_promotion", "是否招商\n引资项目", None), ("signed_date", "签约\n时间", None),
                ("funding_source", "资金\n来源", None), ("land_area_mu", "用地面积\n（亩）", None),
                ("tags", "标签", None), ("remarks", "备 注", None)]
    if h == "altgroup":
        return [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "业主单位", None), ("county", "县区", None), ("zone", "开发区", None),
                ("library", "项目类型", None), ("sector", "产业类别", None), ("six_new_type", "六新领域", None),
                ("two_new_type", "两新一重领域", None), ("invest_kind", "投资主体", None),
                ("total_investment_wan", f"估算总投资（{u}）", None), ("planned_start", "开工时间", "计划"),
                ("planned_end", "竣工时间", "计划"), ("prep_stage", "前期进展", None),
                ("is_promotion", "是否招商引资项目", None), ("signed_date", "签约日期", None),
                ("funding_source", "资金渠道", None), ("land_area_mu", "占地面积", None), ("tags", "项目标签", None),
                ("remarks", "说明", None)]
    if h == "alias":
        return [("seq", "序号", None), ("project_code", "项目编码", None), ("name", "项目名称", None),
                ("owner", "项目单位", None), ("county", "所属县区", None), ("zone", "所在园区", None),
                ("library", "建设性质", None), ("sector", "行业类别", None), ("six_new_type", "所属六新", None),
                ("two_new_type", "两新一重", None), ("invest_kind", "投资性质", None),
                ("total_investment_wan", f"计划总投资（{u}）", None), ("planned_start", "拟开工时间", None),
                ("planned_end", "计划完工时间", None), ("prep_stage", "项目前期进展", None),
                ("is_promotion", "招商项目", None), ("signed_date", "招商签约时间", None),
                ("funding_source", "要素保障", "资金"), ("land_area_mu", "要素保障", "用地（亩）"),
                ("tags", "标签", None), ("remarks", "备注", None)]
    single = h == "single"
    return [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
            ("owner", "建设单位", None), ("county", "所在县区", None), ("zone", "所在开发区", None),
            ("library", "项目类别", None), ("sector", "所属行业", None), ("six_new_type", "六新类型", None),
            ("two_new_type", "两新一重类型", None), ("invest_kind", "投资类型", None),
            ("total_investment_wan", f"总投资（{u}）", None),
            ("planned_start", "计划开工时间", None) if single else ("planned_start", "时间安排", "计划开工"),
            ("planned_end", "计划竣工时间", None) if single else ("planned_end", "时间安排", "计划竣工"),
            ("prep_stage", "前期工作进展", None), ("is_promotion", "招商引资项目", None),
            ("signed_date", "签约时间", None), ("funding_source", "资金来源", None),
            ("land_area_mu", "用地面积（亩）", None), ("tags", "标签", None), ("remarks", "备注", None)]


def _reserve_row(p: Project, mi: int) -> dict:
    months_in = mi - p.reserve_from
    if p.cohort is not None and p.annual_from - mi <= 2:
        stage = PREP_STAGES[-1]
    else:
        stage = PREP_STAGES[min(len(PREP_STAGES) - 2, months_in // 4 + p.prep_offset)]
    if p.promo and months_in < 3:
        stage = "已签约，正在办理前期手续"
    ps = p.ps
    while ps <= mi:  # 计划开工时间已过仍未开工的，顺延一年
        ps += 12
    return {
        "_pid": p.pid, "_county": p.county,
        "project_code": p.code, "name": p.name, "owner": p.owner, "county": p.county, "zone": p.zone,
        "library": "reserve", "sector": p.sector, "six_new_type": p.six_new, "two_new_type": p.two_new,
        "invest_kind": p.invest_kind, "total_investment_wan": p.est_total,
        "planned_start": _date_in(ps, 1), "planned_end": _date_in(p.pe + ps - p.ps, 28), "prep_stage": stage,
        "is_promotion": p.promo, "signed_date": p.signed, "funding_source": p.funding, "land_area_mu": p.land,
        "tags": p.tags, "remarks": None,
    }
