"""Every Chinese word the pages show for a code, in one place (built on etl.vocab)."""

from __future__ import annotations

from etl.status import RULE_TEXT  # noqa: F401  (re-exported for pages)
from etl.vocab import (INVEST_KIND, KEY_LEVEL, LIBRARY, LIBRARY_LONG, PROBLEM_STATE,  # noqa: F401
                       STATUS, STATUS_COLOR)

APP_TITLE = "大同市项目建设驾驶舱"
APP_SHORT = "项目建设驾驶舱"

# library filter: None means all annual projects
LIBRARY_FILTER = {None: "全部年度项目", "new_start": "新开工项目", "continuing": "续建项目", "key": "重点工程"}

STATUS_LONG = {"red": "红色（严重滞后）", "yellow": "黄色（滞后预警）", "green": "绿色（正常推进）"}
STATUS_DOT = {"red": "🔴", "yellow": "🟡", "green": "🟢", None: "⚪"}

# column headers with units, for tables and exports
COLUMNS = {
    "project_code": "项目代码",
    "name": "项目名称",
    "owner": "建设单位",
    "county_name": "所在县区",
    "zone_name": "所在开发区",
    "unit_name": "县区/开发区",
    "library": "项目类别",
    "key_level": "重点工程级别",
    "sector": "所属行业",
    "six_new_type": "六新类型",
    "two_new_type": "两新一重类型",
    "invest_kind": "投资类型",
    "total_investment_wan": "总投资（万元）",
    "annual_plan_wan": "年度计划投资（万元）",
    "completed_month_wan": "本月完成投资（万元）",
    "completed_ytd_wan": "年累计完成投资（万元）",
    "completed_cum_wan": "开工累计完成投资（万元）",
    "completion_rate": "完成率",
    "gap_pts": "落后序时进度（个百分点）",
    "progress_text": "形象进度",
    "planned_start": "计划开工时间",
    "actual_start": "实际开工时间",
    "planned_end": "计划竣工时间",
    "leader": "包联领导",
    "responsible_unit": "责任单位",
    "status": "红黄绿",
    "status_reason": "判定依据",
    "plan_wan": "年度计划投资（万元）",
    "month_wan": "本月完成投资（万元）",
    "ytd_wan": "年累计完成投资（万元）",
    "yoy_growth": "同比增长",
    "projects": "项目数",
}

# ---------------------------------------------------------------- 审批与要素 (approvals and factor guarantees)
APPROVAL_COLUMNS = {
    "project_code": "项目代码", "name": "项目名称", "unit_name": "县区/开发区", "item_name": "审批事项",
    "department": "审批部门", "accepted_date": "受理时间", "completed_date": "办结时间",
    "working_days": "用时（工作日）", "limit_days": "办理时限（工作日）", "overdue_text": "超时限",
    "state_text": "办理状态", "promise_text": "承诺制", "agent_text": "代办",
}
FACTOR_COLUMNS = {
    "project_code": "项目代码", "name": "项目名称", "unit_name": "县区/开发区", "kind_text": "要素",
    "unit": "单位", "needed": "需求量", "secured": "已落实", "gap": "缺口", "department": "责任部门",
    "planned_date": "计划落实时间", "state_text": "落实情况",
}
# the project's stage (一项一档): 前期 → 在建 → 竣工 → 投产 → 达产
STAGE = {"preparing": "前期", "building": "在建", "completed": "竣工", "producing": "投产", "full": "达产"}
