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


# ---------------------------------------------------------------- the 13710 clock (山西 13710 督办)
# A problem is deployed (交办) within 1 working day of being found, answered (答复) within 3,
# an ordinary problem solved (办结) within 7 working days and a major one within a month;
# major problems of key projects are put into the 13710 system (纳入13710督办). Working days
# on the official calendar (etl/workdays.py), counted from the day after the problem was found.
CLOCK_DEPLOY_DAYS = 1
CLOCK_ANSWER_DAYS = 3
CLOCK_SOLVE_DAYS = 7
CLOCK_MAJOR_MONTHS = 1
CLOCK_STAGE = {"deploy": "待部署", "answer": "待答复", "solve": "办理中", "done": "已办结"}
CLOCK_STAGE_ORDER = ["deploy", "answer", "solve", "done"]
CLOCK_MISSED = {"deploy": f"超{CLOCK_DEPLOY_DAYS}日未部署", "answer": f"超{CLOCK_ANSWER_DAYS}日未答复",
                "solve": f"超{CLOCK_SOLVE_DAYS}日未办结", "major": f"超{CLOCK_MAJOR_MONTHS}个月未解决"}
CLOCK_RULE_TITLE = "13710督办时限"
CLOCK_RULE_TEXT = f"""\
**{CLOCK_RULE_TITLE}**（山西省13710工作督办：1日部署、3日答复、7日办结、重大问题1个月解决）

- **部署**：发现后 **{CLOCK_DEPLOY_DAYS}** 个工作日内交办；**答复**：发现后 **{CLOCK_ANSWER_DAYS}** 个工作日内答复；
- **办结**：一般问题发现后 **{CLOCK_SOLVE_DAYS}** 个工作日内办结，重大问题 **{CLOCK_MAJOR_MONTHS}** 个月内解决；
- 工作日按国家法定节假日和调休安排计算，从发现次日起算；尚未交办、答复或办结的，算到数据截止日；
- 所处环节：待部署（未交办）→ 待答复（已交办未答复）→ 办理中（已答复未办结）→ 已办结；
- 重点工程的重大问题标记为 **纳入13710督办**；问题级别以报送的「问题级别」为准，未填的按一般问题。"""


def _add_months(d, months: int):
    import calendar
    import datetime as dt

    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def clock_13710(found, assigned, answered, closed, major: bool, key: bool, as_of, state: str | None = None) -> dict:
    """The 13710 stage of one problem at `as_of`, the clocks it has missed (codes of CLOCK_MISSED),
    whether it is in the 13710 system, and False for `calendar_known` when a date is outside the
    official calendar (then no working-day clock is judged).

    A sheet without 交办/答复 dates still says how far a problem got by its state: one reported
    交办 is deployed, one 办理中 (or further) answered, and the clock of a step whose date is
    unknown is not judged."""
    from etl.workdays import CalendarRangeError, working_days

    deployed = assigned is not None or state in ("assigned", "in_progress", "escalated", "unsatisfied", "closed")
    answered_ = answered is not None or state in ("in_progress", "escalated", "unsatisfied", "closed")
    stage = "done" if closed else ("solve" if answered_ else ("answer" if deployed else "deploy"))
    out = {"stage": stage, "missed": [], "in_13710": bool(major and key), "calendar_known": True}
    if found is None:
        return out

    def late(event, limit: int, done: bool = False) -> bool:
        if event is None and done:
            return False  # done, on a date the sheet does not give
        end = event if event is not None else as_of
        return end >= found and working_days(found, end) > limit

    try:
        if late(assigned, CLOCK_DEPLOY_DAYS, deployed):
            out["missed"].append("deploy")
        if late(answered, CLOCK_ANSWER_DAYS, answered_):
            out["missed"].append("answer")
        if major:
            if (closed or as_of) > _add_months(found, CLOCK_MAJOR_MONTHS):
                out["missed"].append("major")
        elif late(closed, CLOCK_SOLVE_DAYS):
            out["missed"].append("solve")
    except CalendarRangeError:
        out["calendar_known"] = False
    return out
