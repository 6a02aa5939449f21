"""Several cockpit processes behind nginx (scripts/deploy.sh): requests of one browser stay with
one process (sticky cookie), browsers spread over the processes, and a page, its websocket and
an upload on 数据管理 work through the proxy in headless Chromium."""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

import fixtures
from browser import DESKTOP, SERVERS, PageErrors, error_boxes, open_page, rerun, screenshot, wait_ready

playwright = pytest.importorskip("playwright.sync_api")
ROOT = Path(__file__).resolve().parent.parent
N = 2
# the processes are pinned (scripts/deploy.sh COCKPIT_CPUS): the second core first, so the order shows
CPUS = "1,0" if (os.cpu_count() or 1) >= 2 else "0"


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _ports() -> tuple[int, int]:
    """A proxy port and a base port with N free ports above it."""
    for _ in range(50):
        base = random.randrange(20000, 40000, 10)
        if all(_free(p) for p in range(base, base + N + 2)):
            return base + N + 1, base
    raise RuntimeError("no free ports")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (scripts/deploy.sh installs it with apt)")
    from etl.warehouse import load_files

    work = tmp_path_factory.mktemp("deploy")
    files = {p.name: p for p in fixtures.write_all(work / "files")}
    db = work / "wh" / "cockpit.duckdb"
    assert load_files([files["2025-10_平城区.xlsx"], files["2026-09_平城区.xlsx"]], db=db).ok
    port, base = _ports()
    env = {**os.environ, "COCKPIT_DB": str(db), "COCKPIT_RUN": str(work / "run"), "COCKPIT_BASE_PORT": str(base),
           "COCKPIT_BIND": "127.0.0.1", "COCKPIT_TODAY": "2026-11-27", "COCKPIT_CPUS": CPUS}
    start = subprocess.run(["bash", "scripts/deploy.sh", "start", str(N), str(port)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    try:
        assert start.returncode == 0, start.stdout + start.stderr
        assert f"{N} 个进程" in start.stdout
        # every process signs users in against the same accounts store, beside the warehouse
        SERVERS[f"http://127.0.0.1:{port}"] = Path(env.get("COCKPIT_ACCOUNTS") or db.parent / "accounts.sqlite")
        yield {"url": f"http://127.0.0.1:{port}", "run": work / "run", "files": files}
    finally:
        stop = subprocess.run(["bash", "scripts/deploy.sh", "stop"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
        assert "已停止" in stop.stdout


def test_processes_run_on_the_cores_given(deployed):
    """COCKPIT_CPUS: process i on the i-th core of the list, round robin (by port order)."""
    run = deployed["run"]
    pid_files = sorted(run.glob("streamlit-*.pid"), key=lambda p: int(p.stem.split("-")[1]))
    cores = [sorted(os.sched_getaffinity(int(p.read_text()))) for p in pid_files]
    wanted = CPUS.split(",")
    assert cores == [[int(wanted[i % len(wanted)])] for i in range(N)]


def _upstreams(run: Path) -> list[tuple[str, str]]:
    """(route key, upstream) of every proxied request so far, from nginx's access log."""
    text = (run / "nginx-access.log").read_text(encoding="utf-8")
    return re.findall(r" (127\.0\.0\.1:\d+) route=(\S+)", text)


def test_requests_stick_to_one_process_and_browsers_spread(deployed):
    url = deployed["url"] + "/_stcore/health"
    cookies = []
    for _ in range(16):  # new browsers: each gets a route cookie
        with urllib.request.urlopen(url, timeout=10) as r:
            cookie = next(c for c in r.headers.get_all("Set-Cookie") if c.startswith("cockpit_route="))
        assert "HttpOnly" in cookie
        cookies.append(cookie.split(";")[0])
    for cookie in cookies[:4]:  # a browser with its cookie: no new cookie, always the same process
        for _ in range(3):
            req = urllib.request.Request(url, headers={"Cookie": cookie})
            with urllib.request.urlopen(req, timeout=10) as r:
                assert not [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("cockpit_route=")]
    seen = _upstreams(deployed["run"])
    by_route: dict[str, set[str]] = {}
    for upstream, route in seen:
        by_route.setdefault(route, set()).add(upstream)
    for cookie in cookies[:4]:
        assert len(by_route[cookie.split("=", 1)[1]]) == 1
    assert len({u for u, _ in seen}) == N  # 16 browsers did not all land on one process


def test_pages_and_an_upload_through_the_proxy(deployed, browser):
    files = deployed["files"]
    page = browser.new_page(viewport={**DESKTOP, "height": 2200})
    errors = PageErrors(page)
    open_page(page, deployed["url"] + "/overview", wait_text="数据截至2026年9月30日")
    assert error_boxes(page) == []
    page.goto(deployed["url"] + "/data")
    wait_ready(page, "上传各单位报表")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        [files["2026-10_平城区.xlsx"]])
    page.get_by_text("1 个可以加载").first.wait_for(timeout=90_000)
    wait_ready(page)
    with rerun(page):
        page.get_by_text("我已核对上面的检查结果，确认加载").click()
    page.get_by_role("button", name="加载 1 个文件到驾驶舱").click()
    page.get_by_text("加载完成").first.wait_for(timeout=90_000)
    wait_ready(page)
    body = page.inner_text("body")
    screenshot(page, "deploy_upload_through_proxy")
    boxes = error_boxes(page)
    assert "加载完成：1 个文件已加载" in body and "数据截至2026年10月31日" in body
    assert boxes == [] and errors.external == [] and errors.ours() == []
    # every request of this browser went to one process
    routes: dict[str, set[str]] = {}
    for upstream, route in _upstreams(deployed["run"]):
        routes.setdefault(route, set()).add(upstream)
    assert all(len(u) == 1 for u in routes.values())
