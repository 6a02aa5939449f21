"""The warm-up of a fresh server: the pages' imports, in the background, once per process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from ui.warm import page_modules

ROOT = Path(__file__).resolve().parent.parent


def test_page_modules_are_the_modules_the_pages_import(tmp_path):
    (tmp_path / "a.py").write_text(textwrap.dedent("""
        import polars as pl
        from ui import league as lg, drill
        from ui.data import q, periods
        from .local import x
    """), encoding="utf-8")
    (tmp_path / "b.py").write_text("from ui.maps import project_map\nimport polars\n", encoding="utf-8")
    assert page_modules(tmp_path) == ["polars", "ui", "ui.league", "ui.drill", "ui.data", "ui.maps"]


def test_the_real_pages_map_and_league_are_warmed():
    names = page_modules()
    assert {"ui.maps", "ui.map_view", "ui.league", "ui.problems", "ui.dossier", "ui.admin"} <= set(names)
    assert not any(n.startswith("ui.data.") for n in names)  # `from ui.data import q`: q is no module


def test_warm_pages_imports_them_once_in_the_background():
    # a fresh interpreter: the test process has imported most of them already
    code = textwrap.dedent("""
        import sys
        from ui.warm import warm_pages
        assert "folium" not in sys.modules and "ui.maps" not in sys.modules
        thread = warm_pages()
        assert warm_pages() is thread and thread.daemon
        thread.join(120)
        assert "ui.maps" in sys.modules and "folium" in sys.modules and "ui.league" in sys.modules
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-2000:]
