"""Notifications: batched, once per event, respectful of blocks, mutes, settings and quiet hours."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import ActiveDay, Follow, Notification, NotificationSettings, User
from app.models.types import frozen_time
from app.read.notifications import describe
from commands.base import CommandRejected
from commands.notifications import block_member, in_quiet_hours, mute_member, settings_of, update_notification_settings
from commands.projects import publish_project
from commands.social import follow_member, like_project, unlike_project
from tests.conftest import drain, make_member
from workers import nudges
from workers.jobs import apply_policies


def notifications_of(user_id, type_=None):
    query = select(Notification).where(Notification.user_id == user_id)
    if type_:
        query = query.where(Notification.type == type_)
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_six_likes_make_one_notification_naming_the_latest(app, ctx):
    author = make_member(app, "author")
    fans = [make_member(app, f"fan{i}") for i in range(6)]
    project = publish_project(db.session.get(User, author), {"title": "Prompt diff viewer"})
    for fan in fans:
        like_project(db.session.get(User, fan), {"project_id": project.id})
    drain(app)
    likes = notifications_of(author, "project_like")
    assert len(likes) == 1
    assert describe(likes)[0].text == "@fan5 and 5 others liked your project “Prompt diff viewer”"
    assert likes[0].link == "/@author/prompt-diff-viewer"
    unlike_project(db.session.get(User, fans[5]), {"project_id": project.id})
    drain(app)
    db.session.expire_all()
    assert describe(notifications_of(author, "project_like"))[0].text.startswith("@fan4 and 4 others")


def test_a_batch_of_likes_is_delivered_together_and_announced_once(app, ctx):
    """A policy batch holding several likes on one member's projects updates their notifications
    in one go: the blocked and muted fans are left out, and each notification touched is
    announced (bell pushed, e-mail policy checked) once, not once per like."""
    from app.models import Event

    author = make_member(app, "author")
    fans = [make_member(app, f"fan{i}") for i in range(5)]
    blocked, muted = make_member(app, "troll"), make_member(app, "loud")
    projects = [publish_project(db.session.get(User, author), {"title": title})
                for title in ("Eval harness", "Agent sandbox")]
    mute_member(db.session.get(User, author), {"user_id": muted})
    drain(app)
    first = db.session.scalar(select(func.max(Event.id)))
    for fan in fans + [blocked, muted]:
        for project in projects:
            like_project(db.session.get(User, fan), {"project_id": project.id})
    block_member(db.session.get(User, author), {"user_id": blocked})  # before the likes are policed
    ids = list(db.session.scalars(select(Event.id).where(Event.id > first).order_by(Event.id)))
    apply_policies(ids)  # one batch, as a busy policing job takes them
    db.session.expire_all()
    likes = notifications_of(author, "project_like")
    assert [(n.data["title"], n.actor_ids) for n in likes] == [
        ("Eval harness", list(reversed(fans))), ("Agent sandbox", list(reversed(fans)))]
    sent = [e for e in db.session.scalars(select(Event).where(Event.type == "NotificationSent", Event.id > first))
            if e.payload["type"] == "project_like"]
    assert sorted(e.payload["notification_id"] for e in sent) == sorted(n.id for n in likes)


def test_an_event_notifies_once_even_when_policed_twice(app, ctx):
    author, fan = make_member(app, "author"), make_member(app, "fan")
    project = publish_project(db.session.get(User, author), {"title": "Once"})
    like_project(db.session.get(User, fan), {"project_id": project.id})
    drain(app)
    from app.models import Event

    ids = list(db.session.scalars(select(Event.id)))
    apply_policies(ids)
    db.session.expire_all()
    assert len(notifications_of(author, "project_like")) == 1
    assert notifications_of(author, "project_like")[0].actor_ids == [fan]


def test_a_read_batch_starts_a_new_one(app, ctx, web):
    author, a, b = make_member(app, "author"), make_member(app, "ann"), make_member(app, "ben")
    project = publish_project(db.session.get(User, author), {"title": "Fresh"})
    like_project(db.session.get(User, a), {"project_id": project.id})
    drain(app)
    web.login("author")
    assert web.post("/notifications/read-all").status_code == 200
    like_project(db.session.get(User, b), {"project_id": project.id})
    drain(app)
    db.session.expire_all()
    assert [n.actor_ids for n in notifications_of(author, "project_like")] == [[a], [b]]


def test_blocked_members_cannot_follow_or_notify(app, ctx):
    alice, troll = make_member(app, "alice"), make_member(app, "troll")
    follow_member(db.session.get(User, alice), {"user_id": troll})
    follow_member(db.session.get(User, troll), {"user_id": alice})
    block_member(db.session.get(User, alice), {"user_id": troll})
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 0  # follows end both ways
    with pytest.raises(CommandRejected) as exc:
        follow_member(db.session.get(User, troll), {"user_id": alice})
    assert exc.value.status == 403
    project = publish_project(db.session.get(User, alice), {"title": "Mine"})
    like_project(db.session.get(User, troll), {"project_id": project.id})
    drain(app)
    assert notifications_of(alice, "project_like") == []


def test_muted_members_vanish_from_notifications(app, ctx):
    alice, loud = make_member(app, "alice"), make_member(app, "loud")
    mute_member(db.session.get(User, alice), {"user_id": loud})
    follow_member(db.session.get(User, loud), {"user_id": alice})
    drain(app)
    assert notifications_of(alice, "new_follower") == []


def test_switched_off_types_are_not_delivered(app, ctx):
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    update_notification_settings(db.session.get(User, alice), {
        "quiet_start": "22:00", "quiet_end": "08:00", "email_enabled": True, "enabled": ["achievement:in_app"]})
    follow_member(db.session.get(User, bob), {"user_id": alice})
    drain(app)
    assert notifications_of(alice, "new_follower") == []


@pytest.mark.parametrize("tz,utc_time,quiet", [
    ("Europe/Berlin", "2026-11-24T20:59", False),   # 21:59 local
    ("Europe/Berlin", "2026-11-24T21:00", True),    # 22:00 local
    ("Asia/Tokyo", "2026-11-24T22:59", True),       # 07:59 local
    ("Asia/Tokyo", "2026-11-24T23:00", False),      # 08:00 local
    ("Pacific/Pago_Pago", "2026-11-25T09:30", True),  # 22:30 local
])
def test_quiet_hours_follow_the_member_clock(app, ctx, tz, utc_time, quiet):
    settings = NotificationSettings(quiet_start=22 * 60, quiet_end=8 * 60)
    moment = datetime.fromisoformat(utc_time).replace(tzinfo=timezone.utc)
    assert in_quiet_hours(moment, tz, settings) is quiet


def give_streak(user_id, today, days):
    for d in range(1, days + 1):
        db.session.add(ActiveDay(user_id=user_id, day=today - timedelta(days=d)))
    db.session.commit()


@pytest.mark.parametrize("tz,at_eight", [
    ("America/New_York", datetime(2026, 11, 24, 1, 0)),   # 20:00 on the 23rd in New York
    ("Asia/Kolkata", datetime(2026, 11, 24, 14, 30)),     # 20:00 in Kolkata
    ("Pacific/Kiritimati", datetime(2026, 11, 24, 6, 0)),  # 20:00 in Kiritimati
])
def test_streak_nudge_at_eight_pm_local_once(app, ctx, tz, at_eight):
    uid = make_member(app, "streaker", time_zone=tz)
    at_eight = at_eight.replace(tzinfo=timezone.utc)
    from app.gamification import local_day

    give_streak(uid, local_day(at_eight, tz), 4)
    with frozen_time(at_eight - timedelta(minutes=1)):
        nudges.run(at_eight - timedelta(minutes=1))
    assert notifications_of(uid, "streak_at_risk") == []
    for minute in (0, 5):
        with frozen_time(at_eight + timedelta(minutes=minute)):
            nudges.run(at_eight + timedelta(minutes=minute))
    sent = notifications_of(uid, "streak_at_risk")
    assert len(sent) == 1 and "4-day streak is at risk" in describe(sent)[0].text


def test_no_streak_nudge_when_active_today_or_short(app, ctx):
    active, short = make_member(app, "active"), make_member(app, "short")
    at_eight = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)
    give_streak(active, at_eight.date(), 5)
    db.session.add(ActiveDay(user_id=active, day=at_eight.date()))
    db.session.commit()
    give_streak(short, at_eight.date(), 2)
    nudges.run(at_eight)
    assert notifications_of(active, "streak_at_risk") == [] and notifications_of(short, "streak_at_risk") == []


def test_tier_almost_reached_once_and_the_daily_nudge_cap(app, ctx):
    uid = make_member(app, "almost")
    db.session.execute(update(User).where(User.id == uid).values(points=870))  # 87% of Sprout
    db.session.commit()
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    nudges.run(noon)
    nudges.run(noon + timedelta(minutes=1))
    assert describe(notifications_of(uid, "tier_almost"))[0].text == "You are 130 points from Sprout"
    assert len(notifications_of(uid, "tier_almost")) == 1


def test_nudges_wait_out_quiet_hours(app, ctx):
    uid = make_member(app, "sleepy")
    db.session.execute(update(User).where(User.id == uid).values(points=870))
    db.session.commit()
    nudges.run(datetime(2026, 11, 24, 23, 0, tzinfo=timezone.utc))  # 23:00 UTC: quiet
    assert notifications_of(uid, "tier_almost") == []


def test_defaults_are_digest_email_and_quiet_nights(app, ctx):
    uid = make_member(app, "fresh")
    settings = settings_of(uid)
    assert settings.email_enabled and (settings.quiet_start, settings.quiet_end) == (22 * 60, 8 * 60)


def test_at_most_two_nudges_a_day(app, ctx):
    from commands.notifications import send_nudge

    uid = make_member(app, "nudged")
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    sent = [send_nudge(uid, "tier_almost", f"test:{i}", noon, data={"missing": 1, "tier": "Sprout"})
            for i in range(3)]
    assert [n is not None for n in sent] == [True, True, False]
    tomorrow = send_nudge(uid, "tier_almost", "test:3", noon + timedelta(days=1), data={"missing": 1, "tier": "X"})
    assert tomorrow is not None


def test_writing_a_members_notifications_does_not_hold_up_likes_on_their_work(app, ctx):
    """A policy worker delivering a notification to a member (niced, under load, it may sit on
    it) holds other notifications to that member back, but not a like of their project, whose
    points award locks the member's row."""
    import threading

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from commands.notifications import _lock_notifications_of

    author, fan, other = make_member(app, "author"), make_member(app, "fan"), make_member(app, "other")
    project = publish_project(db.session.get(User, author), {"title": "Eval harness"}).id
    holding, release = threading.Event(), threading.Event()

    def deliver_slowly():
        with app.app_context():
            assert _lock_notifications_of(author)
            holding.set()
            release.wait(10)
            db.session.rollback()

    worker = threading.Thread(target=deliver_slowly)
    worker.start()
    try:
        assert holding.wait(10)
        db.session.execute(text("SET lock_timeout = '2s'"))
        assert like_project(db.session.get(User, fan), {"project_id": project})  # not blocked
        db.session.execute(text("SET lock_timeout = '200ms'"))
        with pytest.raises(OperationalError, match="lock timeout"):
            _lock_notifications_of(author)  # a second writer of the author's notifications waits
        db.session.rollback()
        assert _lock_notifications_of(other)  # another member's are free
        db.session.rollback()
    finally:
        release.set()
        worker.join(10)
        db.session.execute(text("RESET lock_timeout"))
    assert _lock_notifications_of(author)  # free again once the first writer is done
    db.session.rollback()
    assert db.session.get(User, author).points > 0
