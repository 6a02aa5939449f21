"""Every download is recorded in the audit log: each download button of the product is made by
ui.widgets.download_button (so a new button that bypasses it fails here), and that helper
records who, when, from which address and which file before handing the file over."""

from __future__ import annotations

import re
from pathlib import Path

from accounts import Store
from apptest import account_for

ROOT = Path(__file__).resolve().parent.parent
CALL = re.compile(r"\.download_button\s*\(")
HELPER = "ui/widgets.py"


def sources() -> list[Path]:
    return sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py")])


def test_every_download_button_goes_through_the_audited_helper():
    found = {str(p.relative_to(ROOT)): len(CALL.findall(p.read_text(encoding="utf-8"))) for p in sources()}
    outside = {path: n for path, n in found.items() if n and path != HELPER}
    assert not outside, f"st.download_button outside ui.widgets.download_button (unaudited downloads): {outside}"
    assert found[HELPER] == 1  # the helper's own call
    helpers = sum(len(re.findall(r"\bdownload_button\(", p.read_text(encoding="utf-8"))) for p in sources())
    assert helpers >= 12  # tables, chart images, Word documents, the briefing pack, template, audit log …


def test_the_helper_records_the_download_for_the_user_who_saw_the_button(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_ACCOUNTS", str(tmp_path / "accounts.sqlite"))
    from ui import auth, widgets

    user = account_for("unit", "云州区")
    monkeypatch.setattr(auth, "current_user", lambda force=False: user)
    monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.7")
    made = {}

    class Where:
        def download_button(self, label, data, **kwargs):
            made.update(label=label, data=data, **kwargs)

    widgets.download_button("下载 Excel", b"bytes", file_name="表.xlsx", mime="x", key="k", where=Where())
    widgets.download_button("下载图片", lambda: b"png", file_name="图.png", mime="image/png", key="p", where=Where())
    assert made["on_click"] == "ignore" and made["file_name"] == "图.png"
    assert not [r for r in Store().audit_log() if r["action"] == "download"]  # nothing until the file is asked for
    assert made["data"]() == b"png"
    row = Store().audit_log(1)[0]
    assert (row["action"], row["login"], row["address"], row["target"]) == ("download", user.login, "203.0.113.7", "图.png")
    assert row["at"]
