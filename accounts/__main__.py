"""python -m accounts add|list|disable|enable|reset-password|audit|demo — manage who may sign in.

    python -m accounts add zhangsan --role unit --unit 平城区 --name 张三 --password-stdin
    python -m accounts add wangwu --role centre            # prints a generated password once
    python -m accounts list [--json]
    python -m accounts disable zhangsan
    python -m accounts reset-password zhangsan [--password-stdin]
    python -m accounts audit [--limit 200] [--login zhangsan] [--json]

The store is COCKPIT_ACCOUNTS (default data/accounts.sqlite beside the warehouse). A password
an administrator sets (add, reset-password) must be changed at the first sign-in.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from accounts import ACTION_LABEL, DEMO, ROLE_LABEL, ROLES, AccountError, Store, create_demo_accounts, generate_password

def _password(args, login: str) -> tuple[str, bool]:
    """The password from stdin (one line), or a generated one (shown once)."""
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise AccountError("标准输入中没有密码")
        return line, False
    return generate_password(), True


def _row(a) -> dict:
    return {"login": a.login, "name": a.name, "role": a.role, "role_label": ROLE_LABEL[a.role], "unit": a.unit,
            "disabled": a.disabled, "must_change": a.must_change, "locked": a.locked(), "created_at": a.created_at}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m accounts", description="驾驶舱账号管理")
    sub = ap.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("add", help="新增账号")
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", help="单位名（县区、开发区或部门），role=unit 时必填")
    add.add_argument("--name", default="", help="姓名")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（否则生成并显示一次）")
    ls = sub.add_parser("list", help="列出账号")
    ls.add_argument("--json", action="store_true")
    for cmd, text in (("disable", "停用账号"), ("enable", "重新启用账号")):
        sub.add_parser(cmd, help=text).add_argument("login")
    reset = sub.add_parser("reset-password", help="重置密码（下次登录须修改）")
    reset.add_argument("login")
    reset.add_argument("--password-stdin", action="store_true")
    audit = sub.add_parser("audit", help="审计日志（新的在前）")
    audit.add_argument("--limit", type=int, default=200)
    audit.add_argument("--login")
    audit.add_argument("--json", action="store_true")
    sub.add_parser("demo", help="还没有账号库时创建示例数据的演示账号并显示")
    args = ap.parse_args(argv)

    store = Store()
    actor = f"命令行:{getpass.getuser()}"
    try:
        if args.cmd == "add":
            password, generated = _password(args, args.login)
            a = store.add(args.login, args.role, password=password, unit=args.unit, name=args.name, by=actor)
            print(f"已新增账号 {a.login}（{ROLE_LABEL[a.role]}{'，' + a.unit if a.unit else ''}），首次登录须修改密码")
            if generated:
                print(f"初始密码（只显示这一次）：{password}")
        elif args.cmd == "list":
            rows = [_row(a) for a in store.list()]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                for r in rows:
                    state = "已停用" if r["disabled"] else "已锁定" if r["locked"] else "待改密码" if r["must_change"] else "正常"
                    print(f"{r['login']}\t{r['role_label']}\t{r['unit'] or '-'}\t{r['name'] or '-'}\t{state}")
        elif args.cmd in ("disable", "enable"):
            a = store.set_disabled(args.login, args.cmd == "disable", by=actor)
            print(f"账号 {a.login} {'已停用' if a.disabled else '已启用'}")
        elif args.cmd == "reset-password":
            password, generated = _password(args, args.login)
            store.reset_password(args.login, password, by=actor)
            print(f"账号 {args.login} 的密码已重置，下次登录须修改")
            if generated:
                print(f"新密码（只显示这一次）：{password}")
        elif args.cmd == "audit":
            rows = store.audit_log(args.limit, login=args.login)
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                for r in rows:
                    print("\t".join([r["at"], r["login"] or "-", r["address"] or "-",
                                     ACTION_LABEL.get(r["action"], r["action"]), r["target"] or "-", r["detail"] or ""]))
        elif args.cmd == "demo":
            made = [] if store.exists() else create_demo_accounts(store)
            if made:
                print("已创建示例账号（仅用于示例数据）：")
                for a in DEMO:
                    print(f"  {ROLE_LABEL[a['role']]}{'（' + a['unit'] + '）' if a['unit'] else ''}："
                          f"账号 {a['login']}  密码 {a['password']}")
    except AccountError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
