"""“比亮晒”排队通报 as a Word document, and one for each county / development zone.

The ranking is ui/league.py's (weights of config/league.toml); this module only lays it out
and drafts one sentence per unit from its weakest metric. Pure: frames in, Report out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ui import league as lg
from ui.briefing import previous_month
from ui.format import data_date_label, period_label, ytd_label
from ui.report import Heading, Report, Runner, Table, plain
from ui.summary import Fact, Sentence

# what a unit should do about its weakest metric
ADVICE = {
    "completion": "需加快投资进度，追赶序时进度",
    "growth": "需扩大有效投资，扭转增速偏低局面",
    "new_start": "需推动计划开工项目尽快开工",
    "key_green": "需推动红、黄重点工程尽快转绿",
    "problem_closure": "需加快问题办理，推动清零销号",
    "overdue_problems": "需尽快办结超期问题",
    "reserve_ratio": "需加大项目谋划储备力度",
    "signed_started": "需推动签约招商引资项目尽快开工",
}


@dataclass(frozen=True)
class NoticeData:
    period: dt.date
    cfg: lg.LeagueConfig
    units: pl.DataFrame  # ui.league.league of the counties and zones
    departments: pl.DataFrame
    has_previous: bool

    @property
    def title(self) -> str:
        # two lines at the title's size, broken where the sense breaks (one line would leave 「报」 alone)
        return f"{period_label(self.period)}全市项目建设\n“比亮晒”排队通报"


def load(period: dt.date, run: Runner | None = None) -> NoticeData:
    import queries

    run = run or queries.run
    cfg = lg.load_config()
    previous = previous_month(period)
    has_previous = previous in run("periods")["period"].to_list()
    tables = lg.league_tables(run, period, previous if has_previous else None, cfg)
    return NoticeData(period, cfg, tables["units"], tables["departments"], has_previous)


def ranked_units(d: NoticeData) -> list[str]:
    """Codes of the counties and zones ranked this month, in rank order."""
    return d.units.filter(pl.col("ranked"))["unit_code"].to_list()


def weakest(row: dict, cfg: lg.LeagueConfig, group: str) -> str | None:
    """The scored metric with the lowest single score (ties: the heavier weight, then the
    order of the config); None when every scored metric is at full marks."""
    scored = [(row[f"score_{m}"], -w, i, m) for i, (m, w) in enumerate(cfg.weights[group].items())
              if row.get(f"score_{m}") is not None]
    if not scored:
        return None
    s, _, _, m = min(scored)
    return None if s >= 100 else m


def unit_sentence(row: dict, cfg: lg.LeagueConfig, group: str = "units") -> Sentence:
    """「平城区：综合得分54.5分，排第2名（较上月↓1）；短板是招商引资签约开工率，为0.0%（0/1），单项得分0.0分，需…」."""
    name, score = row["unit_name"], row["composite"]
    rank = lg.rank_label(row["rank"], row["tied"])
    change = row["change"] or "—"
    change = (change if change in (lg.NO_PREVIOUS_DATA, lg.NOT_RANKED_BEFORE)
              else "与上月持平" if change == "—" else f"较上月{change}")
    facts = [Fact(f"{name}综合得分", score, f"{score:.1f}分", "ui.league.composite"),
             Fact(f"{name}名次", row["rank"], f"第{rank}名", "ui.league.rank")]
    text = f"{name}：综合得分{score:.1f}分，排第{rank}名（{change}）"
    m = weakest(row, cfg, group)
    if m is None:
        text += "，各项指标均达到目标。"
    else:
        value, s = lg.metric_text(row, m), row[f"score_{m}"]
        text += f"；短板是{cfg.labels[m]}，为{value}，单项得分{s:.1f}分，{ADVICE[m]}。"
        facts += [Fact(f"{name}{cfg.labels[m]}", row.get(lg.METRICS[m]), value, f"league_{group}.{lg.METRICS[m]}"),
                  Fact(f"{name}{cfg.labels[m]}单项得分", s, f"{s:.1f}分", f"ui.league.score_{m}")]
    return plain("单位", text, *facts)


# column widths of the two ranking tables (cm; the page's text is 15.6 cm wide): rank, unit, score,
# change and badge narrow, the metrics' value-and-detail cells (「88.4%（160/181）」) wide enough for a line
UNIT_WIDTHS_CM = (1.3, 3.0, 1.2, 1.2, 1.3, 2.9, 1.6, 3.0)
DEPARTMENT_WIDTHS_CM = (1.3, 3.3, 1.2, 1.2, 1.3, 3.0, 2.2, 2.0)


def compact_table(df: pl.DataFrame, cfg: lg.LeagueConfig, group: str, detail: list[str]) -> pl.DataFrame:
    """Rank, unit, score, change, badge and a few metrics (a table that fits a portrait page)."""
    rows = []
    for r in df.filter(pl.col("ranked")).iter_rows(named=True):
        out = {"名次": lg.rank_label(r["rank"], r["tied"]), "单位": r["unit_name"], "综合得分": f"{r['composite']:.1f}",
               "较上月": r["change"] or "—", "红榜/末位": r["badge"] or ""}
        for m in detail:
            out[cfg.labels[m]] = lg.metric_text(r, m)
        rows.append(out)
    cols = ["名次", "单位", "综合得分", "较上月", "红榜/末位"] + [cfg.labels[m] for m in detail]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols})


def badge_sentence(df: pl.DataFrame, group_label: str) -> Sentence:
    top, bottom = lg.badge_names(df, lg.TOP_BADGE), lg.badge_names(df, lg.BOTTOM_BADGE)
    if not top and not bottom:
        return plain("红榜末位", f"{group_label}参与排名单位不足，本期不设红榜、末位。")
    text = f"{group_label}中，列入红榜的是{'、'.join(top)}" if top else f"{group_label}中，本期不设红榜"
    text += f"；列为末位的是{'、'.join(bottom)}。" if bottom else "。"
    return plain("红榜末位", text, Fact("红榜", len(top), "、".join(top), "ui.league.badge"),
                 Fact("末位", len(bottom), "、".join(bottom), "ui.league.badge"))


def moves_sentence(df: pl.DataFrame, has_previous: bool) -> Sentence:
    if not has_previous:
        return plain("名次变化", f"上期无数据，本期不比较名次变化（标注「{lg.NO_PREVIOUS_DATA}」）。")
    r = df.filter(pl.col("ranked") & pl.col("rank_delta").is_not_null())
    up = r.filter(pl.col("rank_delta") > 0).sort("rank_delta", descending=True)
    down = r.filter(pl.col("rank_delta") < 0).sort("rank_delta")
    parts, facts = [], []
    for label, part in (("名次上升", up), ("名次下降", down)):
        if part.height:
            items = [f"{n}（{c}）" for n, c in zip(part["unit_name"], part["change"])]
            parts.append(f"{label}的有{part.height:,}个：{'、'.join(items)}")
            facts.append(Fact(label, part.height, f"{part.height:,}个", "ui.league.rank_delta"))
    if not parts:
        return plain("名次变化", "与上月相比，各单位名次没有变化。")
    return plain("名次变化", "与上月相比，" + "；".join(parts) + "。", *facts)


def _weights_table(cfg: lg.LeagueConfig) -> pl.DataFrame:
    return lg.weights_table(cfg)


def _intro(d: NoticeData) -> Sentence:
    return plain("说明", f"根据各县（区）、开发区和市直有关部门报送的{d.period.year}年{ytd_label(d.period)}项目建设数据，"
                       f"按照“比亮晒”评分办法，现将{period_label(d.period)}排名情况通报如下。")


def build(d: NoticeData) -> Report:
    """The notice for everyone: both rankings, 红榜/末位, rank changes, one sentence per unit."""
    rep = Report(d.title, [data_date_label(d.period)], f"{d.period.year}年{d.period.month}月",
                 f"排队通报_{d.period:%Y-%m}", title_page=False)
    rep.say(_intro(d))
    detail_u = [m for m in ("completion", "growth", "key_green") if m in d.cfg.weights["units"]]
    detail_d = [m for m in ("completion", "problem_closure", "overdue_problems") if m in d.cfg.weights["departments"]]
    rep.add(Heading("一、县（区）、开发区排名"))
    if d.units.filter(pl.col("ranked")).height:
        rep.add(Table(compact_table(d.units, d.cfg, "units", detail_u), "表1　县（区）、开发区“比亮晒”排名",
                      UNIT_WIDTHS_CM, 9))
        rep.say(badge_sentence(d.units, "县（区）、开发区")).say(moves_sentence(d.units, d.has_previous))
    else:
        rep.say(plain("无排名", "本期无参与排名的县（区）、开发区。"))
    for note, names in lg.not_ranked(d.units):
        rep.say(plain("不参与排名", f"{'、'.join(names)}：{note}。"))
    rep.add(Heading("二、各县（区）、开发区短板"))
    for r in d.units.filter(pl.col("ranked")).iter_rows(named=True):
        rep.say(unit_sentence(r, d.cfg, "units"))
    rep.add(Heading("三、市直部门排名"))
    if d.departments.height and d.departments.filter(pl.col("ranked")).height:
        rep.add(Table(compact_table(d.departments, d.cfg, "departments", detail_d), "表2　市直部门“比亮晒”排名",
                      DEPARTMENT_WIDTHS_CM, 9))
        rep.say(badge_sentence(d.departments, "市直部门")).say(moves_sentence(d.departments, d.has_previous))
    else:
        rep.say(plain("无排名", "本期无参与排名的市直部门。"))
    rep.add(Heading("四、评分办法与权重"))
    rep.add(Table(_weights_table(d.cfg), "表3　评分指标与权重", (3.6, 2.6, 2.4, 7.0), 9))
    rep.say(plain("评分办法", lg.METHOD_TEXT))
    return rep


def build_unit(d: NoticeData, code: str) -> Report:
    """One county's or zone's own notice: its rank, every metric with its score, its weakest one,
    and the whole ranking for reference."""
    row = d.units.filter(pl.col("unit_code") == code).row(0, named=True)
    name = row["unit_name"]
    rep = Report(f"{d.title}（{name}）", [data_date_label(d.period)], f"{d.period.year}年{d.period.month}月",
                 f"排队通报_{d.period:%Y-%m}_{name}", title_page=False)
    rep.say(_intro(d))
    rep.add(Heading(f"一、{name}排名情况"))
    rep.say(unit_sentence(row, d.cfg, "units"))
    rows = []
    for m, w in d.cfg.weights["units"].items():
        s = row.get(f"score_{m}")
        rows.append({"指标": d.cfg.labels[m], "权重": f"{w:g}", "本单位": lg.metric_text(row, m),
                     "单项得分": "无数据，不计分" if s is None else f"{s:.1f}"})
    rep.add(Table(pl.DataFrame(rows, schema={c: pl.String for c in ("指标", "权重", "本单位", "单项得分")}),
                  f"表1　{name}各项指标得分", (4.0, 1.6, 6.4, 3.6), 10.5))
    rep.add(Heading("二、全市排名"))
    detail = [m for m in ("completion", "growth", "key_green") if m in d.cfg.weights["units"]]
    rep.add(Table(compact_table(d.units, d.cfg, "units", detail), "表2　县（区）、开发区“比亮晒”排名",
                  UNIT_WIDTHS_CM, 9))
    rep.say(badge_sentence(d.units, "县（区）、开发区"))
    rep.add(Heading("三、评分办法"))
    rep.say(plain("评分办法", lg.METHOD_TEXT))
    return rep
