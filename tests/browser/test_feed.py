"""The feed in a browser: infinite scroll loads older items; new ones announce themselves."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import LIVE_TIMEOUT_MS, settle, wait_until_live  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


def test_infinite_scroll_and_the_new_activities_pill(open_page, live, monkeypatch):
    from app.extensions import db
    from app.models import User
    from app.rules import FEED
    from commands.projects import publish_project
    from commands.social import follow_member

    monkeypatch.setitem(FEED, "page_size", 5)
    author, reader = make_member(live.app, "author"), make_member(live.app, "reader")
    with live.app.app_context():
        follow_member(db.session.get(User, reader), {"user_id": author})
        for i in range(12):
            publish_project(db.session.get(User, author), {"title": f"Build log {i:02d}"})
    settle(live)

    page = open_page("reader")
    page.goto(f"{live.url}/feed")
    wait_until_live(page)
    items = page.locator("#feed .feed-item")
    expect(items).to_have_count(5)
    first_top = items.first.get_attribute("data-id")
    page.evaluate("window.__marker = 1")
    for _ in range(4):  # scroll to the bottom: htmx loads the next pages as the loader is revealed
        page.locator("#feed .feed-item").last.scroll_into_view_if_needed()
        page.mouse.wheel(0, 5000)
        page.wait_for_timeout(300)
    expect(page.locator("text=Build log 00")).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    with live.app.app_context():
        publish_project(db.session.get(User, author), {"title": "Fresh off the press"})
    pill = page.locator("#feed-pill")
    expect(pill).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(pill).to_contain_text("new activit")
    assert items.first.get_attribute("data-id") == first_top  # what I'm reading did not move
    pill.click()
    expect(page.locator("#feed .feed-item").first).to_contain_text("Fresh off the press", timeout=LIVE_TIMEOUT_MS)
    expect(pill).to_be_hidden()
    assert page.evaluate("window.__marker") == 1
