"""What users must never read on a page: English library strings and raw values that leaked
before (Streamlit's uploader and running indicator, plotly's toolbar, Leaflet's attribution,
「None」/「nan」 in table cells, 「Page not found」, file names and command lines), and how to read
a page's visible text (the page, the text inside its map and chart frames, the cells of its
tables, and the tooltips that show on hover)."""

from __future__ import annotations

import re

# (what, pattern): each found anywhere a user reads is a failure
FORBIDDEN: list[tuple[str, re.Pattern]] = [
    ("空值显示为None", re.compile(r"\bNone\b")),
    ("空值显示为nan/NaN/null", re.compile(r"\b(nan|NaN|null|undefined|NaT)\b")),
    # every state of st.file_uploader a user can reach (streamlit/static: FileUploader, utils):
    # the box, a file dragged over it, a chip refused, failed or uploading, its hover tooltip
    ("上传控件的英文", re.compile(r"\bUpload\b|Drag and drop|per file|or smaller|Browse files|"
                            r"Click to retry|are not allowed|too small|Only one file|Too many files|"
                            r"Unexpected error|Please try again|Add files|Cancel upload|\bError: ")),
    ("plotly工具栏的英文", re.compile(r"Download plot|Autoscale|Zoom in|Zoom out|Reset axes|Pan\b|Box Select|"
                                 r"Produced with Plotly")),
    ("表格和图表工具栏的英文", re.compile(r"Download as CSV|Show/hide columns|Fullscreen|Close fullscreen|\bSearch\b")),
    ("下拉框的英文", re.compile(r"No results|You can only select|Select all")),
    ("Leaflet署名和国旗", re.compile(r"Leaflet|🇺🇦")),
    ("Streamlit的英文提示", re.compile(r"Page not found|Running\.\.\.|\bStop\b|Made with Streamlit|"
                                   r"Deploy|Please wait|Connecting")),
    ("文件名或命令行", re.compile(r"\.toml\b|python -m|\.venv|\bconfig/")),
]

# the visible text of the page and of its frames, the table cells glide-data-grid draws on a
# canvas (its accessibility table holds the same text), and the titles shown on hover
TEXT_JS = """() => {
    const out = [document.body.innerText];
    for (const el of document.querySelectorAll('[title], [data-title], [placeholder]')) {
        for (const a of ['title', 'data-title', 'placeholder']) { if (el.getAttribute(a)) out.push(el.getAttribute(a)); }
    }
    for (const cell of document.querySelectorAll('[data-testid="stDataFrame"] td, [data-testid="stDataFrame"] th')) {
        out.push(cell.textContent);
    }
    return out.join('\\n');
}"""


def visible_text(page) -> str:
    parts = [page.evaluate(TEXT_JS)]
    for frame in page.frames[1:]:
        try:
            parts.append(frame.evaluate(TEXT_JS))
        except Exception:  # noqa: BLE001 - a frame that went away while reading
            pass
    return "\n".join(parts)


def forbidden_in(text: str) -> list[str]:
    found = []
    for what, pattern in FORBIDDEN:
        for m in pattern.finditer(text):
            around = text[max(0, m.start() - 30): m.end() + 30].replace("\n", " ⏎ ")
            found.append(f"{what}: 「{m.group(0)}」 in …{around}…")
    return found
