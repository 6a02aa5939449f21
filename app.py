"""大同市项目建设驾驶舱 — the frame: page config, first-start data, navigation."""

import streamlit as st

from ui.data import ensure_data
from ui.labels import APP_TITLE

st.set_page_config(page_title=APP_TITLE, page_icon=":material/dashboard:", layout="wide",
                   initial_sidebar_state="auto")
ensure_data()

PAGES = {
    "驾驶舱": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    ],
}

pg = st.navigation(PAGES)
st.sidebar.caption(APP_TITLE)
pg.run()
