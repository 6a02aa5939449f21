"""Run the cockpit: `python scripts/serve.py [streamlit options]`, the same as `streamlit run app.py`
except that the app is a navigation app (st.navigation in app.py) from the first request.

Streamlit 1.67 treats an app with a `pages/` folder as an old-style multipage app until its main
script has run st.navigation once in the process: the very first visitor's sidebar listed the
file names (app, briefing, data, …) and a deep link ran a page on its own. The flag is decided
once per process, so it is set here, before the server starts. Private API, pinned version;
if it moves, the app still runs (ui/__init__.py reroutes the first run) and only the first
paint after a restart shows the file names.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
    except (ImportError, AttributeError):
        pass
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
