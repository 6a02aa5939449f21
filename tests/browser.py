"""Start the real cockpit server for browser tests and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
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
LOGS: dict[str, Path] = {}  # base URL of a running test server -> the file its output goes to


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
    # the server's output goes to a file, never to a pipe nobody reads: a full pipe would stop the
    # server at its next log line, and the test would wait for a page that never comes
    log = Path(tempfile.mkdtemp(prefix="cockpit-server-")) / "server.log"
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(server_log(log))
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not start in 60 s\n" + server_log(log))
        SERVERS[url], LOGS[url] = accounts, log
        yield url
    finally:
        SERVERS.pop(url, None)
        LOGS.pop(url, None)
        stop(proc, 10)
        out.close()
        shutil.rmtree(log.parent, ignore_errors=True)


def stop(proc: subprocess.Popen, timeout: float) -> None:
    """End a server process: asked to stop, killed if it has not within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def server_log(log: Path, tail: int = 4000) -> str:
    """The last characters a test server printed."""
    try:
        return log.read_bytes()[-tail:].decode(errors="replace")
    except OSError:
        return ""


def open_page(page, url: str, *, role: str = "centre", unit: str | None = None,
              wait_text: str | None = None) -> None:
    """Go to `url` as a signed-in user of `role` (a unit user of `unit`, 平城区 by default) and
    wait until the page has rendered. On a test server the user's session is opened in the
    server's accounts store, as the sign-in form would, and its cookie given to the browser (the
    form itself is tested in tests/test_browser_accounts.py); behind a proxy the page signs in
    through the form. Later browser contexts of the same user share that session while it is
    alive. Every browser test opens pages through here."""
    ctx = page.context
    who = (role, unit)
    if getattr(ctx, "_cockpit_user", None) != who:
        key = (_base_of(url), role, unit)
        cookies = _SESSIONS.get(key)
        if not (cookies and _session_alive(key[0], cookies)):
            cookies = _new_session(key[0], role, unit)
        if cookies:
            ctx.clear_cookies()
            ctx.add_cookies(cookies)
            page.goto(url)
        else:
            sign_in(page, url, role=role, unit=unit)
            cookies = [c for c in ctx.cookies() if c["name"] == "cockpit_session"]
        _SESSIONS[key] = cookies
        ctx._cockpit_user = who
    else:
        page.goto(url)
    wait_ready(page, wait_text)


_SESSIONS: dict[tuple, list[dict]] = {}  # (server, role, unit) → the session cookie of its first sign-in


def _base_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _new_session(base: str, role: str, unit: str | None) -> list[dict] | None:
    """The cookie of a new session of the test account of `role` on the test server at `base`
    (None when `base` is not one of ours, e.g. a proxy in front of it)."""
    from accounts.store import Store

    path = SERVERS.get(base)
    if path is None:
        return None
    token = Store(path).open_session(account_for_server(base, role, unit).login, "127.0.0.1")
    return [{"name": "cockpit_session", "value": token, "url": base + "/", "sameSite": "Strict"}]


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
    `browser.new_context(storage_state=...)`: many contexts of one signed-in user. On a test
    server the session is opened in its store, with no page shown; otherwise through the form."""
    cookies = _new_session(_base_of(url), role, unit)
    if cookies:
        ctx = browser.new_context()
        try:
            ctx.add_cookies(cookies)
            return ctx.storage_state()
        finally:
            ctx.close()
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


def sign_in(page, url: str | None, *, role: str = "centre", unit: str | None = None, login: str | None = None,
            password: str | None = None, timeout_ms: int = 90_000) -> None:
    """Open `url`, which shows the sign-in form, and sign in there; waits for the session cookie.
    With `url` None the form the page already shows is used, as a user would (no second load)."""
    from apptest import PASSWORD

    if login is None:
        login = account_for_server(url or page.url, role, unit).login
    if url is not None:
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
    Chromium per test process; each test opens its own context, so no cookie is shared. Every
    page of its contexts counts the messages its server sends (see `rerun`)."""
    return _CountingBrowser(playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS))


# Every message a page receives from its server over Streamlit's WebSocket is counted in
# window.__serverMessages (from the page's first script on, before Streamlit opens its socket):
# after a click, a new message says the server has answered it, so a wait after an action starts
# from the action's effect, not from the page as it was.
COUNT_MESSAGES_JS = """(() => {
    if (window.__serverMessages !== undefined) { return; }
    window.__serverMessages = 0;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', () => { window.__serverMessages += 1; });
        }
    };
})();"""


class _CountingBrowser:
    """A Playwright browser whose new contexts and pages count their server's messages."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        ctx = self._browser.new_context(**kwargs)
        ctx.add_init_script(COUNT_MESSAGES_JS)
        return ctx

    def new_page(self, **kwargs):
        page = self._browser.new_page(**kwargs)
        page.add_init_script(COUNT_MESSAGES_JS)
        return page


@contextlib.contextmanager
def tabs_by_size(browser, **screens: dict):
    """One tab per screen (name=viewport, or name=the browser context's options when it is more
    than a viewport), each in a browser context of its own, as one user's browser would be: pages
    loaded from their address one after the other into the same tab keep the app's scripts cached
    and compiled (a new tab evaluates them anew, about 1.5 s of its main thread each). For a
    module's tests that each load pages and read them; a test records its page's errors with a
    PageErrors of its own and stops it at its end."""
    made = {name: browser.new_context(**(screen if "width" not in screen else {"viewport": screen}))
            for name, screen in screens.items()}
    try:
        yield {name: ctx.new_page() for name, ctx in made.items()}
    finally:
        for ctx in made.values():
            ctx.close()


def server_messages(page) -> list:
    """Where the page's document stands: its start (performance.timeOrigin) and how many messages
    it has received from its server so far; `answered(page, mark)` waits for a change from it."""
    return page.evaluate("[performance.timeOrigin, window.__serverMessages || 0]")


# a new message since `mark`, or another document altogether (a full load starts its count again)
ANSWERED_JS = "([origin, n]) => performance.timeOrigin !== origin || (window.__serverMessages || 0) > n"


def answered(page, mark: list, timeout_ms: int = 60_000) -> None:
    """Wait until the server has sent the page something since `mark` (`server_messages`)."""
    page.wait_for_function(ANSWERED_JS, arg=mark, timeout=timeout_ms, polling=50)


@contextlib.contextmanager
def rerun(page, text: str | None = None, timeout_ms: int = 90_000):
    """`with rerun(page): <an action>`: the action makes the server run the page again (a click,
    a choice, an in-app link); afterwards wait until the server has answered it and the page is
    ready again (`text` visible, if given). Without this a wait could pass on the page as it was
    before the action, which is still on screen until the answer arrives."""
    mark = server_messages(page)
    yield
    try:
        answered(page, mark, timeout_ms)
    except Exception as e:
        if type(e).__name__ != "TimeoutError":
            raise
        raise AssertionError(f"the server never answered the action at {page.url}\n{_what_was_seen(page)}") from None
    wait_ready(page, text, timeout_ms)


def warm_up(browser, url: str, wait_text: str = "数据截至") -> None:
    """Open a page of a fresh server once (its root by default), signed in: the first page a
    server runs decides its navigation, and the first run pays for the imports and the first
    queries, so no test's timing starts with them."""
    ctx = browser.new_context(viewport=DESKTOP)
    try:
        open_page(ctx.new_page(), url if urllib.parse.urlsplit(url).path else url + "/", wait_text=wait_text)
    finally:
        ctx.close()


# The app has finished running its script: Streamlit's own run state on the app element (as its
# end-to-end tests read it) says so, the connection is up, and no status widget or skeleton shows;
# held for a short while, since a script may ask for a rerun (or the page reload) as it ends.
IDLE_MS = 400
# Each wait counts its own quiet time (`call`: a number of its own): one left from an earlier wait
# on the same document would let a wait after a click pass at once, before the click's rerun began.
IDLE_JS = """(call) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const busy = !app || app.getAttribute('data-test-script-state') !== 'notRunning'
        || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
        || document.querySelector('[data-testid="stStatusWidget"]')
        || document.querySelector('[data-testid="stSkeleton"]');
    const now = Date.now();
    if (!window.__idle || window.__idle.call !== call) { window.__idle = {call: call, since: null}; }
    if (busy) { window.__idle.since = null; return false; }
    if (!window.__idle.since) { window.__idle.since = now; }
    return now - window.__idle.since > %d;
}""" % IDLE_MS
_IDLE_CALLS = itertools.count(1)


def wait_ready(page, text: str | None = None, timeout_ms: int = 90_000) -> None:
    """Wait until Streamlit has rendered (`text` visible, if given) and finished running the script.
    On a timeout the error says what the page showed and what its server printed last."""
    try:
        page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
        if text:
            # the first visible match: a page may hold the same text hidden at this width (周报's
            # 16:9 drawing on a phone, its stacked phone version on a desktop)
            page.get_by_text(text).filter(visible=True).first.wait_for(timeout=timeout_ms)
        page.wait_for_function(IDLE_JS, arg=next(_IDLE_CALLS), timeout=timeout_ms, polling=100)
    except Exception as e:
        if type(e).__name__ != "TimeoutError":
            raise
        message = f"waiting for {text!r} at {page.url}: {e}\n{_what_was_seen(page)}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with (ARTIFACTS / "wait_failures.txt").open("a", encoding="utf-8") as fh:  # kept past the run's output
            fh.write(f"{time.strftime('%H:%M:%S')} {message}\n\n")
        raise AssertionError(message) from None


# A frame has drawn: its document has loaded, has content, and nothing in it has changed for a
# while (the maps' iframes draw after the page's script has ended, from data posted to them).
FRAME_QUIET_JS = """(ms) => {
    if (document.readyState !== 'complete' || !document.body || !document.body.childElementCount) {
        return false;
    }
    if (!window.__quiet) {
        window.__quiet = {last: Date.now()};
        new MutationObserver(() => { window.__quiet.last = Date.now(); }).observe(
            document, {subtree: true, childList: true, attributes: true, characterData: true});
    }
    return Date.now() - window.__quiet.last > ms;
}"""


def wait_frames_drawn(page, quiet_ms: int = 300, timeout_ms: int = 60_000) -> None:
    """Wait until every frame of a rendered page (the maps' iframes) has drawn: instead of a fixed
    pause after `wait_ready`, so a page without frames costs nothing. A Leaflet map's frame also
    waits for its map to show."""
    for frame in page.frames:
        if frame is page.main_frame:
            continue
        if "streamlit_folium" in frame.url:
            frame.wait_for_selector(".leaflet-container", state="attached", timeout=timeout_ms)
        wait_frame_quiet(frame, quiet_ms, timeout_ms)


def wait_frame_quiet(frame, quiet_ms: int = 300, timeout_ms: int = 60_000) -> None:
    """Wait until a frame has loaded and nothing in it has changed for `quiet_ms` (a map that has
    finished moving, its labels placed)."""
    frame.wait_for_function(FRAME_QUIET_JS, arg=quiet_ms, timeout=timeout_ms, polling=100)


def _what_was_seen(page) -> str:
    try:
        body = page.inner_text("body", timeout=5_000)[:1500]
    except Exception as e:  # noqa: BLE001 - the page itself may be gone
        body = f"(no page text: {e})"
    log = LOGS.get(_base_of(page.url))
    return f"--- the page showed:\n{body}\n--- its server printed last:\n{server_log(log) if log else '(not a test server)'}"


class PageErrors:
    """Console errors and failed requests of a page, minus Streamlit's own base-path probes
    (a page opened at /<page> first asks /<page>/_stcore/health, gets 404, then falls back)."""

    def __init__(self, page):
        self.console: list[str] = []
        self.bad_responses: list[str] = []
        self.external: list[str] = []
        self._page = page
        self._handlers = {
            "console": lambda m: self.console.append(m.text) if m.type == "error" else None,
            "response": lambda r: self.bad_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            "request": lambda r: self.external.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")) else None,
        }
        for event, handler in self._handlers.items():
            page.on(event, handler)

    def stop(self) -> None:
        """Stop recording (a tab kept for the next test records that test's errors anew)."""
        for event, handler in self._handlers.items():
            self._page.remove_listener(event, handler)

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
