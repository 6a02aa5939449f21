"""What a signed-in user may change on the 数据管理 page, and the centre's accounts and audit
tabs. Who reads what is decided in queries/scope.py; this is about changes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import streamlit as st

from accounts import ACTION_LABEL, ROLE_LABEL, ROLES, Account, AccountError, generate_password
from etl.divisions import UNIT_NAME
from queries.scope import for_unit
from ui import auth
from ui.export import table_csv, table_xlsx
from ui.widgets import show_table


def may_load(user: Account) -> bool:
    """The centre loads for any unit, a unit its own files; leaders change nothing."""
    return user.role in ("centre", "unit")


def may_roll_back(user: Account) -> bool:
    return user.role == "centre"


def upload_refusal(user: Account, report) -> str | None:
    """Why a unit's account may not load this file (None: it may). The file's sender must be
    the unit, and a county's or zone's file may hold only its own projects."""
    if user.role != "unit":
        return None
    mine = user.scope
    if for_unit(report.sender) != mine:
        return f"该文件的填报单位是「{report.sender}」，您的账号属于「{user.unit}」，只能上传本单位的报表"
    if mine.unit_code is None:  # a department reports projects anywhere in the city
        return None
    for sheet in report.sheets:
        df = sheet.accepted
        if "county_code" not in df.columns:
            continue
        unit_col = pl.coalesce(pl.col("zone_code"), pl.col("county_code")) if "zone_code" in df.columns \
            else pl.col("county_code")
        other = df.filter(unit_col.is_not_null() & (unit_col != mine.unit_code))
        if other.height:
            r = other.row(0, named=True)
            code = r.get("zone_code") or r["county_code"]
            return (f"第{r['source_row']}行项目「{r['name']}」属于{UNIT_NAME.get(code, code)}，不属于{user.unit}"
                    f"（共{other.height}行属于其他单位）：只能上传本单位的项目，请删去这些行或由推进中心加载")
    return None


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
    st.caption(f"最近 {table.height} 条记录，最新的在前：登录、登录失败、锁定、退出、加载、拒收、回退、账号变更和表格下载。"
               "审计日志与账号一起保存，不随数据回退。")
    show_table(table, height=min(38 + 35 * max(table.height, 1), 460))
    c1, c2, _ = st.columns([1, 1, 4])
    name = f"审计日志_{today:%Y-%m-%d}"
    c1.download_button("下载 Excel", lambda: table_xlsx(table, "驾驶舱审计日志", f"导出于{today:%Y-%m-%d}"),
                       file_name=f"{name}.xlsx", key="audit_xlsx", icon=":material/download:", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button("下载 CSV", lambda: table_csv(table), file_name=f"{name}.csv", mime="text/csv",
                       key="audit_csv", icon=":material/download:", on_click="ignore")


def refuse_others(user: Account, checked):
    """A checked upload, refused when a unit's account may not load it (see upload_refusal)."""
    if checked.report is None:
        return checked
    why = upload_refusal(user, checked.report)
    return checked if why is None else dataclasses.replace(checked, report=None, error=why)


def audit_refusals(checked: list) -> None:
    """Record each refused file once per session in the audit log."""
    seen = st.session_state.setdefault("_audited_refusals", set())
    for c in checked:
        if c.report is None and c.sha256 not in seen:
            seen.add(c.sha256)
            auth.audit("refused", target=c.name, detail=c.error)
