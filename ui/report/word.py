"""The government-document look shared by every Word document the centre sends.

A4, the usual margins of 党政机关公文 (GB/T 9704: 37 mm top, 35 mm bottom, 28 mm left, 26 mm
right), body in 仿宋 三号 (16 pt) with a two-character first-line indent, 一级标题 in 黑体,
二级标题 in 楷体, the title in 黑体 二号, page numbers 「— 1 —」 at the foot. Fonts are named
as every Chinese Windows, WPS and macOS Office has them (仿宋, 黑体, 楷体); where one is not
installed the program substitutes (LibreOffice on Debian uses Noto CJK).

Everything is a real Word style (标题 1 / 标题 2 / 正文, the built-in Heading 1 / Heading 2 /
Normal), never a text box, so staff restyle the whole document at once. Tables are Word tables
(style 「Table Grid」, header row repeated on each page); charts are pictures.
"""

from __future__ import annotations

import io
import re

import polars as pl
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

BODY_FONT, HEAD_FONT, HEAD2_FONT, LATIN_FONT = "仿宋", "黑体", "楷体", "Times New Roman"
BODY_PT, TABLE_PT = 16, 10.5
CN_NUM = "一二三四五六七八九十"


def _fonts(style_or_run, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    _set_rfonts(style_or_run.element.get_or_add_rPr(), east_asian)


def _set_rfonts(rpr, east_asian: str) -> None:
    """Name the fonts outright: a theme font (w:eastAsiaTheme …) would win over the name, and
    the template's theme names a Japanese one."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), east_asian if attr == "w:eastAsia" else LATIN_FONT)


# the fonts the documents name, as Word's font table describes them (GB2312 character set, the
# English name an English-language Windows knows them by); where none is installed, the program
# substitutes (LibreOffice through fontconfig: Noto Serif/Sans CJK)
FONT_TABLE = {"仿宋": ("FangSong", "02010609060101010101"), "黑体": ("SimHei", "02010609060101010101"),
              "楷体": ("KaiTi", "02010609060101010101")}


def _defaults(doc) -> None:
    """Document defaults: 仿宋, Chinese as the East Asian language, the fonts in the font table."""
    from lxml import etree

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, (english, panose) in FONT_TABLE.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        for tag, val in (("w:altName", english), ("w:panose1", panose), ("w:charset", "86"),
                         ("w:family", "modern"), ("w:pitch", "fixed")):
            etree.SubElement(font, qn(tag), {qn("w:val"): val})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def new_document(title: str, author: str = "大同市项目推进中心", body_pt: float = BODY_PT) -> Document:
    """An empty A4 document with the house styles set (body and headings at `body_pt`)."""
    doc = Document()
    doc.core_properties.title = title.replace("\n", "")
    doc.core_properties.author = author
    sec = doc.sections[0]
    sec.page_width, sec.page_height, sec.orientation = Mm(210), Mm(297), WD_ORIENT.PORTRAIT
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    sec.footer_distance = Mm(20)

    _defaults(doc)
    normal = doc.styles["Normal"]
    line = 28 * body_pt / BODY_PT  # 公文 at 三号: 28 pt lines, about 22 lines a page
    _fonts(normal, BODY_FONT, body_pt)
    pf = normal.paragraph_format
    pf.first_line_indent = Pt(body_pt * 2)
    pf.line_spacing = Pt(line)
    pf.space_before = pf.space_after = Pt(0)
    for name, font, size in (("Heading 1", HEAD_FONT, body_pt), ("Heading 2", HEAD2_FONT, body_pt),
                             ("Title", HEAD_FONT, 22), ("Subtitle", HEAD2_FONT, body_pt)):
        st = doc.styles[name]
        _fonts(st, font, size, bold=False)
        st.font.color.rgb = None
        st.font.italic = False
        st.paragraph_format.first_line_indent = Pt(body_pt * 2) if name.startswith("Heading") else Pt(0)
        st.paragraph_format.space_before = Pt(6 if name.startswith("Heading") else 0)
        st.paragraph_format.space_after = Pt(6 if name.startswith("Heading") else 0)
        st.paragraph_format.line_spacing = Pt(line if name != "Title" else 36)
        st.paragraph_format.keep_with_next = True
        if name in ("Title", "Subtitle"):
            st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # the built-in Title style draws a rule under itself: not on a government document
        ppr = st.element.get_or_add_pPr()
        for b in ppr.findall(qn("w:pBdr")):
            ppr.remove(b)
    caption = doc.styles["Caption"]
    _fonts(caption, HEAD2_FONT, 12, bold=False)
    caption.font.color.rgb = None
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.keep_with_next = True
    _page_numbers(sec)
    return doc


def _field(run, instr: str) -> None:
    """A field (PAGE, NUMPAGES) inside a run, as Word writes it."""
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _page_numbers(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    for text, field in (("— ", None), (None, "PAGE"), (" —", None)):
        r = p.add_run(text or "")
        _fonts(r, LATIN_FONT, 14)
        if field:
            _field(r, field)


def title(doc: Document, text: str):
    """The document's title; a line break where the text has one (a long title is broken where
    its sense allows, as a government document's is, not where the line happens to end)."""
    p = doc.add_paragraph(style="Title")
    for i, line in enumerate(text.split("\n")):
        run = p.add_run()
        if i:
            run.add_break()
        run.add_text(line)
    return p


def title_page(doc: Document, title_text: str, lines: list[str], organisation: str, date_text: str) -> None:
    """The first page: title, the lines under it (data date …), the sender and the date."""
    for _ in range(4):
        doc.add_paragraph(style="Subtitle")
    title(doc, title_text)
    doc.add_paragraph(style="Subtitle")
    for line in lines:
        doc.add_paragraph(line, style="Subtitle")
    for _ in range(8):
        doc.add_paragraph(style="Subtitle")
    doc.add_paragraph(organisation, style="Subtitle")
    doc.add_paragraph(date_text, style="Subtitle")
    page_break(doc)


def page_break(doc: Document) -> None:
    doc.add_paragraph(style="Subtitle").add_run().add_break(WD_BREAK.PAGE)


def heading(doc: Document, text: str, level: int = 1):
    return doc.add_heading(text, level=level)


def para(doc: Document, text: str):
    return doc.add_paragraph(text, style="Normal")


def centred(doc: Document, text: str, style: str = "Subtitle"):
    return doc.add_paragraph(text, style=style)


def caption(doc: Document, text: str):
    return doc.add_paragraph(text, style="Caption")


def _cell_text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


_NUMBER = re.compile(r"^[-+↑↓]?[\d,.]+(%|倍|个|亿元|万元)?([～~][\d,.]+)?$|^—$")


def _row_flag(row, flag: str) -> None:
    """A row property: tblHeader (repeat on each page), cantSplit (never broken across pages)."""
    el = OxmlElement(f"w:{flag}")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def table(doc: Document, df: pl.DataFrame, title: str | None = None, widths_cm: list[float] | None = None,
          font_pt: float = TABLE_PT):
    """A frame as a Word table: bold header repeated on every page, numbers right-aligned."""
    if title:
        caption(doc, title)
    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row_flag(t.rows[0], "tblHeader")
    for cell, col in zip(t.rows[0].cells, df.columns):
        _cell(cell, col, font_pt, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in df.iter_rows():
        added = t.add_row()
        _row_flag(added, "cantSplit")
        cells = added.cells
        for cell, v in zip(cells, row):
            text = _cell_text(v)
            _cell(cell, text, font_pt,
                  align=WD_ALIGN_PARAGRAPH.RIGHT if _NUMBER.match(text) else WD_ALIGN_PARAGRAPH.LEFT)
    if widths_cm:
        t.autofit = False
        for col, w in zip(t.columns, widths_cm):
            col.width = Cm(w)
        for row in t.rows:
            for cell, w in zip(row.cells, widths_cm):
                cell.width = Cm(w)
    doc.add_paragraph(style="Subtitle")
    return t


def _cell(cell, text: str, size: float, bold: bool = False, align=None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    if align is not None:
        p.alignment = align
    r = p.add_run(text)
    _fonts(r, HEAD_FONT if bold else BODY_FONT, size, bold=False)


def picture(doc: Document, png: bytes, title: str | None = None, width_cm: float = 15.5):
    """A chart as a picture, centred, with its caption above."""
    if title:
        caption(doc, title)
    p = doc.add_paragraph(style="Subtitle")
    p.paragraph_format.line_spacing = 1.0  # an exact line height would clip the picture to one line
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    return p


def to_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def text_of(doc: Document) -> str:
    """Every paragraph's and table cell's text, for checks."""
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def chinese_number(i: int) -> str:
    """1 → 「一」 … 10 → 「十」 (section numbers)."""
    return CN_NUM[i - 1] if 1 <= i <= 10 else str(i)


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
