"""Every page runs on the fixture warehouse without an exception (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest import page_test

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(fixture_db, page):
    at = page_test(page).run()
    assert not at.exception, [e.value for e in at.exception]
    # every page shows the data date
    texts = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "数据截至" in texts


def test_app_frame_runs(fixture_db):
    at = page_test("app").run()
    assert not at.exception
    assert at.title[0].value.endswith("项目建设总览")


def test_every_url_path_is_its_file_name():
    """A deep link on a freshly started server is first routed by Streamlit's old-style
    pages/ router, by file name: a url_path that is not the file's name opened the overview
    with a 「Page not found」 dialog (ui/__init__.py explains the rest)."""
    import re

    app = (ROOT / "app.py").read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\("pages/([a-z_]+)\.py".*?url_path="([a-z_]+)"', app)
    assert len(pages) == len(PAGES)
    assert all(stem == url for stem, url in pages), pages
