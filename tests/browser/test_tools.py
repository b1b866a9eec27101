"""The tool directory in a browser: filters swap the results in place; a review updates the average."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import settle  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


def test_filter_the_directory_then_review_a_tool_without_reloading(open_page, live):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Tool, User
    from commands.tools import review_tool

    make_member(live.app, "ada")
    bob = make_member(live.app, "bob")
    with live.app.app_context():
        qdrant = db.session.scalar(select(Tool.id).where(Tool.slug == "qdrant"))
        review_tool(db.session.get(User, bob), {"tool_id": qdrant, "rating": 2, "body": "Tricky filters."})
    settle(live)

    page = open_page("ada")
    page.goto(f"{live.url}/tools")
    page.evaluate("window.__marker = 1")
    page.select_option("#tool-category", "vector-databases")
    expect(page.locator("#tool-results .result-count")).to_contain_text("in Vector databases and search")
    expect(page.locator("#tool-results .tool-card")).not_to_have_count(0)
    assert page.locator("#tool-results .tool-card[data-slug='ollama']").count() == 0
    assert "category=vector-databases" in page.url
    page.fill("#tool-search", "qdr")
    expect(page.locator("#tool-results .tool-card")).to_have_count(1)
    assert page.evaluate("window.__marker") == 1  # no full reload happened

    page.locator("#tool-results .tool-card[data-slug='qdrant'] a.title").click()
    page.wait_for_url(f"{live.url}/tools/qdrant")
    rating = page.locator("#tool-rating")
    expect(rating).to_contain_text("2.0")
    expect(rating).to_contain_text("from 1 review")
    page.evaluate("window.__marker = 2")
    page.locator("#review-form input[name=rating][value='4']").check()
    page.fill("#review-body", "Fast, and the payload filters are great once indexed.")
    page.get_by_role("button", name="Post review").click()
    expect(rating).to_contain_text("3.0")
    expect(rating).to_contain_text("from 2 reviews")
    expect(page.locator("#tool-reviews")).to_contain_text("payload filters are great")
    expect(page.get_by_role("button", name="Update review")).to_be_visible()
    assert page.evaluate("window.__marker") == 2
    assert page.js_errors == []
