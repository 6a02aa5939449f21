"""Bounded work per file (etl/guard.py): archive bombs, oversized sheets and long quarantines.

The bomb is refused in a subprocess whose address space is capped with resource.setrlimit:
if the guard let calamine unpack the sheet, that process would die of the ceiling instead of
printing the refusal.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

import fixtures
from etl import guard
from etl.read import FileError, read_file

ROOT = Path(__file__).resolve().parent.parent
LIMITS = guard.Limits(unpacked_mb=100, sheet_rows=50_000, sheet_cols=200)

_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       b'+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
       b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       b'spreadsheetml.worksheet+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
       '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="项目进展" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()
_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _workbook(sheet_chunks, dimension: str | None = None, level: int = 9) -> bytes:
    """A minimal xlsx whose one sheet's XML is streamed from `sheet_chunks` (bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main">')
            if dimension:
                fh.write(f'<dimension ref="{dimension}"/>'.encode())
            fh.write(b"<sheetData>")
            for chunk in sheet_chunks:
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def _rows(n: int, per_chunk: int = 20_000):
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    while n > 0:
        k = min(n, per_chunk)
        yield row * k
        n -= k


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """1,048,576 rows padded to unpack to ~400 MB, ~0.5 MB packed (as Excel writes a sheet
    formatted to its last row)."""
    pad = b'<row><c t="inlineStr"><is><t>' + b" " * 340 + b"</t></is></c></row>"

    def chunks():
        for _ in range(1_048_576 // 4096):
            yield pad * 4096

    path = tmp_path_factory.mktemp("bomb") / "2026-10_平城区.xlsx"
    path.write_bytes(_workbook(chunks(), dimension="A1:Z1048576", level=1))
    return path


def test_the_bomb_is_refused_in_under_a_second_under_a_memory_ceiling(bomb):
    assert bomb.stat().st_size < 16 * 1024 * 1024  # under the upload limit
    script = textwrap.dedent(f"""
        import json, resource, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from etl.read import FileError, read_file
        import polars  # imported before the ceiling: its allocator reserves address space up front
        soft = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (soft + 256 * 1024 * 1024, resource.RLIM_INFINITY))
        t0 = time.perf_counter()
        try:
            read_file({str(bomb)!r})
            out = {{"refused": False}}
        except FileError as e:
            out = {{"refused": True, "message": str(e)}}
        out["seconds"] = time.perf_counter() - t0
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out, ensure_ascii=False))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["refused"], out
    assert out["message"].startswith("文件「2026-10_平城区.xlsx」解压后有")
    assert "超过100MB的上限" in out["message"]
    assert out["seconds"] < 1.0, out


def test_a_sheet_dimension_over_the_limit_is_refused_before_reading():
    data = _workbook(_rows(3), dimension="A1:Z1048576")
    with pytest.raises(FileError, match="工作表「项目进展」有1,048,576行，超过50,000行的上限"):
        read_file(Path("大表.xlsx"), data=data)


def test_rows_are_counted_when_the_sheet_states_no_dimension():
    data = _workbook(_rows(60_000))
    t0 = time.process_time()  # CPU time: the machine may be busy with other work
    with pytest.raises(guard.GuardError, match="工作表「项目进展」超过50,000行"):
        guard.check_xlsx("无维度.xlsx", data, LIMITS)
    assert time.process_time() - t0 < 1.0


def test_too_many_columns_are_refused():
    with pytest.raises(guard.GuardError, match="有16,384列，超过200列的上限"):
        guard.check_xlsx("宽表.xlsx", _workbook(_rows(2), dimension="A1:XFD20"), LIMITS)


def test_a_zip_that_lies_about_its_sizes_is_refused_as_damaged():
    data = bytearray(_workbook(_rows(2000)))
    # make the sheet's local and central headers claim 100 bytes unpacked
    name = b"xl/worksheets/sheet1.xml"
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (i := data.find(sig, start)) >= 0:
            name_at = i + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                size = struct.unpack_from("<I", data, i + off)[0]
                if size != 0xFFFFFFFF:  # not a zip64 placeholder
                    struct.pack_into("<I", data, i + off, 100)
            start = i + 4
    with pytest.raises(guard.GuardError, match="已损坏"):
        guard.check_xlsx("伪装.xlsx", bytes(data), LIMITS)


@pytest.mark.parametrize(("env", "value", "refused"), [
    ("COCKPIT_MAX_SHEET_ROWS", "10", True),
    ("COCKPIT_MAX_SHEET_ROWS", "50000", False),
    ("COCKPIT_MAX_SHEET_COLS", "5", True),
    ("COCKPIT_MAX_UNPACKED_MB", "0", True),
])
def test_limits_come_from_the_configuration(tmp_path, monkeypatch, env, value, refused):
    """The fixture workbook (a real one, 11 data rows, 25 columns) under each limit."""
    path = next(p for p in fixtures.write_all(tmp_path) if p.name == "2026-10_平城区.xlsx")
    monkeypatch.setenv(env, value)
    if refused:
        with pytest.raises(FileError, match="上限"):
            read_file(path)
    else:
        assert read_file(path).rows_accepted > 0


def test_a_normal_workbook_passes_the_guard_quickly(tmp_path):
    path = next(p for p in fixtures.write_all(tmp_path) if p.name == "2026-10_平城区.xlsx")
    data = path.read_bytes()
    t0 = time.process_time()
    for _ in range(20):
        guard.check("x.xlsx", ".xlsx", data, LIMITS)
    assert (time.process_time() - t0) / 20 < 0.02


def test_csv_and_parquet_row_limits(tmp_path):
    lines = "项目代码,项目名称\n" + "2026-140213-44-01-000001,甲\n" * 60_001
    with pytest.raises(guard.GuardError, match="超过50,000行的上限"):
        guard.check("长.csv", ".csv", lines.encode(), LIMITS)
    buf = io.BytesIO()
    pl.DataFrame({"项目代码": ["x"] * 60_001}).write_parquet(buf)
    with pytest.raises(guard.GuardError, match="有60,001行"):
        guard.check("长.parquet", ".parquet", buf.getvalue(), LIMITS)
    guard.check("短.csv", ".csv", b"a,b\n1,2\n", LIMITS)


def _quarantine(n_bad: int, n_other: int) -> pl.DataFrame:
    rows = [dict(source_row=5 + i, rule="非数值金额", column_name="年度计划投资",
                 message=f"第{5 + i}行：「年度计划投资」不是数值") for i in range(n_bad)]
    rows += [dict(source_row=100_000 + i, rule="缺少项目代码", column_name="项目代码",
                  message=f"第{100_000 + i}行：缺少项目代码") for i in range(n_other)]
    return pl.DataFrame(rows)


def test_repeated_reasons_are_summarised():
    q = _quarantine(48_213, 2)
    lines = guard.summary_lines(q)
    assert lines == [
        "规则「非数值金额」（年度计划投资）共 48,213 行，如第5、6、7行等：第5行：「年度计划投资」不是数值",
        "规则「缺少项目代码」（项目代码）共 2 行，如第100000、100001行：第100000行：缺少项目代码",
    ]
    # few rows: every one, as before
    assert len(guard.summary_lines(_quarantine(3, 1))) == 4
    s = guard.summarise(q)
    assert s["rows"].to_list() == [48_213, 2] and s.columns == list(guard.SUMMARY_SCHEMA)


def test_a_sheet_with_many_bad_rows_prints_a_few_lines_on_the_command_line(tmp_path, capsys):
    from etl.__main__ import main

    path = tmp_path / "2026-10_平城区.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("项目进展")
    ws.write_row(0, 0, ["2026年10月项目进展情况表"])
    ws.write_row(1, 0, ["项目代码", "项目名称", "所在县区", "年度计划投资", "年累计完成投资"])
    for i in range(3000):
        ws.write_row(2 + i, 0, [f"2026-140213-44-01-{i:06d}", f"项目{i}", "平城区", "约500", 10])
    wb.close()
    assert main(["check", str(path), "--unit", "平城区"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) < 10, out
    assert any("共 3,000 行" in line for line in out)


def test_the_upload_page_summarises_many_bad_rows_by_reason(tmp_path):
    from ui import admin

    path = tmp_path / "2026-10_平城区.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("项目进展")
    ws.write_row(0, 0, ["2026年10月项目进展情况表"])
    ws.write_row(1, 0, ["项目代码", "项目名称", "所在县区", "年度计划投资", "年累计完成投资"])
    for i in range(500):
        ws.write_row(2 + i, 0, [f"2026-140213-44-01-{i:06d}", f"项目{i}", "平城区", "约500" if i % 5 else "", 10])
    wb.close()
    c = admin.check_upload(path.name, path.read_bytes(), unit="平城区")
    reasons = admin.reasons_frame(c.report)
    assert reasons["行数"].to_list() == [400, 100]
    assert reasons["如第…行"].to_list()[0] == "4、5、6"


@pytest.mark.parametrize("xml", [
    b'<row r="1"><c/></row><row r="2" spans="1:3"/>',  # as Excel and xlsxwriter write them
    b"<row><c/></row><row>",  # no attributes
    b'<x:row r="1"/><x:row>',  # a namespace prefix
    b'<rowBreaks count="1"/><row\tr="3"/><row\nr="4"/>',  # page breaks are no rows; other white space
])
def test_rows_are_counted_as_the_regular_expression_counts_them(xml):
    assert guard._count_rows(xml) == len(guard._ROW_TAG.findall(xml))


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_rows_are_counted_in_stored_and_deflated_members(method):
    row = b'<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + row * 60_001 + b"</sheetData></worksheet>")
    with pytest.raises(guard.GuardError, match="工作表「项目进展」超过50,000行"):
        guard.check_xlsx("x.xlsx", buf.getvalue(), LIMITS)


def test_a_member_whose_bytes_are_damaged_is_refused():
    data = bytearray(_workbook(_rows(2000)))
    i = data.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 40  # inside its packed bytes
    data[i] ^= 0xFF
    with pytest.raises(guard.GuardError, match="已损坏"):
        guard.check_xlsx("坏.xlsx", bytes(data), LIMITS)
