"""Row rules of the approvals (审批事项) and factor guarantees (要素保障) sheets.

Registered in etl.read.NORMALISERS; each takes the converted row (its `values` and `fail`)
and the row context, fills the derived columns and records what breaks a rule. A broken
rule quarantines the row with its reason; nothing is silently reinterpreted: a factor's
amount in another unit is converted only with a factor listed in etl.vocab.FACTOR_UNIT_WORDS.
"""

from __future__ import annotations

import re

from etl import vocab, workdays
from etl.parse import month_end

_CODE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")
MAX_LIMIT_DAYS = 365


def _words(text: str) -> str:
    return re.sub(r"[\s　]+", "", text).replace("(", "（").replace(")", "）")


def _project_code(row, v: dict) -> None:
    code = v.get("project_code")
    if code:
        code = str(code).replace(" ", "").replace("—", "-").replace("－", "-").upper()
        v["project_code"] = code
        if not _CODE.match(code):
            row.fail("project_code", code, "项目代码格式错误", f"项目代码「{code}」格式不符（应如 2021-140213-44-01-012345）")
    else:
        row.fail("project_code", None, "缺少项目代码", "缺少项目代码")


def approval_item(text: str | None) -> str | None:
    """The chain item a written approval name stands for (other for one not in the chain)."""
    if not text:
        return None
    w = _words(text)
    return vocab.APPROVAL_ITEM_WORDS.get(w) or vocab.APPROVAL_ITEM_WORDS.get(w.replace("（", "").replace("）", "")) \
        or "other"


def normalise_approval(row, ctx) -> None:
    """Approvals: code, item, dates in order and not after the report month, a limit in working days, state."""
    v = row.values
    _project_code(row, v)
    item_text = v.get("approval_item")
    if not item_text:
        row.fail("approval_item", None, "缺少审批事项", "缺少审批事项名称")
    v["item"] = approval_item(item_text)
    accepted, completed = v.get("accepted_date"), v.get("completed_date")
    end = month_end(ctx.period)
    if completed is not None and accepted is None:
        row.fail("accepted_date", None, "缺少受理时间", f"有办结时间（{completed.isoformat()}）但缺少受理时间")
    if accepted is not None and completed is not None and completed < accepted:
        row.fail("completed_date", completed.isoformat(), "办结时间早于受理时间",
                 f"办结时间{completed.isoformat()}早于受理时间{accepted.isoformat()}")
    for col, d in (("accepted_date", accepted), ("completed_date", completed)):
        if d is not None and d > end:
            label = "受理时间" if col == "accepted_date" else "办结时间"
            row.fail(col, d.isoformat(), f"{label}晚于报表月份",
                     f"{label}{d.isoformat()}晚于报表所属月份的月末（{end.isoformat()}）")
    limit = v.get("limit_days")
    if limit is not None:
        if limit != int(limit) or not 0 < limit <= MAX_LIMIT_DAYS:
            row.fail("limit_days", f"{limit:g}", "办理时限不合理",
                     f"办理时限「{limit:g}」应为1—{MAX_LIMIT_DAYS}之间的整数（工作日）")
    state_text = v.get("approval_state")
    state = None
    if state_text:
        state = vocab.APPROVAL_STATE_WORDS.get(_words(state_text))
        if state is None:
            row.fail("approval_state", state_text, "办理状态无法识别",
                     f"办理状态「{state_text}」应为 {'、'.join(vocab.APPROVAL_STATE.values())}")
    derived = "done" if completed is not None else ("in_progress" if accepted is not None else "not_accepted")
    if state == "done" and completed is None:
        row.fail("completed_date", None, "已办结但缺少办结时间", "办理状态为「已办结」但缺少办结时间")
    elif state in ("in_progress", "not_accepted") and completed is not None:
        row.fail("approval_state", state_text, "办理状态与办结时间矛盾",
                 f"办理状态为「{state_text}」但已填写办结时间{completed.isoformat()}")
    v["approval_state"] = derived


def normalise_factor(row, ctx) -> None:
    """Factor guarantees: code, kind, amounts in the kind's unit (converted only by a known factor)."""
    v = row.values
    _project_code(row, v)
    kind_text = v.get("factor_kind")
    kind = vocab.FACTOR_KIND_WORDS.get(_words(kind_text)) if kind_text else None
    if kind_text and kind is None:
        row.fail("factor_kind", kind_text, "要素类型无法识别",
                 f"要素类型「{kind_text}」应为 {'、'.join(vocab.FACTOR_KIND.values())}")
    elif not kind_text:
        row.fail("factor_kind", None, "缺少要素类型", "缺少要素类型")
    v["factor_kind"] = kind
    factor = 1.0
    unit_text = v.get("factor_unit")
    if kind is not None:
        if unit_text:
            factor = vocab.FACTOR_UNIT_WORDS[kind].get(_words(unit_text))
            if factor is None:
                row.fail("factor_unit", unit_text, "计量单位无法识别",
                         f"{vocab.FACTOR_KIND[kind]}的计量单位「{unit_text}」应为 "
                         f"{'、'.join(vocab.FACTOR_UNIT_WORDS[kind])}")
                factor = 1.0
        v["factor_unit"] = vocab.FACTOR_UNIT[kind]
    needed, secured = v.get("needed"), v.get("secured")
    if needed is None:
        if not any(e[0] == "需求量" for e in row.errors):  # not when the cell failed to parse
            row.fail("needed", None, "缺少需求量", "缺少需求量")
    elif needed <= 0:
        row.fail("needed", f"{needed:g}", "需求量应大于0", f"需求量「{needed:g}」应大于0")
    if secured is not None and secured < 0:
        row.fail("secured", f"{secured:g}", "已落实量为负", f"已落实量「{secured:g}」不能为负数")
    if needed is not None:
        v["needed"] = round(needed * factor, 4)
    v["secured"] = round((secured or 0.0) * factor, 4)
    v["factor_detail"] = _words(v["factor_detail"]) if v.get("factor_detail") else ""


def normalise_problem_clock(row, ctx) -> None:
    """Problems, the 13710 columns: level words and the order of found, assigned and answered dates."""
    v = row.values
    sev = v.get("severity")
    if sev:
        code = vocab.SEVERITY_WORDS.get(_words(sev))
        if code is None:
            row.fail("severity", sev, "问题级别无法识别", f"问题级别「{sev}」应为 一般问题 或 重大问题")
        v["severity"] = code
    else:
        v["severity"] = "ordinary"
    found = v.get("found_date")
    for col, label in (("assigned_date", "交办时间"), ("answered_date", "答复时间")):
        d = v.get(col)
        if d is not None and found is not None and d < found:
            row.fail(col, d.isoformat(), f"{label}早于发现时间", f"{label}{d.isoformat()}早于发现时间{found.isoformat()}")


def calendar_warnings(accepted, sheet: str) -> list[str]:
    """A warning naming the rows whose 受理/办结 dates the official holiday calendar does not cover:
    their working days are not counted (never replaced by a weekday count)."""
    first, last = workdays.known_years()
    bad = []
    for r in accepted.select("source_row", "accepted_date", "completed_date").iter_rows():
        row, dates = r[0], [d for d in r[1:] if d is not None]
        if any(not first <= d.year <= last for d in dates):
            bad.append(row)
    if not bad:
        return []
    rows = "、".join(str(r) for r in bad[:5]) + ("等" if len(bad) > 5 else "")
    return [f"工作表「{sheet}」第{rows}行共{len(bad)}项审批事项的日期超出法定节假日日历的已知年份（{first}—{last}年），"
            f"未计算工作日；请在国务院公布该年节假日安排后更新 chinesecalendar"]
