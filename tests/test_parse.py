"""Cell parsers, as tables of what counties write and what it must become."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.divisions import normalise_county, normalise_zone, unit_for_sender
from etl.parse import (CellError, normalise_header, parse_date, parse_money, period_from_filename,
                       period_from_text)
from etl.read import _lookup


@pytest.mark.parametrize("written,expected", [
    ("2026-03", dt.date(2026, 3, 1)),
    ("2026.3", dt.date(2026, 3, 1)),
    ("2026.03", dt.date(2026, 3, 1)),
    ("2026年3月", dt.date(2026, 3, 1)),
    ("2026 年 3 月", dt.date(2026, 3, 1)),
    ("2026/3/15", dt.date(2026, 3, 15)),
    ("2026-03-15", dt.date(2026, 3, 15)),
    ("2026年3月15日", dt.date(2026, 3, 15)),
    ("2026-03-15 00:00:00", dt.date(2026, 3, 15)),  # a real date cell as fastexcel gives it
    ("46096", dt.date(2026, 3, 15)),  # Excel serial number
    ("46096.0", dt.date(2026, 3, 15)),
    ("202603", dt.date(2026, 3, 1)),
    ("20260315", dt.date(2026, 3, 15)),
    ("", None),
    (None, None),
    ("待定", None),
])
def test_parse_date(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize("written", ["明年", "2026-13", "2026年13月", "3月", "12345"])
def test_parse_date_refuses(written):
    with pytest.raises(CellError) as e:
        parse_date(written)
    assert e.value.rule == "日期无法识别"


@pytest.mark.parametrize("written,expected", [
    ("1234.5", 1234.5),
    ("1,234.5", 1234.5),
    ("1234.5万元", 1234.5),
    (" 800 ", 800.0),
    ("0", 0.0),
    ("", None),
    ("-", None),
    (None, None),
])
def test_parse_money(written, expected):
    assert parse_money(written) == expected


@pytest.mark.parametrize("written", ["-", "—", "/", "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "无", None, ""])
def test_not_reported_amounts_are_none_never_zero(written):
    from etl import convert

    assert parse_money(written) is None
    assert convert.money([written]) == ([None], [None])


@pytest.mark.parametrize("written,rule", [("约500", "非数值金额"), ("500-600", "非数值金额"), ("-3", "金额为负"),
                                          ("1e308", "金额超出合理范围"), ("inf", "非数值金额"), ("-inf", "非数值金额"),
                                          ("100000001", "金额超出合理范围")])
def test_parse_money_refuses(written, rule):
    with pytest.raises(CellError) as e:
        parse_money(written)
    assert e.value.rule == rule
    assert written in e.value.message


@pytest.mark.parametrize("written,name,unit", [
    ("年度计划\n投资（万元）", "年度计划投资", "万元"),
    ("总投资（亿元）", "总投资", "亿元"),
    ("所在县（区）", "所在县(区)", None),
    (" 项目 代码 ", "项目代码", None),
    ("用地面积（亩）", "用地面积", "亩"),
])
def test_normalise_header(written, name, unit):
    assert normalise_header(written) == (name, unit)


@pytest.mark.parametrize("header,kind,canonical", [
    ("项目代码", "progress", "project_code"),
    ("统一项目代码", "progress", "project_code"),
    ("项目编码", "reserve", "project_code"),
    ("所在县(区)", "progress", "county"),
    ("属地", "progress", "county"),
    ("年度计划投资", "progress", "annual_plan_wan"),
    ("年计划投资", "progress", "annual_plan_wan"),
    ("本年计划投资", "progress", "annual_plan_wan"),
    ("投资完成情况|本月", "progress", "completed_month_wan"),
    ("投资完成情况|年累计", "progress", "completed_ytd_wan"),
    ("投资完成情况|开工累计", "progress", "completed_cum_wan"),
    ("本月完成投资", "progress", "completed_month_wan"),
    ("1-N月累计完成", "progress", "completed_ytd_wan"),
    ("业主单位", "progress", "owner"),
    ("存在问题", "progress", "problem_text"),
    ("存在问题", "problems", "description"),  # the same header means the problem itself in 问题清单
    ("包联领导", "progress", "leader"),
    ("节点名称", "milestones", "node_name"),
    ("某个不认识的列", "progress", None),
])
def test_header_aliases(header, kind, canonical):
    assert _lookup(header, kind) == canonical


@pytest.mark.parametrize("written,canonical,when", [
    # headers as people write them: the year and month numbered, not listed one by one
    ("2026年计划投资", "annual_plan_wan", {"year": 2026}),
    ("2026年度计划投资（万元）", "annual_plan_wan", {"year": 2026}),
    ("2027年投资计划", "annual_plan_wan", {"year": 2027}),
    ("本年计划", "annual_plan_wan", {}),
    ("全年计划投资", "annual_plan_wan", {}),
    ("10月份完成投资", "completed_month_wan", {"month": 10}),
    ("10月完成", "completed_month_wan", {"month": 10}),
    ("3月份完成", "completed_month_wan", {"month": 3}),
    ("本月完成", "completed_month_wan", {}),
    ("当月完成", "completed_month_wan", {}),
    ("1-10月累计完成投资", "completed_ytd_wan", {"month": 10}),
    ("1-9月累计完成", "completed_ytd_wan", {"month": 9}),
    ("1—10月完成投资", "completed_ytd_wan", {"month": 10}),
    ("1－10月完成投资", "completed_ytd_wan", {"month": 10}),
    ("１－１０月\n累计完成（万元）", "completed_ytd_wan", {"month": 10}),
    ("1至10月", "completed_ytd_wan", {"month": 10}),
    ("1~10月累计", "completed_ytd_wan", {"month": 10}),
    ("1-10月", "completed_ytd_wan", {"month": 10}),
    ("2026年1-10月累计完成投资", "completed_ytd_wan", {"year": 2026, "month": 10}),
    ("截至10月底累计", "completed_ytd_wan", {"month": 10}),
    ("截止10月末累计完成投资", "completed_ytd_wan", {"month": 10}),
    ("2026年累计完成投资", "completed_ytd_wan", {"year": 2026}),
    ("开工以来累计完成投资", "completed_cum_wan", {}),
    ("投资完成情况|1-10月", "completed_ytd_wan", {"month": 10}),  # the sub header alone
    ("完成投资|10月份", None, {}),
    ("计划完成时间", None, {}),  # a milestone column, not a plan
    ("10月份", None, {}),
    ("1-10月份形象进度", None, {}),
])
def test_headers_with_year_or_month(written, canonical, when):
    from etl.schema import lookup

    assert lookup(normalise_header(written)[0], "progress") == (canonical, when)


@pytest.mark.parametrize("written,code", [
    ("平城区", "140213"),
    ("大同市平城区", "140213"),
    ("山西省大同市平城区", "140213"),
    ("平城", "140213"),
    ("140213", "140213"),
    ("云州区", "140215"),
    ("大同县", "140215"),  # renamed 云州区 in 2018
    ("南郊区", "140214"),  # merged into 云冈区
    ("阳高县", "140221"),
    ("左云", "140226"),
    ("大同市北城区", None),
    ("", None),
])
def test_normalise_county(written, code):
    assert normalise_county(written) == code


@pytest.mark.parametrize("written,code", [
    ("大同经济技术开发区", "140271"),
    ("大同经开区", "140271"),
    ("山西大同经济开发区", "140271"),
    ("云冈经开区", "140291"),
    ("平城区", None),
])
def test_normalise_zone(written, code):
    assert normalise_zone(written) == code


@pytest.mark.parametrize("footnote,unit", [
    ("平城区发展和改革局", "140213"),
    ("大同经济技术开发区管委会", "140271"),
    ("天镇县发改局", "140222"),
    ("大同市交通运输局", "140200"),
])
def test_unit_for_sender(footnote, unit):
    assert unit_for_sender(footnote) == unit


@pytest.mark.parametrize("text,period", [
    ("2026年10月大同市重点工程项目进展情况表", dt.date(2026, 10, 1)),
    ("大同经济技术开发区2026年1-10月重点项目进展", dt.date(2026, 10, 1)),
    ("2026年1—3月项目进展", dt.date(2026, 3, 1)),
    ("大同市重点工程项目进展情况表", None),
])
def test_period_from_text(text, period):
    assert period_from_text(text) == period


@pytest.mark.parametrize("name,period", [
    ("2026-10_平城区.xlsx", dt.date(2026, 10, 1)),
    ("平城区202610.xlsx", dt.date(2026, 10, 1)),
    ("云州区_2026年9月.csv", dt.date(2026, 9, 1)),
    ("经开区月报.xlsx", None),
])
def test_period_from_filename(name, period):
    assert period_from_filename(name) == period


@pytest.mark.parametrize("lines,date", [
    ([["填报日期：2026年11月3日"]], dt.date(2026, 11, 3)),
    ([["填报单位：阳高县发改局  填报人：张三  填报日期：2026.11.3"]], dt.date(2026, 11, 3)),
    ([["报送日期:2026-11-04"]], dt.date(2026, 11, 4)),
    ([["填报时间：2026/11/5  联系电话：123"]], dt.date(2026, 11, 5)),
    ([["填报日期：", "2026-11-06 00:00:00"]], dt.date(2026, 11, 6)),
    ([["填报日期：", "46332"]], dt.date(2026, 11, 6)),  # the date cell as an Excel serial
    ([["填报日期：２０２６年１１月７日"]], dt.date(2026, 11, 7)),
    ([["填报日期："]], None),
    ([["填报人：张三"]], None),
    ([["2026年10月项目进展情况表"]], None),
])
def test_filled_date(lines, date):
    from etl.read import filled_date

    assert filled_date(lines) == date


def test_points_tested_at_once_as_one_by_one():
    from etl.boundary import _bbox, in_datong, in_datong_many

    x0, y0, x1, y1 = _bbox()
    pts = [(x0 - 0.2 + (x1 - x0 + 0.4) * i / 37, y0 - 0.2 + (y1 - y0 + 0.4) * j / 29) for i in range(38) for j in range(30)]
    one_by_one = [in_datong(x, y) for x, y in pts]
    assert 0 < sum(one_by_one) < len(pts)
    assert in_datong_many([x for x, _ in pts], [y for _, y in pts]) == one_by_one


def test_distinct_texts_convert_as_each_column_does():
    from etl import convert

    texts = ["12", "1,200.5", "约5", "-3", "1e308", "#N/A", "-", "0.1"]
    got = convert.distinct({("money", 10000.0): set(texts), ("money", 1.0): set(texts)}, 1e8)
    for factor in (1.0, 10000.0):
        values, errs = convert.money(texts, factor, 1e8)
        assert [got[("money", factor)][t] for t in texts] == [(v, *(e or (None, None))) for v, e in zip(values, errs)]
