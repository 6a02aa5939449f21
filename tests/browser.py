"""Start the real cockpit server for browser tests and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


SERVERS: dict[str, Path] = {}  # base URL of a running test server -> its accounts store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def cockpit_server(db: Path, port: int | None = None, env: dict[str, str] | None = None):
    """Run the cockpit (scripts/serve.py, as scripts/start.sh does) on the warehouse `db`, with the
    test process's environment and `env` over it; yields the base URL.

    A browser test that only reads the fixture warehouse uses the `fixture_server` fixture
    (tests/conftest.py) instead: one server per test process, shared by every such file."""
    port = port or free_port()
    with socket.socket() as s:  # a server already listening there would be tested instead of ours
        if s.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is already in use")
    env = {**os.environ, **(env or {}), "COCKPIT_DB": str(db)}
    accounts = Path(env.get("COCKPIT_ACCOUNTS") or db.parent / "accounts.sqlite")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read().decode(errors="replace"))
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not start in 60 s")
        SERVERS[url] = accounts
        yield url
    finally:
        SERVERS.pop(url, None)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def open_page(page, url: str, *, role: str = "centre", unit: str | None = None,
              wait_text: str | None = None) -> None:
    """Go to `url` as a signed-in user of `role` (a unit user of `unit`, 平城区 by default) and
    wait until the page has rendered. The first page of a user on a server signs in through the
    real form; later browser contexts of the same user get that session's cookie (while the
    session is alive in the server's store), so a test suite signs in once per user and server.
    Every browser test opens pages through here."""
    ctx = page.context
    who = (role, unit)
    if getattr(ctx, "_cockpit_user", None) != who:
        key = (_base_of(url), role, unit)
        cookies = _SESSIONS.get(key)
        if cookies and _session_alive(key[0], cookies):
            ctx.clear_cookies()
            ctx.add_cookies(cookies)
            page.goto(url)
        else:
            sign_in(page, url, role=role, unit=unit)
            _SESSIONS[key] = [c for c in ctx.cookies() if c["name"] == "cockpit_session"]
        ctx._cockpit_user = who
    else:
        page.goto(url)
    wait_ready(page, wait_text)


_SESSIONS: dict[tuple, list[dict]] = {}  # (server, role, unit) → the session cookie of its first sign-in


def _base_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _session_alive(base: str, cookies: list[dict]) -> bool:
    """Whether the session behind a cookie is still open in the server's accounts store (a test may
    have signed it out, or let it expire)."""
    from accounts.store import Store

    path = SERVERS.get(base)
    if path is None:
        return False
    account, _ = Store(path).resume(cookies[0]["value"])
    return account is not None and not account.must_change


def signed_in_state(browser, url: str, *, role: str = "centre", unit: str | None = None) -> dict:
    """The browser state (the session cookie) of a signed-in user of `role`, for
    `browser.new_context(storage_state=...)`: many contexts of one signed-in user. Signs in
    through the form the first time (open_page)."""
    ctx = browser.new_context(viewport=DESKTOP)
    try:
        open_page(ctx.new_page(), url, role=role, unit=unit)
        return ctx.storage_state()
    finally:
        ctx.close()


def account_for_server(url: str, role: str, unit: str | None = None, login: str | None = None):
    """The test account of `role` (named `login`, if given) in the accounts store of the server
    behind `url`."""
    from apptest import account_for

    base = next((b for b in SERVERS if url.startswith(b)), None)
    old = os.environ.get("COCKPIT_ACCOUNTS")
    if base is not None:
        os.environ["COCKPIT_ACCOUNTS"] = str(SERVERS[base])
    try:
        return account_for(role, unit, login)
    finally:
        if old is None:
            os.environ.pop("COCKPIT_ACCOUNTS", None)
        else:
            os.environ["COCKPIT_ACCOUNTS"] = old


def sign_in(page, url: str, *, role: str = "centre", unit: str | None = None, login: str | None = None,
            password: str | None = None, timeout_ms: int = 90_000) -> None:
    """Open `url`, which shows the sign-in form, and sign in there; waits for the session cookie."""
    from apptest import PASSWORD

    if login is None:
        login = account_for_server(url, role, unit).login
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_label("账号").wait_for(timeout=timeout_ms)
    page.get_by_label("账号").fill(login)
    page.get_by_label("密码").fill(password or PASSWORD)
    page.get_by_role("button", name="登录").click()
    deadline = time.time() + timeout_ms / 1000
    while not any(c["name"] == "cockpit_session" for c in page.context.cookies()):
        if time.time() > deadline:
            raise TimeoutError(f"signing in as {login} did not set the session cookie")
        page.wait_for_timeout(100)


def launch(playwright):
    """A headless Debian Chromium. Tests take the `browser` fixture (tests/conftest.py), one
    Chromium per test process; each test opens its own context, so no cookie is shared."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def warm_up(browser, url: str) -> None:
    """Open a fresh server's root once, signed in: the first page a server runs decides its
    navigation, and the first run pays for the imports and the first queries, so no test's
    timing starts with them."""
    ctx = browser.new_context(viewport=DESKTOP)
    try:
        open_page(ctx.new_page(), url + "/", wait_text="数据截至")
    finally:
        ctx.close()


def wait_ready(page, text: str | None = None, timeout_ms: int = 90_000) -> None:
    """Wait until Streamlit has rendered (`text` visible, if given) and finished running the script."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    if text:
        # the first visible match: a page may hold the same text hidden at this width (周报's 16:9
        # drawing on a phone, its stacked phone version on a desktop)
        page.get_by_text(text).filter(visible=True).first.wait_for(timeout=timeout_ms)
    # the status widget ("Running…") must stay away for a while: the script may start late
    page.wait_for_function(
        """() => {
            const busy = document.querySelector('[data-testid="stStatusWidget"]')
                || document.querySelector('[data-testid="stSkeleton"]');
            const now = Date.now();
            if (busy) { window.__idleSince = null; return false; }
            if (!window.__idleSince) { window.__idleSince = now; }
            return now - window.__idleSince > 1200;
        }""", timeout=timeout_ms, polling=200)


class PageErrors:
    """Console errors and failed requests of a page, minus Streamlit's own base-path probes
    (a page opened at /<page> first asks /<page>/_stcore/health, gets 404, then falls back)."""

    def __init__(self, page):
        self.console: list[str] = []
        self.bad_responses: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: self.bad_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("request", lambda r: self.external.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")) else None)

    def ours(self) -> list[str]:
        probes = [b for b in self.bad_responses if "/_stcore/" in b]
        errors = list(self.console)
        for _ in probes:
            for i, e in enumerate(errors):
                if "Failed to load resource" in e and "404" in e:
                    del errors[i]
                    break
        return errors + [b for b in self.bad_responses if "/_stcore/" not in b]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(out))
    return out


def error_boxes(page) -> list[str]:
    """Texts of Streamlit exception / error boxes on the page."""
    boxes = [e.inner_text() for e in page.query_selector_all(
        "[data-testid='stException'], [data-testid='stAlertContentError']")]
    # Streamlit's modal for an unknown URL path
    boxes += [d.inner_text() for d in page.query_selector_all("[role='dialog']") if "Page not found" in d.inner_text()]
    return boxes
