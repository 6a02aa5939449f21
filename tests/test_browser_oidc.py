"""Signing in through an identity provider (COCKPIT_AUTH=oidc, st.login) against a local OIDC
provider started by the test: the role and unit come from the claims, the requested page is
opened after the provider sends the user back, and the unit's scope applies."""

from __future__ import annotations

import pytest

from accounts import Store
from browser import SERVERS, cockpit_server, error_boxes, free_port, screenshot, wait_ready, warm_up
from fixtures import CODES

playwright = pytest.importorskip("playwright.sync_api")
mock = pytest.importorskip("oidc_provider_mock")


@pytest.fixture(scope="module")
def provider():
    users = [mock.User(sub="zhangsan", claims={"preferred_username": "zhangsan", "name": "张三",
                                               "cockpit_role": "unit", "cockpit_unit": "云州区"})]
    with mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def server(fixture_db, provider, tmp_path_factory, browser):
    port = free_port()
    secrets = tmp_path_factory.mktemp("oidc") / "secrets.toml"
    secrets.write_text(f'''[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-that-is-long-enough"
client_id = "cockpit"
client_secret = "cockpit-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
''', encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COCKPIT_AUTH", "oidc")
        mp.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
        with cockpit_server(fixture_db, port=port) as url:
            SERVERS_STORE[url] = SERVERS[url]
            # the first runs of a server pay for its imports: paid here by another user, so the
            # provider's round trip is not timed against them
            warm_up(browser, url)
            warm_up(browser, f"{url}/dossier?project={CODES['E']}", wait_text="云州区光伏制氢项目")
            yield url


SERVERS_STORE: dict = {}  # the server's accounts store, kept past the server's life


def test_sign_in_at_the_identity_provider(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/dossier?project={CODES['E']}")
    page.get_by_role("button", name="统一身份认证登录").click(timeout=90_000)
    page.locator("button[value='zhangsan']").click(timeout=60_000)  # the provider's form
    wait_ready(page, "云州区光伏制氢项目")
    assert page.url.endswith(f"/dossier?project={CODES['E']}")
    assert "张三" in page.inner_text("body") and not error_boxes(page)
    page.goto(f"{server}/dossier?project={CODES['B']}")  # 平城区's: not this unit's
    wait_ready(page, "无权查看该项目")
    screenshot(page, "oidc_unit_refused")
    page.close()
    store = Store(SERVERS_STORE[server])
    account = store.get("zhangsan")
    assert (account.role, account.unit) == ("unit", "云州区")
    assert any(r["action"] == "login" and r["detail"] == "统一身份认证" for r in store.audit_log(20, login="zhangsan"))
