"""What members see in a real browser: likes move the open leaderboard and points chip live,
without a reload; a dropped socket comes back with the current state; sign-up errors show in place.

Expected points are read from the write model (Postgres) once the live server's workers are idle,
not hard-coded, so these tests check that open pages end up showing the true totals whatever the
points rules (and whatever the policies award asynchronously) are. With only the welcome and like
rules (everyone starts with 100, a like earns the author 5) that is 100 -> 105 -> 100.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import LIVE_TIMEOUT_MS, settle, wait_until_live, ws_messages  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


# -- the world, through the app's own commands ------------------------------------------------

@dataclass(frozen=True)
class Scene:
    bob_id: int
    alice_id: int
    project_id: int  # Alice's
    project_path: str
    start_points: int  # Alice's and Bob's: level


def _points(live, user_id: int) -> int:
    """A member's total in the write model (what every page should end up showing)."""
    from app.extensions import db
    from app.models import User

    with live.app.app_context():
        return db.session.get(User, user_id).points


def _settled_points(live, user_id: int) -> int:
    settle(live)
    return _points(live, user_id)


def _publish(live, user_id: int, title: str) -> tuple[int, str]:
    from app.extensions import db
    from app.models import User
    from commands.projects import publish_project

    with live.app.app_context():
        project = publish_project(db.session.get(User, user_id), {"title": title, "topics": "rag, agents"})
        return project.id, f"/@{project.author.username}/{project.slug}"


def _bob_then_alice_with_a_project(live) -> Scene:
    """Bob signs up and publishes first, then Alice does the same: level points, Bob got there first.

    Through live.app, so its in-process worker handles it at once. Bob's side settles (whatever is
    awarded asynchronously included) before Alice signs up; the two usually still fall within one
    second, a tie the leaderboard must break in Bob's favour.
    """
    bob_id = make_member(live.app, "bob")
    _publish(live, bob_id, "Prompt testing harness")  # so any points for publishing stay level
    settle(live)
    alice_id = make_member(live.app, "alice")
    project_id, path = _publish(live, alice_id, "Retrieval agent notebook")
    start = _settled_points(live, alice_id)
    assert _points(live, bob_id) == start, "Alice and Bob should start level"
    return Scene(bob_id, alice_id, project_id, path, start)


def _like_as(live, user_id: int, project_id: int) -> None:
    """Like through the command, as another web process would."""
    from app.extensions import db
    from app.models import User
    from commands.social import like_project

    with live.app.app_context():
        assert like_project(db.session.get(User, user_id), {"project_id": project_id})


# -- what the page shows ----------------------------------------------------------------------

def _expect_standing(page, user_id: int, rank: int, points: int) -> None:
    row = page.locator(f'#leaderboard-global li.board-row[data-user-id="{user_id}"]')
    expect(row).to_have_attribute("data-rank", str(rank), timeout=LIVE_TIMEOUT_MS)
    expect(row.locator("span.rank")).to_have_text(f"#{rank}", timeout=LIVE_TIMEOUT_MS)
    points_cell = row.locator("span.points")
    expect(points_cell).to_have_attribute("data-points", str(points), timeout=LIVE_TIMEOUT_MS)
    expect(points_cell).to_have_text(f"{points:,}", timeout=LIVE_TIMEOUT_MS)


def _expect_my_rank(page, rank: int, points: int) -> None:
    expect(page.locator("#leaderboard-me strong[data-my-rank]")).to_have_attribute(
        "data-my-rank", str(rank), timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#leaderboard-me")).to_contain_text(f"with {points:,} points",
                                                            timeout=LIVE_TIMEOUT_MS)


def _expect_duel(page, scene: Scene, alice: int, bob: int) -> None:
    """Alice and Bob's rows; at equal points Bob leads (he reached the total first)."""
    alice_rank = 1 if alice > bob else 2
    _expect_standing(page, scene.alice_id, rank=alice_rank, points=alice)
    _expect_standing(page, scene.bob_id, rank=3 - alice_rank, points=bob)


def _mark_page(page) -> None:
    """Leave a mark in the page's window; a reload or a navigation would wipe it."""
    page.evaluate("() => { window.__marker = 1; }")


def _assert_not_reloaded(page, path: str) -> None:
    assert page.evaluate("() => window.__marker") == 1, "the page reloaded"
    assert page.url.endswith(path), page.url
    assert page.js_errors == []


def _open_leaderboard(page, scene: Scene) -> None:
    page.goto("/leaderboard")
    wait_until_live(page)
    _expect_duel(page, scene, alice=scene.start_points, bob=scene.start_points)  # Bob #1, Alice #2


# -- the tests --------------------------------------------------------------------------------

def test_a_like_moves_the_author_up_her_open_leaderboard_without_a_reload(open_page, live):
    scene = _bob_then_alice_with_a_project(live)
    alice = open_page("alice")
    _open_leaderboard(alice, scene)
    _expect_my_rank(alice, 2, scene.start_points)
    _mark_page(alice)
    pushes_before = ws_messages(alice)

    bob = open_page("bob")
    bob.goto(scene.project_path)
    heart = bob.locator(f"#like-{scene.project_id} button.heart")
    expect(heart).to_have_attribute("aria-pressed", "false")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    liked = _settled_points(live, scene.alice_id)
    assert liked > scene.start_points, "a like should earn the author points"

    # Alice never touched her page: the new standing arrived over the WebSocket.
    _expect_duel(alice, scene, alice=liked, bob=_points(live, scene.bob_id))
    _expect_my_rank(alice, 1, liked)
    assert ws_messages(alice) > pushes_before
    _assert_not_reloaded(alice, "/leaderboard")


def test_the_heart_toggles_and_an_unlike_takes_the_points_back_live(open_page, live):
    scene = _bob_then_alice_with_a_project(live)
    alice = open_page("alice")
    _open_leaderboard(alice, scene)
    _mark_page(alice)

    bob = open_page("bob")
    bob.goto(scene.project_path)
    like = bob.locator(f"#like-{scene.project_id}")
    heart, count = like.locator("button.heart"), like.locator("span.count")
    expect(count).to_have_attribute("data-likes", "0")

    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart).to_have_accessible_name(re.compile(r"^Unlike "))
    expect(count).to_have_attribute("data-likes", "1")
    expect(count).to_have_text("1")
    liked = _settled_points(live, scene.alice_id)
    assert liked > scene.start_points
    _expect_standing(alice, scene.alice_id, rank=1, points=liked)

    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "false")
    expect(heart).to_have_accessible_name(re.compile(r"^Like "))
    expect(count).to_have_attribute("data-likes", "0")
    expect(count).to_have_text("0")
    unliked = _settled_points(live, scene.alice_id)
    assert unliked < liked, "an unlike should take the like's points back"
    # With only the like rules this is back to level, and Bob leads again (he got there first).
    _expect_duel(alice, scene, alice=unliked, bob=_points(live, scene.bob_id))
    _expect_my_rank(alice, 1 if unliked > scene.start_points else 2, unliked)
    _assert_not_reloaded(alice, "/leaderboard")
    assert bob.js_errors == []


def test_an_open_leaderboard_shows_a_like_made_elsewhere(open_page, live):
    """A visitor (not logged in) watches the board; a like committed by another process shows up."""
    scene = _bob_then_alice_with_a_project(live)
    visitor = open_page()
    _open_leaderboard(visitor, scene)
    expect(visitor.locator("#leaderboard-me strong")).to_have_count(0)
    _mark_page(visitor)

    _like_as(live, scene.bob_id, scene.project_id)
    liked = _settled_points(live, scene.alice_id)
    assert liked > scene.start_points

    _expect_duel(visitor, scene, alice=liked, bob=_points(live, scene.bob_id))
    _assert_not_reloaded(visitor, "/leaderboard")


def test_a_reconnecting_socket_gets_the_current_standings(open_page, live):
    """The socket drops; a like happens while it is down; htmx reconnects and shows it at once."""
    scene = _bob_then_alice_with_a_project(live)
    alice = open_page("alice")
    sockets = []

    def through_the_server(ws):
        if sockets:  # htmx reconnecting: everything about the like is done before it gets through
            _like_as(live, scene.bob_id, scene.project_id)
            settle(live)
        sockets.append(ws)
        ws.connect_to_server()

    alice.route_web_socket(re.compile(r"/ws\?"), through_the_server)
    _open_leaderboard(alice, scene)
    _expect_my_rank(alice, 2, scene.start_points)
    alice.evaluate("() => { htmx.config.wsReconnectDelay = () => 50; }")  # skip up to 1 s of jitter
    _mark_page(alice)

    sockets[0].close(code=1012, reason="service restart")  # as if the web process restarted
    alice.wait_for_function("() => window.__ws.closed > 0")
    alice.wait_for_function("() => window.__ws.opened > 1")

    liked = _settled_points(live, scene.alice_id)
    assert liked > scene.start_points
    _expect_duel(alice, scene, alice=liked, bob=_points(live, scene.bob_id))
    _expect_my_rank(alice, 1, liked)
    assert len(sockets) == 2
    _assert_not_reloaded(alice, "/leaderboard")


def test_the_authors_points_chip_updates_live(open_page, live):
    scene = _bob_then_alice_with_a_project(live)
    alice = open_page("alice")
    alice.goto(scene.project_path)  # any page: a logged-in member's socket carries their own chip
    wait_until_live(alice)
    chip = alice.locator("#points-chip .chip-points")
    expect(chip).to_have_attribute("data-points", str(scene.start_points))
    expect(chip).to_have_text(f"{scene.start_points:,} pts")
    _mark_page(alice)

    bob = open_page("bob")
    bob.goto(scene.project_path)
    heart = bob.locator(f"#like-{scene.project_id} button.heart")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    liked = _settled_points(live, scene.alice_id)
    assert liked > scene.start_points

    expect(chip).to_have_attribute("data-points", str(liked), timeout=LIVE_TIMEOUT_MS)
    expect(chip).to_have_text(f"{liked:,} pts", timeout=LIVE_TIMEOUT_MS)
    expect(alice.locator("#points-chip")).to_have_attribute("title", re.compile(rf"^{liked:,} points · "))
    # Bob's own chip shows his own total: the like earned the author points.
    expect(bob.locator("#points-chip .chip-points")).to_have_attribute(
        "data-points", str(_points(live, scene.bob_id)), timeout=LIVE_TIMEOUT_MS)
    _assert_not_reloaded(alice, scene.project_path)


def _submit_signup(page, username: str, email: str, password: str):
    page.goto("/signup")
    page.locator("#username").fill(username)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    _mark_page(page)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/signup")) as answer:
        page.get_by_role("button", name="Create my account").click()
    return answer.value


def test_sign_up_errors_show_in_place(open_page, live):
    make_member(live.app, "alice")
    page = open_page()
    response = _submit_signup(page, "alice", "someone.else@example.com", "password123")

    assert response.status == 422  # refused with a message, not a 500
    form = page.locator("#signup-form")
    expect(form.locator("#password-error.field-error")).to_contain_text("This password is too easy to guess.")
    expect(form.locator("#username")).to_have_value("alice")  # what was typed is kept
    expect(form.locator("#email")).to_have_value("someone.else@example.com")
    expect(page.locator(".toast-error")).to_have_count(0)
    _assert_not_reloaded(page, "/signup")


def test_sign_up_with_a_taken_username_says_so(open_page, live):
    make_member(live.app, "alice")
    page = open_page()
    response = _submit_signup(page, "alice", "someone.else@example.com", "orbit-lantern-quarry-78")

    assert response.status == 422
    expect(page.locator("#signup-form #username-error.field-error")).to_have_text("That username is taken.")
    expect(page.locator("#signup-form .field-error")).to_have_count(1)
    _assert_not_reloaded(page, "/signup")


def test_sign_up_reports_the_taken_username_and_the_weak_password_together(open_page, live):
    make_member(live.app, "alice")
    page = open_page()
    _submit_signup(page, "alice", "someone.else@example.com", "password123")

    expect(page.locator("#signup-form #password-error.field-error")).to_be_visible()
    expect(page.locator("#signup-form #username-error.field-error")).to_have_text(
        "That username is taken.", timeout=1_000)
