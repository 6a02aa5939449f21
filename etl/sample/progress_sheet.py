"""「项目进展」表：各单位的表头写法、每个年度项目每月一行、形象进度。"""

from __future__ import annotations

from etl.sample.catalogue import PROGRESS_KEYS, PROGRESS_WORDS
from etl.sample.model import Entry, Project
from etl.sample.senders import Style
from etl.sample.util import _date_in, _ym


# ---------------------------------------------------------------- 表头（各单位写法不同，均在 etl/aliases.toml 中）

def _progress_columns(style: Style) -> list[tuple[str, str, str | None]]:
    u = style.unit
    h = style.header
    if h == "linebreak":
        g = f"投资完成情况\n（{u}）"
        spec = [("seq", "序号", None), ("project_code", "统一项目代码", None), ("name", "项目\n名称", None),
                ("owner", "建设\n单位", None), ("county", "所在县（区）", None), ("zone", "所在\n开发区", None),
                ("library", "项目\n类别", None), ("key_level", "重点工程\n级别", None), ("sector", "所属\n行业", None),
                ("six_new_type", "六新\n类型", None), ("two_new_type", "两新一重\n类型", None),
                ("invest_kind", "投资\n类型", None), ("total_investment_wan", f"总投资\n（{u}）", None),
                ("annual_plan_wan", f"年度计划\n投资（{u}）", None), ("completed_month_wan", g, "本 月"),
                ("completed_ytd_wan", g, "年累计"), ("completed_cum_wan", g, "开工\n累计"),
                ("planned_start", "计划开工\n时间", None), ("actual_start", "实际开工\n时间", None),
                ("planned_end", "计划竣工\n时间", None), ("progress_text", "形象\n进度", None),
                ("problem_text", "存在\n问题", None), ("leader", "包联\n领导", None), ("leader_title", "领导\n职务", None),
                ("responsible_unit", "责任\n单位", None), ("responsible_person", "责任人", None),
                ("lon", "经 度", None), ("lat", "纬 度", None), ("is_promotion", "是否招商\n引资项目", None),
                ("signed_date", "签约\n时间", None), ("funding_source", "资金\n来源", None),
                ("land_area_mu", "用地面积\n（亩）", None), ("tags", "标签", None), ("remarks", "备 注", None)]
    elif h == "single":
        spec = [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "建设单位", None), ("county", "所在县区", None), ("zone", "所在开发区", None),
                ("library", "项目类别", None), ("key_level", "重点工程级别", None), ("sector", "所属行业", None),
                ("six_new_type", "六新类型", None), ("two_new_type", "两新一重类型", None),
                ("invest_kind", "投资类型", None), ("total_investment_wan", f"总投资（{u}）", None),
                ("annual_plan_wan", f"年度计划投资（{u}）", None), ("completed_month_wan", f"本月完成投资（{u}）", None),
                ("completed_ytd_wan", f"年累计完成投资（{u}）", None),
                ("completed_cum_wan", f"开工累计完成投资（{u}）", None),
                ("planned_start", "计划开工时间", None), ("actual_start", "实际开工时间", None),
                ("planned_end", "计划竣工时间", None), ("progress_text", "形象进度", None),
                ("problem_text", "存在问题", None), ("leader", "包联领导", None), ("leader_title", "领导职务", None),
                ("responsible_unit", "责任单位", None), ("responsible_person", "责任人", None),
                ("lon", "经度", None), ("lat", "纬度", None), ("is_promotion", "招商引资项目", None),
                ("signed_date", "签约时间", None), ("funding_source", "资金来源", None),
                ("land_area_mu", "用地面积（亩）", None), ("tags", "标签", None), ("remarks", "备注", None)]
    elif h == "altgroup":
        gp, gd = f"计划投资（{u}）", f"完成投资（{u}）"
        spec = [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "业主单位", None), ("county", "县区", None), ("zone", "开发区", None),
                ("library", "项目类型", None), ("key_level", "项目级别", None), ("sector", "产业类别", None),
                ("six_new_type", "六新领域", None), ("two_new_type", "两新一重领域", None),
                ("invest_kind", "投资主体", None), ("total_investment_wan", gp, "总投资"),
                ("annual_plan_wan", gp, "年度"), ("completed_month_wan", gd, "本月"), ("completed_ytd_wan", gd, "年累计"),
                ("completed_cum_wan", gd, "开工累计"), ("planned_start", "开工时间", "计划"),
                ("actual_start", "开工时间", "实际"), ("planned_end", "竣工时间", "计划"),
                ("progress_text", "工程进展", None), ("problem_text", "需协调解决的问题", None),
                ("leader", "联系领导", None), ("leader_title", "职务", None), ("responsible_unit", "牵头单位", None),
                ("responsible_person", "具体责任人", None), ("lon", "东经", None), ("lat", "北纬", None),
                ("is_promotion", "是否招商引资项目", None), ("signed_date", "签约日期", None),
                ("funding_source", "资金渠道", None), ("land_area_mu", "占地面积", None), ("tags", "项目标签", None),
                ("remarks", "说明", None)]
    elif h == "alias":
        gd = f"完成投资（{u}）"
        spec = [("seq", "序号", None), ("project_code", "项目编码", None), ("name", "项目名称", None),
                ("owner", "项目单位", None), ("county", "所属县区", None), ("zone", "所在园区", None),
                ("library", "建设性质", None), ("key_level", "重点级别", None), ("sector", "行业类别", None),
                ("six_new_type", "所属六新", None), ("two_new_type", "两新一重", None),
                ("invest_kind", "投资性质", None), ("total_investment_wan", f"项目总投资（{u}）", None),
                ("annual_plan_wan", f"本年计划投资（{u}）", None), ("completed_month_wan", gd, "本月"),
                ("completed_ytd_wan", gd, "年累计"), ("completed_cum_wan", gd, "开工累计"),
                ("planned_start", "计划开工", None), ("actual_start", "实际开工", None), ("planned_end", "计划竣工", None),
                ("progress_text", "目前进展", None), ("problem_text", "存在的问题", None),
                ("leader", "包联领导", None), ("leader_title", "包联领导职务", None),
                ("responsible_unit", "主责单位", None), ("responsible_person", "责任人", None),
                ("lon", "经度", None), ("lat", "纬度", None), ("is_promotion", "招商项目", None),
                ("signed_date", "招商签约时间", None), ("funding_source", "要素保障", "资金"),
                ("land_area_mu", "要素保障", "用地（亩）"), ("tags", "标签", None), ("remarks", "备注", None)]
    else:
        g = f"投资完成情况（{u}）"
        spec = [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "建设单位", None), ("county", "所在县区", None), ("zone", "所在开发区", None),
                ("library", "项目类别", None), ("key_level", "重点工程级别", None), ("sector", "所属行业", None),
                ("six_new_type", "六新类型", None), ("two_new_type", "两新一重类型", None),
                ("invest_kind", "投资类型", None), ("total_investment_wan", f"总投资（{u}）", None),
                ("annual_plan_wan", f"年度计划投资（{u}）", None), ("completed_month_wan", g, "本月"),
                ("completed_ytd_wan", g, "年累计"), ("completed_cum_wan", g, "开工累计"),
                ("planned_start", "时间安排", "计划开工"), ("actual_start", "时间安排", "实际开工"),
                ("planned_end", "时间安排", "计划竣工"), ("progress_text", "形象进度", None),
                ("problem_text", "存在问题", None), ("leader", "包联领导", None), ("leader_title", "领导职务", None),
                ("responsible_unit", "责任单位", None), ("responsible_person", "责任人", None),
                ("lon", "坐标", "经度"), ("lat", "坐标", "纬度"), ("is_promotion", "招商引资项目", None),
                ("signed_date", "签约时间", None), ("funding_source", "资金来源", None),
                ("land_area_mu", "用地面积（亩）", None), ("tags", "标签", None), ("remarks", "备注", None)]
    return spec


# ---------------------------------------------------------------- 形象进度

def _progress_text(p: Project, e: Entry, mi: int) -> str:
    k = p.pid + mi
    if p.done is not None and p.done <= mi:
        # 企业投资的工业项目投产半年后多已达产（项目阶段：竣工 → 投产 → 达产）
        if p.invest_kind == "enterprise" and p.sector == "工业" and mi - p.done >= 6 and p.pid % 3:
            return "已竣工投产，已达产"
        return "已竣工投产"
    if p.started is None or p.started > mi:
        if mi > e.ps + 1:
            return ("受前期手续影响，尚未开工", "推迟开工，正在协调要素保障", "尚未开工，正在办理用地手续")[k % 3]
        return ("前期手续办理中", "施工图设计中", "正在办理施工许可", f"场地平整中，计划{_ym(e.ps)[1]}月开工",
                "土地手续办理中")[k % 5]
    if e.stall and e.stall[0] <= mi <= e.stall[1]:
        return ("受资金影响暂时停工", "停工待复工", "因征地问题暂缓施工")[k % 3]
    m = mi % 12
    ytd = e.ytd_wan[m]
    prev = e.ytd_wan[m - 1] if m else 0.0
    if ytd - prev <= 0 and m in (0, 1, 11):
        return ("冬季停工", "冬歇期，计划3月复工")[k % 2]
    frac = (e.cum_prev_wan + ytd) / p.total if p.total else 0.0
    kind = next((v for key, v in PROGRESS_KEYS if key in p.name), "厂" if p.sector == "工业" else "楼")
    for limit, options in zip((0.15, 0.45, 0.75, 0.95), PROGRESS_WORDS[kind]):
        if frac < limit:
            return options[k % len(options)].format(p=int(frac * 100))
    return "收尾工程，准备竣工验收"


# ---------------------------------------------------------------- 每月每个单位的行

def _progress_row(p: Project, e: Entry, mi: int, open_problem: str | None) -> dict:
    m = mi % 12
    dec = p.decimals
    ytd = e.ytd_wan[m]
    prev = e.ytd_wan[m - 1] if m else 0.0
    key = e.key
    show_leader = key is not None and p.leader is not None and not p.leader_blank
    return {
        "_pid": p.pid, "_key": key, "_county": p.county,
        "project_code": p.code, "name": p.name, "owner": p.owner, "county": p.county, "zone": p.zone,
        "library": e.library, "key_level": key, "sector": p.sector, "six_new_type": p.six_new,
        "two_new_type": p.two_new, "invest_kind": p.invest_kind, "total_investment_wan": p.total,
        "annual_plan_wan": e.plan_wan, "completed_month_wan": round(ytd - prev, dec), "completed_ytd_wan": ytd,
        "completed_cum_wan": round(e.cum_prev_wan + ytd, dec),
        "planned_start": _date_in(e.ps, p.start_day),
        "actual_start": _date_in(p.started, p.start_day) if p.started is not None and p.started <= mi else None,
        "planned_end": _date_in(e.pe, 28), "progress_text": _progress_text(p, e, mi), "problem_text": open_problem,
        "leader": p.leader[0] if show_leader else None, "leader_title": p.leader[1] if show_leader else None,
        "responsible_unit": p.resp_unit if key else None, "responsible_person": p.resp_person if key else None,
        "lon": p.lon, "lat": p.lat, "is_promotion": p.promo, "signed_date": p.signed,
        "funding_source": p.funding, "land_area_mu": p.land, "tags": p.tags, "remarks": p.remark or None,
    }


def _row_sort_key(row: dict):
    order = {"province_managed": 0, "province_city_managed": 1, "municipal": 2, None: 3}
    return order[row["_key"]], -row["annual_plan_wan"], row["project_code"]
