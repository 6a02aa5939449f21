"""Warm-up of a fresh server process: what the pages import, imported in the background once.

A page's first view in a process pays for its imports (the maps' folium, pydeck and
streamlit-folium ≈ 1–1.5 s on this machine, the data page's ≈ 0.4 s, the league's and the problem
list's ≈ 0.2 s each): the first leader to open the map after a restart waited for them. The
frame (app.py) starts this after its own imports, so what the overview shares with the other pages
(polars, plotly, pandas, ui.widgets) is already whole when the thread starts."""

from __future__ import annotations

import ast
import importlib
import threading
from pathlib import Path

from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

PAGES = Path(__file__).resolve().parent.parent / "pages"

_thread: threading.Thread | None = None
_lock = threading.Lock()


def page_modules(pages: Path = PAGES) -> list[str]:
    """The modules the page scripts import, in the order first imported (`from ui import league`
    imports the module ui.league, `from ui.data import q` the module ui.data)."""
    names: dict[str, None] = {}
    for path in sorted(pages.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(dict.fromkeys(a.name for a in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names[node.module] = None
                if node.module == "ui":  # `from ui import league`: the names are modules
                    names.update(dict.fromkeys(f"ui.{a.name}" for a in node.names))
    return list(names)


def _import_all(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page's own import will say what is wrong
            pass


def warm_pages() -> threading.Thread:
    """Import the pages' modules in a background thread, once per server process; later calls
    return the same thread."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_import_all, args=(page_modules(),), name="page-import-warm-up",
                                       daemon=True)
            # with the frame's script context: a custom component (the map's streamlit-folium) is
            # registered with the server only when declared inside one, and would answer 404 otherwise
            add_script_run_ctx(_thread, get_script_run_ctx())
            _thread.start()
        return _thread
