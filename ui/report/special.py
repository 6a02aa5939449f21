"""项目专报 for the city's top leaders: one page per key project, from its project file
(一项一档: queries/dossier_*.sql) — who answers for it, investment against plan and 序时进度,
形象进度, milestones and open problems. The projects are chosen by code, by leader (the
leader's whole portfolio), or else the month's red key projects. Pure: frames in, Report out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ui.dossier import identity_rows, milestone_table, problem_table
from ui.format import data_date_label, date_label, gap_text, pct, period_label, wan, ytd_label, yi
from ui.labels import STATUS_LONG
from ui.report import Heading, PageBreak, Report, Runner, Table, plain
from ui.summary import Fact, Sentence

MAX_PROBLEMS = 5  # open problems listed per project


@dataclass(frozen=True)
class ProjectFile:
    project: dict  # dossier_project
    milestones: pl.DataFrame
    problems: pl.DataFrame


@dataclass(frozen=True)
class SpecialData:
    period: dt.date
    projects: list[ProjectFile]
    leader: str | None = None

    @property
    def title(self) -> str:
        who = f"（{self.leader}包联）" if self.leader else ""
        return f"重点工程项目专报{who}"


def load(period: dt.date, projects: list[str] | None = None, leader: str | None = None,
         run: Runner | None = None) -> SpecialData:
    """The files of the chosen key projects: by code, by leader, or else the red ones of `period`."""
    import queries

    run = run or queries.run
    if projects:
        codes = list(dict.fromkeys(projects))
    else:
        rows = run("review_key_months", period=period, months=1)
        if leader:
            rows = rows.filter(pl.col("leader").str.strip_chars() == leader.strip())
        else:
            rows = rows.filter(pl.col("status") == "red")
        codes = rows.sort("gap_pts", descending=True, nulls_last=True)["project_code"].to_list()
    files = []
    for code in codes:
        p = run("dossier_project", code=code)
        if p.is_empty():
            continue
        files.append(ProjectFile(p.row(0, named=True), run("dossier_milestones", code=code),
                                 run("dossier_problems", code=code)))
    return SpecialData(period, files, leader)


def investment_sentence(p: dict) -> Sentence:
    period = p["period"]
    facts = [Fact("年度计划投资（万元）", p["annual_plan_wan"], wan(p["annual_plan_wan"]), "dossier_project.annual_plan_wan"),
             Fact("年累计完成投资（万元）", p["completed_ytd_wan"], wan(p["completed_ytd_wan"]),
                  "dossier_project.completed_ytd_wan")]
    text = "（一）投资完成情况。"
    if p.get("total_investment_wan"):
        text += f"项目总投资{yi(p['total_investment_wan'])}，"
        facts.append(Fact("总投资（万元）", p["total_investment_wan"], yi(p["total_investment_wan"]),
                          "dossier_project.total_investment_wan"))
    text += f"{period.year}年计划投资{wan(p['annual_plan_wan'])}，{ytd_label(period)}累计完成{wan(p['completed_ytd_wan'])}"
    if p.get("completion_rate") is not None:
        text += f"，完成率{pct(p['completion_rate'])}"
        facts.append(Fact("完成率", p["completion_rate"], pct(p["completion_rate"]), "dossier_project.completion_rate"))
        if p.get("gap_pts") is not None:
            g = gap_text(p["gap_pts"])
            text += f"，{g}"
            facts.append(Fact("与序时进度之差（个百分点）", p["gap_pts"], g, "dossier_project.gap_pts"))
    if p.get("completed_cum_wan") is not None:
        text += f"；开工累计完成{wan(p['completed_cum_wan'])}"
        facts.append(Fact("开工累计完成投资（万元）", p["completed_cum_wan"], wan(p["completed_cum_wan"]),
                          "dossier_project.completed_cum_wan"))
    status = STATUS_LONG.get(p.get("status"))
    if status:
        text += f"。红黄绿判定为{status}，依据：{p.get('status_reason') or '—'}"
    return plain("投资", text + "。", *facts)


def progress_sentence(p: dict) -> Sentence:
    text = f"（二）形象进度。{p.get('progress_text') or '未填报'}。"
    if p.get("problem_text"):
        text += f"报送的存在问题：{p['problem_text']}。"
    return plain("形象进度", text)


def milestone_sentence(ms: pl.DataFrame) -> Sentence:
    if ms.is_empty():
        return plain("节点", "（三）节点计划。未报送节点计划（挂图作战）。")
    done = ms.filter(pl.col("node_state").is_in(["done", "done_late"])).height
    overdue = ms.filter(pl.col("node_state") == "overdue")
    text = f"（三）节点计划。共{ms.height:,}个节点，已完成{done:,}个"
    facts = [Fact("节点", ms.height, f"{ms.height:,}个", "dossier_milestones（条数）"),
             Fact("已完成节点", done, f"已完成{done:,}个", "dossier_milestones.node_state")]
    if overdue.height:
        worst = overdue.sort("days_overdue", descending=True).row(0, named=True)
        text += (f"，已逾期{overdue.height:,}个（逾期最久的是「{worst['node_name']}」，"
                 f"计划{date_label(worst['planned_date'])}完成，已逾期{worst['days_overdue']}天）")
        facts += [Fact("逾期节点", overdue.height, f"已逾期{overdue.height:,}个", "dossier_milestones.node_state = overdue"),
                  Fact("逾期天数", worst["days_overdue"], f"{worst['days_overdue']}天", "dossier_milestones.days_overdue")]
    return plain("节点", text + "。", *facts)


def problems_sentence(pb: pl.DataFrame) -> Sentence:
    open_ = pb.filter(~pl.col("is_cleared"))
    if open_.is_empty():
        return plain("问题", "（四）存在问题。目前没有未销号的问题。")
    overdue = open_.filter(pl.col("is_overdue")).height
    text = f"（四）存在问题。未销号问题{open_.height:,}个" + (f"，其中超过完成时限{overdue:,}个" if overdue else "") + "。"
    return plain("问题", text, Fact("未销号问题", open_.height, f"{open_.height:,}个", "dossier_problems.is_cleared"),
                 *((Fact("超过完成时限", overdue, f"{overdue:,}个", "dossier_problems.is_overdue"),) if overdue else ()))


def _pairs_table(rows: list[tuple[str, str | None]]) -> pl.DataFrame:
    """Label/value pairs two to a row: 项目 | 内容 | 项目 | 内容."""
    rows = [(k, v if v not in (None, "") else "—") for k, v in rows]
    if len(rows) % 2:
        rows.append(("", ""))
    half = [rows[i:i + 2] for i in range(0, len(rows), 2)]
    return pl.DataFrame({"项目": [a[0] for a, _ in half], "内容": [a[1] for a, _ in half],
                         "项目 ": [b[0] for _, b in half], "内容 ": [b[1] for _, b in half]},
                        schema={"项目": pl.String, "内容": pl.String, "项目 ": pl.String, "内容 ": pl.String})


def build(d: SpecialData) -> Report:
    """One page per project: heading, identity table, investment, progress, milestones, problems."""
    when = f"{d.period.year}年{d.period.month}月"
    rep = Report(d.title, [f"{period_label(d.period)}（共{len(d.projects):,}个项目）"], when,
                 f"项目专报_{d.period:%Y-%m}" + (f"_{d.leader}" if d.leader else ""), title_page=False, body_pt=14)
    for i, f in enumerate(d.projects):
        p = f.project
        if i:
            rep.add(PageBreak())
        rep.add(Heading(f"{i + 1}. {p['name']}"))
        rep.say(plain("数据截至", f"项目代码{p['project_code']}，{data_date_label(p['period'])}（{period_label(p['period'])}报送）。",
                      Fact("数据期间", p["period"], period_label(p["period"]), "dossier_project.period")))
        ident = [r for r in identity_rows(p) if r[0] not in ("六新类型", "两新一重类型", "首次入库")]
        rep.add(Table(_pairs_table(ident), "基本情况", (2.6, 5.2, 2.6, 5.2), 9))
        rep.say(investment_sentence(p))
        rep.say(progress_sentence(p))
        rep.say(milestone_sentence(f.milestones))
        if f.milestones.height:
            rep.add(Table(milestone_table(f.milestones).drop("备注"), "节点计划（挂图作战）", (1.2, 5.4, 3.0, 3.0, 3.0), 9))
        rep.say(problems_sentence(f.problems))
        open_ = f.problems.filter(~pl.col("is_cleared")).head(MAX_PROBLEMS)
        if open_.height:
            t = problem_table(open_).select("问题描述", "责任单位", "责任领导", "完成时限", "办理状态")
            rep.add(Table(t.with_columns(pl.all().cast(pl.String)), "未销号问题", (4.6, 3.4, 2.0, 2.4, 3.2), 9))
    return rep
