"""The documents the centre sends, as editable Word files: the quarterly analysis (季度分析),
the ranking notice (排队通报, also one per county) and the leaders' project briefing (项目专报).

Each document is first a `Report`: its title page and a list of blocks (headings, paragraphs
drafted from the data by fixed rules, tables, charts), built by pure functions from query
results (`quarterly.build`, `notice.build`, `special.build`). `to_document(report, images)`
lays a Report out as a python-docx Document in the government-document look of `word.py`;
`render(report)` draws its charts (kaleido, one batch) and returns the .docx bytes.

Every paragraph is a `ui.summary.Sentence`: its text and the figures (`Fact`) it shows, with
the query column each came from, so a test checks that each number in the text is the
warehouse's. No streamlit here.

Command line (reads COCKPIT_DB):

    python -m ui.report quarterly --quarter 2026Q3 --out DIR
    python -m ui.report notice    --period 2026-10 --out DIR [--units]
    python -m ui.report special   --period 2026-10 --out DIR [--project CODE ...] [--leader NAME]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from ui.summary import Fact, Sentence

Runner = Callable[..., pl.DataFrame]
ORGANISATION = "大同市发展和改革委员会（市项目推进中心）"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    sentence: Sentence

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass(frozen=True)
class Table:
    frame: pl.DataFrame
    title: str
    widths_cm: tuple[float, ...] | None = None
    font_pt: float = 10.5


@dataclass(frozen=True)
class Picture:
    name: str  # key of the rendered image
    fig: go.Figure
    title: str
    width: int = 1000  # pixels before the 2× scale: text stays readable at 15.5 cm wide
    height: int = 560


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass
class Report:
    title: str
    lines: list[str]  # under the title on the title page (data date …)
    date_text: str
    file_stem: str
    blocks: list = field(default_factory=list)
    title_page: bool = True
    body_pt: float = 16  # 三号; a 项目专报 page uses 四号 (14) to hold one project a page

    def add(self, *blocks) -> Report:
        self.blocks.extend(b for b in blocks if b is not None)
        return self

    def say(self, sentence: Sentence | None) -> Report:
        if sentence is not None:
            self.blocks.append(Paragraph(sentence))
        return self

    @property
    def sentences(self) -> list[Sentence]:
        return [b.sentence for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def pictures(self) -> list[Picture]:
        return [b for b in self.blocks if isinstance(b, Picture)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading)]


def plain(topic: str, text: str, *facts: Fact) -> Sentence:
    return Sentence(topic, text, tuple(facts))


def to_document(report: Report, images: dict[str, bytes]):
    """The Report as a python-docx Document (pure: the charts come rendered in `images`)."""
    from ui.report import word

    doc = word.new_document(report.title, body_pt=report.body_pt)
    if report.title_page:
        word.title_page(doc, report.title, report.lines, ORGANISATION, report.date_text)
    else:
        word.title(doc, report.title)
        for line in report.lines:
            word.centred(doc, line)
    for b in report.blocks:
        if isinstance(b, Heading):
            word.heading(doc, b.text, b.level)
        elif isinstance(b, Paragraph):
            word.para(doc, b.text)
        elif isinstance(b, Table):
            word.table(doc, b.frame, b.title, list(b.widths_cm) if b.widths_cm else None, b.font_pt)
        elif isinstance(b, Picture):
            word.picture(doc, images[b.name], b.title)
        elif isinstance(b, PageBreak):
            word.page_break(doc)
    return doc


def images_of(report: Report) -> dict[str, bytes]:
    """Every chart of the Report rendered as PNG (one kaleido batch)."""
    from ui.export import Image, render_images, stamp_figure

    date = next((line for line in report.lines if line.startswith("数据截至")), "")
    return render_images([Image(p.name, stamp_figure(p.fig, date) if date else p.fig, p.width, p.height, 2)
                          for p in report.pictures])


def render(report: Report) -> bytes:
    """The Report as .docx bytes, charts drawn."""
    from ui.report import word

    return word.to_bytes(to_document(report, images_of(report)))


# ---------------------------------------------------------------- periods

QUARTER_NAME = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
_QUARTER = re.compile(r"^(\d{4})\s*[Qq]([1-4])$")


def parse_quarter(text: str) -> tuple[int, int]:
    """「2026Q3」 → (2026, 3)."""
    m = _QUARTER.match(text.strip())
    if not m:
        raise ValueError(f"季度应写作 2026Q3：{text}")
    return int(m.group(1)), int(m.group(2))


def quarter_end(year: int, quarter: int) -> dt.date:
    """The month whose data close the quarter (first of the month): 2026Q3 → 2026-09-01."""
    return dt.date(year, quarter * 3, 1)


def months_back(p: dt.date, n: int) -> dt.date:
    k = p.year * 12 + p.month - 1 - n
    return dt.date(k // 12, k % 12 + 1, 1)
