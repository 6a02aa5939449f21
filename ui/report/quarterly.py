"""《大同市2026年第三季度项目建设情况分析》: the quarterly analysis to the city government.

`load(year, quarter, run)` gathers the query results of the quarter's last month; `build(data)`
drafts the Report in the usual order 一、总体情况 二、分县区、开发区情况 三、重点工程
四、存在的问题 五、下步工作建议. Every sentence is drafted from the data by the rules below and
carries its figures (ui.summary.Fact). Pure: frames in, Report out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from etl import review
from etl.status import SEASONAL as SEASONAL_SCHEDULE
from etl.status import schedule_mode
from ui import approvals as ap
from ui import figures, summary
from ui import forecast as fc
from ui.briefing import rank_units, short_unit
from ui.format import by_value, data_date_label, date_label, gap_text, pct, period_label, ytd_label, yi
from ui.labels import KEY_LEVEL, LIBRARY_FILTER
from ui.report import (QUARTER_NAME, Heading, Picture, Report, Runner, Table, months_back, plain,
                       quarter_end)
from ui.summary import Fact, Sentence

BEHIND_PTS = summary.BEHIND_PTS  # 「明显落后」: more than the yellow line behind 序时进度
MILESTONE_DAYS = 30  # milestones due within this many days are listed as 「即将到期」
MAX_NAMES = summary.MAX_NAMES
RED_ROWS = 10  # red key projects listed in the table
LIBRARIES = (None, "new_start", "continuing", "key")

# extra sources for 四、存在的问题: function(frames, period) -> Sentence | None -> the queries it
# reads (each called with PROBLEM_PARAMS, the whole city; `frames` maps their names to results).
# Used only when every query file exists; filled in below with the approvals page's queries
# (审批 who is slow, the 20-working-day target; 要素保障).
PROBLEM_SOURCES: dict[object, tuple[str, ...]] = {}


def problem_params(period: dt.date) -> dict:
    return {"period": period, "unit": None, "target_days": ap.LOW_RISK_TARGET_DAYS, "limit": ap.LIST_ROWS}


@dataclass(frozen=True)
class QuarterData:
    year: int
    quarter: int
    period: dt.date  # the quarter's last month
    previous: dt.date  # the last month of the quarter before
    kpis: dict
    curve: pl.DataFrame
    ranking: pl.DataFrame  # briefing.rank_units against the quarter before, + prev_gap_pts
    histories: dict  # library -> forecast_history
    red_key: pl.DataFrame
    milestones: pl.DataFrame
    key_rows: pl.DataFrame
    review_cfg: review.ReviewConfig
    problems: pl.DataFrame
    freshness: pl.DataFrame
    flags: pl.DataFrame
    extra: list = field(default_factory=list)  # Sentences from PROBLEM_SOURCES
    issued: dt.date | None = None  # the day the document is drafted (title page)

    @property
    def title(self) -> str:
        return f"大同市{self.year}年{QUARTER_NAME[self.quarter]}项目建设情况分析"

    @property
    def has_data(self) -> bool:
        return bool(self.kpis.get("projects"))


def _names(names: list[str]) -> str:
    return summary._names(names)


def _etc(names: list[str]) -> str:
    """「甲、乙等」: the names and one 「等」 (never 「等等」)."""
    return _names(names).removesuffix("等") + "等"


def load(year: int, quarter: int, run: Runner | None = None, today: dt.date | None = None) -> QuarterData:
    """The quarter's data from the warehouse (`run(name, **params)`, default queries.run)."""
    import queries
    from etl import config

    run = run or queries.run
    period = quarter_end(year, quarter)
    previous = months_back(period, 3)
    k = run("overview_kpis", period=period, unit=None, library=None)
    kpis = k.row(0, named=True) if k.height else {}
    before = run("by_unit", period=previous, library=None)
    ranking = rank_units(run("by_unit", period=period, library=None), before).join(
        before.select("unit_code", pl.col("gap_pts").alias("prev_gap_pts")), on="unit_code", how="left",
        maintain_order="left")
    histories = {lib: run("forecast_history", period=period, library=lib) for lib in LIBRARIES}
    cfg = review.load_config()
    today = today or config.today()
    deadline = dt.date(period.year + (period.month == 12), period.month % 12 + 1, config.report_deadline_day())
    extra = []
    frames: dict[str, pl.DataFrame] = {}
    for fn, names in PROBLEM_SOURCES.items():
        if set(names) <= set(queries.names()):
            for name in names:
                if name not in frames:
                    frames[name] = run(name, **{k: v for k, v in problem_params(period).items()
                                                if k in queries.parameters(name)})
            s = fn(frames, period)
            if s is not None:
                extra.append(s)
    return QuarterData(
        year, quarter, period, previous, kpis,
        curve=run("monthly_cumulative", period=period, unit=None, library=None),
        ranking=ranking, histories=histories,
        red_key=run("briefing_red_key", period=period),
        milestones=run("leader_milestones", period=period, leader=None, days=MILESTONE_DAYS),
        key_rows=run("review_key_months", period=period, months=cfg.months_needed),
        review_cfg=cfg,
        problems=run("briefing_problems", period=period),
        freshness=run("admin_freshness", period=period, deadline=deadline, today=today,
                      months=config.expected_sender_months()),
        flags=run("consistency_flags", period=period, unit=None),
        extra=extra,
        issued=today,
    )


# ---------------------------------------------------------------- 一、总体情况

def forecast_sentence(fcast: fc.Forecast, scope: str = "全市") -> Sentence | None:
    """预计全年完成, its range and backtest error, and what the remaining months need."""
    if fcast.point_wan is None:
        return None
    facts = [Fact("预计全年完成投资（万元）", fcast.point_wan, yi(fcast.point_wan), "forecast_history → ui.forecast")]
    text = f"按{fc.METHOD_LABEL[fcast.method]}测算，{scope}预计全年完成投资{yi(fcast.point_wan)}"
    if fcast.low_wan is not None:
        rng = fc.range_text(fcast)
        text += f"（预计区间{rng}"
        facts.append(Fact("预计区间", (fcast.low_wan, fcast.high_wan), rng, "ui.forecast（预计值 ± 回测误差）"))
        if fcast.backtest_error is not None:
            e = pct(fcast.backtest_error)
            years = "、".join(f"{b.year}年" for b in fcast.backtests)
            text += f"，按同一方法回测{years}的误差为{e}"
            facts.append(Fact("回测误差", fcast.backtest_error, e, "ui.forecast.backtest"))
        text += "）"
    rate = fcast.completion_forecast
    if rate is not None:
        text += f"，为年度计划的{pct(rate)}"
        facts.append(Fact("预计全年完成率", rate, pct(rate), "预计全年完成 ÷ overview_kpis.plan_wan"))
    need = fcast.need_per_month_wan
    if need is not None and need > 0:
        text += f"；完成年度计划，剩余{fcast.remaining_months:,}个月需月均完成{yi(need)}"
        facts.append(Fact("剩余月份月均需完成（万元）", need, yi(need), "(plan_wan − ytd_wan) ÷ 剩余月数"))
    elif need == 0:
        text += "；已完成年度计划"
    return plain("预计全年", text + "。", *facts)


def schedule_sentence(fcast: fc.Forecast, kpis: dict) -> Sentence | None:
    """The completion rate against the seasonal 序时进度 (when there is history for it)."""
    s, rate = fcast.seasonal_schedule, kpis.get("completion_rate")
    if s is None or rate is None:
        return None
    gap = (s - rate) * 100
    side = "与之持平" if abs(gap) < 0.05 else f"{'低于' if gap > 0 else '高于'}{abs(gap):.1f}个百分点"
    text = f"以往年份到{fcast.month}月底平均完成全年投资的{pct(s)}（季节序时进度），本年完成率{pct(rate)}，{side}"
    facts = [Fact("季节序时进度", s, pct(s), "forecast_history → ui.forecast.seasonal_schedule"),
             Fact("完成率", rate, pct(rate), "overview_kpis.completion_rate"),
             Fact("与季节序时进度之差（个百分点）", gap, f"{abs(gap):.1f}个百分点", "ui.forecast")]
    if schedule_mode() == SEASONAL_SCHEDULE:
        text += "（红黄绿判定按季节序时进度）。"
    else:
        text += f"（红黄绿判定仍按线性序时进度{pct(fcast.linear_schedule)}）。"
        facts.append(Fact("线性序时进度", fcast.linear_schedule, pct(fcast.linear_schedule), "overview_kpis.time_progress"))
    return plain("季节序时进度", text, *facts)


def library_table(fcs: dict) -> pl.DataFrame:
    """Forecast of each library (全部 / 新开工 / 续建 / 重点工程), as the document shows it."""
    rows = []
    for lib in LIBRARIES:
        f = fcs.get(lib)
        if f is None or f.point_wan is None:
            continue
        need = f.need_per_month_wan
        rows.append({"分类": LIBRARY_FILTER[lib], "年度计划（亿元）": yi(f.plan_wan, unit=False),
                     "累计完成（亿元）": yi(f.ytd_wan, unit=False), "预计全年完成（亿元）": yi(f.point_wan, unit=False),
                     "预计区间（亿元）": fc.range_text(f).removesuffix("亿元"),
                     "预计完成率": pct(f.completion_forecast), "回测误差": "—" if f.backtest_error is None
                     else pct(f.backtest_error), "剩余月份月均需完成（亿元）": "—" if need is None else yi(need, unit=False)})
    return pl.DataFrame(rows, schema={c: pl.String for c in (
        "分类", "年度计划（亿元）", "累计完成（亿元）", "预计全年完成（亿元）", "预计区间（亿元）", "预计完成率", "回测误差",
        "剩余月份月均需完成（亿元）")})


# ---------------------------------------------------------------- 二、分县区、开发区情况

def moves_sentence(ranking: pl.DataFrame, previous: dt.date) -> Sentence | None:
    """Who rose and fell in the completion-rate ranking since the quarter before, and why: how
    far each was from 序时进度 then and now."""
    if ranking.height < 2:
        return None
    if ranking["prev_rank"].is_null().all():
        return plain("名次变化", f"{period_label(previous)}无可比数据，本季度不比较名次变化。")
    rose = ranking.filter(pl.col("rank_change") > 0).sort("rank_change", descending=True)
    fell = ranking.filter(pl.col("rank_change") < 0).sort("rank_change")
    facts, parts = [], []

    def one(r: dict) -> str:
        verb = "上升" if r["rank_change"] > 0 else "下降"
        n = abs(r["rank_change"])
        facts.append(Fact(f"{r['unit_name']}名次变化", r["rank_change"], f"{verb}{n}位", "rank_units.rank_change"))
        why = ""
        if r["prev_gap_pts"] is not None and r["gap_pts"] is not None:
            then, now = gap_text(r["prev_gap_pts"]), gap_text(r["gap_pts"])
            why = f"（由{then}变为{now}）"
            facts.append(Fact(f"{r['unit_name']}上季度末与序时进度之差", r["prev_gap_pts"], then, "by_unit.gap_pts（上季度末）"))
            facts.append(Fact(f"{r['unit_name']}本季度末与序时进度之差", r["gap_pts"], now, "by_unit.gap_pts"))
        return f"{r['unit_name']}{verb}{n}位{why}"

    if rose.height:
        parts.append("名次上升的有" + "、".join(one(r) for r in rose.head(3).iter_rows(named=True))
                     + ("等" if rose.height > 3 else ""))
    if fell.height:
        parts.append("名次下降的有" + "、".join(one(r) for r in fell.head(3).iter_rows(named=True))
                     + ("等" if fell.height > 3 else ""))
    if not parts:
        return plain("名次变化", f"与{period_label(previous)}相比，各县区、开发区完成率名次没有变化。")
    return plain("名次变化", f"与{period_label(previous)}相比，" + "；".join(parts) + "。", *facts)


def ranking_table(ranking: pl.DataFrame, fcs: dict) -> pl.DataFrame:
    rows = []
    for r in ranking.iter_rows(named=True):
        f = fcs.get(r["unit_code"])
        rows.append({
            "排名": r["rank"], "县区/开发区": r["unit_name"],
            "年度计划（亿元）": round(r["plan_wan"] / 10000, 2), "累计完成（亿元）": round((r["ytd_wan"] or 0) / 10000, 2),
            "完成率": pct(r["completion_rate"]), "与序时进度": gap_text(r["gap_pts"]).replace("序时进度", ""),
            "较上季度": "—" if r["rank_change"] is None else
                       ("持平" if r["rank_change"] == 0 else f"{'↑' if r['rank_change'] > 0 else '↓'}{abs(r['rank_change'])}"),
            "预计全年完成（亿元）": None if f is None or f.point_wan is None else round(f.point_wan / 10000, 2),
        })
    schema = {"排名": pl.Int64, "县区/开发区": pl.String, "年度计划（亿元）": pl.Float64, "累计完成（亿元）": pl.Float64,
              "完成率": pl.String, "与序时进度": pl.String, "较上季度": pl.String, "预计全年完成（亿元）": pl.Float64}
    return pl.DataFrame(rows, schema=schema)


# ---------------------------------------------------------------- 三、重点工程

def milestones_sentence(ms: pl.DataFrame, period: dt.date) -> Sentence:
    overdue = ms.filter(pl.col("node_state") == "overdue")
    due = ms.filter(pl.col("node_state") == "due")
    n_proj = overdue["project_code"].n_unique()
    text = (f"挂图作战节点中，截至{period.month}月底超过计划完成时间仍未完成的{overdue.height:,}个（涉及{n_proj:,}个项目），"
            f"未来{MILESTONE_DAYS}天内到期的{due.height:,}个。")
    return plain("节点", text,
                 Fact("超期未完成节点", overdue.height, f"{overdue.height:,}个", "leader_milestones.node_state = overdue"),
                 Fact("涉及项目", n_proj, f"{n_proj:,}个项目", "leader_milestones.project_code"),
                 Fact(f"{MILESTONE_DAYS}天内到期节点", due.height, f"{due.height:,}个", "leader_milestones.node_state = due"))


def leaders_sentence(key_rows: pl.DataFrame, period: dt.date) -> Sentence | None:
    now = key_rows.filter(pl.col("period") == period)
    if now.is_empty():
        return None
    held = now.filter(pl.col("leader").str.strip_chars().fill_null("") != "")
    leaders = held["leader"].str.strip_chars().unique().sort().to_list()
    none = now.height - held.height
    red = held.filter(pl.col("status") == "red")["leader"].str.strip_chars().unique().sort().to_list()
    text = f"{now.height:,}个重点工程由{len(leaders)}位领导包联"
    text += f"，{none:,}个尚未明确包联领导" if none else "，均已明确包联领导"
    text += (f"；包联项目中有红色项目的领导{len(red)}位（{_names(red)}）。" if red else "；包联项目均无红色项目。")
    facts = [Fact("重点工程", now.height, f"{now.height:,}个", "review_key_months（本月）"),
             Fact("包联领导", len(leaders), f"{len(leaders)}位", "review_key_months.leader")]
    if none:
        facts.append(Fact("未明确包联领导", none, f"{none:,}个", "review_key_months.leader 为空"))
    if red:
        facts.append(Fact("包联项目有红色的领导", len(red), f"{len(red)}位", "review_key_months.status = red"))
    return plain("包联", text, *facts)


def red_table(red_key: pl.DataFrame) -> pl.DataFrame:
    d = red_key.head(RED_ROWS)
    return pl.DataFrame({
        "项目名称": d["name"], "县区/开发区": d["unit_name"],
        "级别": [KEY_LEVEL.get(v, "—") for v in d["key_level"]],
        "包联领导": d["leader"].fill_null("—"), "完成率": [pct(v) for v in d["completion_rate"]],
        "判定依据": d["status_reason"].fill_null("—"),
    }, schema={"项目名称": pl.String, "县区/开发区": pl.String, "级别": pl.String, "包联领导": pl.String,
               "完成率": pl.String, "判定依据": pl.String})


def review_tables(removals: pl.DataFrame, promotions: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The review list as tables users read (etl/review.py gives the rows)."""
    rm = pl.DataFrame({
        "项目名称": removals["name"], "县区/开发区": removals["unit_name"],
        "级别": [KEY_LEVEL.get(v, "—") for v in removals["key_level"]],
        "包联领导": removals["leader"].fill_null("—"),
        "依据": ["、".join(review.RULE_LABEL[r] for r in rules) for rules in removals["rules"].to_list()],
        "说明": removals["reasons"],
    }, schema={c: pl.String for c in ("项目名称", "县区/开发区", "级别", "包联领导", "依据", "说明")})
    pr = pl.DataFrame({
        "项目名称": promotions["name"], "县区/开发区": promotions["unit_name"],
        "包联领导": promotions["leader"].fill_null("—"),
        "总投资（亿元）": (promotions["total_investment_wan"] / 10000).round(2),
        "说明": promotions["reasons"],
    }, schema={"项目名称": pl.String, "县区/开发区": pl.String, "包联领导": pl.String, "总投资（亿元）": pl.Float64,
               "说明": pl.String})
    return rm, pr


def review_sentence(removals: pl.DataFrame, promotions: pl.DataFrame) -> Sentence:
    text = (f"按重点工程动态调整规则筛选，建议取消重点工程资格的{removals.height:,}个"
            + (f"（{_names(removals['name'].to_list())}）" if removals.height else "")
            + f"，建议推荐申报省级重点工程的市级重点工程{promotions.height:,}个"
            + (f"（{_names(promotions['name'].to_list())}）" if promotions.height else "") + "。")
    return plain("动态调整", text,
                 Fact("建议取消重点工程资格", removals.height, f"{removals.height:,}个", "etl.review.removals"),
                 Fact("建议推荐申报省级重点工程", promotions.height, f"{promotions.height:,}个", "etl.review.promotions"))


# ---------------------------------------------------------------- 四、存在的问题

def lagging_sentence(kpis: dict, ranking: pl.DataFrame) -> Sentence:
    behind = ranking.filter(pl.col("gap_pts") > BEHIND_PTS)
    text = f"一是部分项目进度滞后。全市年度建设项目中红色{kpis['red']:,}个、黄色{kpis['yellow']:,}个"
    if behind.height:
        text += f"；{behind.height:,}个县区、开发区落后序时进度{BEHIND_PTS:,}个百分点以上（{_names(behind['unit_name'].to_list())}）。"
    else:
        text += f"；没有落后序时进度{BEHIND_PTS:,}个百分点以上的县区、开发区。"
    return plain("进度滞后", text,
                 Fact("红色年度建设项目", kpis["red"], f"红色{kpis['red']:,}个", "overview_kpis.red"),
                 Fact("黄色年度建设项目", kpis["yellow"], f"黄色{kpis['yellow']:,}个", "overview_kpis.yellow"),
                 Fact(f"落后序时进度{BEHIND_PTS:,}个百分点以上的县区", behind.height, f"{behind.height:,}个",
                      f"by_unit.gap_pts > {BEHIND_PTS}"))


def problems_sentence(problems: pl.DataFrame) -> Sentence:
    s = summary.problems(problems)
    return Sentence(s.topic, "二是问题办理不够及时。" + s.text, s.facts)


def reporting_sentence(fresh: pl.DataFrame, flags: pl.DataFrame, period: dt.date, lead: str) -> Sentence:
    late = fresh.filter(pl.col("state") == "late")["sender"].to_list()
    missing = fresh.filter(pl.col("state") == "missing")["sender"].to_list()
    text = f"{lead}数据报送质量有待提高。{period_label(period)}数据应报{fresh.height:,}个单位"
    facts = [Fact("应报单位", fresh.height, f"应报{fresh.height:,}个单位", "admin_freshness（条数）")]
    if late:
        text += f"，逾期报送{len(late):,}个（{_names(late)}）"
        facts.append(Fact("逾期报送", len(late), f"逾期报送{len(late):,}个", "admin_freshness.state = late"))
    if missing:
        text += f"，未报送{len(missing):,}个（{_names(missing)}）"
        facts.append(Fact("未报送", len(missing), f"未报送{len(missing):,}个", "admin_freshness.state = missing"))
    if not late and not missing:
        text += "，均已按时报送"
    n_proj = flags["project_code"].n_unique()
    if flags.height:
        text += f"；{n_proj:,}个项目的{flags.height:,}处数据需与报送单位核实（如年累计与逐月完成不衔接）。"
        facts += [Fact("待核实项目", n_proj, f"{n_proj:,}个项目", "consistency_flags.project_code"),
                  Fact("待核实数据", flags.height, f"{flags.height:,}处", "consistency_flags（条数）")]
    else:
        text += "；报送数据未发现需要核实的情况。"
    return plain("数据报送", text, *facts)


def approvals_sentence(frames: dict[str, pl.DataFrame], period: dt.date) -> Sentence | None:
    """审批: items past their limit by department (who is slow) and the low-risk 20-working-day share
    against the plan's target, from the approvals page's queries (approvals_totals,
    approvals_departments, approvals_low_risk). None when nothing was reported."""
    totals = frames["approvals_totals"].row(0, named=True)
    n_items = totals["items"]
    if not n_items:
        return None
    rank = frames["approvals_departments"]
    slow = rank.filter(pl.col("overdue") > 0)
    n_over = int(slow["overdue"].sum()) if slow.height else 0
    n_wait = int(slow["overdue_waiting"].sum()) if slow.height else 0
    text = f"审批办理仍有堵点。截至{period_label(period)}末，全市报送审批事项{n_items:,}项"
    facts = [Fact("审批事项", n_items, f"审批事项{n_items:,}项", "approvals_totals.items")]
    if n_over:
        depts = [f"{r['department'] or '未明确审批部门'}（{r['overdue']:,}项）" for r in slow.head(MAX_NAMES).iter_rows(named=True)]
        text += (f"，超过办理时限{n_over:,}项（其中仍在办理{n_wait:,}项），涉及{slow.height:,}个审批部门："
                 + "、".join(depts) + ("等" if slow.height > MAX_NAMES else ""))
        facts += [Fact("超过办理时限的审批事项", n_over, f"超过办理时限{n_over:,}项", "approvals_departments.overdue"),
                  Fact("超时限仍在办理", n_wait, f"仍在办理{n_wait:,}项", "approvals_departments.overdue_waiting"),
                  Fact("有超时限事项的审批部门", slow.height, f"{slow.height:,}个审批部门", "approvals_departments.department")]
        facts += [Fact(f"{r['department'] or '未明确审批部门'}超时限事项", r["overdue"], shown,
                       "approvals_departments.overdue（按审批部门）")
                  for r, shown in zip(slow.head(MAX_NAMES).iter_rows(named=True), depts)]
    else:
        text += "，均未超过办理时限"
    lr = ap.low_risk_share(frames["approvals_low_risk"])
    days = ap.LOW_RISK_TARGET_DAYS
    if lr["complete"]:
        met = lr["within"] == lr["complete"]
        text += (f"；低风险小型项目全流程办结{lr['complete']:,}个，其中{lr['within']:,}个在{days:,}个工作日以内，"
                 f"占{pct(lr['share'])}，" + ("达到" if met else "未达到") + f"全流程不超过{days:,}个工作日的规划目标。")
        facts += [Fact("全流程办结的低风险小型项目", lr["complete"], f"全流程办结{lr['complete']:,}个",
                       "approvals_low_risk.complete（不动产登记办结）"),
                  Fact(f"{days:,}个工作日以内", lr["within"], f"其中{lr['within']:,}个", "approvals_low_risk.within"),
                  Fact(f"{days:,}个工作日以内占比", lr["share"], pct(lr["share"]), "ui.approvals.low_risk_share")]
    else:
        text += f"；尚无全流程办结的低风险小型项目，{days:,}个工作日的规划目标暂无法评价。"
    return plain("审批", text, *facts)


def factors_sentence(frames: dict[str, pl.DataFrame], period: dt.date) -> Sentence | None:
    """要素保障: key projects waiting on a factor past its planned date, and the land kept for key
    projects against the plan's 10 %, from the approvals page's queries (approvals_totals,
    factors_key_waiting). None when nothing was reported."""
    totals = frames["approvals_totals"].row(0, named=True)
    if not totals["factors"]:
        return None
    late = frames["factors_key_waiting"].filter(pl.col("is_overdue"))
    n_wait, n_late = totals["key_waiting_projects"], totals["key_overdue_projects"]
    text = "要素保障不够到位。"
    facts = []
    if n_wait:
        text += f"{n_wait:,}个重点工程仍在等待要素保障"
        facts.append(Fact("等待要素保障的重点工程", n_wait, f"{n_wait:,}个重点工程", "approvals_totals.key_waiting_projects"))
        if n_late:
            rows = late.head(MAX_NAMES).iter_rows(named=True)
            shown = [f"{r['name']}{ap.kind_label(r['kind'])}缺口{ap._amount(r['gap'], r['unit'])}（计划{date_label(r['planned_date'])}落实）"
                     for r in rows]
            text += (f"，其中{n_late:,}个过了计划落实时间仍未落实：" + "；".join(shown)
                     + ("等" if totals["key_overdue_rows"] > MAX_NAMES else ""))
            facts.append(Fact("过了计划落实时间的重点工程", n_late, f"其中{n_late:,}个", "approvals_totals.key_overdue_projects"))
            facts += [Fact(f"{r['name']}{ap.kind_label(r['kind'])}缺口", r["gap"], f"缺口{ap._amount(r['gap'], r['unit'])}",
                           "factors_key_waiting.gap") for r in late.head(MAX_NAMES).iter_rows(named=True)]
        else:
            text += "，均未超过计划落实时间"
    else:
        text += "重点工程的要素均已落实"
    land = ap.land_reserve(totals)
    target = f"{ap.LAND_RESERVE_TARGET * 100:.0f}%"
    if land["share"] is not None:
        text += (f"；已落实用地{land['total_mu']:,.1f}亩，其中重点工程{land['key_mu']:,.1f}亩，占{pct(land['share'])}，"
                 + ("达到" if land["met"] else "低于") + f"为重点工程预留不低于{target}用地指标的规划要求。")
        facts += [Fact("已落实用地（亩）", land["total_mu"], f"已落实用地{land['total_mu']:,.1f}亩", "approvals_totals.land_total_mu"),
                  Fact("重点工程已落实用地（亩）", land["key_mu"], f"重点工程{land['key_mu']:,.1f}亩",
                       "approvals_totals.land_key_mu"),
                  Fact("重点工程用地占比", land["share"], pct(land["share"]), "ui.approvals.land_reserve")]
    else:
        text += f"；尚无已落实的用地，为重点工程预留{target}用地指标的要求暂无法评价。"
    return plain("要素保障", text, *facts)


PROBLEM_SOURCES.update({
    approvals_sentence: ("approvals_totals", "approvals_departments", "approvals_low_risk"),
    factors_sentence: ("approvals_totals", "factors_key_waiting"),
})


# ---------------------------------------------------------------- 五、下步工作建议

def advice(d: QuarterData, city: fc.Forecast, removals: pl.DataFrame, promotions: pl.DataFrame) -> list[Sentence]:
    out = []
    behind = d.ranking.filter(pl.col("gap_pts") > BEHIND_PTS).sort("gap_pts", descending=True)
    text = "（一）加快投资进度。"
    facts = []
    if behind.height:
        names = behind["unit_name"].to_list()
        text += f"重点督促{_etc(names)}落后序时进度较多的县区、开发区，逐项目排查滞后原因"
        facts.append(Fact("督促的县区", len(names), _names(names), "by_unit.gap_pts > 10"))
    else:
        text += "各县区、开发区保持当前进度"
    need = city.need_per_month_wan
    if need:
        text += f"；全市完成年度计划，剩余{city.remaining_months:,}个月需月均完成{yi(need)}。"
        facts.append(Fact("剩余月份月均需完成（万元）", need, yi(need), "ui.forecast.need_per_month_wan"))
    else:
        text += "。"
    out.append(plain("建议", text, *facts))

    red = d.red_key.sort("gap_pts", descending=True, nulls_last=True).head(MAX_NAMES)
    if red.height:
        who = [f"{r['name']}（{r['leader'] or '未明确包联领导'}）" for r in red.iter_rows(named=True)]
        out.append(plain("建议", f"（二）盯紧红色重点工程。由包联领导牵头，逐一研究{'、'.join(who)}"
                                 f"{'等' if d.red_key.height > MAX_NAMES else ''}{d.red_key.height:,}个红色重点工程的推进措施。",
                         Fact("红色重点工程", d.red_key.height, f"{d.red_key.height:,}个", "briefing_red_key（条数）")))
    else:
        out.append(plain("建议", "（二）保持重点工程推进势头。目前没有红色重点工程，继续按节点计划推进。"))

    overdue = d.problems.filter(pl.col("is_overdue"))
    if overdue.height:
        units = (overdue.group_by("responsible_unit").len().sort(["len", "responsible_unit"], descending=[True, False])
                 ["responsible_unit"].fill_null("未明确责任单位").to_list())
        out.append(plain("建议", f"（三）推动问题清零销号。对超过完成时限的{overdue.height:,}个问题实行督办，"
                                 f"压实{_etc(units)}责任单位的责任，办结后经企业满意方可销号。",
                         Fact("超期问题", overdue.height, f"{overdue.height:,}个", "briefing_problems.is_overdue")))
    else:
        out.append(plain("建议", "（三）推动问题清零销号。目前没有超过完成时限的问题，新发现问题按时限办结。"))

    out.append(plain("建议", f"（四）动态调整重点工程。建议对{removals.height:,}个符合取消条件的重点工程研究取消其重点工程资格，"
                             f"将{promotions.height:,}个表现突出的市级重点工程推荐申报省级重点工程，提请市政府研究。",
                     Fact("建议取消", removals.height, f"{removals.height:,}个", "etl.review.removals"),
                     Fact("建议推荐", promotions.height, f"{promotions.height:,}个", "etl.review.promotions")))

    missing = d.freshness.filter(pl.col("state").is_in(["late", "missing"]))["sender"].to_list()
    text = "（五）规范数据报送。"
    text += (f"督促{_names(missing)}按时报送；" if missing else "继续按时报送；")
    text += (f"对{d.flags.height}处待核实数据，由报送单位核实更正。" if d.flags.height else "保持数据口径一致。")
    out.append(plain("建议", text, *((Fact("待核实数据", d.flags.height, f"{d.flags.height}处", "consistency_flags"),)
                                    if d.flags.height else ())))
    return out


# ---------------------------------------------------------------- the document

def build(d: QuarterData) -> Report:
    """The quarterly analysis as a Report."""
    p, k = d.period, d.kpis
    q_name = f"{d.year}年{QUARTER_NAME[d.quarter]}"
    date_text = date_label(d.issued) if d.issued else f"{p.year}年{p.month}月"
    rep = Report(d.title, [data_date_label(p), f"（{d.year}年{ytd_label(p)}）"], date_text,
                 f"季度分析_{d.year}Q{d.quarter}")
    if not d.has_data:
        rep.add(Heading("一、总体情况"))
        rep.say(plain("无数据", f"{period_label(p)}没有年度建设项目数据，无法形成{q_name}分析。"))
        return rep
    fcs = {lib: fc.forecasts(h, p.year, p.month) for lib, h in d.histories.items()}
    city = fcs[None].get(None) or fc.forecast(pl.DataFrame(schema={"year": pl.Int64, "month": pl.Int64,
                                                                   "plan_wan": pl.Float64, "ytd_wan": pl.Float64}),
                                              p.year, p.month)
    by_lib = {lib: fcs[lib].get(None) for lib in LIBRARIES if fcs[lib].get(None) is not None}
    sub = f"{period_label(p)} · 全市 · 全部年度项目 · {data_date_label(p)}"

    rep.add(Heading("一、总体情况"))
    rep.say(summary.investment(p, k)).say(summary.year_on_year(p, k))
    rep.say(forecast_sentence(city)).say(schedule_sentence(city, k))
    rep.add(Picture("cumulative", figures.cumulative_chart(d.curve, f"全市{p.year}年固定资产投资累计完成情况（亿元）", sub,
                                                           p.year), f"图1　全市{p.year}年投资累计完成情况"))
    rep.add(Table(library_table(by_lib), f"表1　分类预计全年完成情况（{fc.METHOD_LABEL[city.method]}）", (2.2, 1.7, 1.7, 1.8, 2.4, 1.6, 1.6, 2.6), 9))

    rep.add(Heading("二、分县区、开发区情况"))
    rep.say(summary.counties(d.ranking)).say(moves_sentence(d.ranking, d.previous))
    rep.add(Table(ranking_table(d.ranking, fcs[None]), f"表2　各县区、开发区投资完成情况（{ytd_label(p)}）",
                  (1.1, 2.8, 1.8, 1.8, 1.6, 2.6, 1.5, 2.4), 9))
    ranked = d.ranking.with_columns(pl.format("{}. {}", pl.col("rank"), by_value(d.ranking, "unit_name", short_unit)).alias("unit_name"))
    rep.add(Picture("units", figures.unit_bars(ranked, f"各县区、开发区年度投资完成率（{ytd_label(p)}）", sub,
                                               k.get("time_progress") or 0), "图2　各县区、开发区年度投资完成率"))

    rep.add(Heading("三、重点工程"))
    rep.add(Heading("（一）推进情况", 2))
    rep.say(summary.key_projects(k, d.red_key)).say(milestones_sentence(d.milestones, p))
    rep.say(leaders_sentence(d.key_rows, p))
    if d.red_key.height:
        rep.add(Table(red_table(d.red_key), f"表3　红色重点工程（{d.red_key.height:,}个"
                                            + (f"，列前{RED_ROWS:,}个" if d.red_key.height > RED_ROWS else "") + "）",
                      (4.2, 2.4, 1.8, 1.6, 1.4, 4.2), 9))
    removals = review.removals(d.key_rows, p, d.review_cfg)
    promotions = review.promotions(d.key_rows, p, d.review_cfg)
    rep.add(Heading("（二）动态调整", 2))
    rep.say(review_sentence(removals, promotions))
    for line in review.rules_text(d.review_cfg):
        rep.say(plain("调整规则", line))
    rm, pr = review_tables(removals, promotions)
    if rm.height:
        rep.add(Table(rm, "表4　建议取消重点工程资格的项目", (3.6, 2.2, 1.6, 1.4, 2.4, 4.4), 9))
    if pr.height:
        rep.add(Table(pr, "表5　建议推荐申报省级重点工程的项目", (3.8, 2.2, 1.6, 1.8, 6.2), 9))

    rep.add(Heading("四、存在的问题"))
    rep.say(lagging_sentence(k, d.ranking)).say(problems_sentence(d.problems))
    leads = ["三是", "四是", "五是", "六是"]
    for i, s in enumerate(d.extra):
        rep.say(Sentence(s.topic, leads[i] + s.text, s.facts))
    rep.say(reporting_sentence(d.freshness, d.flags, p, leads[len(d.extra)]))

    rep.add(Heading("五、下步工作建议"))
    for s in advice(d, city, removals, promotions):
        rep.say(s)
    return rep
