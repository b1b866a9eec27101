"""Every board is projected idempotently from events and rebuilt byte for byte from Postgres."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.extensions import db, store
from app.models import Event
from app.models.types import frozen_time
from app.read import keys, leaderboards
from app.read.leaderboards import board_spec
from commands.social import unlike_project
from tests.conftest import drain
from tests.leaderboards.helpers import BOARD_MODELS, WEDNESDAY, boards_snapshot, grant, like, members, publish, user, win_battle
from workers.jobs import project_events, rebuild
from workers.projectors.leaderboards import expire_streaks

LAST_WEEK = WEDNESDAY - timedelta(days=7)
LAST_MONTH = datetime(2026, 10, 30, 12, tzinfo=timezone.utc)
BOARDS = (("global", ""), ("weekly", ""), ("weekly", "previous"), ("monthly", ""), ("monthly", "previous"),
          ("tier", "seedling"), ("tier", "sprout"), ("streak", ""), ("battle", ""), ("topic", "rag"))


def every_board_in_use(app):
    """Members on all seven boards (this and last week and month included)."""
    ada, bob, cyd = members(app, "ada", "bob", "cyd", at=LAST_MONTH)
    grant(app, cyd, 1_200, at=LAST_WEEK)  # Sprout: two tier bands in use
    rag = publish(app, ada, "Retrieval notebook", "rag, agents")
    evals = publish(app, bob, "Eval harness", "llm-evals")
    like(app, bob, rag)
    like(app, cyd, rag)
    like(app, ada, evals)
    win_battle(app, bob, ada, battle_id=1)
    win_battle(app, bob, cyd, battle_id=2)
    win_battle(app, ada, bob, battle_id=3)
    with frozen_time(WEDNESDAY):
        drain(app)
    return ada, bob, cyd


def shown(kind, arg=""):
    return [(r.member.username, r.points) for r in leaderboards.board(board_spec(kind, arg)).rows]


def test_rebuild_equals_live_for_all_seven_boards(app, ctx):
    every_board_in_use(app)
    with frozen_time(WEDNESDAY):
        live = boards_snapshot(app)
        boards = {board: shown(*board) for board in BOARDS}
        assert all(boards.values()), boards
        assert [name for name, _ in boards[("tier", "sprout")]] == ["cyd"]
        assert boards[("battle", "")] == [("bob", 2), ("ada", 1)]
        assert {name for name, _ in boards[("topic", "rag")]} == {"ada"}
        store(app).client.flushall()
        rebuild(BOARD_MODELS)
        assert boards_snapshot(app) == live


def test_projecting_every_event_twice_changes_no_board(app, ctx):
    every_board_in_use(app)
    with frozen_time(WEDNESDAY):
        once = boards_snapshot(app)
        ids = list(db.session.scalars(select(Event.id).order_by(Event.id)))
        project_events(ids)
        project_events(list(reversed(ids)))
        drain(app)
        assert boards_snapshot(app) == once
    assert any(key.startswith("at:lb:topic:") for key in once)


def test_the_battle_board_is_empty_until_battles_are_won_and_says_so(app, ctx, web):
    members(app, "ada")
    with frozen_time(WEDNESDAY):
        drain(app)
    page = web.get("/leaderboard/battles").get_data(as_text=True)
    assert "No battles have been won yet" in page
    assert not store(app).client.exists(keys.leaderboard_battles())


def test_a_topic_board_counts_points_earned_through_its_projects_and_gives_back_unlikes(app, ctx):
    ada, bob = members(app, "ada", "bob")
    rag = publish(app, ada, "Retrieval notebook", "rag")
    publish(app, bob, "Untagged")
    like(app, bob, rag)
    with frozen_time(WEDNESDAY):
        drain(app)
        published_and_liked = shown("topic", "rag")
        assert [name for name, _ in published_and_liked] == ["ada"]
        with app.app_context():
            unlike_project(user(bob), {"project_id": rag})
        drain(app)
        (after,) = shown("topic", "rag")
        assert after[1] < published_and_liked[0][1]
        assert leaderboards.topic_boards() == [("rag", 1)]


def test_the_streak_board_shows_alive_streaks_only(app, ctx):
    ada, bob = members(app, "ada", "bob")
    publish(app, ada, "Day one")
    publish(app, bob, "Day one too")
    publish(app, ada, "Day two", at=WEDNESDAY + timedelta(days=1))
    with frozen_time(WEDNESDAY + timedelta(days=1)):
        drain(app)
        assert shown("streak") == [("ada", 2), ("bob", 1)]
    with frozen_time(WEDNESDAY + timedelta(days=2)):
        assert expire_streaks() == {"leaderboard.streak"}  # bob missed Thursday: broken (no freeze yet)
        assert shown("streak") == [("ada", 2)]  # ada was active on Thursday
        live = boards_snapshot(app)
        rebuild(["leaderboard_streaks"])
        assert boards_snapshot(app) == live
