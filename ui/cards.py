"""Lists as thumb-sized cards for a phone: one card per project (or problem), carrying the fields a
leader asks for (name, county, level, 红黄绿, 包联领导, how late), each opening its detail in one tap.
Pure builders: rows in, escaped HTML out; pages place it with st.markdown(..., unsafe_allow_html=True)."""

from __future__ import annotations

from dataclasses import dataclass

from ui.format import escape
from ui.labels import KEY_LEVEL, STATUS, STATUS_COLOR

NO_STATUS_COLOR = "#9aa5b1"

CSS = """<style>
.mm-list {display:flex; flex-direction:column; gap:6px; margin:4px 0 12px 0;}
.mm-item {display:flex; align-items:center; gap:10px; padding:10px 12px; min-height:52px; border:1px solid #e4e9f0;
  border-radius:10px; background:#fff; text-decoration:none !important; color:#1f2933 !important;}
.mm-item:active {background:#eef3f9;}
.mm-dot {flex:0 0 14px; width:14px; height:14px; border-radius:50%;}
.mm-main {flex:1 1 auto; min-width:0;}
.mm-name {font-weight:600; font-size:0.98rem; line-height:1.3; overflow:hidden; text-overflow:ellipsis; white-space:nowrap;}
.mm-sub {color:#52606d; font-size:0.82rem; margin-top:2px; line-height:1.35;}
.mm-sub b {color:#1f2933; font-weight:600;}
.mm-go {flex:0 0 auto; color:#1f5fa8; font-size:1.2rem;}
.mm-more {color:#52606d; font-size:0.82rem;}
</style>"""


@dataclass(frozen=True)
class Card:
    href: str
    title: str
    lines: tuple[str, ...]  # plain text, escaped here; 「字段：值」 pairs joined with 「 · 」
    status: str | None = None  # red / yellow / green: the dot's colour
    strong: str = ""  # one short emphasised value at the start of the first line (「超期61天」)




def cards_html(cards: list[Card], more: int = 0, more_text: str = "") -> str:
    items = []
    for c in cards:
        color = STATUS_COLOR.get(c.status, NO_STATUS_COLOR)
        lines = [escape(line) for line in c.lines]
        if c.strong:
            lines[0:1] = [f"<b>{escape(c.strong)}</b>" + (f" · {lines[0]}" if lines else "")]
        sub = "".join(f'<div class="mm-sub">{line}</div>' for line in lines)
        items.append(
            f'<a class="mm-item" href="{escape(c.href)}" target="_self">'
            f'<span class="mm-dot" style="background:{color}" title="{escape(STATUS.get(c.status, "未判定"))}"></span>'
            f'<span class="mm-main"><div class="mm-name">{escape(c.title)}</div>{sub}</span>'
            f'<span class="mm-go">›</span></a>')
    tail = f'<div class="mm-more">{escape(more_text)}</div>' if more and more_text else ""
    return f'{CSS}<div class="mm-list">{"".join(items)}</div>{tail}'


def level_text(key_level) -> str:
    """「省定省管」, 「市级」; 「非重点工程」 for an annual project that is not a key project."""
    return KEY_LEVEL.get(key_level, "非重点工程")


def leader_text(leader, title=None) -> str:
    if not leader:
        return "包联领导：未明确"
    return f"包联领导：{leader}" + (f"（{title}）" if title else "")
