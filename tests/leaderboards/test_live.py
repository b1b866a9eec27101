"""Boards update live without flooding: the projector names only the boards a change touched (the
home page's top 10 only when it moved), the hub coalesces each board's pushes, and an open board
shows a like within a second."""
import time
from datetime import timedelta

from sqlalchemy import select
from websockets.sync.client import connect

from app.extensions import db
from app.models import Event, User
from app.models.types import frozen_time
from app.read import keys
from app.read.redis import client
from tests.browser.conftest import settle
from tests.conftest import make_member
from commands.projects import publish_project
from commands.social import like_project
from tests.leaderboards.helpers import WEDNESDAY, grant, members, set_points
from tests.web.test_realtime import current_points, points_of, wait_for, ws_url
from workers.jobs import rebuild
from workers.projectors import leaderboards as projector


def latest_events(after_id):
    return list(db.session.scalars(select(Event).where(Event.id > after_id).order_by(Event.id)))


def announced(events) -> set[str]:
    """The topics a projection names: those it published itself at once (the global, period and
    battle boards, before the slower topic boards) and those it returns for its job to publish."""
    listener = client().pubsub()
    listener.psubscribe(keys.push_pattern())
    try:
        assert listener.get_message(timeout=2)["type"] == "psubscribe"  # listening before it runs
        returned = projector.project(events)
        published, quiet_until = set(), time.monotonic() + 0.3
        while time.monotonic() < quiet_until:  # until nothing has come for 0.3 s
            if (message := listener.get_message(timeout=0.05)) is not None:
                published.add(message["channel"].removeprefix(keys.push_channel("")))
                quiet_until = time.monotonic() + 0.3
    finally:
        listener.close()
    assert not returned & published, "a topic announced twice is rendered twice"
    return returned | published


def test_the_projector_names_only_the_boards_a_change_touched(app, ctx):
    ids = members(app, *(f"m{i}x" for i in range(12)), at=WEDNESDAY - timedelta(days=30))
    for i, uid in enumerate(ids):
        set_points(app, uid, 1_000 - 10 * i, WEDNESDAY - timedelta(days=20))
    with frozen_time(WEDNESDAY):
        rebuild(["leaderboards"])
        mark = db.session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
        grant(app, ids[-1], 5)  # 12th stays 12th: the top 10 did not move
        topics = announced(latest_events(mark))
        assert topics == {"leaderboard.global", "leaderboard.weekly", "leaderboard.monthly",
                          "leaderboard.tier.seedling", f"member.{ids[-1]}"}
        mark = db.session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
        grant(app, ids[-1], 500)  # into Sprout, and first
        topics = announced(latest_events(mark))
        assert {"leaderboard.top10", "leaderboard.tier.seedling", "leaderboard.tier.sprout"} <= topics
        assert announced(latest_events(mark)) == {f"member.{ids[-1]}"}  # again: nothing changed


def test_an_open_board_shows_a_like_within_a_second(live):
    app = live.app
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    with app.app_context():
        project = publish_project(db.session.get(User, alice), {"title": "Retrieval notebook", "topics": "rag"}).id
    settle(live)
    boards = ("leaderboard-weekly", "leaderboard-monthly", "leaderboard-topic-rag", "leaderboard-tier-seedling")
    topics = "leaderboard.weekly,leaderboard.monthly,leaderboard.topic.rag,leaderboard.tier.seedling"
    with connect(ws_url(live, topics)) as ws:
        wait_for(ws, lambda m: all(f'id="{b}"' in m for b in boards))  # the current state on connect
        started = time.monotonic()
        with app.app_context():
            assert like_project(db.session.get(User, bob), {"project_id": project})
        liked = current_points(app, alice)  # all earned this week and month: the period boards show it
        pending = set(boards)
        while pending:
            message = wait_for(ws, lambda m, waiting=frozenset(pending): any(f'id="{b}"' in m for b in waiting))
            if 'id="leaderboard-weekly"' in message:
                assert points_of(message, alice) == (1, liked)
            pending -= {b for b in boards if f'id="{b}"' in message}
        assert time.monotonic() - started < 1.5  # "within a second", with margin for a busy machine
