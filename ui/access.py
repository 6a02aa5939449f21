"""What a signed-in user may change on the 数据管理 page, and the centre's accounts and audit
tabs. Who reads what is decided in queries/scope.py; this is about changes. Every change the
page offers goes through a function here that checks the role itself (a hidden button is not
a check) and records the change, or the refusal as 无权, in the audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import streamlit as st

import queries
from accounts import ACTION_LABEL, ROLE_LABEL, ROLES, Account, AccountError, generate_password
from etl import jurisdiction
from etl.read import sender_name
from queries.scope import EVERYTHING, Scope, for_unit
from ui import admin, auth
from ui.export import table_csv, table_xlsx
from ui.widgets import download_button, show_table


def may_load(user: Account) -> bool:
    """The centre loads for any unit, a unit its own files; leaders change nothing."""
    return user.role in ("centre", "unit")


def may_roll_back(user: Account) -> bool:
    return user.role == "centre"


class Denied(PermissionError):
    """A change the signed-in account may not make (the message is Chinese)."""


def _deny(user: Account, what: str, target: str | None = None) -> None:
    """Record a refused change as 无权 and raise Denied."""
    message = f"{ROLE_LABEL.get(user.role, user.role)}账号无权{what}"
    auth.audit("denied", target=target, detail=message, user=user)
    raise Denied(message)


def check_upload(user: Account, name: str, data: bytes, period: dt.date | None, unit: str | None,
                 today: dt.date, version: float):
    """One uploaded file checked for `user`: the ETL's checks (ui.admin.check_upload), then for a
    unit's account its own rows only (own_rows). Leaders may not load: refused and audited."""
    if not may_load(user):
        _deny(user, "加载数据", name)
    if user.role != "unit":
        return admin.cached_check(name, data, period, unit or None, today, version)
    mine = user.scope
    return _unit_check(name, data, period, user.unit, today, version, mine.kind, mine.value, _state())


def _state() -> str | None:
    from queries import state_name

    try:
        return state_name()
    except Exception:  # noqa: BLE001 - no warehouse yet
        return None


@st.cache_data(max_entries=64, show_spinner="正在检查文件……")
def _unit_check(name: str, data: bytes, period, unit: str, today: dt.date, version: float,
                scope_kind: str, scope_value: str, state: str | None):
    """check_upload and own_rows, remembered per file, choices, unit and warehouse state."""
    checked = admin.check_upload(name, data, period=period, unit=unit, today=today)
    return own_rows(Scope(scope_kind, scope_value), unit, checked, data)


def own_rows(mine: Scope, unit: str, checked, data: bytes):
    """A unit's checked upload: refused when the file names another sender; otherwise the rows
    of other units' projects quarantined with a reason naming both units (etl.jurisdiction),
    and refused when no row of the unit's own is left. A department reports projects anywhere."""
    report = checked.report
    if report is None:
        return checked
    declared = jurisdiction.declared_sender(report, data)
    if declared and declared != sender_name(unit):
        return dataclasses.replace(checked, report=None, error=(
            f"文件「{report.file_name}」的填报单位是「{declared}」，您的账号属于「{unit}」："
            f"只能上传本单位的报表，其他单位的报表请由该单位或推进中心加载"))
    if mine.unit_code is None:
        return checked
    codes = sorted({c for s in report.sheets if "project_code" in s.accepted.columns
                    for c in s.accepted["project_code"].drop_nulls().to_list()})
    try:  # the whole city's projects, to tell whose each row is (never shown)
        known = queries.run("project_units", scope=EVERYTHING, codes=codes) if codes else None
    except FileNotFoundError:
        known = None
    kept = jurisdiction.keep_own(report, mine.unit_code, known)
    moved = jurisdiction.moved_rows(kept)
    if not moved:
        return checked
    if not kept.rows_accepted:
        return dataclasses.replace(checked, report=None, error=(
            f"文件「{report.file_name}」中的{moved}行都是其他单位的项目，不属于{unit}："
            f"只能上传本单位的项目，请由项目所属单位或推进中心加载"))
    kept.warnings.insert(0, f"有{moved}行是其他单位的项目，不属于{unit}，不会导入（见下方未通过检查的行）")
    return dataclasses.replace(checked, report=kept)


def load(user: Account, checked: list):
    """Load the checked files (ui.admin.load) for `user`, recorded in the audit log; a leader's
    account is refused, a unit's only with files checked for it (check_upload)."""
    if not may_load(user):
        _deny(user, "加载数据", "、".join(c.name for c in checked))
    if user.role == "unit":
        for c in checked:
            if c.ok and c.report.sender != sender_name(user.unit or ""):
                _deny(user, f"加载「{c.report.sender}」的报表", c.name)
    good = [c for c in checked if c.ok]
    result = admin.load(checked, user.display_name)
    auth.audit("load", target="、".join(c.name for c in good), user=user,
               detail={"files": [{"file": o.file_name, "status": o.status} for o in result.outcomes]})
    return result


def roll_back(user: Account, state: str, label: str) -> str:
    """Make an earlier state current again: the centre only, recorded in the audit log."""
    if not may_roll_back(user):
        _deny(user, "回退数据", state)
    name = admin.roll_back(state, user.display_name)
    auth.audit("rollback", target=state, detail=label, user=user)
    return name


def may_teach(user: Account) -> bool:
    """Teaching a header changes how every unit's files are read: the centre only."""
    return user.role == "centre"


def teach(user: Account, lessons: list, file_name: str | None = None) -> None:
    """Save taught headers (etl.taught.teach): the centre only, recorded in the audit log."""
    if not may_teach(user):
        _deny(user, "登记表头", file_name)
    admin.taught.teach(lessons, user.display_name, file_name=file_name)
    auth.audit("header_taught", target=file_name, detail=f"{len(lessons):,}个表头", user=user)


def teach_headers(user: Account, c, key: str) -> None:
    """The 教会表头 panel of one checked file, for the centre (nobody else sees it)."""
    if may_teach(user):
        admin.teach_headers(c, key=key, save=lambda lessons: teach(user, lessons, c.name))


# ---------------------------------------------------------------- the centre's tabs

def audit_frame(rows: list[dict]) -> pl.DataFrame:
    """The audit log as a table with Chinese headers, newest first."""
    return pl.DataFrame({
        "时间": [r["at"].replace("T", " ") for r in rows],
        "账号": [r["login"] or "" for r in rows],
        "地址": [r["address"] or "" for r in rows],
        "操作": [ACTION_LABEL.get(r["action"], r["action"]) for r in rows],
        "对象": [r["target"] or "" for r in rows],
        "详情": [r["detail"] or "" for r in rows],
    }, schema={k: pl.String for k in ("时间", "账号", "地址", "操作", "对象", "详情")})


def accounts_frame(accounts: list[Account]) -> pl.DataFrame:
    return pl.DataFrame({
        "账号": [a.login for a in accounts],
        "姓名": [a.name for a in accounts],
        "角色": [ROLE_LABEL[a.role] for a in accounts],
        "所属单位": [a.unit or "" for a in accounts],
        "状态": ["已停用" if a.disabled else "已锁定" if a.locked() else "待修改密码" if a.must_change else "正常"
               for a in accounts],
        "创建时间": [a.created_at.replace("T", " ") for a in accounts],
    }, schema={k: pl.String for k in ("账号", "姓名", "角色", "所属单位", "状态", "创建时间")})


def accounts_tab(user: Account) -> None:
    """新增、停用、重置密码 — the same as `python -m accounts`, for the centre."""
    s = auth.store()
    addr = auth.client_address()
    show_table(accounts_frame(s.list()))
    flash = st.session_state.pop("acc_flash", None)
    if flash:
        st.success(flash)
    left, right = st.columns(2)
    with left.form("acc_add", border=True):
        st.markdown("**新增账号**")
        login = st.text_input("账号", key="acc_login")
        name = st.text_input("姓名", key="acc_name")
        role = st.selectbox("角色", ROLES, format_func=ROLE_LABEL.get, key="acc_role")
        unit = st.text_input("所属单位（县区、开发区或部门，角色为县区/开发区/部门时必填）", key="acc_unit")
        if st.form_submit_button("新增"):
            password = generate_password()
            try:
                s.add(login, role, password=password, unit=unit, name=name, by=user.login, address=addr)
            except AccountError as e:
                st.error(str(e))
            else:
                st.session_state["acc_flash"] = f"已新增账号 {login.strip()}，初始密码（只显示这一次）：{password}；首次登录须修改密码"
                st.rerun()
    with right.form("acc_change", border=True):
        st.markdown("**停用 / 启用 / 重置密码**")
        logins = [a.login for a in s.list() if a.login != user.login]
        target = st.selectbox("账号", logins, key="acc_target")
        action = st.radio("操作", ["reset", "disable", "enable"], horizontal=True, key="acc_action",
                          format_func={"reset": "重置密码", "disable": "停用", "enable": "启用"}.get)
        if st.form_submit_button("执行") and target:
            try:
                if action == "reset":
                    pw = s.reset_password(target, by=user.login, address=addr)
                    st.session_state["acc_flash"] = f"账号 {target} 的新密码（只显示这一次）：{pw}；下次登录须修改"
                else:
                    s.set_disabled(target, action == "disable", by=user.login, address=addr)
                    st.session_state["acc_flash"] = f"账号 {target} 已{'停用' if action == 'disable' else '启用'}"
            except AccountError as e:
                st.error(str(e))
            else:
                st.rerun()


def audit_tab(today: dt.date) -> None:
    rows = auth.store().audit_log(5000)
    table = audit_frame(rows)
    st.caption(f"最近 {table.height} 条记录，最新的在前：登录、登录失败、锁定、退出、加载、拒收、回退、登记表头、无权操作、账号变更和每一次下载（表格、文档、图片、周报包）。"
               "审计日志与账号一起保存，不随数据回退。")
    show_table(table, height=min(38 + 35 * max(table.height, 1), 460))
    c1, c2, _ = st.columns([1, 1, 4])
    name = f"审计日志_{today:%Y-%m-%d}"
    download_button("下载 Excel", lambda: table_xlsx(table, "驾驶舱审计日志", f"导出于{today:%Y-%m-%d}"),
                    file_name=f"{name}.xlsx", key="audit_xlsx", icon=":material/download:", where=c1,
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    download_button("下载 CSV", lambda: table_csv(table), file_name=f"{name}.csv", mime="text/csv",
                    key="audit_csv", icon=":material/download:", where=c2)


def audit_refusals(checked: list) -> None:
    """Record each refused file once per session in the audit log."""
    seen = st.session_state.setdefault("_audited_refusals", set())
    for c in checked:
        if c.report is None and c.sha256 not in seen:
            seen.add(c.sha256)
            auth.audit("refused", target=c.name, detail=c.error)
