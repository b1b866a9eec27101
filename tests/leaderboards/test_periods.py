"""Weekly and monthly boards: UTC weeks reset Monday 00:00, months on the 1st; the closed period
stays readable ("last week's winners") and its final standings are archived once."""
from datetime import datetime, timezone

from sqlalchemy import func, select

from app.extensions import db
from app.models import ArchivedStanding, ClosedPeriod, Event
from app.models.leaderboards import Period
from app.models.types import frozen_time
from app.read import leaderboards
from app.read.leaderboards import board_spec
from tests.conftest import drain
from tests.leaderboards.helpers import grant, members
from workers.scheduled import close_periods

SUNDAY_LAST_SECOND = datetime(2026, 11, 29, 23, 59, 59, tzinfo=timezone.utc)
MONDAY_MIDNIGHT = datetime(2026, 11, 30, 0, 0, 0, tzinfo=timezone.utc)
MONTH_LAST_SECOND = datetime(2026, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
NEW_YEAR = datetime(2027, 1, 1, 0, 0, 0, tzinfo=timezone.utc)


def rows(kind, arg="", at=None):
    with frozen_time(at):
        return [(r.member.username, r.points) for r in leaderboards.board(board_spec(kind, arg)).rows]


def test_the_calendar_is_utc_iso_weeks_and_months():
    assert Period.containing("weekly", SUNDAY_LAST_SECOND).id == "2026-W48"
    assert Period.containing("weekly", MONDAY_MIDNIGHT).id == "2026-W49"
    assert Period.containing("weekly", MONDAY_MIDNIGHT).previous.id == "2026-W48"
    assert Period.containing("weekly", NEW_YEAR).id == "2026-W53"  # ISO: Friday 1 Jan 2027 is in 2026's week 53
    assert Period.containing("monthly", MONTH_LAST_SECOND).id == "2026-12"
    assert Period.containing("monthly", NEW_YEAR).id == "2027-01"
    assert Period.parse("weekly", "2026-W49").starts_at == MONDAY_MIDNIGHT
    assert Period.parse("monthly", "2027-01").previous.ends_at == NEW_YEAR
    assert Period.parse("weekly", "2026-W54") is None and Period.parse("monthly", "2026-13") is None


def test_the_week_resets_at_monday_midnight_utc_and_last_week_stays(app, ctx):
    ada, bob = members(app, "ada", "bob", at=SUNDAY_LAST_SECOND)
    grant(app, ada, 40, at=SUNDAY_LAST_SECOND)
    grant(app, bob, 10, at=MONDAY_MIDNIGHT)
    grant(app, bob, 5, at=MONDAY_MIDNIGHT)
    with frozen_time(MONDAY_MIDNIGHT):
        drain(app)
    # Sign-up points count in the week they were earned: ada and bob both joined on Sunday.
    assert rows("weekly", at=SUNDAY_LAST_SECOND) == [("ada", 140), ("bob", 100)]
    assert rows("weekly", at=MONDAY_MIDNIGHT) == [("bob", 15)]
    assert rows("weekly", "previous", at=MONDAY_MIDNIGHT) == [("ada", 140), ("bob", 100)]


def test_the_month_resets_on_the_first_at_midnight_utc(app, ctx):
    (ada,) = members(app, "ada", at=MONTH_LAST_SECOND)
    grant(app, ada, 30, at=MONTH_LAST_SECOND)
    grant(app, ada, 7, at=NEW_YEAR)
    with frozen_time(NEW_YEAR):
        drain(app)
    assert rows("monthly", at=NEW_YEAR) == [("ada", 7)]
    assert rows("monthly", "previous", at=NEW_YEAR) == [("ada", 130)]
    assert rows("global", at=NEW_YEAR) == [("ada", 137)]


def test_period_ties_go_to_whoever_reached_the_total_first(app, ctx):
    early, late = members(app, "early", "late", at=datetime(2026, 11, 20, tzinfo=timezone.utc))
    grant(app, late, 50, at=datetime(2026, 11, 24, 9, tzinfo=timezone.utc))
    grant(app, early, 50, at=datetime(2026, 11, 24, 10, tzinfo=timezone.utc))  # same total, one hour later
    grant(app, late, 5, at=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
    grant(app, early, 5, at=datetime(2026, 11, 25, 8, tzinfo=timezone.utc))  # ... but reaches 55 first
    with frozen_time(datetime(2026, 11, 26, tzinfo=timezone.utc)):
        drain(app)
        assert rows("weekly") == [("early", 55), ("late", 55)]


def test_a_closed_week_is_archived_once_with_its_final_standings(app, ctx):
    ada, bob, cyd = members(app, "ada", "bob", "cyd", at=datetime(2026, 11, 10, tzinfo=timezone.utc))
    for who, amount in ((ada, 30), (bob, 70), (cyd, 70)):
        grant(app, who, amount, at=SUNDAY_LAST_SECOND)
    grant(app, ada, 500, at=MONDAY_MIDNIGHT)  # next week: not in W48's standings
    with frozen_time(MONDAY_MIDNIGHT):
        drain(app)
        closed = close_periods()
        assert "weekly:2026-W48" in closed and "monthly:2026-10" in closed
        assert close_periods() == []  # once
    standings = list(db.session.execute(
        select(ArchivedStanding.rank, ArchivedStanding.user_id, ArchivedStanding.points)
        .where(ArchivedStanding.board == "weekly", ArchivedStanding.period == "2026-W48")
        .order_by(ArchivedStanding.rank)))
    assert standings == [(1, bob, 70), (2, cyd, 70), (3, ada, 30)]  # a same-second tie: the earlier member first
    closing = db.session.scalar(select(Event).where(Event.type == "LeaderboardPeriodClosed",
                                                    Event.payload["period"].as_string() == "2026-W48"))
    assert [w["user_id"] for w in closing.payload["winners"]] == [bob, cyd, ada]
    assert db.session.scalar(select(func.count()).select_from(ClosedPeriod)) == 2
    with frozen_time(MONDAY_MIDNIGHT):
        archive = leaderboards.archive("weekly", "2026-W48")
    assert [(r.rank, r.member.username, r.points) for r in archive.rows] == [
        (1, "bob", 70), (2, "cyd", 70), (3, "ada", 30)]
