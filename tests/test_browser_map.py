"""The map, the mobile map and a project file in headless Chromium on a machine without internet:
boundaries and markers are drawn from the cockpit's own files, nothing is fetched from outside,
hostile names show as text, and a file opened from its URL reads at phone size."""

from __future__ import annotations

import pytest

from browser import (DESKTOP, PHONE, PageErrors, cockpit_server, error_boxes, free_port, open_page, rerun,
                     screenshot, tabs_by_size, wait_frame_quiet, wait_ready)
from map_data import HOSTILE, HOSTILE_CODE, hostile_db  # noqa: F401

playwright = pytest.importorskip("playwright.sync_api")

PORT = free_port()  # not a fixed port: another server may be running here
B = "2024-140213-44-01-000002"
BOUNDARY = (82, 96, 109)  # county outline #52606d
CLUSTER = (31, 95, 168)  # cluster disc
RED = (214, 39, 40)


@pytest.fixture(scope="module")
def server(hostile_db):
    with cockpit_server(hostile_db, port=PORT) as url:
        yield url


@pytest.fixture(scope="module")
def phone(browser):
    """One phone tab for this module's phone tests: each loads its page from its address into it."""
    with tabs_by_size(browser, phone={"viewport": PHONE, "device_scale_factor": 2}) as made:
        yield made["phone"]


def _map_frame(page):
    """The st_folium iframe, once Leaflet has drawn into it."""
    page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_selector(".leaflet-container path.cp-county-shape", state="attached", timeout=60_000)
    wait_frame_quiet(frame)
    return frame


# the map's labels (county names, development zones) against each other, the clusters (disc and
# red badge) and the markers, and against the map's edge: [label × what it covers], [what is cut off]
LAYOUT_JS = """() => {
    const root = document.querySelector('.leaflet-container'), edge = root.getBoundingClientRect();
    const box = e => e.getBoundingClientRect();
    const name = e => (e.textContent || '').trim() || 'marker';
    const cover = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
        * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    const labels = [...root.querySelectorAll('.cp-zone, .cp-county')].filter(e => box(e).width > 0);
    const things = [...root.querySelectorAll('.cp-cluster, .cp-cluster-red, path.cp-marker')];
    const cut = e => { const r = box(e); return r.left < edge.left || r.right > edge.right || r.top < edge.top
        || r.bottom > edge.bottom; };
    const overlaps = [];
    labels.forEach((a, i) => {
        for (const b of labels.slice(i + 1).concat(things)) {
            if (cover(box(a), box(b)) > 1) overlaps.push(name(a) + ' × ' + name(b));
        }
    });
    return {labels: labels.length, moved: root.querySelectorAll('.cp-moved').length, overlaps: overlaps,
            cut: labels.concat(things).filter(cut).map(name)};
}"""


def _layout_of(frame) -> dict:
    """Where the labels ended up once the map has settled (they are placed after clusters change)."""
    # placed at least twice (once drawn, and again 0.4 s later: the map's own second pass), then quiet
    frame.wait_for_function("() => (document.querySelector('.leaflet-container').__placed || 0) >= 2", timeout=30_000)
    wait_frame_quiet(frame)
    return frame.evaluate(LAYOUT_JS)


def _near(pixels, colour, tol=12) -> int:
    return sum(1 for p in pixels if all(abs(a - b) <= tol for a, b in zip(p[:3], colour)))


def _pixels(png: bytes):
    from io import BytesIO

    from PIL import Image

    return list(Image.open(BytesIO(png)).convert("RGB").getdata())


def test_dossier_from_its_url_on_a_phone(server, phone):
    # opened straight from its address, as from the QR code
    page = phone
    errors = PageErrors(page)
    open_page(page, f"{server}/dossier?project={B}", wait_text="平城区供热管网改造工程")
    body = page.inner_text("body")
    qr = page.eval_on_selector(".dossier-qr img", "img => [img.src.slice(0, 18), img.getBoundingClientRect().width]")
    overflow = page.evaluate("""() => [...document.querySelectorAll('.dossier-head, .dossier-id, .dossier-months')]
        .map(e => e.getBoundingClientRect().right).filter(r => r > window.innerWidth + 1).length""")
    boxes = error_boxes(page)
    screenshot(page, "dossier_phone")
    errors.stop()
    assert "数据截至2026年10月31日" in body
    assert "李明（市长）" in body and "8.00亿元" in body and "落后序时进度33.3个百分点" in body
    assert "节点计划" in body and "问题清单" in body
    assert qr[0] == "data:image/svg+xml" and 60 <= qr[1] <= 130
    assert overflow == 0
    assert boxes == [] and errors.external == [] and errors.ours() == []


def test_map_offline_with_markers_boundaries_and_escaped_popup(server, browser):
    page = browser.new_page(viewport={**DESKTOP, "height": 1000})
    errors = PageErrors(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, f"{server}/map?period=2026-10")
    wait_ready(page, "重点工程地图")
    frame = _map_frame(page)
    counts = frame.evaluate("""() => ({
        counties: document.querySelectorAll('path.cp-county-shape').length,
        outline: document.querySelectorAll('path.cp-city-outline').length,
        clusters: document.querySelectorAll('.cp-cluster').length,
        markers: document.querySelectorAll('path.cp-marker').length,
        labels: document.querySelectorAll('.cp-county').length,
        zones: document.querySelectorAll('.cp-zone').length,
        tiles: document.querySelectorAll('img.leaflet-tile').length})""")
    iframe = page.query_selector("iframe[title*='st_folium']")
    shot = _pixels(iframe.screenshot())
    layout = _layout_of(frame)
    screenshot(page, "map_desktop")

    # zoom to the city centre: clusters open into red/yellow/green circles; open the hostile popup
    frame.evaluate("() => map_div.setView([40.078, 113.30], 14)")
    wait_frame_quiet(frame)
    near = frame.evaluate("() => document.querySelectorAll('path.cp-marker').length")
    frame.evaluate("""() => map_div.eachLayer(l => {
        if (l.getTooltip && l.getTooltip() && String(l.getTooltip().getContent()).includes('alert(1)')) l.openPopup();
    })""")
    popup = frame.wait_for_selector(".leaflet-popup-content", timeout=10_000)
    popup_text = popup.inner_text()
    link = frame.eval_on_selector(".leaflet-popup-content a.cp-pop-link", "a => [a.getAttribute('href'), a.target]")
    injected = frame.evaluate("() => document.querySelectorAll('.leaflet-popup-content script, .leaflet-popup-content img').length")
    screenshot(page, "map_desktop_popup")
    boxes = error_boxes(page)
    # the popup's link opens the project's file inside the running app, as the page's links do
    page.evaluate("window.__sameApp = true")
    # the page opens inside the app: the map stays on screen (and 项目档案 in the menu) until the
    # server has answered, so wait for the answer and the file's own head holding the project
    with rerun(page):
        frame.click(".leaflet-popup-content a.cp-pop-link")
    page.wait_for_url(f"**/dossier?project={HOSTILE_CODE}", timeout=30_000)
    page.locator(".dossier-head", has_text=HOSTILE).wait_for(timeout=60_000)
    wait_ready(page)
    same_app = page.evaluate("window.__sameApp === true")
    page.close()

    assert counts["counties"] == 10 and counts["outline"] == 1 and counts["labels"] == 10
    assert counts["zones"] == 5
    assert counts["clusters"] + counts["markers"] >= 1
    assert counts["tiles"] == 0  # no base map by default
    # no label covers another, a cluster or a marker, and nothing is cut off at the edge; some
    # had to move for that (平城区's name sat on its cluster)
    assert layout["labels"] == 15 and layout["overlaps"] == [] and layout["cut"] == []
    assert layout["moved"] >= 1
    assert _near(shot, BOUNDARY) > 500, "county boundaries are not visible"
    assert _near(shot, CLUSTER) + _near(shot, RED) > 100, "markers are not visible"
    assert near >= 3
    assert HOSTILE in popup_text and "包联领导" in popup_text and "&lt;" not in popup_text
    assert link == [f"/dossier?project={HOSTILE_CODE}", "_top"]
    assert same_app, "the popup's link loaded the whole app again"
    assert injected == 0 and dialogs == []
    assert boxes == [] and errors.external == [] and errors.ours() == []


def test_mobile_map_on_a_phone(server, phone):
    page = phone
    errors = PageErrors(page)
    open_page(page, f"{server}/mobile", wait_text="掌上地图")
    frame = _map_frame(page)
    iframe_box = page.query_selector("iframe[title*='st_folium']").bounding_box()
    zoom_button = frame.eval_on_selector(".leaflet-control-zoom-in", "a => a.getBoundingClientRect().height")
    layout = _layout_of(frame)
    items = page.eval_on_selector_all("a.mm-item", "as => as.map(a => [a.getAttribute('href'), a.offsetHeight])")
    screenshot(page, "mobile_map_phone")
    # the page opens inside the app: the list (its caption says 项目档案, its first item names the
    # project) stays on screen until the server has answered, so wait for the answer and the
    # file's own head holding the project
    with rerun(page):
        page.click("a.mm-item >> nth=0")
    page.wait_for_url(f"**/dossier?project={B}", timeout=60_000)
    page.locator(".dossier-head", has_text="平城区供热管网改造工程").wait_for(timeout=60_000)
    wait_ready(page)
    opened = page.url
    body = page.inner_text("body")
    errors.stop()
    assert iframe_box["width"] >= PHONE["width"] - 40  # the map fills the width
    assert zoom_button >= 44  # thumb-sized controls
    # the county names clear of the clusters, the east edge (天镇县, 广灵县) inside the phone's map
    assert layout["labels"] == 10 and layout["overlaps"] == [] and layout["cut"] == []
    assert len(items) == 6 and all(h >= 48 for _, h in items)
    assert items[0][0] == f"/dossier?project={B}"  # red first, largest first
    assert opened.endswith(f"/dossier?project={B}")
    assert "平城区供热管网改造工程" in body and "数据截至2026年10月31日" in body
    assert errors.external == [] and errors.ours() == []


def test_key_project_map_fits_a_phone(server, phone):
    """/map on a 390 px phone: the map is as tall as the fitted city needs (its desktop 640 px left
    ~300 px empty under the city), the development-zone labels start off as on the phone map (they
    crowded 平城区's name onto its cluster), and no label covers another, a cluster or a marker."""
    from ui.maps import NARROW_MIN_HEIGHT

    page = phone
    errors = PageErrors(page)
    open_page(page, f"{server}/map?period=2026-10", wait_text="重点工程地图")
    frame = _map_frame(page)
    layout = _layout_of(frame)
    iframe = page.query_selector("iframe[title*='st_folium']").bounding_box()
    # the map, and the city's outline in it: what is left empty above and below the city
    fit = frame.evaluate("""() => {
        const m = document.querySelector('.leaflet-container').getBoundingClientRect();
        const c = document.querySelector('path.cp-city-outline').getBoundingClientRect();
        return {height: m.height, above: c.top - m.top, below: m.bottom - c.bottom,
                zones: document.querySelectorAll('.cp-zone').length};
    }""")
    screenshot(page, "map_phone")
    errors.stop()
    assert NARROW_MIN_HEIGHT <= iframe["height"] < 640 and abs(fit["height"] - iframe["height"]) <= 2, (iframe, fit)
    assert fit["above"] >= 0 and fit["below"] >= 0 and fit["above"] + fit["below"] <= 120, fit
    assert fit["zones"] == 0
    assert layout["labels"] == 10 and layout["overlaps"] == [] and layout["cut"] == []
    assert errors.external == [] and errors.ours() == []
