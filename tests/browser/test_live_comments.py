"""Comments on an open project page: a clean one appears live for another member; a flagged one
shows only to its author, as pending review."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import LIVE_TIMEOUT_MS, settle, wait_until_live  # noqa: E402
from tests.comments.helpers import CLEAN, INSULT, publish  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


def open_project(page, live, project_id):
    page.goto(f"{live.url}/@alice/speech-to-checklist")
    expect(page.locator(f"#comment-thread-{project_id}")).to_be_visible()
    wait_until_live(page)
    page.evaluate("window.__marker = 1")


def post(page, project_id, body):
    form = page.locator(f"#comment-form-{project_id}")
    form.get_by_label("Add a comment").fill(body)
    form.get_by_role("button", name="Post comment").click()


def test_a_clean_comment_appears_live_and_a_flagged_one_only_for_its_author(open_page, live):
    alice = make_member(live.app, "alice")
    make_member(live.app, "bob")
    project = publish(live.app, alice)
    settle(live)
    bob, author = open_page("bob"), open_page("alice")
    open_project(bob, live, project)
    open_project(author, live, project)

    post(author, project, CLEAN)
    settle(live, timeout=30)  # the worker's first check loads the profanity model: slow on a busy machine
    bob_thread = bob.locator(f"#comment-thread-{project}")
    expect(bob_thread).to_contain_text(CLEAN, timeout=LIVE_TIMEOUT_MS)
    expect(bob.locator(f"#comment-count-{project}")).to_have_text("1 comment")

    post(author, project, INSULT)
    own = author.locator(f"#comment-thread-{project} .comment", has_text=INSULT)
    expect(own.locator("[data-status-label]")).to_have_text("pending review")
    settle(live, timeout=30)  # the checks have run and flagged it: still only the author sees it
    expect(own.locator("[data-status-label]")).to_have_text("pending review")
    expect(bob_thread).not_to_contain_text(INSULT)
    expect(bob.locator(f"#comment-count-{project}")).to_have_text("1 comment")
    assert bob.evaluate("window.__marker") == 1 and author.evaluate("window.__marker") == 1  # no reload
    assert bob.js_errors == [] and author.js_errors == []
