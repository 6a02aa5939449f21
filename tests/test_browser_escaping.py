"""In the browser, text from the data and the URL stays text on every page: over the hostile
warehouse (tests/hostile.py) no request goes to its host and no link to it exists, in the page
or in any frame (the maps)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from browser import DESKTOP, cockpit_server, error_boxes, open_page, wait_frames_drawn
from hostile import CODES, EVIL, LEADERS, LINK, evil_db  # noqa: F401

playwright = pytest.importorskip("playwright.sync_api")

URLS = ["/overview", f"/progress?project={CODES[1]}", "/league", "/leaders", f"/leaders?leader={quote(LEADERS[0])}",
        "/map", "/mobile", f"/dossier?project={CODES[0]}", f"/dossier?project={quote(LINK + '![](http://evil.test/i.png)')}",
        "/problems", "/approvals", "/briefing"]


# links and images to the hostile host (the cockpit's own links may carry its name URL-encoded
# in their query, as /problems?leader=… does for a leader named so: those stay on the cockpit)
TO_EVIL = f"""() => [...document.querySelectorAll('a[href*="{EVIL}"], img[src*="{EVIL}"]')]
    .filter(e => {{ try {{ return new URL(e.href || e.src).hostname.includes('{EVIL}'); }}
                   catch (err) {{ return true; }} }}).length"""


@pytest.fixture(scope="module")
def server(evil_db):
    with cockpit_server(evil_db) as url:
        yield url


def test_no_page_links_to_or_fetches_from_the_data(server, browser):
    page = browser.new_page(viewport=DESKTOP)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if EVIL in (urlsplit(r.url).hostname or "") else None)
    found = {}
    for path in URLS:
        open_page(page, server + path)
        wait_frames_drawn(page)  # iframes (the maps) draw after the script ends
        links = sum(f.evaluate(TO_EVIL) for f in page.frames)
        boxes = error_boxes(page)
        if links or boxes:
            found[path] = (links, boxes)
    assert not fetched, fetched
    assert not found, found
