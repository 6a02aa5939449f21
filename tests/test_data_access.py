"""数据管理 by role: a unit uploads only its own files and its own projects' rows (another
unit's rows are quarantined, its partition never replaced), a leader changes nothing, and the
functions behind the page check the role themselves; the centre manages accounts and reads the
audit log there (AppTest on private warehouses)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

import fixtures
from accounts import Store
from apptest import account_for, page_test
from etl import jurisdiction
from etl.read import read_file
from etl.warehouse import load_files
from queries.scope import for_unit

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return {p.name: p for p in fixtures.write_all(tmp_path_factory.mktemp("access_files"))}


@pytest.fixture(scope="module")
def base(tmp_path_factory, files) -> Path:
    db = tmp_path_factory.mktemp("access_base") / "wh" / "cockpit.duckdb"
    assert load_files([files["2025-10_平城区.xlsx"], files["2026-09_平城区.xlsx"], files["云州区_2026年10月.csv"]],
                      db=db, today=TODAY).ok
    return db


@pytest.fixture()
def db(base, tmp_path, monkeypatch) -> Path:
    target = tmp_path / "wh"
    shutil.copytree(base.parent, target)
    monkeypatch.setenv("COCKPIT_DB", str(target / base.name))
    monkeypatch.delenv("COCKPIT_STATES", raising=False)
    monkeypatch.delenv("COCKPIT_ACCOUNTS", raising=False)
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    return target / base.name


def upload(at, name: str, data: bytes):
    at.file_uploader(key=f"adm_files_{at.session_state['adm_upload_n']}").set_value(
        [(name, data, "application/octet-stream")]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at) -> str:
    return " ".join(e.value for e in at.error)


HEAD = "序号,统一项目代码,项目名称,项目单位,县区,项目类型,项目级别,行业,投资主体,总投资,年计划投资,本月完成投资,年累计完成投资"


def csv_file(sender: str, *rows: str) -> bytes:
    """A 2026-10 progress csv in 万元 with a 填报单位 footnote (none when `sender` is empty)."""
    lines = ["2026年10月项目建设进展情况表", "单位：万元", HEAD, *rows] + ([f"填报单位：{sender}"] if sender else [])
    return "\r\n".join(lines).encode("utf-8")


C = fixtures.CODES
PINGCHENG_ROW = f"1,{C['A']},平城区新型碳材料项目,大同碳谷科技有限公司,平城区,新开工,市级,工业,企业投资,30000,10000,1000,8000"
YUNZHOU_ROW = f"2,{C['E']},云州区光伏制氢项目,大同氢能公司,大同市云州区,续建,,工业,企业投资,50000,15000,999,12345"
MIXED = csv_file("平城区发展和改革局", PINGCHENG_ROW, YUNZHOU_ROW)


def test_a_unit_cannot_load_another_units_file(db, files):
    """The file's own 填报单位 must be the signed-in unit: another unit's file is refused whole."""
    at = page_test("data", role="unit", unit="平城区").run()
    assert at.text_input(key="adm_unit_fixed").value == "平城区"
    upload(at, "云州区_2026年10月.csv", files["云州区_2026年10月.csv"].read_bytes())
    assert "填报单位是「云州区」，您的账号属于「平城区」" in errors(at)
    assert not [b for b in at.button if b.key == "adm_load"]
    log = Store().audit_log(1)[0]
    assert (log["action"], log["login"], log["target"]) == ("refused", "test-unit-平城区", "云州区_2026年10月.csv")


def test_a_file_of_only_other_units_projects_is_refused(db):
    at = page_test("data", role="unit", unit="平城区").run()
    upload(at, "无落款.csv", csv_file("", YUNZHOU_ROW))
    assert "1行都是其他单位的项目，不属于平城区" in errors(at)
    assert not [b for b in at.button if b.key == "adm_load"]


def partitions(db: Path) -> set[tuple]:
    from etl.warehouse import current_state

    con = duckdb.connect(str(current_state(db)), read_only=True)
    try:
        return set(con.sql("select period, sender, kind, file_name, sha256 from partitions").fetchall())
    finally:
        con.close()


def yunzhou_figures(db: Path) -> list[tuple]:
    from etl.warehouse import current_state

    con = duckdb.connect(str(current_state(db)), read_only=True)
    try:
        return con.sql("select sender, completed_month_wan, completed_ytd_wan from project_month "
                       "where project_code = $c and period = date '2026-10-01'", params={"c": C["E"]}).fetchall()
    finally:
        con.close()


def test_rows_of_another_units_projects_are_quarantined_and_the_own_rows_load(db):
    """平城区's file holding a 云州区 project: that row is quarantined naming both units, shown in
    the check report and the quarantine list and counted; the 平城区 row loads; 云州区's
    partition and figures stay as 云州区 sent them."""
    before, figures = partitions(db), yunzhou_figures(db)
    at = page_test("data", role="unit", unit="平城区").run()
    upload(at, "平城区_2026年10月.csv", MIXED)
    assert not at.error
    head = next(m.value for m in at.markdown if "读取" in m.value)
    assert "读取 2 行，采用 1 行，隔离 1 行" in head
    assert "有1行是其他单位的项目，不属于平城区" in " ".join(w.value for w in at.warning)
    listed = next(d.value for d in at.dataframe if "问题" in d.value.columns and "行号" in d.value.columns)
    row = listed[listed["问题"] == jurisdiction.RULE].iloc[0]
    assert row["项目代码"] == C["E"] and "项目「云州区光伏制氢项目」属于云州区，不属于平城区" in row["说明"]
    n = at.session_state["adm_upload_n"]
    at.checkbox(key=f"adm_confirm_{n}").check().run()
    at.button(key="adm_load").click().run()
    assert not at.exception and any("加载完成" in s.value for s in at.success)
    after = partitions(db)
    assert {p for p in before if p[1] == "云州区"} == {p for p in after if p[1] == "云州区"}
    assert yunzhou_figures(db) == figures and figures and figures[0][0] == "云州区"
    assert {(p[1], p[3]) for p in after - before} == {("平城区", "平城区_2026年10月.csv")}
    from etl.warehouse import current_state

    con = duckdb.connect(str(current_state(db)), read_only=True)
    try:  # kept with its reason, and counted, like every other quarantined row
        held = con.sql("select sender, project_code, rule, message from quarantine "
                       "where source_file = '平城区_2026年10月.csv'").fetchall()
        counts = con.sql("select rows_read, rows_accepted, rows_quarantined from load_log "
                         "where file_name = '平城区_2026年10月.csv' and action = 'load'").fetchall()
    finally:
        con.close()
    assert [(h[0], h[1], h[2]) for h in held] == [("平城区", C["E"], jurisdiction.RULE)] and "不属于平城区" in held[0][3]
    assert counts == [(2, 1, 1)]


def test_a_department_reports_projects_anywhere_under_its_own_name(db):
    at = page_test("data", role="unit", unit="市住房和城乡建设局").run()
    upload(at, "住建局_2026年10月.csv", csv_file("市住房和城乡建设局", PINGCHENG_ROW, YUNZHOU_ROW))
    assert not at.error and not at.warning
    assert [b for b in at.button if b.key == "adm_load"]
    assert "市住房和城乡建设局" in " ".join(m.value for m in at.markdown)
    assert "采用 2 行" in " ".join(m.value for m in at.markdown)


def test_a_department_cannot_load_a_countys_file(db, files):
    at = page_test("data", role="unit", unit="市住房和城乡建设局").run()
    upload(at, "住建局_2026年10月.csv", files["云州区_2026年10月.csv"].read_bytes())
    assert "填报单位是「云州区」，您的账号属于「市住房和城乡建设局」" in errors(at)


@pytest.mark.parametrize("unit, moved", [
    ("140213", 2),  # 平城区: both 云州区 projects (the two rows with unknown or bad cells stay quarantined as they were)
    ("140215", 0),  # 云州区: its own file
])
def test_keep_own_moves_other_units_rows_and_keeps_the_counts(files, unit, moved):
    report = read_file(files["云州区_2026年10月.csv"], unit="平城区", today=TODAY)
    kept = jurisdiction.keep_own(report, unit)
    assert jurisdiction.moved_rows(kept) == moved
    assert kept.rows_accepted == report.rows_accepted - moved
    assert kept.rows_quarantined == report.rows_quarantined + moved
    assert kept.rows_read == report.rows_read == kept.rows_accepted + kept.rows_quarantined  # each project row once
    assert kept.rows_skipped == report.rows_skipped
    assert not set(kept.sheets[0].accepted["project_code"]) & set(
        kept.sheets[0].quarantine.filter(pl.col("rule") == jurisdiction.RULE)["project_code"])


def test_rows_without_a_county_take_their_projects_unit(files):
    """A problem row names only its project: its unit comes from the file's project rows, then
    from the warehouse's projects (`known`)."""
    report = read_file(files["2026-10_平城区.xlsx"], today=TODAY)
    problems = report.sheet("problems").accepted
    code = problems["project_code"][0]
    known = pl.DataFrame({"project_code": [code], "unit_code": ["140215"]})
    kept = jurisdiction.keep_own(report, "140213", known)
    assert jurisdiction.moved_rows(kept) == 0  # the file's own 项目进展 says the project is 平城区's
    only_problems = dataclasses.replace(report, sheets=[s for s in report.sheets if s.kind == "problems"])
    kept = jurisdiction.keep_own(only_problems, "140213", known)
    q = kept.sheets[0].quarantine
    assert q.filter(pl.col("rule") == jurisdiction.RULE)["project_code"].to_list() == [code]
    assert "属于云州区，不属于平城区" in q["message"][0]
    assert kept.rows_accepted == only_problems.rows_accepted - 1


def test_the_declared_sender_is_the_files_own(files):
    report = read_file(files["云州区_2026年10月.csv"], unit="平城区", today=TODAY)
    assert report.sender == "平城区"
    assert jurisdiction.declared_sender(report, files["云州区_2026年10月.csv"].read_bytes()) == "云州区"
    zone = read_file(files["经开区月报.xlsx"], today=TODAY)
    assert jurisdiction.declared_sender(zone, files["经开区月报.xlsx"].read_bytes()) is None


def test_a_unit_loads_its_own_file(db, files):
    at = page_test("data", role="unit", unit="平城区").run()
    upload(at, "2026-10_平城区.xlsx", files["2026-10_平城区.xlsx"].read_bytes())
    assert not at.error
    n = at.session_state["adm_upload_n"]
    at.checkbox(key=f"adm_confirm_{n}").check().run()
    at.button(key="adm_load").click().run()
    assert not at.exception
    assert any("加载完成" in s.value for s in at.success)
    log = Store().audit_log(1)[0]
    assert (log["action"], log["login"]) == ("load", "test-unit-平城区") and "2026-10_平城区.xlsx" in log["target"]
    # and cannot roll back
    assert not [b for b in at.button if b.key == "adm_rollback"]
    assert "回退由推进中心操作" in " ".join(i.value for i in at.info)


def test_a_leader_changes_nothing(db):
    at = page_test("data", role="leader").run()
    assert not at.exception
    assert at.get("file_uploader")[0].proto.disabled and not [b for b in at.button if b.key == "adm_rollback"]
    assert "市领导账号只能查看数据" in " ".join(i.value for i in at.info)
    assert [t.label for t in at.tabs] == ["上传与加载", "报送情况", "加载历史与回退", "填报模板"]


def test_the_centre_manages_accounts_and_reads_the_audit_log(db):
    at = page_test("data", role="centre").run()
    assert [t.label for t in at.tabs][-2:] == ["账号管理", "审计日志"]
    at.text_input(key="acc_login").input("wangwu")
    at.text_input(key="acc_name").input("王五")
    at.selectbox(key="acc_role").set_value("unit")
    at.text_input(key="acc_unit").input("云州区")
    at.button[[b.label for b in at.button].index("新增")].click().run()
    assert not at.exception
    flash = " ".join(s.value for s in at.success)
    assert "已新增账号 wangwu" in flash
    password = flash.split("初始密码（只显示这一次）：")[1].split("；")[0]
    store = Store()
    assert store.get("wangwu").unit == "云州区" and store.sign_in("wangwu", password).ok
    audit = next(d.value for d in at.dataframe if "地址" in d.value.columns)
    assert "新增账号" in set(audit["操作"])
    row = audit[audit["操作"] == "新增账号"].iloc[0]
    assert (row["账号"], row["对象"]) == ("test-centre", "wangwu")


@pytest.mark.parametrize("role, change", [
    ("leader", "load"), ("leader", "roll_back"), ("leader", "teach"), ("leader", "check"),
    ("unit", "roll_back"), ("unit", "teach"),
])
def test_changes_check_the_role_below_the_page(db, role, change):
    """The functions the page calls refuse a role the page would not offer the change to, and
    record the refusal as 无权; nothing changes."""
    from etl import taught
    from ui import access

    user = account_for(role)
    before = partitions(db)
    calls = {
        "load": lambda: access.load(user, []),
        "roll_back": lambda: access.roll_back(user, "any-state", "某时刻"),
        "teach": lambda: access.teach(user, [taught.Lesson("某列", "annual_plan_wan")], "a.xlsx"),
        "check": lambda: access.check_upload(user, "a.csv", MIXED, None, None, TODAY, 0.0),
    }
    with pytest.raises(access.Denied, match="无权"):
        calls[change]()
    log = Store().audit_log(1)[0]
    assert (log["action"], log["login"]) == ("denied", user.login) and "无权" in log["detail"]
    assert partitions(db) == before
    assert "某列" not in str(taught.entries())


def test_a_units_load_of_a_file_checked_for_another_sender_is_refused(db, files):
    from etl.read import read_file as read
    from ui import access, admin

    report = read(files["云州区_2026年10月.csv"], today=TODAY)  # checked for the centre: sender 云州区
    checked = admin.Checked(name=report.file_name, size=1, sha256=report.sha256, report=report)
    with pytest.raises(access.Denied, match="云州区"):
        access.load(account_for("unit", "平城区"), [checked])
    assert partitions(db) and Store().audit_log(1)[0]["action"] == "denied"
