"""Placeholder while the page is being built."""

import streamlit as st

from ui.widgets import page_header

page_header("建设中")
st.info("本页面正在建设中")
