"""The accounts, sessions and audit log, in one SQLite file apart from the warehouse
(COCKPIT_ACCOUNTS): a roll back of the data never rolls back an account or the audit log.

Passwords are hashed with argon2id (argon2-cffi). After MAX_FAILURES failed sign-ins an
account is locked for LOCK_MINUTES; a client address with ADDRESS_MAX_FAILURES failures in
that time is refused too, whatever account it tries. A password an administrator set must
be changed at the next sign-in. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
import string
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from etl import config
from queries.scope import EVERYTHING, NOTHING, Scope, for_unit

ROLES = ("leader", "centre", "unit")
MAX_FAILURES = 5
LOCK_MINUTES = 15
ADDRESS_MAX_FAILURES = 20
MIN_PASSWORD = 8

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password anyone has")

SCHEMA = """
create table if not exists accounts (
    login text primary key,
    name text not null default '',
    role text not null check (role in ('leader', 'centre', 'unit')),
    unit text,
    password_hash text,
    must_change integer not null default 1,
    disabled integer not null default 0,
    demo_password text,
    failures integer not null default 0,
    locked_until real,
    created_at text not null,
    updated_at text not null
);
create table if not exists sessions (
    token_hash text primary key,
    login text not null references accounts(login),
    address text,
    created_at real not null,
    last_seen real not null
);
create table if not exists audit (
    id integer primary key autoincrement,
    at text not null,
    login text,
    address text,
    action text not null,
    target text,
    detail text
);
create index if not exists audit_address on audit (address, action, at);
"""


def _now() -> float:
    """Seconds since the epoch (tests move the clock by replacing this)."""
    return time.time()


def _stamp(t: float | None = None) -> str:
    return dt.datetime.fromtimestamp(_now() if t is None else t).isoformat(timespec="seconds")


class AccountError(ValueError):
    """A refused account change, with a message for the user (Chinese)."""


@dataclass(frozen=True)
class Account:
    login: str
    name: str
    role: str
    unit: str | None
    must_change: bool
    disabled: bool
    locked_until: float | None = None
    created_at: str = ""

    @property
    def scope(self) -> Scope:
        """Whose projects this account reads: leaders and the centre everything, a unit its own."""
        if self.disabled:
            return NOTHING
        if self.role in ("leader", "centre"):
            return EVERYTHING
        return for_unit(self.unit or "")

    @property
    def display_name(self) -> str:
        return self.name or self.login

    def locked(self, now: float | None = None) -> bool:
        return bool(self.locked_until and self.locked_until > (_now() if now is None else now))


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the account, or a reason shown to the user."""
    account: Account | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.account is not None


def generate_password(length: int = 12) -> str:
    alphabet = [c for c in string.ascii_letters + string.digits if c not in "0O1lI"]
    return "".join(secrets.choice(alphabet) for _ in range(length))


def check_password_rule(login: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少{MIN_PASSWORD}位")
    if password.strip().lower() == login.strip().lower():
        raise AccountError("密码不能与账号相同")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or config.accounts_path())

    # ------------------------------------------------------------------ plumbing
    def _db(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute("pragma journal_mode = wal")
        con.execute("pragma foreign_keys = on")
        con.executescript(SCHEMA)
        return con

    def exists(self) -> bool:
        return self.path.is_file()

    @staticmethod
    def _account(row) -> Account | None:
        if row is None:
            return None
        return Account(login=row["login"], name=row["name"], role=row["role"], unit=row["unit"],
                       must_change=bool(row["must_change"]), disabled=bool(row["disabled"]),
                       locked_until=row["locked_until"], created_at=row["created_at"])

    # ------------------------------------------------------------------ audit
    def audit(self, action: str, *, login: str | None = None, address: str | None = None,
              target: str | None = None, detail=None) -> None:
        """Record who did what, when and from where. `detail` is text or a dict (kept as JSON)."""
        if isinstance(detail, (dict, list)):
            detail = json.dumps(detail, ensure_ascii=False, default=str)
        with closing(self._db()) as con:
            con.execute("insert into audit (at, login, address, action, target, detail) values (?, ?, ?, ?, ?, ?)",
                        (_stamp(), login, address, action, target, detail))

    def audit_log(self, limit: int | None = None, login: str | None = None) -> list[dict]:
        """The audit log, newest first."""
        sql = "select id, at, login, address, action, target, detail from audit"
        args: list = []
        if login:
            sql += " where login = ?"
            args.append(login)
        sql += " order by id desc"
        if limit:
            sql += f" limit {int(limit)}"
        with closing(self._db()) as con:
            return [dict(r) for r in con.execute(sql, args)]

    # ------------------------------------------------------------------ accounts
    def get(self, login: str) -> Account | None:
        with closing(self._db()) as con:
            return self._account(con.execute("select * from accounts where login = ?", (login.strip(),)).fetchone())

    def list(self) -> list[Account]:
        with closing(self._db()) as con:
            rows = con.execute("select * from accounts order by case role when 'centre' then 0 "
                               "when 'leader' then 1 else 2 end, unit, login").fetchall()
        return [self._account(r) for r in rows]

    def add(self, login: str, role: str, *, password: str | None, unit: str | None = None, name: str = "",
            must_change: bool = True, demo: bool = False, by: str | None = None,
            address: str | None = None) -> Account:
        login = (login or "").strip()
        if not login or any(c.isspace() for c in login):
            raise AccountError("账号不能为空，也不能含空格")
        if role not in ROLES:
            raise AccountError(f"角色须为 {' / '.join(ROLES)}")
        unit = (unit or "").strip() or None
        if role == "unit" and not unit:
            raise AccountError("县区/开发区/部门账号须指定所属单位")
        if role != "unit":
            unit = None
        if password is not None:  # None: signs in only through the identity provider
            check_password_rule(login, password)
        now = _stamp()
        with closing(self._db()) as con:
            try:
                con.execute("insert into accounts (login, name, role, unit, password_hash, must_change, demo_password, "
                            "created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (login, (name or "").strip(), role, unit, password and _hasher.hash(password), int(must_change),
                             password if demo else None, now, now))
            except sqlite3.IntegrityError:
                raise AccountError(f"账号「{login}」已存在") from None
        self.audit("account_added", login=by, address=address, target=login,
                   detail={"role": role, "unit": unit, "name": name or ""})
        return self.get(login)

    def _require(self, login: str) -> Account:
        account = self.get(login)
        if account is None:
            raise AccountError(f"没有账号「{login}」")
        return account

    def set_disabled(self, login: str, disabled: bool = True, *, by: str | None = None,
                     address: str | None = None) -> Account:
        self._require(login)
        with closing(self._db()) as con:
            con.execute("update accounts set disabled = ?, updated_at = ? where login = ?",
                        (int(disabled), _stamp(), login))
            if disabled:
                con.execute("delete from sessions where login = ?", (login,))
        self.audit("account_disabled" if disabled else "account_enabled", login=by, address=address, target=login)
        return self.get(login)

    def reset_password(self, login: str, password: str | None = None, *, by: str | None = None,
                       address: str | None = None) -> str:
        """An administrator sets a password (generated when not given): it must be changed at the
        next sign-in; the lock is lifted and open sessions end. Returns the password."""
        account = self._require(login)
        password = password or generate_password()
        check_password_rule(account.login, password)
        self._write_password(login, password, must_change=True)
        self.audit("password_reset", login=by, address=address, target=login)
        return password

    def change_password(self, login: str, old: str, new: str, *, address: str | None = None) -> Account:
        """The user changes his or her own password (knowing the current one)."""
        account = self._require(login)
        if not self._verify(login, old):
            raise AccountError("当前密码不正确")
        check_password_rule(account.login, new)
        if new == old:
            raise AccountError("新密码不能与当前密码相同")
        self._write_password(login, new, must_change=False, keep_sessions=True)
        self.audit("password_changed", login=login, address=address, target=login)
        return self.get(login)

    def _write_password(self, login: str, password: str, *, must_change: bool, keep_sessions: bool = False) -> None:
        with closing(self._db()) as con:
            con.execute("update accounts set password_hash = ?, must_change = ?, demo_password = null, failures = 0, "
                        "locked_until = null, updated_at = ? where login = ?",
                        (_hasher.hash(password), int(must_change), _stamp(), login))
            if not keep_sessions:
                con.execute("delete from sessions where login = ?", (login,))

    def _verify(self, login: str, password: str) -> bool:
        with closing(self._db()) as con:
            row = con.execute("select password_hash from accounts where login = ?", (login,)).fetchone()
        stored = row["password_hash"] if row and row["password_hash"] else None
        try:
            return _hasher.verify(stored or _DUMMY_HASH, password or "") and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def demo_accounts(self) -> list[tuple[Account, str]]:
        """Demo accounts that still have the password they were made with (for the sign-in page)."""
        with closing(self._db()) as con:
            rows = con.execute("select * from accounts where demo_password is not null and disabled = 0 "
                               "order by case role when 'leader' then 0 when 'centre' then 1 else 2 end").fetchall()
        return [(self._account(r), r["demo_password"]) for r in rows]

    # ------------------------------------------------------------------ signing in
    def _address_failures(self, address: str | None) -> int:
        if not address:
            return 0
        since = _stamp(_now() - LOCK_MINUTES * 60)
        with closing(self._db()) as con:
            return con.execute("select count(*) from audit where address = ? and action = 'login_failed' and at >= ?",
                               (address, since)).fetchone()[0]

    def sign_in(self, login: str, password: str, address: str | None = None) -> SignIn:
        """Check a login and password; counts failures, locks, and records every attempt."""
        login = (login or "").strip()
        if self._address_failures(address) >= ADDRESS_MAX_FAILURES:
            self.audit("login_throttled", login=login or None, address=address)
            return SignIn(None, f"该地址登录失败次数过多，请{LOCK_MINUTES}分钟后再试")
        account = self.get(login) if login else None
        if account is not None and account.locked():
            self.audit("login_failed", login=login, address=address, detail="账号已锁定")
            until = dt.datetime.fromtimestamp(account.locked_until).strftime("%H:%M")
            return SignIn(None, f"密码错误次数过多，账号已锁定，请于{until}后再试")
        ok = self._verify(login, password) if account is not None else self._verify("", password)
        if account is None or not ok:
            self.audit("login_failed", login=login or None, address=address,
                       detail="账号不存在" if account is None else "密码错误")
            if account is not None:
                self._count_failure(account, address)
            return SignIn(None, "账号或密码不正确")
        account = self.get(login)  # again: another attempt may have locked it while this one was checked
        if account.locked():
            self.audit("login_failed", login=login, address=address, detail="账号已锁定")
            return SignIn(None, "密码错误次数过多，账号已锁定，请稍后再试")
        if account.disabled:
            self.audit("login_failed", login=login, address=address, detail="账号已停用")
            return SignIn(None, "该账号已停用，请联系推进中心")
        with closing(self._db()) as con:
            con.execute("update accounts set failures = 0, locked_until = null where login = ?", (login,))
        self.audit("login", login=login, address=address)
        return SignIn(self.get(login))

    def _count_failure(self, account: Account, address: str | None) -> None:
        with closing(self._db()) as con:
            failures = con.execute("update accounts set failures = failures + 1 where login = ? returning failures",
                                   (account.login,)).fetchone()[0]
            if failures >= MAX_FAILURES:
                con.execute("update accounts set failures = 0, locked_until = ? where login = ?",
                            (_now() + LOCK_MINUTES * 60, account.login))
        if failures >= MAX_FAILURES:
            self.audit("lockout", login=account.login, address=address, detail=f"连续{failures}次密码错误，锁定{LOCK_MINUTES}分钟")

    # ------------------------------------------------------------------ sessions
    def open_session(self, login: str, address: str | None = None) -> str:
        token = secrets.token_urlsafe(32)
        now = _now()
        with closing(self._db()) as con:
            con.execute("insert into sessions (token_hash, login, address, created_at, last_seen) values (?, ?, ?, ?, ?)",
                        (_token_hash(token), login, address, now, now))
        return token

    def resume(self, token: str | None, idle_hours: float | None = None) -> tuple[Account | None, str]:
        """The account of a session token, touching it; (None, reason) when it is unknown, ended,
        idle longer than `idle_hours` (the session is then closed and recorded) or disabled."""
        if not token or not isinstance(token, str):
            return None, "none"
        idle = (config.session_idle_hours() if idle_hours is None else idle_hours) * 3600
        now = _now()
        with closing(self._db()) as con:
            row = con.execute("select login, last_seen, address from sessions where token_hash = ?",
                              (_token_hash(token),)).fetchone()
            if row is None:
                return None, "unknown"
            if now - row["last_seen"] > idle:
                con.execute("delete from sessions where token_hash = ?", (_token_hash(token),))
                expired = row
            else:
                expired = None
                if now - row["last_seen"] > min(30, idle / 4):  # touched now and then, not on every run
                    con.execute("update sessions set last_seen = ? where token_hash = ?", (now, _token_hash(token)))
        if expired is not None:
            self.audit("session_expired", login=expired["login"], address=expired["address"])
            return None, "expired"
        account = self.get(row["login"])
        if account is None or account.disabled:
            return None, "disabled"
        return account, "ok"

    def close_session(self, token: str | None, address: str | None = None) -> None:
        if not token:
            return
        with closing(self._db()) as con:
            row = con.execute("delete from sessions where token_hash = ? returning login", (_token_hash(token),)).fetchone()
        if row is not None:
            self.audit("logout", login=row["login"], address=address)
