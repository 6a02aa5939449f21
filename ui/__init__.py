"""Shared widgets, number formats, labels and figure builders for the pages."""


def _run_through_navigation() -> None:
    """Make a deep link on a freshly started server run app.py's st.navigation.

    Streamlit 1.67 treats an app with a `pages/` folder as an old-style multipage app until
    its main script has called st.navigation once; until then a first request for
    /progress runs pages/progress.py on its own (no page config, no shared frame, file
    names in the sidebar). Every page imports `ui`, so on that first run we switch the
    flag off and rerun: the rerun goes through app.py. Private API, pinned version; if it
    moves, nothing breaks but the first deep link after a restart.
    """
    try:
        import streamlit as st
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return
    if getattr(PagesManager, "uses_pages_directory", None) and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_run_through_navigation()
