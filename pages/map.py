"""重点工程地图: key projects on Datong's county map (red/yellow/green, sized by investment), and a
3-D view of investment for the big screen and the briefing."""

import polars as pl
import streamlit as st

from ui.data import q
from ui.format import data_date_label, money
from ui.links import page_path, static_base
from ui.map_filters import map_filters
from ui.map_view import frame_key, show_map
from ui.maps import investment_deck, load_config, project_map, project_table, status_line
from ui.widgets import downloads, html_block, no_data, page_header, show_table
from ui.gaps import gaps_notice

config = load_config()
f = map_filters(config)
page_header("重点工程地图", f.period)
gaps_notice(f.period, f.unit)  # senders missing since last month

df = q("map_projects", **f.params())
if df.is_empty():
    no_data("所选条件下没有重点工程")
    st.stop()

html_block(status_line(df, f.describe()))

views = {"map": "平面地图", "deck": "三维投资视图"}
view = st.query_params.get("view", "map")
view = st.segmented_control("视图", list(views), default=view if view in views else "map",
                            format_func=views.get, key="map_view", label_visibility="collapsed") or "map"
if view == "map":
    st.query_params.pop("view", None)
    links = dict(dossier_href=page_path("dossier"), map_href=page_path("map"), static_base=static_base())
    show_map(lambda: project_map(df, provider=f.provider, unit=f.unit, height=640, **links),
             (frame_key(df), "map", f.provider, f.unit, tuple(links.items())),
             height=640, key="key_project_map")
    st.caption("圆点颜色为红黄绿状态，大小表示总投资；数字圆圈为聚合的项目数，角标为其中红色项目数，放大地图可展开。"
               "开发区无官方边界，◇ 为示意位置。点击项目可查看详情并打开项目档案。")
else:
    st.query_params["view"] = view
    st.pydeck_chart(investment_deck(df, style=config.deck_style, height=640), height=640)
    st.caption(f"柱高表示总投资（最高柱为{money(df['total_investment_wan'].max())}），颜色为红黄绿状态。"
               "按住右键（或双指）拖动可旋转视角。")

missing = df.filter(pl.col("lon").is_null() | pl.col("lat").is_null())
if missing.height:
    st.caption(f"另有 {missing.height:,} 个重点工程未报送坐标，未在地图上显示（见下表「坐标」列）。")

st.subheader("重点工程清单")
table = project_table(df, page_path("dossier"))
show_table(table, percent=("完成率",), column_config={
    "项目档案": st.column_config.LinkColumn("项目档案", display_text="打开档案"),
})
downloads(table.drop("项目档案"), f"重点工程清单_{f.period:%Y-%m}", "重点工程清单",
          f"{f.describe()} · {data_date_label(f.period)}", key="map_table")
