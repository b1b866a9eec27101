"""Streaks follow the member's own calendar, with freezes, whatever order actions arrive in."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.gamification import replay_streak
from app.models import Event, MemberStreak, PointsEntry, User
from app.models.types import frozen_time
from commands.gamification import count_activity_day, evaluate_progress
from commands.projects import publish_project
from tests.conftest import make_member

D = date(2026, 11, 1)


def days(*offsets):
    return [D + timedelta(days=o) for o in offsets]


def test_consecutive_days_grow_the_streak():
    s = replay_streak(days(0, 1, 2, 3))
    assert (s.current, s.longest, s.last_day) == (4, 4, D + timedelta(days=3))


def test_a_missed_day_without_a_freeze_resets():
    s = replay_streak(days(0, 1, 3))
    assert (s.current, s.longest) == (1, 2)


def test_a_freeze_earned_in_a_week_saves_one_missed_day():
    s = replay_streak(days(*range(7), 8))  # day 7 missed, covered by the freeze earned at day 7
    assert (s.current, s.freezes, s.freezes_used) == (8, 0, 1)


def test_at_most_two_freezes_are_held():
    s = replay_streak(days(*range(28)))
    assert s.freezes == 2
    s = replay_streak(days(*range(28), 30))  # two missed days (28, 29), two freezes
    assert (s.current, s.freezes) == (29, 0)
    s = replay_streak(days(*range(28), 31))  # three missed days is too many
    assert s.current == 1


def test_order_and_repeats_do_not_matter():
    forwards = replay_streak(days(0, 1, 2, 4, 5, 6, 7, 8, 9, 10))
    assert replay_streak(list(reversed(days(0, 1, 2, 4, 5, 6, 7, 8, 9, 10))) * 2) == forwards


def test_alive_on_breaks_only_after_the_freezes():
    s = replay_streak(days(0, 1, 2))
    assert s.alive_on(D + timedelta(days=3)) == 3  # today, not yet active: still alive
    assert s.alive_on(D + timedelta(days=4)) == 0  # a whole day missed, no freeze


def act_at(app, user_id, moment):
    """Publish at a frozen moment and count the day (as the policy would)."""
    with frozen_time(moment):
        publish_project(db.session.get(User, user_id), {"title": f"At {moment.isoformat()}"})
        event_id = db.session.scalar(select(func.max(Event.id)).where(Event.type == "ProjectPublished"))
        count_activity_day(user_id, event_id)


@pytest.mark.parametrize("tz,late,early", [
    # 23:30 local on day 1, then 00:30 local on day 2: consecutive days in that zone.
    ("Pacific/Pago_Pago", datetime(2026, 11, 2, 10, 30), datetime(2026, 11, 2, 11, 30)),   # UTC-11
    ("Pacific/Kiritimati", datetime(2026, 11, 1, 9, 30), datetime(2026, 11, 1, 10, 30)),   # UTC+14
    ("UTC", datetime(2026, 11, 1, 23, 30), datetime(2026, 11, 2, 0, 30)),
])
def test_crossing_local_midnight_counts_two_days(app, ctx, tz, late, early):
    uid = make_member(app, "walker", time_zone=tz)
    act_at(app, uid, late.replace(tzinfo=timezone.utc))
    act_at(app, uid, early.replace(tzinfo=timezone.utc))
    act_at(app, uid, (early + timedelta(minutes=20)).replace(tzinfo=timezone.utc))  # same local day
    streak = db.session.get(MemberStreak, uid)
    assert (streak.current, streak.longest) == (2, 2)


def test_one_utc_day_can_be_two_local_days_apart(app, ctx):
    # 10:30 and 11:30 UTC fall on different local days in Pago Pago only.
    pago, utc = make_member(app, "pago", time_zone="Pacific/Pago_Pago"), make_member(app, "utc")
    for uid in (pago, utc):
        act_at(app, uid, datetime(2026, 11, 2, 10, 30, tzinfo=timezone.utc))
        act_at(app, uid, datetime(2026, 11, 2, 11, 30, tzinfo=timezone.utc))
    assert db.session.get(MemberStreak, pago).current == 2
    assert db.session.get(MemberStreak, utc).current == 1


def test_seven_days_is_a_milestone_and_an_achievement_once(app, ctx):
    uid = make_member(app, "steady")
    start = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)
    for d in range(8):
        act_at(app, uid, start + timedelta(days=d))
    last_event = db.session.scalar(select(func.max(Event.id)))
    evaluate_progress(uid, last_event)
    evaluate_progress(uid, last_event)
    milestones = db.session.scalar(select(func.count()).select_from(Event)
                                   .where(Event.type == "StreakMilestoneReached"))
    assert milestones == 1
    assert db.session.scalar(select(func.count()).select_from(PointsEntry).where(
        PointsEntry.user_id == uid, PointsEntry.rule == "streak_milestone")) == 1
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.type == "AchievementUnlocked", Event.payload["achievement"].as_string() == "week_warrior")) == 1
