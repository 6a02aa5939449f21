"""No Python function is handed to polars to run on its threads.

Polars runs `map_elements` / `map_batches` callables on its own thread pool, and each call must take
the interpreter lock. A page thread that holds the lock while it waits for that pool (pickling a
multi-chunk frame into st.cache_data does) then waits for ever, and with it every session: a server
confined to one core (one pool thread) stopped answering under a burst of 50 sessions. Measured: the
script below with `map_elements` instead of `by_value` never finishes with POLARS_MAX_THREADS=1.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *(p for d in ("ui", "pages", "queries", "etl", "accounts")
                              for p in sorted((ROOT / d).rglob("*.py")))]
CALLBACKS = {"map_elements", "map_batches", "map_groups", "map_rows", "apply"}


def _callback_calls(source: str) -> list[str]:
    return [f"line {node.lineno}: .{node.func.attr}(…)" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CALLBACKS]


@pytest.mark.parametrize("source, found", [
    ('df.select(pl.col("a").map_elements(str, return_dtype=pl.String))', ["line 1: .map_elements(…)"]),
    ('s.map_batches(f)\nx = 1\ny.apply(g)', ["line 1: .map_batches(…)", "line 3: .apply(…)"]),
    ('"""map_elements is not used"""\ndf.select(pl.col("a").replace_strict({1: "x"}))', []),
])
def test_the_scan(source, found):
    assert sorted(_callback_calls(source)) == sorted(found)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_callback_for_polars(path):
    assert _callback_calls(path.read_text(encoding="utf-8")) == [], "use ui.format.by_value or an expression"


def test_by_value_with_a_frame_being_pickled_on_one_pool_thread():
    script = textwrap.dedent("""
        import threading
        import polars as pl
        from ui.format import by_value
        part = pl.DataFrame({"code": [f"P{i:06d}" for i in range(2000)], "x": list(range(2000))})
        df = pl.concat([part] * 100, rechunk=False)   # many chunks: serialising uses the pool
        def mapped():
            for _ in range(10):
                out = df.select(by_value(df, "code", lambda c: c + "!"))
            assert out["code"][0] == "P000000!"
        def pickled():
            for _ in range(100):
                df.serialize()
        ts = [threading.Thread(target=mapped), threading.Thread(target=pickled)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        print("finished", pl.thread_pool_size())
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"POLARS_MAX_THREADS": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert out.stdout.split() == ["finished", "1"], out.stderr[-2000:]
