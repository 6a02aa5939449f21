"""大同市项目建设驾驶舱 — the frame: page config, sign-in, navigation, first-start data."""

import streamlit as st

from ui.auth import gate
from ui.briefing import warm_renderer
from ui.data import ensure_data, start_first_build
from ui.labels import APP_TITLE
from ui.links import page_path
from ui.warm import warm_pages
from ui.widgets import frame_css, frame_script

st.set_page_config(page_title=APP_TITLE, page_icon="static/favicon.png", layout="wide",
                   initial_sidebar_state="auto")
warm_renderer()  # kaleido's browser starts once per server, in the background (the 周报 draws with it)
warm_pages()  # and the other pages' imports (the maps' folium and pydeck), so no first view waits for them
start_first_build()  # first start: the sample warehouse is built while the first user signs in
user = gate()  # sign-in; nothing below runs for a visitor

OVERVIEW = st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="overview")
LEADERS = st.Page("pages/leaders.py", title="领导包联", icon=":material/badge:", url_path="leaders")
HOME = LEADERS if user.role == "leader" else OVERVIEW  # a leader's own projects first
PAGES = {
    "驾驶舱": [
        OVERVIEW,
        st.Page("pages/progress.py", title="投资进度", icon=":material/trending_up:", url_path="progress"),
        st.Page("pages/league.py", title="比亮晒", icon=":material/leaderboard:", url_path="league"),
    ],
    "重点工程": [
        st.Page("pages/map.py", title="重点工程地图", icon=":material/map:", url_path="map"),
        st.Page("pages/mobile.py", title="掌上地图", icon=":material/smartphone:", url_path="mobile"),
        st.Page("pages/dossier.py", title="项目档案", icon=":material/folder_open:", url_path="dossier"),
        LEADERS,
        st.Page("pages/problems.py", title="问题清单", icon=":material/report:", url_path="problems"),
        st.Page("pages/approvals.py", title="审批与要素", icon=":material/approval:", url_path="approvals"),
    ],
    "报告与数据": [
        st.Page("pages/briefing.py", title="周报", icon=":material/slideshow:", url_path="briefing"),
        st.Page("pages/data.py", title="数据管理", icon=":material/database:", url_path="data"),
    ],
}


def _home() -> None:
    """「/」 opens the user's home page at its own address (「/overview」, a leader's 「/leaders」)
    with the same query: both the address people type and the one links and the menu use work
    (Streamlit serves a default page at 「/」 only and answers its url_path with 「Page not found」)."""
    st.switch_page(HOME, query_params=st.query_params.to_dict())


# the navigation comes first: the sidebar shows the Chinese menu while a first start builds the data
pg = st.navigation({**PAGES, "": [st.Page(_home, title="首页", url_path="home", default=True, visibility="hidden")]})
frame_css()
frame_script([page_path(p.url_path) for group in PAGES.values() for p in group])
st.sidebar.caption(APP_TITLE)
# first start: the sidebar is already there while the sample warehouse is built; the overview
# shows once its months are in (what needs earlier months says 「加载中」), other pages wait
# (the default page「/」, which opens the home page, has the url_path "")
ensure_data(early_ok=pg.url_path == OVERVIEW.url_path or (pg.url_path in ("", "home") and HOME is OVERVIEW))
pg.run()
