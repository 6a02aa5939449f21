"""Text from the data or the URL is never markup: every page, under AppTest over a warehouse
whose names, leaders and problem texts hold markdown links and images, raw HTML, `*`/`_` runs
and `$x$` (tests/hostile.py), shows them as written. Each markdown body (st.markdown, captions,
alerts, titles, widget labels and help, expander and tab titles, radio options) is rendered
with a CommonMark/GFM parser as Streamlit would, and must yield no link, image or element from
the data; plotly figures, pydeck tooltips, folium maps and st.html bodies must hold no raw tag
from the data."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from markdown_it import MarkdownIt

import hostile
from apptest import page_test
from hostile import ANCHOR, CODES, EVIL, IMG, LEADERS, LINK, evil_db, use_evil_db  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
URL_TEXT = f"{LINK}{hostile.IMAGE}{IMG}"
# each page's runs: without a query string, then with URLs that carry data or hostile text
VARIANTS = {
    "dossier": [{"project": c} for c in CODES] + [{"project": URL_TEXT}],
    "leaders": [{"leader": n} for n in LEADERS] + [{"leader": URL_TEXT}],
    "progress": [{"project": CODES[1]}, {"project": URL_TEXT}],
    "map": [{"view": "list"}],
}
MARKDOWN_FIELDS = ("body", "label", "help", "caption")
RAW_FIELDS = ("spec", "json", "json_args", "srcdoc", "tooltip")  # plotly, pydeck, components (folium), iframes
_md = {html: MarkdownIt("gfm-like", {"html": html}) for html in (False, True)}
# a link or image to the hostile host (an own link carrying it URL-encoded in its query is fine)
_LINK_OUT = re.compile(rf'(?:href|src)\s*=\s*"?(?:[a-z]+:)?//[^"/\s>]*{re.escape(EVIL)}', re.I)
_EMPHASIS = re.compile(r"<(strong|em)>(粗|斜)</\1>")


def nodes(node):
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from nodes(child)


def strings(value, key=""):
    """(field name, text) of every string in a proto's dict form."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)
    elif isinstance(value, str):
        yield key, value


def markup_from_data(at) -> list[str]:
    """What in this page run would render a link, image, element or emphasis from the data."""
    found = []
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        kind = proto.DESCRIPTOR.name
        fields = MessageToDict(proto, preserving_proto_field_name=True)
        allow_html = bool(fields.get("allow_html"))
        for key, text in strings(fields):
            if key in MARKDOWN_FIELDS or (kind == "Radio" and key == "options"):
                out = _md[allow_html].render(text)
                why = [w for w, bad in (("link or image", _LINK_OUT.search(out)),
                                        ("element", "<img src=x" in out or "<a href=http://evil" in out),
                                        ("emphasis", _EMPHASIS.search(out)), ("math", "$x$" in text)) if bad]
                if why:
                    at_ = text.find(EVIL) if EVIL in text else text.find("$x$")
                    found.append(f"{kind}.{key} ({', '.join(why)}): {text[max(at_ - 80, 0):at_ + 80]!r}")
            elif key in RAW_FIELDS or (kind == "Html" and key == "body"):
                if IMG in text or ANCHOR in text or "<a href=http://evil" in text or \
                        "\\u003ca href=http://evil" in text or "\\u003cimg src=x" in text:
                    found.append(f"{kind}.{key}: raw tag from the data")
    return found


def run(page: str, params: dict):
    at = page_test(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_no_page_turns_text_from_the_data_or_url_into_markup(use_evil_db, page):
    leaks = []
    for params in [{}] + VARIANTS.get(page, []):
        at = run(page, params)
        leaks += [f"{page}?{params}: {x}" for x in markup_from_data(at)]
    assert not leaks, "\n".join(leaks)


def test_the_scanner_sees_a_leak():
    """The check above can fail: a link, an image, raw HTML and emphasis from the data are found."""
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        from hostile import IMG, LINK, RUNS

        st.markdown(f"项目 {LINK}")
        st.caption(RUNS)
        st.markdown(f"<div>{IMG}</div>", unsafe_allow_html=True)
        st.warning("$x$")
        with st.expander(f"![](http://evil.test/i.png)"):
            st.write("")

    at = AppTest.from_function(page).run()
    assert len(markup_from_data(at)) == 5, markup_from_data(at)


@pytest.mark.parametrize("text, shown", [
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("[a](http://x)", "&#91;a&#93;(http&#58;\u2060//x)"),  # no link, and no bare link once decoded
    ("![](//evil.test/i.png)", "!&#91;&#93;(//evil.test/i.png)"),
    ("2026-10_平城区.xlsx", "2026-10&#95;平城区.xlsx"),
    ("**粗** $x$ ~删~ `码` |表| #题 a\\b", "&#42;&#42;粗&#42;&#42; &#36;x&#36; &#126;删&#126; &#96;码&#96; &#124;表&#124; &#35;题 a&#92;b"),
    ('云州区"管廊"&\'x\'', "云州区&#34;管廊&#34;&amp;&#39;x&#39;"),
    ("见www.evil.test", "见www\u2060.evil.test"),
    (":material/home: :red[红]", "&#58;material/home&#58; &#58;red&#91;红&#93;"),
    ("a\nb\r\nc", "a b  c"),
    (None, ""),
    (564.87, "564.87"),
])
def test_escape(text, shown):
    """ui.format.escape, the one escaping helper: known answers."""
    from ui.format import escape

    assert escape(text) == shown


@pytest.mark.parametrize("allow_html", [False, True])
def test_escaped_text_renders_as_written(allow_html):
    from ui.format import escape

    for payload in hostile.PAYLOADS + (hostile.BARE, hostile.PROBLEM):
        out = _md[allow_html].render(f"<div>{escape(payload)}</div>\n\n{escape(payload)}")
        assert not _LINK_OUT.search(out) and "<img" not in out and "<a" not in out and not _EMPHASIS.search(out)
        assert html.unescape(re.sub(r"<[^>]+>", "", out)).replace("\u2060", "").count(payload) == 2


def test_word_documents_take_the_text_as_written(use_evil_db):
    """Word is not markup: the 项目专报 of the hostile projects holds their names and problems as
    written (no character references), and no hyperlink."""
    import datetime as dt
    import io

    import docx

    from ui.report import render, special

    data = render(special.build(special.load(dt.date(2026, 10, 1), projects=CODES)))
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert all(name in text for name in hostile.NAMES) and hostile.PROBLEM[:20] in text
    assert "&#" not in text and "&lt;" not in text
    assert not [r for r in doc.part.rels.values() if "hyperlink" in r.reltype]
