"""数据管理: check uploaded files, compare them with last month, load, history, roll back and
who has reported (报送情况).

The logic is plain functions (frames and text in, frames and text out); the widgets that draw
a check report, run a load and show the freshness line are at the bottom. Nothing a user
uploads is rendered as markdown or HTML: names and messages go through `ui.format.escape`,
tables through st.dataframe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import streamlit as st

from etl import config, divisions, taught
from etl.read import FileError, FileReport, read_file
from etl.schema import KIND_LABEL, columns, kind_columns
from ui.format import by_value, escape, period_label, wan
from ui.widgets import download_button, show_table

ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv", ".parquet")
AUTO_SENDER = ""  # the 填报单位 choice that lets the file say who sent it
_NEEDS_SENDER = "无法确定填报单位"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


# ---------------------------------------------------------------- text

def safe_file_name(name: str, suffix: str) -> str:
    """A download name built from an uploaded file's name: 「云州区_2026年10月_问题行.xlsx」."""
    stem = _UNSAFE_NAME.sub("_", Path(name).stem).strip("._") or "报表"
    return f"{stem[:80]}{suffix}"


# ---------------------------------------------------------------- periods and deadlines

def add_months(period: dt.date, n: int) -> dt.date:
    m = period.year * 12 + period.month - 1 + n
    return dt.date(m // 12, m % 12 + 1, 1)


def reporting_period(today: dt.date, latest: dt.date | None = None) -> dt.date:
    """The month being reported now: last month (due early this month), or the newest month
    in the warehouse if that is later."""
    due = add_months(today.replace(day=1), -1)
    return max(due, latest) if latest else due


def deadline(period: dt.date, day: int | None = None) -> dt.date:
    """When a month's report is due: the `day`-th of the following month (etl.config)."""
    nxt = add_months(period, 1)
    last = add_months(nxt, 1) - dt.timedelta(days=1)
    return nxt.replace(day=min(day or config.report_deadline_day(), last.day))


def period_choices(today: dt.date, known: list[dt.date], back: int = 24) -> list[dt.date]:
    """Months a file may be for, newest first: this month back `back` months, plus any month
    already in the warehouse."""
    this = today.replace(day=1)
    months = {add_months(this, -i) for i in range(back + 1)} | set(known)
    return sorted((m for m in months if m <= this), reverse=True)


# ---------------------------------------------------------------- checking a file

@dataclass
class Checked:
    """One uploaded file after the ETL's checks: a report, or a file-level error in Chinese."""

    name: str
    size: int
    sha256: str
    report: FileReport | None = None
    error: str | None = None
    needs_sender: bool = False  # refused only because it does not say who sent it
    untaught: list[taught.Untaught] = field(default_factory=list)  # headers no column knows

    @property
    def ok(self) -> bool:
        return self.report is not None


def check_upload(name: str, data: bytes, period: dt.date | None = None, unit: str | None = None,
                 today: dt.date | None = None, max_mb: int | None = None) -> Checked:
    """Check one uploaded file with the same code as the command line; never raises."""
    name = Path(name).name or "未命名文件"
    out = Checked(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    limit = max_mb or config.max_upload_mb()
    if len(data) > limit * 1024 * 1024:
        out.error = f"文件「{name}」大小为{len(data) / 1048576:.1f}MB，超过{limit}MB的上限，请拆分后再上传"
        return out
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        out.error = f"文件「{name}」不是支持的格式：只接受 xlsx、xls、csv、parquet"
        return out
    taught.refresh()  # headers taught since the last check (here or in another process)
    try:
        out.report = read_file(Path(name), period=period, unit=unit or None, data=data, file_name=name,
                               today=today or config.today())
    except FileError as e:
        out.error = str(e)
        if "与指定的期间" in out.error:
            out.error += "。如确需加载该月数据，请在「数据期间」中选择该月或「自动识别」"
        if _NEEDS_SENDER in out.error:
            out.needs_sender = True
            out.error = out.error.replace("请在加载时指定填报单位", "请在上方「填报单位」中选择")
    except Exception as e:  # a file that breaks a reader in a way we did not foresee
        out.error = f"文件「{name}」无法读取（{type(e).__name__}），请确认是从 Excel 保存的 xlsx、xls 或 csv 文件"
        return out
    try:  # a file read is not read again; a refused one only up to its header rows
        out.untaught = (taught.report_untaught(out.report) if out.report is not None
                        else taught.untaught_headers(name, data))
    except Exception:  # the check above is what counts; teaching is a help
        out.untaught = []
    return out


# ---------------------------------------------------------------- the sender (填报单位)

def sender_choices(units: pl.DataFrame, senders: list[str]) -> list[str]:
    """What the 填报单位 control offers: 「auto」 first, then counties and zones in the official
    order, 市本级, then the city's departments (the synonyms table's names and any other sender
    seen before), each under its one name."""
    ordered = units.sort("sort_order")["name"].to_list() if units.height else []
    depts = set(divisions.synonyms().values()) | {divisions.canonical_unit(s) for s in senders if s}
    depts -= set(ordered) | {None}
    return [AUTO_SENDER, *ordered, *sorted(depts)]


def sender_label(choice: str) -> str:
    return choice or "按文件落款识别"


def sender_notice(checked: list[Checked]) -> str | None:
    """The line shown under the 填报单位 control when a file needs it chosen there."""
    need = [c.name for c in checked if c.needs_sender]
    if not need:
        return None
    names = "、".join(f"「{n}」" for n in need[:3]) + (f"等{len(need):,}个文件" if len(need) > 3 else "")
    return f"{names}没有「填报单位：」落款，项目又分属多个县区：请在这里选择填报单位，文件会立即重新检查"


# ---------------------------------------------------------------- teaching a header

NOT_A_COLUMN = ""


def teach_options(kind: str | None) -> list[str]:
    """Canonical columns a header of a `kind` sheet may be taught as (both project kinds when
    the sheet's kind is not known yet), 「not imported」 first."""
    kinds = [kind] if kind else ["progress", "reserve"]
    cols = []
    for k in kinds:
        cols += [c.name for c in kind_columns(k) if c.name not in cols]
    return [NOT_A_COLUMN, *cols]


def column_label(name: str) -> str:
    return columns()[name].label if name in columns() else "不导入（保持未识别）"


def lessons_from(choices: dict[str, str]) -> list[taught.Lesson]:
    """{header as taught: chosen column} → the lessons to save (「not imported」 left out)."""
    return [taught.Lesson(h, c) for h, c in choices.items() if c]


def sheets_frame(report: FileReport) -> pl.DataFrame:
    """One row per sheet of the workbook: what it was read as and how many rows went where;
    a sheet without project rows as 「已跳过：why」."""
    skipped = getattr(report, "skipped_sheets", [])
    return pl.DataFrame({
        "工作表": [s.sheet for s in report.sheets] + [k.sheet for k in skipped],
        "内容": [KIND_LABEL[s.kind] for s in report.sheets] + [f"已跳过：{k.reason}" for k in skipped],
        "表头位置": [f"第{s.header_row}行" if s.header_rows == 1 else f"第{s.header_row}-{s.header_row + 1}行"
                 for s in report.sheets] + ["—"] * len(skipped),
        "金额单位": [s.unit for s in report.sheets] + ["—"] * len(skipped),
        "读取行数": [s.rows_read for s in report.sheets] + [None] * len(skipped),
        "采用行数": [s.accepted.height for s in report.sheets] + [None] * len(skipped),
        "隔离行数": [s.rows_quarantined for s in report.sheets] + [None] * len(skipped),
    }, schema={"工作表": pl.String, "内容": pl.String, "表头位置": pl.String, "金额单位": pl.String,
               "读取行数": pl.Int64, "采用行数": pl.Int64, "隔离行数": pl.Int64})


def mapping_frame(report: FileReport) -> pl.DataFrame:
    """Which header became which field; headers not recognised are listed as not imported."""
    label = {c.name: c.label for c in columns().values()}
    rows = []
    for s in report.sheets:
        rows += [(s.sheet, written, label.get(canon, canon)) for written, canon in s.mapping.items()]
        rows += [(s.sheet, written, "未识别（不导入）") for written in s.unrecognised]
    return pl.DataFrame(rows, schema={"工作表": pl.String, "文件中的表头": pl.String, "识别为": pl.String},
                        orient="row")


def _readable_raw(raw: str | None) -> str:
    try:
        cells = json.loads(raw or "{}")
    except ValueError:
        return raw or ""
    return "；".join(f"{k}：{v}" for k, v in cells.items()) if isinstance(cells, dict) else str(cells)


def quarantine_frame(report: FileReport) -> pl.DataFrame:
    """The rows not imported, with the reason, as the county should read it."""
    schema = {"工作表": pl.String, "行号": pl.Int64, "项目代码": pl.String, "问题列": pl.String,
              "填写内容": pl.String, "问题": pl.String, "说明": pl.String, "原行内容": pl.String}
    rows = []
    for s in report.sheets:
        for r in s.quarantine.iter_rows(named=True):
            prefix = f"文件「{r['source_file']}」工作表「{r['sheet']}」第{r['source_row']}行："
            rows.append((r["sheet"], r["source_row"], r["project_code"], r["column_name"], r["value"], r["rule"],
                         (r["message"] or "").removeprefix(prefix), _readable_raw(r["raw"])))
    return pl.DataFrame(rows, schema=schema, orient="row").sort("工作表", "行号", maintain_order=True)


SUMMARY_FROM = 20  # more quarantined rows than this are shown one line per reason


def reasons_frame(report: FileReport) -> pl.DataFrame:
    """The quarantine one line per reason (etl.guard.summarise), most rows first."""
    from etl.guard import summarise

    frames = [summarise(s.quarantine).with_columns(pl.lit(s.sheet).alias("sheet")) for s in report.sheets
              if s.quarantine.height]
    schema = {"工作表": pl.String, "问题": pl.String, "问题列": pl.String, "行数": pl.UInt32, "如第…行": pl.String,
              "示例": pl.String}
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).sort("rows", descending=True).select(
        pl.col("sheet").alias("工作表"), pl.col("rule").alias("问题"), pl.col("column_name").alias("问题列"),
        pl.col("rows").alias("行数"), pl.col("first_rows").alias("如第…行"), pl.col("example").alias("示例"))


def quarantine_xlsx(report: FileReport) -> bytes:
    """The quarantined rows as an xlsx to send back to the sender. Every value is written as
    text or number, never as a formula (a cell 「=…」 from a file stays text)."""
    import xlsxwriter

    df = quarantine_frame(report)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    title = wb.add_format({"bold": True, "font_size": 14})
    sub = wb.add_format({"font_color": "#555555"})
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "align": "center", "valign": "vcenter"})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("未导入的行")
    ws.write_string(0, 0, f"{report.sender}{period_label(report.period)}报表未导入的行", title)
    ws.write_string(1, 0, f"文件「{report.file_name}」：以下{df['行号'].n_unique()}行未导入驾驶舱，"
                          f"请按「说明」核实修改后重新报送整个文件", sub)
    widths = [12, 8, 26, 16, 20, 18, 50, 60]
    for j, col in enumerate(df.columns):
        ws.write_string(2, j, col, head)
        ws.set_column(j, j, widths[j])
        for i, v in enumerate(df[col].to_list()):
            if v is None:
                ws.write_blank(3 + i, j, None, cell)
            elif isinstance(v, int):
                ws.write_number(3 + i, j, v, cell)
            else:
                ws.write_string(3 + i, j, str(v), cell)
    ws.freeze_panes(3, 0)
    wb.close()
    return buf.getvalue()


# ---------------------------------------------------------------- against last month

_COMPARE_SCHEMA = {"内容": pl.String, "指标": pl.String, "本次文件": pl.String, "上期": pl.String, "增减": pl.String}


def _signed(x: float | None, digits: int = 0) -> str:
    if x is None:
        return "—"
    if abs(x) < 0.5 * 10 ** -digits:
        return "0"
    return f"{'+' if x > 0 else '-'}{abs(x):,.{digits}f}"


def compare(report: FileReport, previous: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(summary, changed projects): this file against the sender's latest earlier month.

    `previous` is the admin_previous query (kind, period, project_code, name, amounts)."""
    summary, changes = [], []
    money = {"progress": [("annual_plan_wan", "年度计划投资（万元）"), ("completed_month_wan", "本月完成投资（万元）"),
                          ("completed_ytd_wan", "年累计完成投资（万元）")],
             "reserve": [("total_investment_wan", "总投资（万元）")]}
    for kind in ("progress", "reserve"):
        sheet = report.sheet(kind)
        if sheet is None:
            continue
        now = sheet.accepted
        prev = previous.filter(pl.col("kind") == kind) if previous.height else previous
        has_prev = prev.height > 0
        prev_label = period_label(prev["period"].max()) if has_prev else "—"
        label = KIND_LABEL[kind]
        now_codes, prev_codes = set(now["project_code"].to_list()), set(prev["project_code"].to_list()) \
            if has_prev else set()
        new, gone = sorted(now_codes - prev_codes), sorted(prev_codes - now_codes)
        summary.append((label, "项目数（个）", f"{now.height}", f"{prev.height}" if has_prev else "—",
                        _signed(now.height - prev.height) if has_prev else "—"))
        summary.append((label, "新增项目（个）", f"{len(new)}" if has_prev else "—", "", ""))
        summary.append((label, "减少项目（个）", f"{len(gone)}" if has_prev else "—", "", ""))
        for col, text in money[kind]:
            a = float(now[col].sum() or 0)
            b = float(prev[col].sum() or 0) if has_prev else None
            summary.append((label, text, wan(a, 2, unit=False), wan(b, 2, unit=False) if has_prev else "—",
                            _signed(a - b, 2) if has_prev else "—"))
        if has_prev:
            names_now = dict(zip(now["project_code"], now["name"]))
            names_prev = dict(zip(prev["project_code"], prev["name"]))
            changes += [(label, "新增", c, names_now.get(c)) for c in new]
            changes += [(label, f"减少（{prev_label}有、本次没有）", c, names_prev.get(c)) for c in gone]
    return (pl.DataFrame(summary, schema=_COMPARE_SCHEMA, orient="row"),
            pl.DataFrame(changes, schema={"内容": pl.String, "变化": pl.String, "项目代码": pl.String,
                                          "项目名称": pl.String}, orient="row"))


def previous_label(report: FileReport, previous: pl.DataFrame) -> str:
    """「与平城区2026年9月的报送相比」 or that there is nothing to compare with."""
    if not previous.height:
        return f"{report.sender}此前没有报送记录，无法与上期比较"
    months = "、".join(period_label(p) for p in sorted(set(previous["period"].to_list()), reverse=True))
    return f"与{report.sender}{months}的报送相比"


def replaces_text(report: FileReport, existing: pl.DataFrame) -> str | None:
    """A warning when the warehouse already holds this sender's month (it will be replaced)."""
    kinds = {s.kind for s in report.sheets}
    hit = existing.filter(pl.col("kind").is_in(list(kinds))) if existing.height else existing
    if not hit.height:
        return None
    if set(hit["sha256"].to_list()) == {report.sha256}:
        return "驾驶舱中已有这个文件（内容相同），加载时会跳过"
    files = "、".join(sorted(set(hit["file_name"].to_list())))
    what = "、".join(KIND_LABEL[k] for k in sorted(set(hit["kind"].to_list())))
    return (f"驾驶舱中已有{report.sender}{period_label(report.period)}的{what}（来自「{files}」），"
            f"加载后将被本文件替换")


# ---------------------------------------------------------------- history and states

_ACTION = {"load": "加载", "rollback": "回退", "refused": "拒收"}
_STATUS = {"loaded": "生效中", "rolled_back": "已被回退撤销", "rolled_back_to": "已回退", "refused": "未加载"}
_STATE_STAMP = re.compile(r"^state-(\d{8})-(\d{6})-")


def history_frame(log: pl.DataFrame) -> pl.DataFrame:
    """The load log (admin_history query) with Chinese headers."""
    back = pl.col("action") == "rollback"
    restored = by_value(log, "file_name", state_time)
    count = [pl.col(c).cast(pl.String).fill_null("") for c in ("rows_read", "rows_accepted", "rows_quarantined")]
    return log.select(
        pl.col("loaded_at").dt.strftime("%Y-%m-%d %H:%M:%S").alias("时间"),
        pl.col("action").replace_strict(_ACTION, default=pl.col("action")).alias("操作"),
        pl.col("user_name").fill_null("—").alias("操作人"),
        pl.when(back).then(pl.format("（恢复到{}的数据）", restored)).otherwise(pl.col("file_name")).alias("文件名"),
        pl.col("period").dt.strftime("%Y-%m").fill_null("").alias("数据期间"),
        pl.col("sender").fill_null("").alias("填报单位"),
        count[0].alias("读取行数"),
        count[1].alias("采用行数"),
        count[2].alias("隔离行数"),
        pl.col("status").replace_strict(_STATUS, default=pl.col("status")).alias("状态"),
        pl.col("message").fill_null("").alias("说明"),
        pl.col("sha256").fill_null("").alias("SHA-256"),
    )


HISTORY_COLUMNS = {c: st.column_config.TextColumn(alignment="right") for c in ("读取行数", "采用行数", "隔离行数")}


def state_time(state: str) -> str:
    m = _STATE_STAMP.match(state)
    if not m:
        return state
    d, t = m.groups()
    return f"{d[:4]}-{d[4:6]}-{d[6:]} {t[:2]}:{t[2:4]}:{t[4:]}"


def state_choices(log: pl.DataFrame, states: list[str], current: str | None) -> dict[str, str]:
    """Earlier warehouse states a user can go back to (newest first): state file → label."""
    out = {}
    for s in sorted(states, reverse=True):
        if s == current:
            continue
        rows = log.filter(pl.col("state_file") == s) if log.height else log
        if not rows.height:
            what = "的数据"
        elif (rows["action"] == "rollback").any():
            what = "回退后的数据"
        else:
            files = rows["file_name"].unique(maintain_order=True).to_list()
            named = "、".join(files[:2]) + (f" 等{len(files):,}个文件" if len(files) > 2 else "")
            undone = "（该次加载已被回退）" if (rows["status"] == "rolled_back").all() else ""
            what = f"加载「{named}」后的数据{undone}"
        out[s] = f"{state_time(s)} {what}"
    return out


# ---------------------------------------------------------------- who has reported

FRESH_STATE = {"on_time": "按时报送", "late": "逾期报送", "missing": "逾期未报", "pending": "未报（未到截止日）"}
SENDER_KIND = {"county": "县区", "zone": "开发区", "city": "市本级", "department": "市直部门"}


def freshness_frame(df: pl.DataFrame) -> pl.DataFrame:
    """The admin_freshness query with Chinese headers: late and missing senders first."""
    order = {"missing": 0, "late": 1, "pending": 2, "on_time": 3}
    return df.with_columns(pl.col("state").replace_strict(order, default=9).alias("_o")).sort(
        "_o", "sort_order", "sender").select(
        pl.col("sender").alias("报送单位"),
        pl.col("kind").replace_strict(SENDER_KIND, default="其他").alias("类型"),
        pl.col("state").replace_strict(FRESH_STATE, default="—").alias("报送情况"),
        pl.when(pl.col("days_late") > 0).then(pl.format("{}天", "days_late")).otherwise(pl.lit("")).alias("逾期"),
        (pl.col("filled_date").dt.strftime("%Y-%m-%d").fill_null("") if "filled_date" in df.columns
         else pl.lit("")).alias("填报日期"),
        pl.col("reported_at").dt.strftime("%Y-%m-%d %H:%M").fill_null("").alias("加载时间"),
        pl.col("projects").alias("项目数"),
        pl.col("file_names").fill_null("").alias("文件"),
    )


@dataclass(frozen=True)
class Freshness:
    period: dt.date
    deadline: dt.date
    expected: int
    reported: int
    missing: list[tuple[str, int]]  # (sender, days late), most late first
    late: list[tuple[str, int]]
    pending: list[str]

    def line(self) -> str:
        """One line for the overview: 「2026年10月报送（截止11月5日）：应报15个单位，已报12个；逾期未报3个：…」."""
        head = (f"{period_label(self.period)}数据报送（截止{self.deadline.month}月{self.deadline.day}日）："
                f"应报{self.expected:,}个单位，已报{self.reported:,}个")
        if self.missing:
            names = "、".join(f"{n}（{d}天）" for n, d in self.missing[:5])
            more = f"等{len(self.missing):,}个" if len(self.missing) > 5 else f"{len(self.missing):,}个"
            return f"{head}；逾期未报{more}：{names}"
        if self.pending:
            return f"{head}；{len(self.pending):,}个单位尚未报送（未到截止日）"
        return f"{head}，已全部报送"


def freshness_summary(df: pl.DataFrame, period: dt.date, due: dt.date) -> Freshness:
    def pick(state):
        rows = df.filter(pl.col("state") == state).sort(["days_late", "sort_order"], descending=[True, False])
        return list(zip(rows["sender"].to_list(), rows["days_late"].to_list()))

    return Freshness(period=period, deadline=due, expected=df.height, reported=int(df["reported"].sum()),
                     missing=pick("missing"), late=pick("late"), pending=[n for n, _ in pick("pending")])


# ---------------------------------------------------------------- widgets

@st.cache_data(max_entries=64, show_spinner="正在检查文件……")
def cached_check(name: str, data: bytes, period: dt.date | None, unit: str | None, today: dt.date,
                 aliases_version: float = 0.0) -> Checked:
    """check_upload, remembered for the same bytes and choices (reruns do not reread files);
    `aliases_version` (etl.taught.version) makes a taught header re-check the file at once."""
    return check_upload(name, data, period=period, unit=unit, today=today)


def freshness(period: dt.date | None = None) -> tuple[pl.DataFrame, Freshness]:
    """Who has reported for `period` (default: the month being reported now)."""
    from ui import data

    today = config.today()
    latest = data.status().get("data_period")
    period = period or reporting_period(today, latest)
    due = deadline(period)
    df = data.q("admin_freshness", period=period, deadline=due, today=today, months=config.expected_sender_months())
    return df, freshness_summary(df, period, due)


def freshness_badge() -> None:
    """The freshness line under a page title (the overview): who has not reported, by name."""

    _, f = freshness()
    colour = "#8a5a00" if f.missing else "#52606d"
    st.markdown(f"<div class='cockpit-date' style='color:{colour}'>{escape(f.line())}</div>", unsafe_allow_html=True)


def show_check(c: Checked, previous: pl.DataFrame | None, existing: pl.DataFrame | None, key: str) -> None:
    """The check report of one file: period, sender, sheets, header mapping, quarantined rows
    (downloadable), and the comparison with last month."""
    if not c.ok:
        st.error(escape(c.error), icon=":material/error:")
        return
    r = c.report
    st.markdown(f"**{escape(r.file_name)}** · 数据期间 **{period_label(r.period)}** · 填报单位 **{escape(r.sender)}** · "
                f"读取 {r.rows_read} 行，采用 {r.rows_accepted} 行，隔离 {r.rows_quarantined} 行")
    st.caption(f"SHA-256：{c.sha256}")
    if existing is not None and (note := replaces_text(r, existing)):
        st.info(escape(note), icon=":material/sync:")
    for w in r.warnings:
        st.warning(escape(w), icon=":material/warning:")
    show_table(sheets_frame(r))
    if previous is not None:
        summary, changes = compare(r, previous)
        st.markdown(f"**与上期比较**：{escape(previous_label(r, previous))}")
        right = st.column_config.TextColumn(alignment="right")
        show_table(summary,
                     column_config={"本次文件": right, "上期": right, "增减": right})
        if changes.height:
            with st.expander(f"新增和减少的项目（{changes.height:,}个）"):
                show_table(changes)
    with st.expander("表头识别情况" + (f"（{sum(len(s.unrecognised) for s in r.sheets)}列未识别）"
                                  if any(s.unrecognised for s in r.sheets) else "")):
        show_table(mapping_frame(r))
    if r.rows_quarantined:
        st.warning(f"有 {r.rows_quarantined} 行未通过检查，加载时不会导入；可下载问题清单发回填报单位修改",
                   icon=":material/report:")
        if r.rows_quarantined > SUMMARY_FROM:
            st.markdown("**按原因汇总**")
            show_table(reasons_frame(r))
            st.caption(f"共 {r.rows_quarantined:,} 行，逐行明细见下载的清单")
        else:
            show_table(quarantine_frame(r).drop("原行内容"))
        download_button("下载未导入行清单（Excel）", quarantine_xlsx(r), on_click="rerun",
                        file_name=safe_file_name(r.file_name, "_未导入行.xlsx"), mime=XLSX_MIME,
                        key=f"{key}_quarantine", icon=":material/download:")


def teach_headers(c: Checked, key: str, save) -> None:
    """「这一列是：…」 for each header of the file that no column knows; `save(lessons)` writes
    them to the taught aliases (ui.access.teach: who, when, which file) and the page reruns, so
    the file is checked again at once."""
    if not c.untaught:
        return
    with st.expander(f"教会表头：本文件有 {len(c.untaught)} 列表头未识别", expanded=not c.ok,
                     icon=":material/school:"):
        st.caption("告诉驾驶舱这些列是什么，保存后本文件立即重新检查，以后各单位的文件里同样的表头也会照此识别。"
                   "不需要导入的列选「不导入」。")
        choices: dict[str, str] = {}
        for j, u in enumerate(c.untaught):
            left, right = st.columns([2, 3])
            left.markdown(f"**{escape(u.written)}**  \n工作表「{escape(u.sheet)}」")
            choices[u.header] = right.selectbox("这一列是：", teach_options(u.kind), format_func=column_label,
                                                key=f"{key}_teach_{j}")
        lessons = lessons_from(choices)
        if st.button("保存表头识别并重新检查", key=f"{key}_teach_save", disabled=not lessons,
                     icon=":material/save:"):
            try:
                save(lessons)
            except ValueError as e:
                st.error(escape(str(e)), icon=":material/error:")
                return
            st.session_state["adm_taught"] = len(lessons)
            st.rerun()


def outcome_frame(outcomes: list) -> pl.DataFrame:
    """A load's result per file (etl.warehouse.FileOutcome) with Chinese headers."""
    status = {"loaded": "已加载", "unchanged": "未更改（内容相同）", "error": "未加载"}
    return pl.DataFrame({
        "文件": [o.file_name for o in outcomes],
        "结果": [status.get(o.status, o.status) for o in outcomes],
        "数据期间": [period_label(o.period) if o.period else "—" for o in outcomes],
        "填报单位": [o.sender or "—" for o in outcomes],
        "采用行数": [o.rows_accepted for o in outcomes],
        "隔离行数": [o.rows_quarantined for o in outcomes],
        "说明": ["" if o.message == "已加载" else o.message for o in outcomes],
    }, schema={"文件": pl.String, "结果": pl.String, "数据期间": pl.String, "填报单位": pl.String,
               "采用行数": pl.Int64, "隔离行数": pl.Int64, "说明": pl.String})


def load(checked: list[Checked], user: str | None):
    """Load the checked files into a new warehouse state (all or nothing), with a progress bar.
    The refused ones among them are recorded in the load history with their reason."""
    from etl.warehouse import Refused, load_reports

    bar = st.progress(0.0, text="正在写入新的数据状态……")
    reports = [c.report for c in checked if c.ok]
    refused = [Refused(c.name, c.error or "", c.sha256) for c in checked if not c.ok]

    def progress(done: int, total: int) -> None:
        bar.progress(0.1 + 0.7 * done / max(total, 1), text=f"已写入 {done:,}/{total:,} 个文件，正在重算汇总……")

    result = load_reports(reports, user=(user or "").strip() or None, progress=progress, refused=refused)
    bar.progress(1.0, text=f"完成，用时 {result.seconds:.1f} 秒")
    return result


def rollback_choices() -> dict[str, str]:
    """Earlier states of the warehouse, newest first: state file → label."""
    from etl.warehouse import available_states
    from queries import state_name
    from ui import data

    return state_choices(data.q("admin_history"), [p.name for p in available_states(config.db_path())],
                         state_name())


def roll_back(state: str, user: str | None) -> str:
    """Make an earlier state current again (recorded in the history); returns the new state's name."""
    from etl.warehouse import rollback

    return rollback(state, config.db_path(), user=(user or "").strip() or None).name


def template_guide() -> pl.DataFrame:
    """Every column of the template and what to write in it (as the 填报须知 sheet says)."""
    from etl.template import SHEETS, hint, required, template_columns

    rows = [(sheet, c.label, "必填" if required(kind, c.name) else "", hint(kind, c))
            for sheet, kind, _ in SHEETS for c in template_columns(kind)]
    return pl.DataFrame(rows, schema={"工作表": pl.String, "列名": pl.String, "必填": pl.String,
                                      "填写要求": pl.String}, orient="row")


def table_height(rows: int, cap: int = 30) -> int:
    """Pixels for st.dataframe to show `rows` rows without scrolling (up to `cap` rows)."""
    return 38 + 35 * max(1, min(rows, cap))


def template(period: dt.date, sender: str | None) -> bytes:
    """The filling-in template (etl.template) for a month and sender, built once per choice."""
    return _template_cached(period, sender or None)


@st.cache_data(max_entries=32, show_spinner=False)
def _template_cached(period: dt.date, sender: str | None) -> bytes:
    from etl.template import template_xlsx

    return template_xlsx(period, sender)
