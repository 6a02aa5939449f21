"""Paths and settings in one place; each can be overridden by an environment variable."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def db_path() -> Path:
    """The warehouse file (COCKPIT_DB), always a complete DuckDB file of the current state."""
    return Path(os.environ.get("COCKPIT_DB", ROOT / "data" / "cockpit.duckdb"))


def states_dir(db: Path | None = None) -> Path:
    """Where every published warehouse state is kept (for readers and roll back)."""
    db = db or db_path()
    return Path(os.environ.get("COCKPIT_STATES", db.parent / "states"))


def sample_dir() -> Path:
    return Path(os.environ.get("COCKPIT_SAMPLE", ROOT / "data" / "sample"))


def max_project_amount_wan() -> float:
    """The largest amount one project may carry in any amount column, in 万元
    (COCKPIT_MAX_PROJECT_YI, in 亿元, default 10000): above it a row is quarantined."""
    return float(os.environ.get("COCKPIT_MAX_PROJECT_YI", "10000")) * 10000


def keep_states() -> int:
    """How many earlier warehouse states are kept for roll back."""
    return int(os.environ.get("COCKPIT_KEEP_STATES", "30"))


def max_upload_mb() -> int:
    return int(os.environ.get("COCKPIT_MAX_UPLOAD_MB", "20"))


def max_unpacked_mb() -> int:
    """An xlsx that unpacks to more than this is refused before it is read (etl.guard)."""
    return int(os.environ.get("COCKPIT_MAX_UNPACKED_MB", "100"))


def max_sheet_rows() -> int:
    """A sheet with more rows than this is refused before it is read (etl.guard)."""
    return int(os.environ.get("COCKPIT_MAX_SHEET_ROWS", "50000"))


def max_sheet_cols() -> int:
    """A sheet with more columns than this is refused before it is read (etl.guard)."""
    return int(os.environ.get("COCKPIT_MAX_SHEET_COLS", "200"))


def read_workers_from_mb() -> float:
    """A load of at least this many MB of files reads them in worker processes, a smaller one in
    its own process (etl.warehouse: starting a worker costs more than it saves on a few MB)."""
    return float(os.environ.get("COCKPIT_READ_WORKERS_FROM_MB", "8"))


def report_deadline_day() -> int:
    """Day of the following month by which a month's report is due (5 → 2026-10 due 2026-11-05)."""
    return int(os.environ.get("COCKPIT_REPORT_DAY", "5"))


def expected_sender_months() -> int:
    """A sender seen within this many months before a period is expected to report for it."""
    return int(os.environ.get("COCKPIT_EXPECTED_MONTHS", "3"))


def today() -> dt.date:
    """Today, for report deadlines (COCKPIT_TODAY=2026-11-27 fixes it for tests and screenshots)."""
    fixed = os.environ.get("COCKPIT_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def accounts_path() -> Path:
    """The accounts and audit store (COCKPIT_ACCOUNTS), kept apart from the warehouse so that a
    roll back of the data never rolls back an account, a password or the audit log."""
    return Path(os.environ.get("COCKPIT_ACCOUNTS", db_path().parent / "accounts.sqlite"))


def auth_mode() -> str:
    """How users sign in (COCKPIT_AUTH): `builtin` accounts (default) or `oidc` (st.login)."""
    mode = os.environ.get("COCKPIT_AUTH", "builtin").strip().lower()
    return mode if mode in ("builtin", "oidc") else "builtin"


def session_idle_hours() -> float:
    """A session ends after this many hours without use (COCKPIT_SESSION_IDLE_HOURS, 8)."""
    return float(os.environ.get("COCKPIT_SESSION_IDLE_HOURS", "8"))


def trusted_proxies() -> frozenset[str]:
    """Addresses of the reverse proxies whose X-Forwarded-For names the client
    (COCKPIT_TRUSTED_PROXIES, comma list; none by default; scripts/deploy.sh sets 127.0.0.1)."""
    return frozenset(a.strip() for a in os.environ.get("COCKPIT_TRUSTED_PROXIES", "").split(",") if a.strip())


def warm_renderer() -> bool:
    """COCKPIT_WARM_RENDERER=0 leaves kaleido's browser to start with the first 周报 drawn instead
    of with the server (on by default: the first reader does not wait for it)."""
    return os.environ.get("COCKPIT_WARM_RENDERER", "1").strip().lower() not in ("0", "false", "no", "off")


def demo_mode() -> bool | None:
    """COCKPIT_DEMO=1 shows the demo accounts on the sign-in page, 0 never; unset: shown while
    the accounts store holds the demo accounts start.sh made for the sample programme."""
    raw = os.environ.get("COCKPIT_DEMO")
    return None if raw is None or raw.strip() == "" else raw.strip().lower() in ("1", "true", "yes", "on")
