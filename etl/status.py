"""The red/yellow/green rule (红黄绿亮色管理): thresholds, the SQL that applies them, and the
text shown to users. This is the only place the rule lives."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

YELLOW_GAP_PTS = 10  # behind 序时进度 by more than this many points: yellow
RED_GAP_PTS = 30  # … by more than this: red
RED_LATE_START_MONTHS = 3  # planned start passed this many months without starting: red

# 序时进度 the rule measures against (config/status.toml, COCKPIT_STATUS_SCHEDULE overrides)
LINEAR, SEASONAL = "linear", "seasonal"
SCHEDULE_NAME = {LINEAR: "线性序时进度", SEASONAL: "季节序时进度"}
CONFIG_FILE = Path(__file__).resolve().parent.parent / "config" / "status.toml"


def schedule_mode() -> str:
    """LINEAR (default) or SEASONAL: from COCKPIT_STATUS_SCHEDULE, else config/status.toml's `schedule`."""
    path = Path(os.environ.get("COCKPIT_STATUS_CONFIG", CONFIG_FILE))
    value = os.environ.get("COCKPIT_STATUS_SCHEDULE")
    source = "环境变量 COCKPIT_STATUS_SCHEDULE"
    if value is None:
        raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        value, source = raw.get("schedule", LINEAR), f"{path.name} 中 schedule"
    value = str(value).strip().lower()
    if value not in SCHEDULE_NAME:
        raise ValueError(f"{source} 应为 linear（线性序时进度）或 seasonal（季节序时进度）：{value}")
    return value


_SCHEDULE_TEXT = {
    LINEAR: "序时进度 = 当月月数 ÷ 12（如10月为83.3%）；完成率 = 年累计完成投资 ÷ 年度计划投资。",
    SEASONAL: ("序时进度按**季节序时进度**：以往各完整年度（报送至12月）全市年度建设项目到同一月份累计完成投资"
               "占其全年完成投资比例的平均值；没有以往完整年度（或该月份没有数据）时按当月月数 ÷ 12；"
               "完成率 = 年累计完成投资 ÷ 年度计划投资。"),
}

RULE_TITLE = "红黄绿判定规则"
_RULE_TEXT = f"""\
**{RULE_TITLE}**（每月按报送数据自动计算，适用于年度建设项目和重点工程）

- 🔴 **红**：年累计完成率落后序时进度 **{RED_GAP_PTS}** 个百分点以上；或计划开工时间已过 **{RED_LATE_START_MONTHS}** 个月仍未开工。
- 🟡 **黄**：落后序时进度 **{YELLOW_GAP_PTS}～{RED_GAP_PTS}** 个百分点；或已过计划开工时间仍未开工；或重点工程有超过完成时限仍未销号的问题（未办结，或办结但企业不满意）；或重点工程等待的审批事项已超过办理时限（按法定工作日计，节假日不计、调休上班日计入）；或重点工程的要素保障（用地、用能、排污总量、资金）过了计划落实时间仍未落实到位。
- 🟢 **绿**：其余项目，含已竣工投产的项目。

{{schedule}}
尚未到计划开工时间的新开工项目不计进度差距。当前按**{{schedule_name}}**判定。"""


def rule_text(mode: str | None = None) -> str:
    """The rule as users read it, saying which 序时进度 is in force (default: the configured one)."""
    mode = mode or schedule_mode()
    return _RULE_TEXT.replace("{schedule}", _SCHEDULE_TEXT[mode]).replace("{schedule_name}", SCHEDULE_NAME[mode])


RULE_TEXT = rule_text()

# Inputs (columns of the relation it is applied to):
#   period, library, annual_plan_wan, completed_ytd_wan, planned_start, actual_start,
#   is_done (project completed), has_overdue_problem, key_level,
#   has_overdue_approval (waiting on an approval past its limit in working days at the month's end),
#   has_overdue_factor (a factor not fully secured after its planned date)
# Outputs: time_progress, completion_rate, gap_pts, months_late_start, status, status_reason
STATUS_SQL = f"""
with base as (
    select
        *,
        {{time_progress}} as time_progress,
        case when annual_plan_wan > 0 then completed_ytd_wan / annual_plan_wan end as completion_rate,
        case
            when library = 'new_start' and actual_start is null and not has_progress and planned_start is not null
                 and planned_start <= last_day(period)
            then date_diff('month', date_trunc('month', planned_start), period)
            else 0
        end as months_late_start,
        coalesce(library = 'new_start' and actual_start is null and not has_progress
                 and planned_start <= last_day(period), false) as late_start,
        library = 'new_start' and actual_start is null and not has_progress
            and (planned_start is null or planned_start > last_day(period)) as not_due_yet
    from (
        select *, coalesce(completed_ytd_wan, 0) > 0 or coalesce(completed_cum_wan, 0) > 0 as has_progress
        from {{source}}
    ){{schedule_join}}
),

gapped as (
    select
        *,
        case when completion_rate is not null and not not_due_yet
             then round((time_progress - completion_rate) * 100, 1) end as gap_pts
    from base
)

select
    * exclude (not_due_yet, late_start, has_progress{{schedule_exclude}}),
    case
        when library = 'reserve' then null
        when is_done then 'green'
        when gap_pts > {RED_GAP_PTS} or months_late_start >= {RED_LATE_START_MONTHS} then 'red'
        when gap_pts > {YELLOW_GAP_PTS} or late_start then 'yellow'
        when key_level is not null and has_overdue_problem then 'yellow'
        when key_level is not null and has_overdue_approval then 'yellow'
        when key_level is not null and has_overdue_factor then 'yellow'
        else 'green'
    end as status,
    case
        when library = 'reserve' then null
        when is_done then '已竣工投产'
        when months_late_start >= {RED_LATE_START_MONTHS}
            then '计划开工已过' || months_late_start || '个月仍未开工'
        when gap_pts > {YELLOW_GAP_PTS}
            then '落后序时进度' || printf('%.1f', gap_pts) || '个百分点'
        when late_start then '已过计划开工时间仍未开工'
        when key_level is not null and has_overdue_problem then '有超过完成时限未销号的问题'
        when key_level is not null and has_overdue_approval then '等待审批超过办理时限'
        when key_level is not null and has_overdue_factor then '要素保障过了计划落实时间未到位'
        when gap_pts is null then '未到计划开工时间'
        when abs(gap_pts) < 0.05 then '与序时进度持平'
        when gap_pts < 0 then '快于序时进度' || printf('%.1f', abs(gap_pts)) || '个百分点'
        else '落后序时进度' || printf('%.1f', gap_pts) || '个百分点（10个百分点以内）'
    end as status_reason
from gapped
"""


# 季节序时进度 of every year and month, from the earlier complete years (reported up to December,
# with a positive December total) of all annual projects (stg_progress, every year loaded, not
# only those being rebuilt): share_y(m) = y's 1-m月累计 ÷ y's 全年; the schedule of year Y at
# month m is the mean of share_y(m) > 0 over complete years y < Y (as ui.forecast.year_shares).
SEASONAL_JOIN = """
    left join (
        with ytd as (
            select year(period) as y, month(period) as m, sum(completed_ytd_wan) as ytd_wan
            from stg_progress
            where library is distinct from 'reserve'
            group by all
        ),
        shares as (
            select a.y, a.m, a.ytd_wan / f.ytd_wan as share
            from ytd as a
            join ytd as f on f.y = a.y and f.m = 12 and f.ytd_wan > 0
            where a.ytd_wan is not null
        )
        select t.y as schedule_year, t.m as schedule_month, avg(s.share) as seasonal_share
        from (select distinct y, m from ytd) as t
        join shares as s on s.m = t.m and s.y < t.y and s.share > 0
        group by all
    ) as seasonal on seasonal.schedule_year = year(period) and seasonal.schedule_month = month(period)"""


def status_sql(source: str, mode: str | None = None) -> str:
    """The rule applied to a relation (a table name or a parenthesised query), measured against
    the linear or the seasonal 序时进度 (default: the configured one, schedule_mode())."""
    mode = mode or schedule_mode()
    seasonal = mode == SEASONAL
    return (STATUS_SQL.replace("{source}", source)
            .replace("{time_progress}", "coalesce(seasonal_share, month(period) / 12.0)" if seasonal
                     else "month(period) / 12.0")
            .replace("{schedule_join}", SEASONAL_JOIN if seasonal else "")
            .replace("{schedule_exclude}", ", schedule_year, schedule_month, seasonal_share" if seasonal else ""))


# ---------------------------------------------------------------- the project's stage (一项一档)
# 前期 → 在建 → 竣工 → 投产 → 达产: enterprise projects are followed to production and design
# output; a government project's last stage is 竣工.
STAGES = ("preparing", "building", "completed", "producing", "full")
STAGE_RULE_TEXT = """\
**项目阶段**：储备项目和尚未开工的新开工项目为「前期」；已开工（有实际开工时间或已完成投资）为「在建」；
形象进度为已竣工（已完工）的为「竣工」；企业投资项目形象进度写明投产的为「投产」、写明达产（达到设计产能）的为「达产」；
政府投资项目竣工后不再跟踪投产。"""


def project_stage(library: str | None, actual_start, progress_text: str | None, invest_kind: str | None,
                  completed_cum_wan: float | None = None) -> str:
    """The project's stage code (STAGES) from its latest report."""
    text = progress_text or ""
    if any(w in text for w in ("达产", "达到设计产能")) and invest_kind != "government":
        return "full"
    if any(w in text for w in ("投产", "建成投产")) and invest_kind != "government":
        return "producing"
    if any(w in text for w in ("已竣工", "竣工投产", "已完工", "建成投产")):
        return "completed"
    started = actual_start is not None or (completed_cum_wan or 0) > 0
    if library == "reserve" or not started:
        return "preparing"
    return "building"
