"""Onboarding, tier and level ups, weekly goals, side quests, achievements: reached once."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Event, MemberAchievement, MemberQuest, PointsEntry, User
from app.models.types import frozen_time
from commands.accounts import choose_interests, update_profile
from commands.base import CommandRejected
from commands.gamification import award_points, evaluate_progress, start_quest
from commands.projects import publish_project
from commands.social import follow_member, like_project
from tests.conftest import make_member


def events_of(kind, **payload):
    rows = db.session.scalars(select(Event).where(Event.type == kind)).all()
    return [e for e in rows if all(e.payload.get(k) == v for k, v in payload.items())]


def latest_event():
    return db.session.scalar(select(func.max(Event.id)))


def test_onboarding_steps_are_rewarded_once_and_complete(app, ctx):
    uid = make_member(app, "learner")
    others = [make_member(app, f"peer{i}") for i in range(3)]
    user = db.session.get(User, uid)
    update_profile(user, {"display_name": "Lee", "bio": "Learning RAG", "time_zone": "UTC"})
    choose_interests(user, {"topics": ["rag", "agents", "embeddings"]})
    publish_project(user, {"title": "First"})
    for i, other in enumerate(others):
        follow_member(user, {"user_id": other})
        project = publish_project(db.session.get(User, other), {"title": f"Peer project {i}"})
        like_project(user, {"project_id": project.id})
    evaluate_progress(uid, latest_event())
    evaluate_progress(uid, latest_event())  # a replay changes nothing
    steps = events_of("OnboardingStepCompleted", user_id=uid)
    assert sorted(e.payload["step"] for e in steps) == sorted(
        ["complete_profile", "pick_topics", "publish_project", "follow_members", "like_projects"])
    assert len(events_of("OnboardingCompleted", user_id=uid)) == 1
    unlocked = set(db.session.scalars(select(MemberAchievement.achievement_key).where(MemberAchievement.user_id == uid)))
    assert {"first_steps", "all_set", "hello_world"} <= unlocked


def test_tier_up_is_recorded_once_and_not_again_after_a_dip(app, ctx):
    uid = make_member(app, "climber")
    event = db.session.scalar(select(Event).order_by(Event.id.desc()))
    award_points(uid, "achievement", event, "test", amount=950, key="t1")  # 100 -> 1050: Sprout
    db.session.commit()
    award_points(uid, "like_withdrawn", event, "dip", amount=-100, key="t2")  # back to Seedling
    award_points(uid, "achievement", event, "again", amount=100, key="t3")    # Sprout again
    db.session.commit()
    tiers = events_of("TierReached", user_id=uid)
    assert [e.payload["tier"] for e in tiers] == ["sprout"]
    assert tiers[0].payload["points"] == 1050


def test_level_ups_inside_a_tier(app, ctx):
    uid = make_member(app, "stepper")
    event = db.session.scalar(select(Event).order_by(Event.id.desc()))
    award_points(uid, "achievement", event, "step", amount=150, key="l1")  # 250: Seedling 2
    db.session.commit()
    assert [e.payload["level"] for e in events_of("LevelReached", user_id=uid)] == ["seedling-2"]


@pytest.mark.parametrize("tz,sunday_late", [
    ("Asia/Tokyo", datetime(2026, 11, 22, 14, 59, 59)),        # Sunday 23:59:59 in Tokyo
    ("America/Los_Angeles", datetime(2026, 11, 23, 7, 59, 59)),  # Sunday 23:59:59 in LA
])
def test_weekly_goals_reset_on_local_monday(app, ctx, tz, sunday_late):
    uid = make_member(app, "weekly", time_zone=tz)
    db.session.execute(update(User).where(User.id == uid)
                       .values(created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    db.session.commit()
    sunday = sunday_late.replace(tzinfo=timezone.utc)
    with frozen_time(sunday):
        publish_project(db.session.get(User, uid), {"title": "Sunday night ship"})
        evaluate_progress(uid, latest_event())
    with frozen_time(sunday + timedelta(seconds=1)):  # Monday 00:00:00 local: a new week
        evaluate_progress(uid, latest_event())
        publish_project(db.session.get(User, uid), {"title": "Monday morning ship"})
        evaluate_progress(uid, latest_event())
    weeks = sorted(e.payload["week"] for e in events_of("WeeklyGoalMet", user_id=uid, goal="publish"))
    assert weeks == ["2026-W47", "2026-W48"]


def test_side_quest_steps_complete_from_real_events_after_the_start(app, ctx):
    uid = make_member(app, "quester")
    user = db.session.get(User, uid)
    publish_project(user, {"title": "Before the quest", "topics": "rag"})  # does not count
    start_quest(user, {"quest": "rag_apprentice"})
    with pytest.raises(CommandRejected) as exc:
        start_quest(user, {"quest": "rag_apprentice"})
    assert exc.value.status == 409
    publish_project(user, {"title": "Tagged wrong", "topics": "agents"})  # wrong topic
    evaluate_progress(uid, latest_event())
    assert db.session.get(MemberQuest, (uid, "rag_apprentice")).completed_at is None
    publish_project(user, {"title": "My RAG notebook", "topics": "rag, embeddings"})
    author = make_member(app, "author")
    for i in range(5):
        project = publish_project(db.session.get(User, author), {"title": f"Idea {i}"})
        like_project(user, {"project_id": project.id})
    evaluate_progress(uid, latest_event())
    assert db.session.get(MemberQuest, (uid, "rag_apprentice")).completed_at is not None
    rewards = db.session.scalars(select(PointsEntry.amount).where(
        PointsEntry.user_id == uid, PointsEntry.rule == "quest_completed")).all()
    assert rewards == [150]
    with pytest.raises(CommandRejected):
        start_quest(user, {"quest": "no_such_quest"})


def test_racing_evaluations_unlock_an_achievement_exactly_once(app):
    uid = make_member(app, "popular")
    with app.app_context():
        publish_project(db.session.get(User, uid), {"title": "Hello"})
        cause = latest_event()
    barrier, errors = threading.Barrier(10), []

    def evaluate():
        with app.app_context():
            try:
                barrier.wait()
                evaluate_progress(uid, cause)
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=evaluate) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with app.app_context():
        assert len(events_of("AchievementUnlocked", user_id=uid, achievement="hello_world")) == 1
        assert db.session.scalar(select(func.count()).select_from(PointsEntry).where(
            PointsEntry.user_id == uid, PointsEntry.reason == "Achievement: Hello, World")) == 1
