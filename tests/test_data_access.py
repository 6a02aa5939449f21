"""数据管理 by role: a unit uploads only its own files and projects, a leader changes nothing,
the centre manages accounts and reads the audit log there (AppTest on private warehouses)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import fixtures
from accounts import Store
from apptest import page_test
from etl.warehouse import load_files

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return {p.name: p for p in fixtures.write_all(tmp_path_factory.mktemp("access_files"))}


@pytest.fixture(scope="module")
def base(tmp_path_factory, files) -> Path:
    db = tmp_path_factory.mktemp("access_base") / "wh" / "cockpit.duckdb"
    assert load_files([files["2025-10_平城区.xlsx"], files["2026-09_平城区.xlsx"]], db=db, today=TODAY).ok
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


def test_a_unit_cannot_load_another_units_projects(db, files):
    """The sender of a unit's upload is the unit itself; rows of another unit's projects refuse the file."""
    at = page_test("data", role="unit", unit="平城区").run()
    assert at.text_input(key="adm_unit_fixed").value == "平城区"
    upload(at, "云州区_2026年10月.csv", files["云州区_2026年10月.csv"].read_bytes())
    assert "项目「云州区光伏制氢项目」属于云州区，不属于平城区" in errors(at)
    assert not [b for b in at.button if b.key == "adm_load"]
    log = Store().audit_log(1)[0]
    assert (log["action"], log["login"], log["target"]) == ("refused", "test-unit-平城区", "云州区_2026年10月.csv")


def test_a_department_reports_projects_anywhere_under_its_own_name(db, files):
    at = page_test("data", role="unit", unit="市住房和城乡建设局").run()
    upload(at, "住建局_2026年10月.csv", files["云州区_2026年10月.csv"].read_bytes())
    assert not at.error
    assert [b for b in at.button if b.key == "adm_load"]
    assert "市住房和城乡建设局" in " ".join(m.value for m in at.markdown)


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
