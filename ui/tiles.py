"""KPI tiles as a responsive grid: four across on a desktop, two across on a phone
(Streamlit's own columns stack one per row below 640 px, which makes a phone scroll)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.format import escape

CSS = """
<style>
.kpi-grid {display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:12px;margin:0.2rem 0 1rem 0;}
.kpi {background:#f7f9fc;border:1px solid #e4e9f0;border-radius:10px;padding:10px 14px;min-width:0;}
.kpi .label {font-size:0.9rem;color:#3e4c59;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}
.kpi .value {font-size:1.6rem;font-weight:650;color:#1f2933;line-height:1.3;white-space:nowrap;}
.kpi .note {font-size:0.85rem;color:#52606d;margin-top:2px;}
.kpi.red {border-left:5px solid #d62728;} .kpi.yellow {border-left:5px solid #f2b200;}
.kpi.green {border-left:5px solid #2ca02c;} .kpi.blue {border-left:5px solid #1f5fa8;}
@media (max-width: 640px) {
  .kpi-grid {grid-template-columns:repeat(2,minmax(0,1fr));gap:8px;}
  .kpi {padding:8px 10px;} .kpi .value {font-size:1.2rem;} .kpi .label, .kpi .note {font-size:0.78rem;}
}
</style>
"""


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str = ""
    tone: str = "blue"  # blue, red, yellow, green: a status colour only when the tile is a status
    help: str = ""


def tiles_html(tiles: list[Tile]) -> str:
    """The grid as HTML; every text is escaped."""
    parts = []
    for t in tiles:
        title = f' title="{escape(t.help)}"' if t.help else ""
        parts.append(f'<div class="kpi {escape(t.tone)}"{title}><div class="label">{escape(t.label)}</div>'
                     f'<div class="value">{escape(t.value)}</div>'
                     f'<div class="note">{escape(t.note)}</div></div>')
    return CSS + '<div class="kpi-grid">' + "".join(parts) + "</div>"


def tiles(items: list[Tile]) -> None:
    """The grid as an HTML block (ui.widgets.html_block: the browser's parser, not markdown's)."""
    st.html(tiles_html(items))
