"""The answers a leader asks the home page for, first, each one tap from its detail: this year's
progress, this month's new starts, projects due to start that have not, red key projects with
their leaders, the oldest overdue problem and whose it is, the policy targets.
Pure builders: query frames and dicts in, `Answer`s and escaped HTML out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import polars as pl

from ui import cards
from ui.format import by_value, escape, gap_text, pct, ytd_label, yi
from ui.labels import STATUS

CSS = """<style>
.ans-grid {display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px;margin:0.2rem 0 1rem 0;}
.ans {display:block;background:#fff;border:1px solid #d9e2ec;border-radius:10px;padding:10px 14px;min-width:0;
  text-decoration:none !important;color:#1f2933 !important;}
.ans:active {background:#eef3f9;}
.ans .q {font-size:0.85rem;color:#52606d;}
.ans .a {font-size:1.35rem;font-weight:650;line-height:1.3;}
.ans .n {font-size:0.82rem;color:#3e4c59;overflow:hidden;text-overflow:ellipsis;display:-webkit-box;
  -webkit-line-clamp:2;-webkit-box-orient:vertical;}
.ans .go {float:right;color:#1f5fa8;font-size:0.85rem;}
.ans.red {border-left:5px solid #d62728;} .ans.yellow {border-left:5px solid #f2b200;}
.ans.green {border-left:5px solid #2ca02c;} .ans.blue {border-left:5px solid #1f5fa8;}
@media (max-width: 640px) {
  .ans-grid {grid-template-columns:repeat(2,minmax(0,1fr));gap:8px;}
  .ans {padding:8px 10px;} .ans .a {font-size:1.15rem;} .ans .q, .ans .n {font-size:0.78rem;}
}
</style>"""

# anchors of the overview's own sections the answers jump to
ANCHOR_STARTS = "month-starts"
ANCHOR_LATE = "late-starts"
ANCHOR_TARGETS = "policy-targets"


@dataclass(frozen=True)
class Answer:
    question: str  # 「本月新开工」
    value: str  # 「41个」
    note: str  # the detail in words
    href: str  # where one tap takes the leader
    tone: str = "blue"


def _q(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(params)}" if params else path


LOADING = "加载中"
LOADING_NOTE = "历史月份加载完成后显示"


def overview_answers(period: dt.date, unit: str | None, k: dict, starts: pl.DataFrame, overdue: pl.DataFrame | None,
                     targets: pl.DataFrame, pages: dict[str, str], rank: tuple[str, str] | None = None,
                     loading: bool = False) -> list[Answer]:
    """k: overview_kpis' row; starts: queries/start_watch.sql; overdue: the month's overdue open
    problems, most overdue first (problem_list); targets: policy_targets; pages: url_path → path;
    rank: the 比亮晒 answer (ui.league.rank_answer). loading: a first start's history is still being
    loaded, so the problems (and the 比亮晒 score that counts them) say 加载中 (overdue is then None)."""
    slug = f"{period:%Y-%m}"
    month = starts.filter(pl.col("started_this_month"))
    late = starts.filter(pl.col("late_start"))
    behind = k["gap_pts"] is not None and k["gap_pts"] > 0.05
    out = [Answer(f"{ytd_label(period)}累计完成投资", yi(k["ytd_wan"]),
                  f"完成率{pct(k['completion_rate'])}，{gap_text(k['gap_pts'])}",
                  _q(pages["progress"], period=slug, unit=unit), tone="yellow" if behind else "green"),
           Answer(f"{period.month}月新开工", f"{month.height:,}个",
                  f"本月实际开工的新开工项目，计划投资{yi(month['annual_plan_wan'].sum())}" if month.height
                  else "本月没有实际开工的新开工项目", f"#{ANCHOR_STARTS}")]
    if late.height:
        top = late.row(0, named=True)
        # the unit before the name, unless the name starts with it (「云冈区云冈区同创…」)
        unit_name = top["unit_name"] if top["unit_name"] and not top["name"].startswith(top["unit_name"]) else ""
        out.append(Answer("计划开工未开工", f"{late.height:,}个",
                          f"最久{top['days_late']}天：{unit_name + '·' if unit_name else ''}{top['name']}",
                          f"#{ANCHOR_LATE}",
                          tone="red" if top["days_late"] > 90 else "yellow"))
    else:
        out.append(Answer("计划开工未开工", "0个", "计划开工时间已到的项目都已开工", f"#{ANCHOR_LATE}", tone="green"))
    key_red = k["key_red"] or 0
    out.append(Answer("红色重点工程", f"{key_red:,}个", "点开看名称、级别和包联领导",
                      _q(pages["mobile"], period=slug, unit=unit, status="red", show="list"),
                      tone="red" if key_red else "green"))
    if overdue is None:
        out.append(Answer("超期未办结问题", LOADING, LOADING_NOTE, _q(pages["problems"], period=slug, unit=unit)))
    elif overdue.height:
        top = overdue.row(0, named=True)
        who = top["responsible_unit"] or "责任单位未明确"
        out.append(Answer("超期未办结问题", f"{overdue.height:,}个",
                          f"最久超期{top['days_overdue']}天：{top['project_name']}（{who}）",
                          _q(pages["problems"], period=slug, unit=unit, overdue="1"), tone="red"))
    else:
        out.append(Answer("超期未办结问题", "0个", "没有超过完成时限的问题",
                          _q(pages["problems"], period=slug, unit=unit), tone="green"))
    judged = targets.filter(pl.col("met").is_not_null())
    missed = judged.filter(~pl.col("met"))["short_label"].to_list()
    out.append(Answer("政策目标", f"{judged.height - len(missed):,}/{judged.height:,}项达标",
                      ("未达标：" + "、".join(missed)) if missed else "全部达标", f"#{ANCHOR_TARGETS}",
                      tone="red" if missed else "green"))
    if loading:
        out.append(Answer("比亮晒排名（综合得分）", LOADING, LOADING_NOTE, _q(pages["league"], period=slug)))
    elif rank:
        out.append(Answer("比亮晒排名（综合得分）", rank[0], rank[1], _q(pages["league"], period=slug)))
    return out


def answers_html(answers: list[Answer]) -> str:
    e = escape
    items = "".join(
        f'<a class="ans {e(a.tone)}" href="{e(a.href)}" target="_self"><div class="q">{e(a.question)}'
        f'<span class="go">详情 ›</span></div><div class="a">{e(a.value)}</div><div class="n">{e(a.note)}</div></a>'
        for a in answers)
    return f'{CSS}<div class="ans-grid">{items}</div>'


def start_cards(rows: pl.DataFrame, dossier_href: str, late: bool, limit: int = 30) -> str:
    """The month's new starts, or the late starts with days late, as cards (county, level, leader)."""
    shown = rows.head(limit)
    items = []
    for r in shown.iter_rows(named=True):
        when = (f"计划{_date(r['planned_start'])}开工，已推迟{r['days_late']}天" if late
                else f"{_date(r['actual_start'])}开工")
        items.append(cards.Card(
            href=f"{dossier_href}?{urlencode({'project': r['project_code']})}", title=r["name"], status=r["status"],
            strong=f"晚{r['days_late']}天" if late else "",
            lines=(" · ".join([r["unit_name"] or "—", cards.level_text(r["key_level"]), when]),
                   cards.leader_text(r["leader"], r["leader_title"])
                   + (f" · 责任单位：{r['responsible_unit']}" if r["responsible_unit"] else ""))))
    more = rows.height - shown.height
    return cards.cards_html(items, more, f"另有{more:,}个，见下载的表格。")


def _date(d) -> str:
    return "—" if d is None else f"{d.year}年{d.month}月{d.day}日"


def starts_table(rows: pl.DataFrame) -> pl.DataFrame:
    """The same rows for the downloads, Chinese headers."""
    return rows.select(
        pl.col("name").alias("项目名称"),
        pl.col("unit_name").alias("县区/开发区"),
        by_value(rows, "key_level", cards.level_text).alias("级别"),
        pl.col("status").replace_strict(STATUS, default=None).alias("红黄绿"),
        pl.col("leader").alias("包联领导"),
        pl.col("responsible_unit").alias("责任单位"),
        pl.col("planned_start").alias("计划开工时间"),
        pl.col("actual_start").alias("实际开工时间"),
        pl.when(pl.col("late_start")).then(pl.col("days_late")).alias("推迟天数"),
        (pl.col("annual_plan_wan")).alias("年度计划投资（万元）"),
        pl.col("project_code").alias("项目代码"),
    )
