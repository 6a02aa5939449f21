"""Exports open and hold what they say: the briefing pack (PNG at 2×, one-page PDF, one xlsx with
a sheet per table, the text), table xlsx/csv (title row with filters and data date, Chinese
headers, numbers as numbers), and every chart on every page (PNG at 2× named in Chinese with
the period, data date inside the image)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image as PILImage
from streamlit.testing.v1 import AppTest

from apptest import page_test

from ui import briefing
from ui.export import file_name, stamp_figure, table_csv, table_xlsx, zip_bytes

ROOT = Path(__file__).resolve().parent.parent
OCT = dt.date(2026, 10, 1)
SLUG = "2026-10"


@pytest.fixture(scope="module")
def pack(fixture_db) -> dict[str, bytes]:
    """The pack for 2026-10, built once (one kaleido batch)."""
    return briefing.pack_files(briefing.load(OCT))


def _png(data: bytes) -> PILImage.Image:
    img = PILImage.open(io.BytesIO(data))
    img.load()  # decodes the whole image
    return img


def test_pack_holds_every_file(pack):
    assert sorted(pack) == sorted([
        f"周报_{SLUG}.png", f"周报_{SLUG}.pdf", f"投资累计完成_全市_{SLUG}.png", f"投资完成率排名_县区_{SLUG}.png",
        f"重点工程红黄绿_{SLUG}.png", f"周报数据_{SLUG}.xlsx", f"数据分析_{SLUG}.txt"])


def test_pack_pngs_are_print_resolution(pack):
    page = _png(pack[f"周报_{SLUG}.png"])
    assert page.format == "PNG"
    assert page.size == (briefing.VIEW_W * 2, briefing.VIEW_H * 2)  # 3072×1728, 16:9
    for name in [f"投资累计完成_全市_{SLUG}.png", f"投资完成率排名_县区_{SLUG}.png", f"重点工程红黄绿_{SLUG}.png"]:
        img = _png(pack[name])
        assert img.size == (3200, 1800), name  # 1600×900 at 2×
        # not blank: a chart has ink in it
        lo, hi = img.convert("L").getextrema()
        assert lo < 100 and hi > 240, name


def test_pack_pdf_is_one_16_9_page(pack):
    pdf = pack[f"周报_{SLUG}.pdf"]
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    w, h = float(box.group(1)), float(box.group(2))
    assert abs(w / h - 16 / 9) < 0.01


def test_pack_xlsx_has_a_sheet_per_table_and_the_warehouse_totals(pack):
    wb = openpyxl.load_workbook(io.BytesIO(pack[f"周报数据_{SLUG}.xlsx"]))
    assert wb.sheetnames == ["核心指标", "县区排名", "红色重点工程", "超期问题", "投资累计", "数据分析"]
    for ws in wb.worksheets:
        assert ws["A1"].value, ws.title  # title row
        assert "数据截至2026年10月31日" in ws["A2"].value, ws.title  # filters and data date
    head = wb["核心指标"]
    figures = dict(zip([c.value for c in head[3]], [c.value for c in head[4]]))
    assert figures["年度计划投资（万元）"] == 88000 and figures["年累计完成投资（万元）"] == 61000
    assert figures["红色重点工程（个）"] == 2 and figures["超期未办结问题（个）"] == 1
    assert head.cell(4, 4).number_format == "0.0%" and abs(head.cell(4, 4).value - 61000 / 88000) < 1e-9
    ws = wb["县区排名"]
    headers = [c.value for c in ws[3]]
    assert headers[:6] == ["排名", "县区/开发区", "年度计划投资（万元）", "年累计完成投资（万元）", "完成率",
                           "落后序时进度（个百分点）"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert sum(r[2] for r in rows) == 88000  # plan, as numbers
    assert sum(r[3] for r in rows) == 61000  # year to date
    assert ws.cell(4, 5).number_format == "0.0%"
    red = wb["红色重点工程"]
    assert [c.value for c in red[3]][:3] == ["项目代码", "项目名称", "县区/开发区"]
    assert [r[1] for r in red.iter_rows(min_row=4, values_only=True)] == ["平城区供热管网改造工程", "云州区黄花产业园"]
    overdue = wb["超期问题"]
    row = next(overdue.iter_rows(min_row=4, values_only=True))
    assert row[0] == "WT-1" and row[-1] == 61
    assert isinstance(row[8], dt.datetime)  # 完成时限 as a date, not text


def test_pack_text_is_the_summary(pack):
    text = pack[f"数据分析_{SLUG}.txt"].decode("utf-8-sig")
    assert text.startswith("数据分析（2026年10月）")
    assert "累计完成投资6.10亿元" in text and "数据依据：" in text


def test_zip_keeps_chinese_names(pack):
    z = zipfile.ZipFile(io.BytesIO(zip_bytes(pack)))
    assert z.testzip() is None
    assert sorted(z.namelist()) == sorted(pack)
    assert all(i.flag_bits & 0x800 for i in z.infolist())  # UTF-8 names


def test_command_line_writes_the_pack(fixture_db, tmp_path, monkeypatch):
    # the files are the ones tested above; here: it runs without a server and writes them, zip included
    monkeypatch.setattr(briefing, "pack_files", lambda b: {f"周报_{b.period:%Y-%m}.png": b"x"})
    assert briefing.main(["--period", SLUG, "--out", str(tmp_path), "--zip"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"周报_{SLUG}.png", f"周报_{SLUG}.zip"]


# ------------------------------------------------------------------ tables

def test_table_xlsx_title_headers_and_numbers():
    df = pl.DataFrame({"县区/开发区": ["平城区", "云州区"], "年度计划投资（万元）": [35000.0, 23000.0],
                       "项目数": [3, 2], "完成率": [0.514, 0.696], "完成时限": [dt.date(2026, 8, 31), None]})
    wb = openpyxl.load_workbook(io.BytesIO(table_xlsx(df, "分县区投资完成情况（2026年10月）",
                                                      "2026年10月 · 全市 · 全部年度项目 · 数据截至2026年10月31日")))
    ws = wb.active
    assert ws["A1"].value == "分县区投资完成情况（2026年10月）"
    assert ws["A2"].value.endswith("数据截至2026年10月31日")
    assert [c.value for c in ws[3]] == df.columns
    assert ws["B4"].value == 35000 and isinstance(ws["B4"].value, (int, float))
    assert ws["C5"].value == 2
    assert ws["D4"].number_format == "0.0%"
    assert ws["E4"].value == dt.datetime(2026, 8, 31) and ws["E5"].value is None
    assert ws.freeze_panes == "A4"


def test_table_csv_is_utf8_with_bom_and_plain_numbers():
    df = pl.DataFrame({"县区/开发区": ["平城区"], "年度计划投资（万元）": [35000.5]})
    data = table_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["县区/开发区,年度计划投资（万元）", "平城区,35000.5"]


def test_table_csv_writes_rates_in_percent_with_the_unit_in_the_header():
    # a csv wrote 完成率 as 0.831908923166989 while the page and the xlsx show 83.2%
    df = pl.DataFrame({"县区/开发区": ["平城区", "云州区"], "完成率": [0.831908923166989, None],
                       "同比增长": [-0.0234, 0.1], "办结率（%）": [83.2, 50.0], "落后序时进度（个百分点）": [4.25, -1.0]})
    lines = table_csv(df).decode("utf-8-sig").splitlines()
    assert lines == ["县区/开发区,完成率（%）,同比增长（%）,办结率（%）,落后序时进度（个百分点）",
                     "平城区,83.2,-2.3,83.2,4.25", "云州区,,10.0,50.0,-1.0"]


def test_table_xlsx_formats_only_fractions_as_percent():
    # 「完成率（%）」 already holds 83.2: formatted as a percentage it read 8320.0%
    df = pl.DataFrame({"完成率": [0.832], "完成率（%）": [83.2], "落后序时进度（个百分点）": [4.2]})
    ws = openpyxl.load_workbook(io.BytesIO(table_xlsx(df, "t", "s"))).active
    assert [ws.cell(4, j).number_format for j in (1, 2, 3)] == ["0.0%", "#,##0.00", "#,##0.00"]


@pytest.mark.parametrize("name,period,ext,expected", [
    ("投资进度_县区", OCT, "png", "投资进度_县区_2026-10.png"),
    ("分县区投资完成情况_2026-10", OCT, "xlsx", "分县区投资完成情况_2026-10.xlsx"),  # period not repeated
    ("问题清单_平城区/云州区", None, "csv", "问题清单_平城区_云州区.csv"),  # no path separators
    ("重点工程 红黄绿", OCT, None, "重点工程_红黄绿_2026-10"),
])
def test_file_names(name, period, ext, expected):
    assert file_name(name, period, ext) == expected


def test_stamp_adds_the_data_date_only_when_missing():
    bare = go.Figure(layout={"title": {"text": "<b>各县区完成率</b>"}})
    stamped = stamp_figure(bare, "数据截至2026年10月31日")
    assert "数据截至2026年10月31日" in stamped.layout.title.text and "各县区完成率" in stamped.layout.title.text
    assert bare.layout.title.text == "<b>各县区完成率</b>"  # the caller's figure is left alone
    dated = go.Figure(layout={"title": {"text": "x<br>数据截至2026年10月31日"}})
    assert stamp_figure(dated, "数据截至2026年10月31日") is dated


# ------------------------------------------------------------------ every chart on every page

def _charts(at: AppTest) -> list[tuple[dict, dict]]:
    """(figure spec, plotly config) of every plotly chart the script drew."""
    out = []
    for el in at.get("plotly_chart"):
        proto = el.proto
        out.append((json.loads(proto.spec), json.loads(proto.config)))
    return out


def _chart_script():
    import datetime as dt

    import plotly.graph_objects as go

    from ui.widgets import chart

    chart(go.Figure(go.Bar(x=["平城区"], y=[1]), layout={"title": {"text": "各县区完成率"}}), "投资进度_县区",
          dt.date(2026, 10, 1), key="c")


def _download_labels(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def test_chart_has_no_english_toolbar_and_a_chinese_png_button(fixture_db):
    at = AppTest.from_function(_chart_script, default_timeout=30).run()
    assert not at.exception
    [(spec, config)] = _charts(at)
    # plotly's toolbar tooltips are English ("Download plot as a png", "Autoscale") and cover the title
    assert config["displayModeBar"] is False
    assert "数据截至2026年10月31日" in spec["layout"]["title"]["text"]
    assert _download_labels(at) == ["下载图片"]


def test_chart_png_is_2x_with_the_data_date(fixture_db):
    """The 下载图片 file: 3200×1800 (1600×900 at 2×), drawn by kaleido."""
    import struct

    from ui.export import stamp_figure
    from ui.widgets import chart_png

    fig = stamp_figure(go.Figure(go.Bar(x=["平城区"], y=[1]), layout={"title": {"text": "各县区完成率"}}),
                       "数据截至2026年10月31日")
    png = chart_png(fig, "投资进度_县区_2026-10.png", 1600, 900)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (3200, 1800)


PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_a_png_download_and_its_data_date(fixture_db, page):
    at = page_test(page)
    at.query_params["period"] = SLUG
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    charts = _charts(at)
    assert _download_labels(at).count("下载图片") >= len(charts), page
    for spec, config in charts:
        assert config.get("displayModeBar") is False, page
        layout = spec.get("layout", {})
        inside = (layout.get("title") or {}).get("text", "") + " ".join(
            a.get("text", "") for a in layout.get("annotations", []))
        assert "数据截至" in inside, page


def test_text_from_data_is_never_a_formula():
    """A project name like =HYPERLINK(...) from a county's file stays text in both exports."""
    import io

    import openpyxl
    import polars as pl

    from ui.export import table_csv, table_xlsx

    df = pl.DataFrame({"项目名称": ['=HYPERLINK("http://x","点我")', "正常项目", "-1+2"], "金额（万元）": [1.0, -2.0, 3.0]})
    wb = openpyxl.load_workbook(io.BytesIO(table_xlsx(df, "标题", "说明")))
    ws = wb.active
    assert ws.cell(4, 1).value == '=HYPERLINK("http://x","点我")'
    assert ws.cell(4, 1).data_type == "s"  # a string cell, not a formula
    assert ws.cell(5, 2).value == -2.0  # numbers stay numbers
    import csv

    rows = list(csv.reader(io.StringIO(table_csv(df).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("http://x","点我")', "正常项目", "'-1+2"]
    assert rows[2][1] == "-2.0"
