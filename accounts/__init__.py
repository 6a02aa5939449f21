"""Accounts, roles and the audit log (see accounts/store.py); `python -m accounts` manages them."""

from accounts.store import (ROLES, Account, AccountError, SignIn, Store, generate_password)  # noqa: F401

ROLE_LABEL = {"leader": "市领导", "centre": "推进中心", "unit": "县区/开发区/部门"}
ACTION_LABEL = {
    "login": "登录", "login_failed": "登录失败", "login_throttled": "登录受限", "lockout": "账号锁定",
    "logout": "退出登录", "session_expired": "会话过期", "password_changed": "修改密码",
    "password_reset": "重置密码", "account_added": "新增账号", "account_disabled": "停用账号",
    "account_enabled": "启用账号", "load": "导入数据", "refused": "拒收文件", "rollback": "回退数据",
    "header_taught": "登记表头", "download": "下载", "denied": "无权",
}

# demo accounts for the sample programme (scripts/start.sh makes them when no accounts exist)
DEMO = [
    {"login": "leader", "role": "leader", "name": "夏哲", "unit": None, "password": "demo-leader"},
    {"login": "centre", "role": "centre", "name": "推进中心", "unit": None, "password": "demo-centre"},
    {"login": "pingcheng", "role": "unit", "name": "平城区发改局", "unit": "平城区", "password": "demo-pingcheng"},
]


def create_demo_accounts(store: Store | None = None) -> list[dict]:
    """Make the demo accounts when the store has no account at all; returns those made."""
    store = store or Store()
    if store.list():
        return []
    for a in DEMO:
        store.add(a["login"], a["role"], password=a["password"], unit=a["unit"], name=a["name"],
                  must_change=False, demo=True, by="示例数据")
    return DEMO
