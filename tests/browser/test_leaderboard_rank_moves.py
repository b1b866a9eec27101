"""A member watches her own rank move on /leaderboard, live, without a reload: her "You're #N"
line, the member to beat, the window around her and her row on the board; a visitor's open weekly
board moves with it.

Expected points come from the write model once the live server's workers are idle, so the test
holds whatever the points rules award; only the order matters: Bob, Carol and Alice do the same
things in that order (so are level, Alice last), then a like lifts Alice to the top.
"""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import LIVE_TIMEOUT_MS, settle, wait_until_live  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


def _points(live, user_id: int) -> int:
    from app.extensions import db
    from app.models import User

    with live.app.app_context():
        return db.session.get(User, user_id).points


def _join_and_publish(live, username: str, title: str) -> tuple[int, int]:
    from app.extensions import db
    from app.models import User
    from commands.projects import publish_project

    user_id = make_member(live.app, username)
    with live.app.app_context():
        project_id = publish_project(db.session.get(User, user_id), {"title": title, "topics": "agents"}).id
    settle(live)
    return user_id, project_id


def _like(live, fan_id: int, project_id: int) -> None:
    from app.extensions import db
    from app.models import User
    from commands.social import like_project

    with live.app.app_context():
        assert like_project(db.session.get(User, fan_id), {"project_id": project_id})


def _expect_rank(page, board: str, user_id: int, rank: int, points: int) -> None:
    row = page.locator(f'#{board} li.board-row[data-user-id="{user_id}"]')
    expect(row).to_have_attribute("data-rank", str(rank), timeout=LIVE_TIMEOUT_MS)
    expect(row.locator("span.points")).to_have_attribute("data-points", str(points), timeout=LIVE_TIMEOUT_MS)


def test_a_like_moves_alices_rank_live_on_her_open_leaderboard(open_page, live):
    bob, _ = _join_and_publish(live, "bob", "Prompt testing harness")
    carol, _ = _join_and_publish(live, "carol", "Speech to checklist")
    alice, project = _join_and_publish(live, "alice", "Retrieval agent notebook")
    start = _points(live, alice)
    assert _points(live, bob) == _points(live, carol) == start, "the three should start level"

    page = open_page("alice")
    page.goto("/leaderboard")
    wait_until_live(page)
    me = page.locator("#leaderboard-me")
    expect(me.locator("strong[data-my-rank]")).to_have_attribute("data-my-rank", "3")
    expect(page.locator("#leaderboard-rival")).to_have_text("Beat @carol to reach #2 (+1 point needed)")
    expect(page.locator("#leaderboard-around li.board-row.me")).to_have_attribute("data-rank", "3")
    _expect_rank(page, "leaderboard-global", alice, 3, start)
    page.evaluate("() => { window.__marker = 1; }")

    visitor = open_page()
    visitor.goto("/leaderboard/weekly")
    wait_until_live(visitor)
    _expect_rank(visitor, "leaderboard-weekly", alice, 3, start)

    _like(live, carol, project)  # as another web process would
    settle(live)
    liked = _points(live, alice)
    assert liked > start

    expect(me.locator("strong[data-my-rank]")).to_have_attribute("data-my-rank", "1", timeout=LIVE_TIMEOUT_MS)
    expect(me).to_contain_text(f"with {liked:,} points")
    expect(page.locator("#leaderboard-rival")).to_have_text("You're on top. Everyone else is chasing you.")
    expect(page.locator("#leaderboard-around li.board-row.me")).to_have_attribute("data-rank", "1")
    _expect_rank(page, "leaderboard-global", alice, 1, liked)
    _expect_rank(page, "leaderboard-global", bob, 2, start)
    _expect_rank(visitor, "leaderboard-weekly", alice, 1, liked)
    assert page.evaluate("() => window.__marker") == 1, "the page reloaded"
    assert page.js_errors == [] and visitor.js_errors == []
