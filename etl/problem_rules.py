"""The problem list's closed-loop rules (问题清单闭环): thresholds, state names and the text
shown to users. The SQL that applies them is etl/sql/problems.sql; if a rule changes here,
change it there too (tests/test_problems.py checks the two agree and holds known answers)."""

from __future__ import annotations

from etl.vocab import PROBLEM_STATE

# 清零销号: a closed problem counts as cleared only with one of these company answers
SATISFIED = ("满意", "基本满意")

# ageing bands in days open (账龄): ≤30, 31–90, 91–180, >180
AGE_BANDS = (30, 90, 180)

# what a 存在问题 cell holds when there is no problem (blank, 「无」, 「暂无」, a dash …)
NO_PROBLEM_PATTERN = r"^[\s　]*(无|暂无|无问题|没有|无。|暂无问题|/|／|-|—|——|－)?[\s　]*$"

# the five responsibilities (五到位): column → label
FIVE_RESPONSIBILITIES = {
    "responsible_unit": "责任单位",
    "resp_leader": "责任领导",
    "responsible_person": "责任人",
    "solution": "解决措施",
    "deadline": "完成时限",
}

# effective states after the rules, in the order of the loop
STATE_ORDER = ["open", "assigned", "in_progress", "escalated", "unsatisfied", "closed"]
STATE_LABEL = {
    "open": PROBLEM_STATE["open"],
    "assigned": PROBLEM_STATE["assigned"],
    "in_progress": PROBLEM_STATE["in_progress"],
    "escalated": PROBLEM_STATE["escalated"],
    "unsatisfied": "办结未销号",
    "closed": "已销号",
}

FLAG_LABEL = {
    "is_overdue": "超期",
    "is_incomplete": "五到位不全",
    "disappeared": "未续报",
    "closed_unsatisfied": "企业未满意",
}

RULE_TITLE = "问题闭环规则"
RULE_TEXT = f"""\
**{RULE_TITLE}**（每月按报送的问题清单自动计算）

- **督办**：超过完成时限仍未销号的问题，自动转为「督办」，并计算超期天数（数据截止日 − 完成时限）。
- **清零销号**：问题已办结且企业评价为「{'」或「'.join(SATISFIED)}」，才算销号；已办结但企业不满意或未评价的，
  状态为「办结未销号」，仍计入未销号问题，超过完成时限同样转为督办。
- **五到位**：{'、'.join(FIVE_RESPONSIBILITIES.values())}，缺任何一项标记为「五到位不全」。
- **未续报**：问题在上期报送中出现、本期报送单位已报送但清单中不再出现，且未销号的，继续计入未销号问题并标记
  「未续报」，不会被静默删除。
- **未建档**：项目进展表「存在问题」栏有内容，但问题清单中没有该项目在办问题的，列为「未建档问题」。
- 账龄 = 发现时间至数据截止日的天数（已销号的算到办结时间）；办结率 = 已销号问题数 ÷ 问题总数；
  平均办结天数 = 已销号问题从发现到办结的平均天数。"""


def age_band(days) -> str | None:
    """Days open → 「30天以内」, 「31-90天」, 「91-180天」, 「180天以上」."""
    if days is None:
        return None
    a, b, c = AGE_BANDS
    if days <= a:
        return f"{a}天以内"
    if days <= b:
        return f"{a + 1}-{b}天"
    if days <= c:
        return f"{b + 1}-{c}天"
    return f"{c}天以上"


AGE_BAND_ORDER = [age_band(0), age_band(AGE_BANDS[0] + 1), age_band(AGE_BANDS[1] + 1), age_band(AGE_BANDS[2] + 1)]
