"""Screenshot a cockpit page with headless Chromium: python scripts/shot.py URL OUT.png [--width 1440]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def shoot(url: str, out: str, width: int = 1440, height: int = 900, wait_text: str | None = None,
          settle_ms: int = 1500) -> list[str]:
    """Open url, wait for Streamlit to finish running, save a PNG; returns console errors."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height},
                                device_scale_factor=2 if width < 500 else 1)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url, wait_until="domcontentloaded", timeout=60_000)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from browser import wait_ready

        wait_ready(page, wait_text, timeout_ms=120_000)
        page.wait_for_timeout(settle_ms)
        page.screenshot(path=out, full_page=False)
        browser.close()
    return errors


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--wait-text")
    a = ap.parse_args()
    errs = shoot(a.url, a.out, a.width, a.height, a.wait_text)
    for e in errs:
        print("console error:", e, file=sys.stderr)
