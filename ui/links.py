"""Addresses of the cockpit's own pages and static files, as the browser sees them."""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit

import streamlit as st


def _base_path() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def page_path(url_path: str) -> str:
    """Absolute path of a page or file of this app: 「/dossier」, or 「/cockpit/dossier」 behind a base path."""
    return f"{_base_path()}/{url_path.lstrip('/')}"


def static_base() -> str:
    """Where ./static is served (server.enableStaticServing)."""
    return page_path("app/static")


def public_origin() -> str:
    """scheme://host[:port] phones should use: COCKPIT_PUBLIC_URL, else the address of this request."""
    configured = os.environ.get("COCKPIT_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - outside a browser session (tests, scripts)
        url = None
    if url:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return "http://localhost:8501"


def dossier_url(code: str, absolute: bool = False) -> str:
    """The project's file (项目档案). Absolute (for the QR code) or a path (for links)."""
    path = f"{page_path('dossier')}?project={quote(str(code), safe='')}"
    if not absolute:
        return path
    configured = os.environ.get("COCKPIT_PUBLIC_URL", "").strip()
    if configured:  # the public URL already carries any base path
        return f"{configured.rstrip('/')}/dossier?project={quote(str(code), safe='')}"
    return public_origin() + path
