"""数据分析: the briefing's text, drafted from the data by fixed rules.

Every sentence comes with the figures it was made from (`Fact`: what it is, the value in the
warehouse, how the sentence shows it, and the query column it came from), so a reader can
check each number and a test can check that each shown figure is in its sentence.
Pure functions: frames and dicts in, sentences out; no streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ui.format import pct, period_label, ytd_label, yi

BEHIND_PTS = 10  # a county is 「明显落后」 when this many points behind 序时进度 (the yellow line)
MAX_NAMES = 5  # names listed in one sentence before 「等」


@dataclass(frozen=True)
class Fact:
    label: str  # 「年累计完成投资」
    value: object  # the number (or name) as the warehouse holds it
    shown: str  # how the sentence writes it: 「6.10亿元」
    source: str  # query and column: 「overview_kpis.ytd_wan」


@dataclass(frozen=True)
class Sentence:
    topic: str  # 投资进度, 同比, 县区, 重点工程, 问题
    text: str
    facts: tuple[Fact, ...]


def _names(names: list[str]) -> str:
    shown = "、".join(names[:MAX_NAMES])
    return shown + ("等" if len(names) > MAX_NAMES else "")


def _pts(x: float) -> str:
    return f"{abs(x):.1f}个百分点"


def investment(period: dt.date, k: dict) -> Sentence | None:
    """Completion against the plan and 序时进度."""
    if not k.get("plan_wan"):
        return None
    gap = k["gap_pts"]
    rate, tp = pct(k["completion_rate"]), pct(k["time_progress"])
    if abs(gap) < 0.05:
        tail = f"与序时进度（{tp}）持平"
    else:
        tail = f"{'低于' if gap > 0 else '高于'}序时进度（{tp}）{_pts(gap)}"
    text = (f"{ytd_label(period)}，全市年度建设项目累计完成投资{yi(k['ytd_wan'])}，"
            f"占年度计划投资{yi(k['plan_wan'])}的{rate}，{tail}；"
            f"其中{period.month}月当月完成{yi(k['month_wan'])}。")
    return Sentence("投资进度", text, (
        Fact("年累计完成投资（万元）", k["ytd_wan"], yi(k["ytd_wan"]), "overview_kpis.ytd_wan"),
        Fact("年度计划投资（万元）", k["plan_wan"], yi(k["plan_wan"]), "overview_kpis.plan_wan"),
        Fact("完成率", k["completion_rate"], rate, "overview_kpis.completion_rate"),
        Fact("序时进度", k["time_progress"], tp, "overview_kpis.time_progress"),
        Fact("与序时进度之差（个百分点）", gap, _pts(gap), "overview_kpis.gap_pts"),
        Fact("本月完成投资（万元）", k["month_wan"], yi(k["month_wan"]), "overview_kpis.month_wan"),
    ))


def year_on_year(period: dt.date, k: dict) -> Sentence | None:
    """Growth on the same months of last year (only when last year was reported)."""
    last, g = k.get("ytd_last_year_wan"), k.get("yoy_growth")
    if not last or g is None:
        return None
    shown = f"{abs(g) * 100:.1f}%"
    verb = "增长" if g >= 0 else "下降"
    text = f"与上年同期（{yi(last)}）相比，累计完成投资{verb}{shown}。"
    return Sentence("同比", text, (
        Fact("上年同期累计完成投资（万元）", last, yi(last), "overview_kpis.ytd_last_year_wan"),
        Fact("同比增长", g, shown, "overview_kpis.yoy_growth"),
    ))


def counties(ranking: pl.DataFrame) -> Sentence | None:
    """The best and the worst county or zone, and how many lag 序时进度 badly.

    ranking: unit_name, completion_rate, gap_pts, best first."""
    if ranking.height < 2:
        return None
    best, worst = ranking.row(0, named=True), ranking.row(ranking.height - 1, named=True)
    behind = ranking.filter(pl.col("gap_pts") > BEHIND_PTS)
    ahead = ranking.filter(pl.col("gap_pts") <= 0)
    n = ranking.height
    text = (f"分县区（开发区）看，完成率最高的是{best['unit_name']}（{pct(best['completion_rate'])}），"
            f"最低的是{worst['unit_name']}（{pct(worst['completion_rate'])}）；"
            f"{n:,}个县区、开发区中，{ahead.height:,}个达到或快于序时进度，")
    if behind.height:
        text += f"{behind.height:,}个落后序时进度{BEHIND_PTS:,}个百分点以上（{_names(behind['unit_name'].to_list())}）。"
    else:
        text += f"没有落后序时进度{BEHIND_PTS:,}个百分点以上的。"
    return Sentence("县区", text, (
        Fact("完成率最高", best["unit_name"], best["unit_name"], "by_unit.unit_name"),
        Fact(f"{best['unit_name']}完成率", best["completion_rate"], pct(best["completion_rate"]),
             "by_unit.completion_rate"),
        Fact("完成率最低", worst["unit_name"], worst["unit_name"], "by_unit.unit_name"),
        Fact(f"{worst['unit_name']}完成率", worst["completion_rate"], pct(worst["completion_rate"]),
             "by_unit.completion_rate"),
        Fact("参与排名的县区、开发区", n, f"{n:,}个", "by_unit（年度计划投资大于0）"),
        Fact("达到或快于序时进度", ahead.height, f"{ahead.height:,}个", "by_unit.gap_pts ≤ 0"),
        Fact(f"落后序时进度{BEHIND_PTS:,}个百分点以上", behind.height, f"{behind.height:,}个",
             f"by_unit.gap_pts > {BEHIND_PTS}"),
    ))


def key_projects(k: dict, red_key: pl.DataFrame, last_red: int | None = None) -> Sentence | None:
    """Key projects by status, red against last month, and how many turned red this month."""
    total = k.get("key_projects") or 0
    if not total:
        return None
    turned = red_key.filter(pl.col("turned_red"))
    before = f"（上月{last_red:,}个）" if last_red is not None else ""
    text = (f"重点工程{total:,}个，其中红色{k['key_red']:,}个{before}、黄色{k['key_yellow']:,}个、绿色{k['key_green']:,}个；")
    if turned.height:
        text += f"本月新转红{turned.height:,}个（{_names(turned['name'].to_list())}）。"
    else:
        text += "本月没有新转红的项目。"
    last = (Fact("上月红色", last_red, f"上月{last_red:,}个", "overview_kpis.key_red（上月）"),) if before else ()
    return Sentence("重点工程", text, (
        Fact("重点工程", total, f"{total:,}个", "overview_kpis.key_projects"),
        Fact("红色", k["key_red"], f"{k['key_red']:,}个", "overview_kpis.key_red"),
        *last,
        Fact("黄色", k["key_yellow"], f"{k['key_yellow']:,}个", "overview_kpis.key_yellow"),
        Fact("绿色", k["key_green"], f"{k['key_green']:,}个", "overview_kpis.key_green"),
        Fact("本月新转红（上月非红色或上月未报送）", turned.height, f"{turned.height:,}个",
             "briefing_red_key.turned_red"),
    ))


def problems(problems: pl.DataFrame) -> Sentence:
    """Open and overdue problems, and the one overdue longest.

    problems: the open problems of the month (briefing_problems), most overdue first."""
    overdue = problems.filter(pl.col("is_overdue"))
    text = f"问题清单中未办结问题{problems.height:,}个，"
    facts = [Fact("未办结问题", problems.height, f"{problems.height:,}个", "briefing_problems（条数）")]
    if overdue.height:
        top = overdue.row(0, named=True)
        text += (f"其中超过完成时限{overdue.height:,}个；超期最长的是{top['project_name']}"
                 f"“{top['description']}”（责任单位：{top['responsible_unit'] or '未明确'}，"
                 f"超期{top['days_overdue']}天）。")
        facts += [Fact("超过完成时限", overdue.height, f"{overdue.height:,}个", "briefing_problems.is_overdue"),
                  Fact("超期最长的问题", top["problem_id"], top["project_name"], "briefing_problems.project_name"),
                  Fact("超期天数", top["days_overdue"], f"{top['days_overdue']}天", "briefing_problems.days_overdue")]
    else:
        text += "没有超过完成时限的问题。"
        facts.append(Fact("超过完成时限", 0, "没有超过完成时限", "briefing_problems.is_overdue"))
    return Sentence("问题", text, tuple(facts))


def draft(period: dt.date, kpis: dict, ranking: pl.DataFrame, red_key: pl.DataFrame,
          open_problems: pl.DataFrame, last_kpis: dict | None = None) -> list[Sentence]:
    """The 数据分析 of one month, sentence by sentence (sentences without data are left out).
    last_kpis: last month's headline figures, when it was reported."""
    last_red = last_kpis.get("key_red") if last_kpis and last_kpis.get("projects") else None
    out = [investment(period, kpis), year_on_year(period, kpis), counties(ranking),
           key_projects(kpis, red_key, last_red), problems(open_problems)]
    return [s for s in out if s is not None]


def as_text(period: dt.date, sentences: list[Sentence], data_date: str) -> str:
    """Plain text for the pack: a heading, the paragraph, then each sentence's figures."""
    lines = [f"数据分析（{period_label(period)}）", data_date, "", "".join(s.text for s in sentences), "",
             "数据依据："]
    for i, s in enumerate(sentences, 1):
        lines.append(f"{i}. {s.topic}：" + "；".join(f"{f.label} {f.shown}（{f.source}）" for f in s.facts))
    return "\n".join(lines) + "\n"


def as_table(sentences: list[Sentence]) -> pl.DataFrame:
    """One row per figure, for the xlsx sheet 「数据分析」."""
    rows = [{"序号": i, "分析": s.text if j == 0 else "", "依据指标": f.label,
             "数值": None if isinstance(f.value, str) else (None if f.value is None else float(f.value)),
             "显示为": f.shown, "来源（查询.字段）": f.source}
            for i, s in enumerate(sentences, 1) for j, f in enumerate(s.facts)]
    schema = {"序号": pl.Int64, "分析": pl.String, "依据指标": pl.String, "数值": pl.Float64, "显示为": pl.String,
              "来源（查询.字段）": pl.String}
    return pl.DataFrame(rows, schema=schema)
