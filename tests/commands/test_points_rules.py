"""Point rules: caps, diminishing returns, beginner's luck, rollback, the daily reward."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Event, PointsEntry, User
from app.models.types import frozen_time
from app.rules import BEGINNERS_LUCK, POINTS_RULES
from commands.gamification import claim_daily_reward
from commands.projects import publish_project
from commands.social import like_project, unlike_project
from tests.conftest import make_member

BOOST = BEGINNERS_LUCK["multiplier"]


def ledger(user_id, rule):
    return [a for (a,) in db.session.execute(
        select(PointsEntry.amount).where(PointsEntry.user_id == user_id, PointsEntry.rule == rule)
        .order_by(PointsEntry.id))]


def age(user_id, days):
    """Make a member `days` old (past or inside beginner's luck)."""
    db.session.execute(update(User).where(User.id == user_id)
                       .values(created_at=datetime.now(timezone.utc) - timedelta(days=days)))
    db.session.commit()


@pytest.fixture(params=["postgresql", "sqlite"])
def rules_app(request, tmp_path, services):
    """The suite's PostgreSQL app, or a fresh embedded (SQLite) one: PostgreSQL awards points in one
    statement, SQLite step by step, and the rules must come out the same."""
    if request.param == "postgresql":
        request.getfixturevalue("ctx")
        yield request.getfixturevalue("app")
        return
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'points.db'}",
                      "REDIS_URL": services["redis"].url, "INPROCESS_WORKER": False, "EVENTS_ENQUEUE": False})
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()


def test_publishing_has_diminishing_returns_then_a_cap(rules_app):
    app = rules_app
    uid = make_member(app, "maker")
    age(uid, 30)  # no beginner's luck
    user = db.session.get(User, uid)
    for i in range(5):
        publish_project(user, {"title": f"Experiment {i}"})
    assert ledger(uid, "project_published") == [100, 50, 25]  # 4th and 5th: capped at 3 a day


def test_beginners_luck_doubles_the_first_week_only(rules_app):
    app = rules_app
    uid = make_member(app, "newbie")
    age(uid, 6)
    publish_project(db.session.get(User, uid), {"title": "Day six"})
    age(uid, 8)
    with frozen_time(datetime.now(timezone.utc) + timedelta(days=1)):  # a new local day
        publish_project(db.session.get(User, uid), {"title": "Day eight"})
    assert ledger(uid, "project_published") == [100 * BOOST, 100]


def test_the_daily_cap_resets_at_local_midnight(rules_app):
    app = rules_app
    uid = make_member(app, "night_owl", time_zone="Pacific/Kiritimati")  # UTC+14
    age(uid, 30)
    user = db.session.get(User, uid)
    # 09:59 UTC is 23:59 in Kiritimati; 10:00 UTC is already tomorrow there.
    with frozen_time(datetime(2026, 11, 20, 9, 59, tzinfo=timezone.utc)):
        for i in range(4):
            publish_project(user, {"title": f"Late {i}"})
    with frozen_time(datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)):
        publish_project(user, {"title": "Just after midnight"})
    assert ledger(uid, "project_published") == [100, 50, 25, 100]


def test_unlike_takes_back_exactly_what_the_like_earned(rules_app):
    app = rules_app
    author, fan = make_member(app, "author"), make_member(app, "fan")
    project = publish_project(db.session.get(User, author), {"title": "Prompt garden"})
    like_project(db.session.get(User, fan), {"project_id": project.id})
    age(author, 30)  # the boost is gone now, but the like earned the boosted amount
    unlike_project(db.session.get(User, fan), {"project_id": project.id})
    assert ledger(author, "like_received") == [5 * BOOST]
    assert ledger(author, "like_withdrawn") == [-5 * BOOST]


def test_no_points_for_liking_your_own_project(rules_app):
    app = rules_app
    uid = make_member(app, "solo")
    project = publish_project(db.session.get(User, uid), {"title": "Mirror"})
    like_project(db.session.get(User, uid), {"project_id": project.id})
    assert ledger(uid, "like_received") == []


def test_daily_reward_once_per_local_day_and_recorded(app, ctx):
    uid = make_member(app, "early_bird", time_zone="Pacific/Pago_Pago")  # UTC-11
    user = db.session.get(User, uid)
    # 10:59 UTC is 23:59 the previous day in Pago Pago; 11:00 UTC is the next local day.
    with frozen_time(datetime(2026, 11, 21, 10, 59, tzinfo=timezone.utc)):
        first = claim_daily_reward(user)
        again = claim_daily_reward(user)
    with frozen_time(datetime(2026, 11, 21, 11, 0, tzinfo=timezone.utc)):
        next_day = claim_daily_reward(user)
    assert first.new and not again.new and next_day.new
    assert first.amount == again.amount  # the draw is recorded, not redrawn
    assert (str(first.day), str(next_day.day)) == ("2026-11-20", "2026-11-21")
    assert 50 <= first.amount <= 500 and ledger(uid, "daily_reward") == [first.amount, next_day.amount]


def test_racing_daily_reward_claims_award_once(app):
    uid = make_member(app, "racer")
    barrier, results = threading.Barrier(12), []

    def claim():
        with app.app_context():
            barrier.wait()
            results.append(claim_daily_reward(db.session.get(User, uid)))
            db.session.remove()

    threads = [threading.Thread(target=claim) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.new for r in results) == 1
    assert len({r.amount for r in results}) == 1
    with app.app_context():
        assert len(ledger(uid, "daily_reward")) == 1
        assert db.session.scalar(select(func.count()).select_from(Event)
                                 .where(Event.type == "DailyRewardClaimed")) == 1


def test_every_rule_is_described(app):
    assert all(rule.description for rule in POINTS_RULES.values())
    result = app.test_cli_runner().invoke(args=["gamification", "rules"])
    assert result.exit_code == 0 and "project_published" in result.output and "1/0.5/0.25" in result.output
