"""The notification bell updates live, and its menu opens in place."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import LIVE_TIMEOUT_MS, settle, wait_until_live  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


def test_the_bell_counts_a_new_follower_live(open_page, live):
    from app.extensions import db
    from app.models import User
    from commands.social import follow_member

    alice, bob = make_member(live.app, "alice"), make_member(live.app, "bob")
    settle(live)
    page = open_page("alice")
    page.goto(f"{live.url}/@alice")
    wait_until_live(page)
    page.evaluate("window.__marker = 1")

    with live.app.app_context():
        follow_member(db.session.get(User, bob), {"user_id": alice})

    badge = page.locator("#notification-bell .badge")
    expect(badge).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(badge).not_to_have_attribute("data-unread", "0")
    page.locator("#notification-bell button").click()
    menu = page.locator("#notification-menu")
    expect(menu).to_contain_text("@bob followed you")
    expect(menu.get_by_role("button", name="Follow", exact=True)).to_be_visible()  # follow back, right there
    assert page.evaluate("window.__marker") == 1
