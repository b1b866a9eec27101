"""Loss aversion and milestones: "dropped out of the top 100" and "overtaken by someone you follow"
are recorded once per occurrence; "Reached Top 100" and "Top 10 this week" unlock exactly once,
through the gamification engine."""
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, MemberAchievement, Notice
from app.models.types import frozen_time
from commands.leaderboards import check_overtakes, check_top100
from tests.conftest import drain
from tests.leaderboards.helpers import WEDNESDAY, crowd, follow, grant, members, set_points
from workers.jobs import rebuild
from workers.scheduled import check_standings


def recorded(kind):
    return [e.payload for e in db.session.scalars(select(Event).where(Event.type == kind).order_by(Event.id))]


def test_dropping_out_of_the_top_100_is_recorded_once_per_occurrence(app, ctx):
    hundred = crowd(app, 100, points=500)
    (climber,) = crowd(app, 1, points=400, prefix="climber")
    assert check_top100() == []
    last_of_the_hundred = hundred[-1]  # same points, same second: the latest to join ranks 100th
    set_points(app, climber, 600, WEDNESDAY + timedelta(hours=1))
    assert check_top100() == [last_of_the_hundred]
    assert check_top100() == []  # nothing new: nothing recorded twice
    (dropped,) = recorded("DroppedOutOfTop100")
    assert (dropped["user_id"], dropped["rank"], dropped["points"], dropped["cutoff_points"]) == (
        last_of_the_hundred, 101, 500, 500)
    assert dropped["overtaken_by"] == [{"user_id": climber, "username": "climber0", "rank": 1}]
    set_points(app, last_of_the_hundred, 700, WEDNESDAY + timedelta(hours=2))  # back in ...
    assert check_top100() == [hundred[-2]]
    set_points(app, last_of_the_hundred, 100, WEDNESDAY + timedelta(hours=3))  # ... and out again
    assert sorted(check_top100()) == [last_of_the_hundred]
    assert len(recorded("DroppedOutOfTop100")) == 3
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 3


def test_being_overtaken_by_someone_you_follow_is_recorded_once_per_overtake(app, ctx):
    ada, bob, cyd = members(app, "ada", "bob", "cyd")
    follow(app, ada, bob)
    set_points(app, ada, 300, WEDNESDAY)
    set_points(app, bob, 200, WEDNESDAY)
    set_points(app, cyd, 900, WEDNESDAY)  # ada doesn't follow cyd: no notice about cyd
    assert check_overtakes([ada, bob, cyd]) == []  # first look: nothing to report
    set_points(app, bob, 301, WEDNESDAY + timedelta(hours=1))
    assert check_overtakes([bob]) == [(ada, bob)]
    assert check_overtakes([bob, ada]) == []
    (notice,) = recorded("OvertakenByFollowee")
    assert (notice["user_id"], notice["by_user_id"], notice["by_username"]) == (ada, bob, "bob")
    assert (notice["rank"], notice["by_rank"], notice["points"], notice["by_points"]) == (3, 2, 300, 301)
    set_points(app, ada, 400, WEDNESDAY + timedelta(hours=2))
    assert check_overtakes([ada]) == []  # ada is ahead again: no notice for that
    set_points(app, bob, 401, WEDNESDAY + timedelta(hours=3))
    assert check_overtakes([bob]) == [(ada, bob)]
    assert len(recorded("OvertakenByFollowee")) == 2


def test_top_100_and_weekly_top_10_achievements_unlock_once(app, ctx):
    crowd(app, 100, points=50)  # a board of more than 100, with ada on top
    (ada,) = members(app, "ada", at=WEDNESDAY - timedelta(days=30))
    others = crowd(app, 10, points=50, prefix="weekly")
    for uid in (ada, *others):
        grant(app, uid, 20)  # eleven members on this week's board
    with frozen_time(WEDNESDAY):
        drain(app)
        rebuild(["leaderboards"])
        for _ in range(2):
            check_standings()
            drain(app)
    unlocked = set(db.session.scalars(
        select(MemberAchievement.achievement_key).where(MemberAchievement.user_id == ada)))
    assert {"top_100", "top_10_week"} <= unlocked
    twice = db.session.scalar(select(func.count()).select_from(Event).where(
        Event.type == "AchievementUnlocked", Event.actor_id == ada,
        Event.payload["achievement"].as_string().in_(["top_100", "top_10_week"])))
    assert twice == 2  # once each


def test_being_overtaken_and_dropping_out_become_notifications(app, ctx):
    from app.models import Notification
    from app.read.notifications import describe

    ada, bob = members(app, "ada", "bob")
    follow(app, ada, bob)
    set_points(app, ada, 300, WEDNESDAY)
    set_points(app, bob, 200, WEDNESDAY)
    check_overtakes([ada, bob])
    set_points(app, bob, 301, WEDNESDAY + timedelta(hours=1))
    check_overtakes([bob])
    drain(app)
    overtaken = list(db.session.scalars(select(Notification).where(Notification.user_id == ada,
                                                                   Notification.type == "overtaken")))
    assert len(overtaken) == 1
    assert describe(overtaken)[0].text == "@bob overtook you on the leaderboard (you're #2 now)"
