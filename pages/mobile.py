"""掌上地图: the key-project map for a phone. The map fills the width, markers and controls are
thumb-sized, and a compact list under it opens each project's file."""

import streamlit as st

from ui import drill
from ui.data import q
from ui.links import page_path, static_base
from ui.map_filters import map_filters
from ui.map_view import frame_key, show_map
from ui.maps import load_config, mobile_list_html, project_map, status_line
from ui.widgets import html_block, no_data, page_header
from ui.gaps import gaps_notice

config = load_config()
head = st.container()  # the title above the filter box, though the filters decide the period
f = map_filters(config, mobile=True)
with head:
    page_header("掌上地图", f.period)
    gaps_notice(f.period, f.unit)  # senders missing since last month

df = q("map_projects", **f.params())
if df.is_empty():
    no_data("所选条件下没有重点工程")
    st.stop()

html_block(status_line(df, f.describe()))
# the list answers 「which red key projects, what level, whose」 without scrolling past the map
show = drill.segmented("显示", ["list", "map"], key="mm_show", param="show", default="map",
                       format_func={"map": "地图", "list": "清单"}.get, label_visibility="collapsed")
limit = 60
if show == "map":
    links = dict(dossier_href=page_path("dossier"), map_href=page_path("mobile"), static_base=static_base())
    show_map(lambda: project_map(df, provider=f.provider, unit=f.unit, mobile=True, height=460, **links),
             (frame_key(df), "mobile", f.provider, f.unit, tuple(links.items())),
             height=460, key="mobile_map")
    st.markdown(f"**项目清单**（红色在前{'，显示前' + str(limit) + '个，可用筛选缩小范围' if df.height > limit else ''}）")
else:
    st.caption(f"红色在前{'，显示前' + str(limit) + '个，可用筛选缩小范围' if df.height > limit else ''}；点一项打开项目档案。")
html_block(mobile_list_html(df, page_path("dossier"), limit=limit))
