"""Feed cards: written when an activity is projected, written again or dropped on the events that
change them, rebuilt byte for byte, and a page with cards reads exactly as one built from Postgres."""
import re

import pytest
from flask import g

from app.extensions import db, store
from app.models import User
from app.read import keys
from commands.projects import delete_project, set_visibility, update_project
from commands.social import follow_member, like_project, repost_activity, withdraw_repost
from tests.conftest import WebClient, drain, make_member, redis_snapshot
from tests.workers.test_feeds import activity_id, published
from workers.jobs import rebuild


def member(user_id):
    return db.session.get(User, user_id)


def card_keys(app) -> list[str]:
    return sorted(store(app).client.scan_iter(match="at:feedcard:*"))


def cards(app) -> dict:
    return {k: v for k, v in redis_snapshot(app).items() if k.startswith("at:feedcard:")}


def feed_html(web) -> str:
    """The Following fragment, whitespace folded."""
    g.pop("_login_user", None)  # requests share the test's app context: load the member afresh
    return re.sub(r"\s+", " ", web.get("/feed", htmx=True).get_data(as_text=True))


@pytest.fixture
def cast(app, ctx):
    author, fan, sharer = make_member(app, "author"), make_member(app, "fan"), make_member(app, "sharer")
    follow_member(member(fan), {"user_id": author})
    follow_member(member(fan), {"user_id": sharer})
    project = published(author, "Agent that files my receipts")
    drain(app)
    return author, fan, sharer, project.id


@pytest.fixture
def fan_web(app, cast):
    """The fan, logged in (one client per test: the app context, and so the CSRF token, is shared)."""
    return WebClient(app).login("fan")


def test_an_activity_gets_its_card_and_a_page_with_cards_equals_one_built_from_postgres(app, cast, fan_web):
    author, fan, sharer, project_id = cast
    aid = activity_id(project_id)
    assert repost_activity(member(sharer), {"activity_id": aid})
    drain(app)
    assert keys.feed_card(aid) in card_keys(app) and len(card_keys(app)) == 2  # the activity and the repost
    with_cards = feed_html(fan_web)
    assert "Agent that files my receipts" in with_cards and "reposted" in with_cards
    store(app).client.delete(*card_keys(app))  # lost, or older than the cards' window
    assert feed_html(fan_web) == with_cards


def test_editing_a_project_rewrites_its_card(app, cast, fan_web):
    author, fan, _, project_id = cast
    before = cards(app)
    update_project(member(author), {"project_id": project_id, "title": "Agent that files my taxes",
                                    "description": "Now with receipts", "topics": "agents, ocr"})
    drain(app)
    assert cards(app) != before
    html = feed_html(fan_web)
    assert "Agent that files my taxes" in html and "Now with receipts" in html and "<li>ocr</li>" in html
    assert "files my receipts" not in html


def test_like_counts_and_names_are_live_not_cached(app, cast, fan_web):
    author, fan, sharer, project_id = cast
    before = cards(app)
    like_project(member(sharer), {"project_id": project_id})
    drain(app)
    assert cards(app) == before  # nothing to invalidate: the count is read with every page
    html = feed_html(fan_web)
    assert 'data-likes="1"' in html and "@sharer you follow liked this" in html


def test_a_project_made_private_leaves_on_the_next_read_and_its_card_goes(app, cast, fan_web):
    author, fan, sharer, project_id = cast
    aid = activity_id(project_id)
    set_visibility(member(author), {"project_id": project_id, "visibility": "private"})
    # Not projected yet: the page already leaves it out (whether a project is listed is read live).
    assert "Agent that files my receipts" not in feed_html(fan_web)
    drain(app)
    assert keys.feed_card(aid) not in card_keys(app)
    live = cards(app)
    rebuild(["feed_cards"])
    assert cards(app) == live
    set_visibility(member(author), {"project_id": project_id, "visibility": "public"})
    drain(app)
    assert keys.feed_card(aid) in card_keys(app)
    assert "Agent that files my receipts" in feed_html(fan_web)
    live = cards(app)
    rebuild(["feed_cards"])
    assert cards(app) == live


def test_deleting_a_project_or_withdrawing_a_repost_drops_their_cards(app, cast, fan_web):
    author, fan, sharer, project_id = cast
    aid = activity_id(project_id)
    repost_activity(member(sharer), {"activity_id": aid})
    drain(app)
    assert len(card_keys(app)) == 2
    withdraw_repost(member(sharer), {"activity_id": aid})
    drain(app)
    assert card_keys(app) == [keys.feed_card(aid)]
    repost_activity(member(sharer), {"activity_id": aid})
    drain(app)
    delete_project(member(author), {"project_id": project_id})
    drain(app)
    assert card_keys(app) == []
    assert "Agent that files my receipts" not in feed_html(fan_web)


def test_cards_rebuild_equals_live_and_projecting_twice_changes_nothing(app, cast):
    from sqlalchemy import select

    from app.models import Event
    from workers.projectors import feed_cards

    author, fan, sharer, project_id = cast
    repost_activity(member(sharer), {"activity_id": activity_id(project_id)})
    published(sharer, "Second notebook")
    drain(app)
    live = cards(app)
    assert len(live) == 3
    feed_cards.project(list(db.session.scalars(select(Event).order_by(Event.id))))
    assert cards(app) == live
    rebuild(["feed_cards"])
    assert cards(app) == live
    ttl = store(app).client.ttl(next(iter(live)))
    assert 0 < ttl <= 7 * 86400  # each card leaves Redis a week after its activity
