"""Builders for the project file (项目档案, 一项一档): frames in, HTML / plotly figures / tables out.

Every text from data that goes into HTML is escaped here. Amounts arrive in 万元.
"""

from __future__ import annotations

import datetime as dt

from urllib.parse import urlencode

import plotly.graph_objects as go
import polars as pl
import segno

from etl.vocab import INVEST_KIND, KEY_LEVEL, LIBRARY_LONG, PROBLEM_STATE, STATUS, STATUS_COLOR
from ui import cards
from ui.memo import memo
from ui.figures import BLUE, GREY, ORANGE, _layout
from ui.format import by_value, date_label, escape, money, pct, period_label, wan

NODE_STATE = {
    "done": "按期完成",
    "done_late": "逾期完成",
    "overdue": "已逾期",
    "due": "30天内到期",
    "planned": "未到期",
}
NODE_COLOR = {"done": STATUS_COLOR["green"], "done_late": STATUS_COLOR["yellow"], "overdue": STATUS_COLOR["red"],
              "due": BLUE, "planned": GREY}

CSS = """
<style>
.dossier-head {display:flex; gap:18px; align-items:flex-start; justify-content:space-between;
  border:1px solid #e4e9f0; border-radius:10px; padding:14px 16px; background:#f7f9fc; margin-bottom:10px;}
.dossier-head h2 {font-size:1.45rem; margin:0 0 4px 0; padding:0; line-height:1.35;}
.dossier-code {color:#52606d; font-size:0.9rem;}
.dossier-status {display:inline-block; color:#fff; border-radius:12px; padding:1px 10px; font-size:0.9rem;
  margin-right:6px; font-weight:600;}
.dossier-reason {color:#3e4c59; font-size:0.92rem;}
.dossier-qr {text-align:center; font-size:0.78rem; color:#52606d; flex:0 0 auto;}
.dossier-qr img {width:112px; height:112px; display:block; margin:0 auto 2px auto;}
.dossier-id {display:grid; grid-template-columns:repeat(3, max-content minmax(0, 1fr)); column-gap:12px; row-gap:5px;
  font-size:0.9rem; margin:4px 0 12px 0; align-items:baseline;}
.dossier-id .k {color:#52606d; white-space:nowrap;}
.dossier-id .v {min-width:0; overflow-wrap:anywhere; padding-right:10px;}
.dossier-months {display:flex; flex-wrap:wrap; gap:4px; margin:2px 0 8px 0;}
.dossier-month {border-radius:6px; padding:2px 7px; font-size:0.8rem; color:#fff; white-space:nowrap;}
.dossier-month.none {background:#cbd2d9; color:#1f2933;}
@media (max-width: 640px) {
  .dossier-head {padding:10px 12px; gap:10px;}
  .dossier-head h2 {font-size:1.15rem;}
  .dossier-qr {font-size:0.7rem;}
  .dossier-qr img {width:76px; height:76px;}
  .dossier-qr .dossier-url {display:none;}
  .dossier-id {grid-template-columns:max-content minmax(0, 1fr); font-size:0.88rem;}
}
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stExpander"], [data-testid="stElementToolbar"], .modebar-container {display:none !important;}
  /* keep the screen layout (charts are drawn at screen width) and scale it onto the sheet */
  .block-container {zoom:0.66; padding:0 !important; max-width:none !important;}
  .dossier-head, .js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stHorizontalBlock"] {break-inside:avoid;}
  @page {size:A4 portrait; margin:0.8cm;}
}
</style>
"""


def _esc(x) -> str:
    return escape("—" if x is None or x == "" else x)


def qr_data_uri(url: str, scale: int = 4) -> str:
    """A QR code of `url` as an SVG data URI (ready for <img src=…>)."""
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2, dark="#1f2933")


def status_badge(status: str | None) -> str:
    if status not in STATUS:
        return '<span class="dossier-status" style="background:#9aa5b1">未判定</span>'
    return (f'<span class="dossier-status" style="background:{STATUS_COLOR[status]}">'
            f'{STATUS[status]}色</span>')


def head_html(p: dict, qr_uri: str, url: str) -> str:
    """Name, code, status and the QR code that opens the same file on a phone."""
    return (
        '<div class="dossier-head"><div>'
        f'<h2>{_esc(p["name"])}</h2>'
        f'<div class="dossier-code">项目代码 {_esc(p["project_code"])}</div>'
        f'<div style="margin-top:6px">{status_badge(p.get("status"))}'
        f'<span class="dossier-reason">{_esc(p.get("status_reason") or "储备项目不判定红黄绿")}</span></div>'
        '</div>'
        # the QR code's data: URI is made here (base64, no text from the data); Streamlit's markdown
        # takes an image address only as written, so it is not escaped like the rest
        f'<div class="dossier-qr"><img src="{qr_uri}" alt="项目档案二维码"/>'
        f'手机扫码查看<br/><span class="dossier-url" style="font-size:0.7rem">{_esc(url)}</span></div>'
        '</div>'
    )


def _leader(p: dict) -> str:
    name, title = p.get("leader"), p.get("leader_title")
    if not name:
        return "—"
    return f"{name}（{title}）" if title else name


def identity_rows(p: dict) -> list[tuple[str, str]]:
    """(label, text) pairs: who, where, what kind, who answers for it, when."""
    unit = p.get("county_name") or "—"
    if p.get("zone_name"):
        unit = f"{p['zone_name']}（{p.get('county_name') or '—'}）"
    return [
        ("建设单位", p.get("owner")),
        ("所在县区/开发区", unit),
        ("所属行业", p.get("sector")),
        ("项目类别", LIBRARY_LONG.get(p.get("library"), p.get("library"))),
        ("重点工程级别", KEY_LEVEL.get(p.get("key_level"), "非重点工程")),
        ("六新类型", p.get("six_new_type")),
        ("两新一重类型", p.get("two_new_type")),
        ("投资类型", INVEST_KIND.get(p.get("invest_kind"), p.get("invest_kind"))),
        ("包联领导", _leader(p)),
        ("责任单位", p.get("responsible_unit")),
        ("责任人", p.get("responsible_person")),
        ("计划开工", date_label(p.get("planned_start"))),
        ("实际开工", date_label(p.get("actual_start"))),
        ("计划竣工", date_label(p.get("planned_end"))),
        ("首次入库", period_label(p["first_period"]) if p.get("first_period") else None),
        ("最近报送", period_label(p["last_period"]) if p.get("last_period") else None),
    ]


def identity_html(p: dict) -> str:
    """Label/value pairs in a grid: three pairs a row on a wide screen, one on a phone."""
    cells = "".join(f'<div class="k">{_esc(k)}</div><div class="v">{_esc(v)}</div>' for k, v in identity_rows(p))
    return f'<div class="dossier-id">{cells}</div>'


def status_months_html(months: pl.DataFrame) -> str:
    """Red/yellow/green month by month as a row of coloured chips; a run of months in the reserve
    library (no status) is one grey chip."""
    chips, run = [], []

    def flush():
        if run:
            first, last = run[0], run[-1]
            span = f"{first.year}.{first.month:02d}" + (f"–{last.year}.{last.month:02d}" if len(run) > 1 else "")
            chips.append(f'<span class="dossier-month none">{_esc(span + " 储备")}</span>')
            run.clear()

    for r in months.iter_rows(named=True):
        s = r["status"]
        if s not in STATUS:
            run.append(r["period"])
            continue
        flush()
        label = f"{r['period'].year}.{r['period'].month:02d} {STATUS[s]}"
        chips.append(f'<span class="dossier-month" style="background:{STATUS_COLOR[s]}">{_esc(label)}</span>')
    flush()
    return f'<div class="dossier-months">{"".join(chips)}</div>'


def year_months(months: pl.DataFrame, year: int) -> pl.DataFrame:
    """The project's months of one year, with their month number."""
    return months.filter(pl.col("period").dt.year() == year).with_columns(pl.col("period").dt.month().alias("month"))


def has_investment(months: pl.DataFrame, year: int) -> bool:
    """Whether the year has any plan or completion to draw (a reserve project has neither)."""
    d = year_months(months, year)
    return d["annual_plan_wan"].drop_nulls().len() > 0 or d["completed_ytd_wan"].drop_nulls().len() > 0


@memo
def investment_chart(months: pl.DataFrame, year: int, title: str, subtitle: str) -> go.Figure:
    """Monthly completion (bars) and the year's cumulative completion vs the 序时 schedule (lines), 万元."""
    d = year_months(months, year)
    # a number axis with 「月」 after each tick: plotly thins the ticks on a narrow phone, where
    # twelve category labels ran together (「9月10月11月12月」)
    x = d["month"].to_list()
    fig = go.Figure()
    fig.add_bar(x=x, y=d["completed_month_wan"].to_list(), name="本月完成", marker_color="#9fb8d6",
                hovertemplate="%{x}月 本月完成 %{y:,.0f}万元<extra></extra>")
    plan = d["annual_plan_wan"].drop_nulls()
    latest_plan = plan[-1] if plan.len() else None
    all_months = list(range(1, 13))
    schedule = [latest_plan * m / 12 for m in range(1, 13)] if latest_plan else []
    fig.add_scatter(x=all_months if schedule else x, y=schedule, name="序时计划", mode="lines",
                    line={"color": GREY, "dash": "dash", "width": 2},
                    hovertemplate="%{x}月 序时计划（年度计划×月数/12） %{y:,.0f}万元<extra></extra>")
    fig.add_scatter(x=x, y=d["completed_ytd_wan"].to_list(), name="年累计完成", mode="lines+markers",
                    line={"color": BLUE, "width": 3}, marker={"size": 7},
                    hovertemplate="%{x}月 年累计完成 %{y:,.0f}万元<extra></extra>")
    if latest_plan:
        fig.add_hline(y=latest_plan, line_color=ORANGE, line_width=1.5,
                      annotation_text=f"年度计划 {wan(latest_plan)}", annotation_position="top left")
    fig.update_xaxes(range=[0.5, 12.5], ticksuffix="月", tickangle=0, nticks=12)
    fig.update_yaxes(title_text="万元", rangemode="tozero", tickformat=",.0f")
    return _layout(fig, title, subtitle, height=360)


def progress_table(months: pl.DataFrame) -> pl.DataFrame:
    """形象进度 and investment month by month, newest first (amounts in 万元)."""
    return months.sort("period", descending=True).select(
        by_value(months, "period", period_label).alias("月份"),
        pl.col("progress_text").fill_null("—").alias("形象进度"),
        pl.col("completed_month_wan").round(0).alias("本月完成（万元）"),
        pl.col("completed_ytd_wan").round(0).alias("年累计完成（万元）"),
        pl.col("annual_plan_wan").round(0).alias("年度计划（万元）"),
        pl.col("completion_rate").alias("完成率"),
        pl.col("status").replace_strict(STATUS, default="—").alias("红黄绿"),
        pl.col("status_reason").alias("判定依据"),
    )


@memo
def milestone_gantt(ms: pl.DataFrame, data_date: dt.date, title: str, subtitle: str) -> go.Figure:
    """Milestones as a Gantt: each node's planned span (from the previous node's planned date) and
    actual span, overdue nodes in red up to the data date, and the data date as a line."""
    fig = go.Figure()
    names, day = [], 86_400_000
    prev_plan = prev_actual = None
    bars = {"plan": ([], [], [], []), "actual": ([], [], [], [], []), "late": ([], [], [], [])}
    for r in ms.sort("node_seq").iter_rows(named=True):
        name = escape(f"{r['node_seq']}. {r['node_name']}")  # plotly reads tags in tick labels and hover
        names.append(name)
        planned, actual = r["planned_date"], r["actual_date"]
        start = prev_plan or (planned - dt.timedelta(days=30))
        bars["plan"][0].append(name)
        bars["plan"][1].append(start.isoformat())
        bars["plan"][2].append(max((planned - start).days, 3) * day)
        bars["plan"][3].append(f"计划 {date_label(start)} — {date_label(planned)}")
        if actual is not None:
            a_start = prev_actual or start
            bars["actual"][0].append(name)
            bars["actual"][1].append(a_start.isoformat())
            bars["actual"][2].append(max((actual - a_start).days, 3) * day)
            bars["actual"][3].append(NODE_COLOR[r["node_state"]])
            bars["actual"][4].append(f"实际完成 {date_label(actual)}（{NODE_STATE[r['node_state']]}）")
            prev_actual = actual
        elif r["node_state"] == "overdue":
            bars["late"][0].append(name)
            bars["late"][1].append(planned.isoformat())
            bars["late"][2].append(max((data_date - planned).days, 1) * day)
            bars["late"][3].append(f"已逾期{r['days_overdue']}天")
        prev_plan = planned
    n, hover = bars["plan"], "%{y}<br>%{customdata}<extra></extra>"
    fig.add_bar(y=n[0], base=n[1], x=n[2], orientation="h", name="计划", customdata=n[3], hovertemplate=hover,
                marker={"color": "rgba(154,165,177,0.35)", "line": {"color": GREY, "width": 1}}, width=0.7)
    a = bars["actual"]
    fig.add_bar(y=a[0], base=a[1], x=a[2], orientation="h", name="实际", customdata=a[4], hovertemplate=hover,
                marker={"color": a[3]}, width=0.35)
    late = bars["late"]
    fig.add_bar(y=late[0], base=late[1], x=late[2], orientation="h", name="已逾期", customdata=late[3],
                hovertemplate=hover, marker={"color": STATUS_COLOR["red"]}, width=0.35,
                text=late[3], textposition="outside", cliponaxis=False)
    fig.add_vline(x=dt.datetime.combine(data_date, dt.time()).timestamp() * 1000, line_dash="dot",
                  line_color="#3e4c59", annotation_text=f"数据截至{date_label(data_date)}",
                  annotation_position="top")
    fig.update_layout(barmode="overlay", bargap=0.3)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", type="category")
    fig.update_xaxes(type="date", tickformat="%Y年%-m月")
    return _layout(fig, title, subtitle, height=max(260, 44 * len(names) + 130))


def milestone_table(ms: pl.DataFrame) -> pl.DataFrame:
    state = (pl.when(pl.col("node_state") == "overdue")
             .then(pl.format("已逾期{}天", pl.col("days_overdue").fill_null(0)))
             .otherwise(pl.col("node_state").replace_strict(NODE_STATE, default=pl.col("node_state"),
                                                            return_dtype=pl.String)))

    return ms.sort("node_seq").select(
        pl.col("node_seq").alias("序号"),
        pl.col("node_name").alias("节点名称"),
        pl.col("planned_date").dt.to_string("%Y-%m-%d").alias("计划完成时间"),
        pl.col("actual_date").dt.to_string("%Y-%m-%d").alias("实际完成时间"),
        state.alias("状态"),
        pl.col("remarks").fill_null("").alias("备注"),
    )


def problem_table(pb: pl.DataFrame) -> pl.DataFrame:
    """Problems with the five responsibilities (五到位) and their state."""
    label = pl.col("state").replace_strict(PROBLEM_STATE, default=pl.col("state"), return_dtype=pl.String)
    state = (pl.when(pl.col("is_overdue").fill_null(False))
             .then(pl.format("{}（逾期{}天）", label, pl.col("days_overdue").fill_null(0))).otherwise(label))

    return pb.select(
        pl.col("problem_id").alias("问题编号"),
        pl.col("problem_type").alias("问题类型"),
        pl.col("description").alias("问题描述"),
        pl.col("found_date").dt.to_string("%Y-%m-%d").alias("发现时间"),
        pl.col("responsible_unit").alias("责任单位"),
        pl.col("resp_leader").alias("责任领导"),
        pl.col("responsible_person").alias("责任人"),
        pl.col("solution").alias("解决措施"),
        pl.col("deadline").dt.to_string("%Y-%m-%d").alias("完成时限"),
        state.alias("办理状态"),
        pl.col("missing_fields").replace("", None).alias("五到位缺项"),
    )


def investment_summary(p: dict) -> list[tuple[str, str, str | None]]:
    """(label, value, note) for the KPI tiles."""
    return [
        ("总投资", money(p.get("total_investment_wan")), None),
        (f"{p['period'].year}年计划投资", money(p.get("annual_plan_wan")), None),
        ("年累计完成", money(p.get("completed_ytd_wan")), f"完成率 {pct(p.get('completion_rate'))}"),
        ("开工累计完成", money(p.get("completed_cum_wan")),
         f"占总投资 {pct(p['completed_cum_wan'] / p['total_investment_wan'])}"
         if p.get("completed_cum_wan") is not None and p.get("total_investment_wan") else None),
    ]


# ---------------------------------------------------------------- approvals, factors and the stage

STAGE_CSS = """
<style>
.dossier-stage {display:flex; flex-wrap:wrap; gap:4px; align-items:center; margin:2px 0 10px 0; font-size:0.92rem;}
.dossier-stage .s {border:1px solid #cbd2d9; border-radius:14px; padding:2px 12px; color:#52606d; background:#fff;}
.dossier-stage .s.done {background:#e4e9f0; color:#3e4c59;}
.dossier-stage .s.now {background:#1f5fa8; border-color:#1f5fa8; color:#fff; font-weight:650;}
.dossier-stage .arrow {color:#9aa5b1;}
.dossier-wait {border-left:4px solid #e07b00; background:#fff8ef; padding:6px 10px; border-radius:4px;
  margin:4px 0 8px 0; font-size:0.92rem;}
</style>
"""


def stage_html(stage: str) -> str:
    """前期 → 在建 → 竣工 → 投产 → 达产, the project's stage highlighted."""
    from etl.status import STAGES
    from ui.labels import STAGE

    i = STAGES.index(stage)
    parts = []
    for j, code in enumerate(STAGES):
        cls = "now" if j == i else ("done" if j < i else "")
        parts.append(f'<span class="s {cls}">{_esc(STAGE[code])}</span>')
    return STAGE_CSS + '<div class="dossier-stage"><b>项目阶段：</b>' + '<span class="arrow">→</span>'.join(parts) + "</div>"


def approval_waiting_text(chain: pl.DataFrame) -> str | None:
    """What the project waits for: the items still being handled, the one longest over its limit first."""
    w = chain.filter(pl.col("is_waiting")).sort(["is_overdue", "days_over"], descending=True)
    if w.is_empty():
        return None
    parts = []
    for r in w.iter_rows(named=True):
        used = "—" if r["working_days"] is None else f"{r['working_days']:,}个工作日"
        over = f"，超出时限{r['days_over']:,}个工作日" if r["is_overdue"] else ""
        limit = f"（时限{r['limit_days']:,}个工作日）" if r["limit_days"] is not None else ""
        parts.append(f"{r['item_name']}（{r['department'] or '—'}）已用{used}{limit}{over}")
    return "正在等待：" + "；".join(parts)


@memo
def approval_timeline(chain: pl.DataFrame, as_of: dt.date, title: str, subtitle: str) -> go.Figure:
    """The approval chain as a timeline: each item from 受理 to 办结 (or to the data date while still
    being handled), its limit's end as a marker, past-limit items in orange; days are working days."""
    from etl import workdays

    fig = go.Figure()
    day = 86_400_000
    rows = [r for r in chain.iter_rows(named=True) if r["accepted_date"] is not None]
    names = [escape(f"{i}. {r['item_name']}") for i, r in enumerate(rows, start=1)]  # tick labels, hover
    bars = {"ok": ([], [], [], []), "late": ([], [], [], []), "wait": ([], [], [], [])}
    lim_x, lim_y, lim_text = [], [], []
    for name, r in zip(names, rows):
        end = r["completed_date"] or as_of
        used = r["working_days"]
        kind = "wait" if r["is_waiting"] else ("late" if r["is_overdue"] else "ok")
        label = (f"用时{used:,}个工作日" if used is not None else "用时未计算（超出节假日日历）") + \
            (f" / 时限{r['limit_days']:,}个工作日" if r["limit_days"] is not None else "")
        if r["is_waiting"]:
            label += "，办理中" + (f"，超出{r['days_over']:,}个工作日" if r["is_overdue"] else "")
        b = bars[kind]
        b[0].append(name)
        b[1].append(r["accepted_date"].isoformat())
        b[2].append(max((end - r["accepted_date"]).days, 1) * day)
        b[3].append(f"{escape(r['department'] or '—')}：{date_label(r['accepted_date'])} 受理，"
                    + (f"{date_label(r['completed_date'])} 办结；" if r["completed_date"] else "尚未办结；") + label)
        if r["limit_days"] is not None:
            try:
                lim = workdays.add_working_days(r["accepted_date"], r["limit_days"])
            except workdays.CalendarRangeError:
                continue
            lim_x.append(lim.isoformat())
            lim_y.append(name)
            lim_text.append(f"时限截止 {date_label(lim)}")
    hover = "%{y}<br>%{customdata}<extra></extra>"
    for kind, label, color in (("ok", "按时限办结", STATUS_COLOR["green"]), ("late", "超时限办结", ORANGE),
                               ("wait", "办理中", BLUE)):
        b = bars[kind]
        if b[0]:
            fig.add_bar(y=b[0], base=b[1], x=b[2], orientation="h", name=label, customdata=b[3], hovertemplate=hover,
                        marker={"color": color}, width=0.5)
    if lim_x:
        fig.add_scatter(x=lim_x, y=lim_y, mode="markers", name="办理时限截止", text=lim_text,
                        marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": INK_DARK}},
                        hovertemplate="%{y}<br>%{text}<extra></extra>")
    fig.add_vline(x=dt.datetime.combine(as_of, dt.time()).timestamp() * 1000, line_dash="dot", line_color="#3e4c59",
                  annotation_text=f"数据截至{date_label(as_of)}", annotation_position="top")
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", type="category",
                     automargin=True)
    fig.update_xaxes(type="date", tickformat="%Y年%-m月")
    return _layout(fig, title, subtitle, height=max(320, 44 * len(names) + 180))


INK_DARK = "#1f2933"


def approval_table(chain: pl.DataFrame) -> pl.DataFrame:
    """The chain as a table: planned limit against actual working days."""
    return chain.select(
        pl.col("item_name").alias("审批事项"), pl.col("department").alias("审批部门"),
        pl.col("accepted_date").dt.strftime("%Y-%m-%d").fill_null("—").alias("受理时间"),
        pl.col("completed_date").dt.strftime("%Y-%m-%d").fill_null("—").alias("办结时间"),
        pl.col("limit_days").cast(pl.String).fill_null("—").alias("办理时限（工作日）"),
        pl.col("working_days").cast(pl.String).fill_null("—").alias("用时（工作日）"),
        pl.when(pl.col("is_waiting") & pl.col("is_overdue")).then(pl.lit("办理中，已超时限"))
        .when(pl.col("is_waiting")).then(pl.lit("办理中"))
        .when(pl.col("is_overdue")).then(pl.lit("超时限办结")).otherwise(pl.lit("按时限办结")).alias("办理情况"),
        pl.when(pl.col("is_promise")).then(pl.lit("是")).otherwise(pl.lit("否")).alias("承诺制"),
        pl.when(pl.col("is_agent")).then(pl.lit("是")).otherwise(pl.lit("否")).alias("代办"),
    )


def factor_status_table(fs: pl.DataFrame) -> pl.DataFrame:
    """Each factor: needed, secured and the gap in its unit, the department and planned date."""
    from ui.approvals import kind_label_expr

    return fs.select(
        kind_label_expr().alias("要素"),
        pl.col("unit").alias("单位"), pl.col("needed").round(1).alias("需求量"),
        pl.col("secured").round(1).alias("已落实"), pl.col("gap").round(1).alias("缺口"),
        pl.col("department").fill_null("—").alias("责任部门"),
        pl.col("planned_date").dt.strftime("%Y-%m-%d").fill_null("—").alias("计划落实时间"),
        pl.when(pl.col("is_overdue")).then(pl.lit("逾期未落实")).when(pl.col("gap") > 0).then(pl.lit("待落实"))
        .otherwise(pl.lit("已落实")).alias("落实情况"),
    )


def open_problem_cards(pb: pl.DataFrame, href: str) -> str:
    """The project's problems not yet closed, as cards right under its identity: what, whose
    (责任单位, 责任领导), by when and how late; each jumps to the full table below."""
    from ui import cards

    items = []
    for r in pb.filter(pl.col("state") != "closed").iter_rows(named=True):
        state = PROBLEM_STATE.get(r["state"], r["state"] or "")
        items.append(cards.Card(
            href=href, title=r["description"] or "（未填写问题描述）", status="red" if r["is_overdue"] else "yellow",
            strong=f"逾期{r['days_overdue']}天" if r["is_overdue"] else state,
            lines=(f"责任单位：{r['responsible_unit'] or '未明确'} · 责任领导：{r['resp_leader'] or '未明确'}",
                   f"完成时限：{date_label(r['deadline'])} · {state}")))
    return cards.cards_html(items)


def search_cards(hits: pl.DataFrame, dossier_href: str) -> str:
    """Search results as cards that tell near-identical names apart: county, library or key
    level, 红黄绿, code and the last month reported."""
    return cards.cards_html([cards.Card(
        href=f"{dossier_href}?{urlencode({'project': h['project_code']})}", title=h["name"], status=h["status"],
        lines=(" · ".join([h["unit_name"] or "—", KEY_LEVEL.get(h["key_level"]) or LIBRARY_LONG.get(h["library"], "—"),
                           STATUS.get(h["status"], "未判定")]),
               f"{h['project_code']} · 最近报送{period_label(h['last_period']) if h['last_period'] else '—'}"))
        for h in hits.iter_rows(named=True)])
