"""Daily rank snapshots (a scheduled job, or `flask leaderboards snapshot`) feed the profile's
rank-history chart, drawn with chart.js and readable as a plain table."""
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import RankSnapshot
from app.models.types import frozen_time
from tests.leaderboards.helpers import WEDNESDAY, members, set_points
from workers.jobs import rebuild
from workers.scheduled import run_due, snapshot_ranks


def snapshots():
    return list(db.session.execute(select(RankSnapshot.user_id, RankSnapshot.day, RankSnapshot.rank,
                                          RankSnapshot.tier_rank, RankSnapshot.points)
                                   .order_by(RankSnapshot.day, RankSnapshot.rank)))


def test_the_daily_snapshot_records_global_and_tier_ranks_once_a_day(app, ctx):
    ada, bob, cyd = members(app, "ada", "bob", "cyd")
    set_points(app, ada, 1_500, WEDNESDAY)  # Sprout
    set_points(app, bob, 300, WEDNESDAY)
    set_points(app, cyd, 200, WEDNESDAY)
    rebuild(["leaderboards"])
    day = WEDNESDAY.date()
    with frozen_time(WEDNESDAY):
        assert snapshot_ranks() == 3
        set_points(app, cyd, 400, WEDNESDAY)
        rebuild(["leaderboards"])
        snapshot_ranks()  # the day's snapshot is written once
    assert snapshots() == [(ada, day, 1, 1, 1_500), (bob, day, 2, 1, 300), (cyd, day, 3, 2, 200)]
    with frozen_time(WEDNESDAY + timedelta(days=91)):
        snapshot_ranks()
    assert {d for _, d, *_ in snapshots()} == {day + timedelta(days=91)}  # older than 90 days: pruned


def test_the_cli_and_the_scheduler_take_the_snapshot(app, ctx):
    members(app, "ada")
    rebuild(["leaderboards"])
    result = app.test_cli_runner().invoke(args=["leaderboards", "snapshot", "--day", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert "Recorded the rank of 1 member(s) for 2026-11-20" in result.output
    with frozen_time(WEDNESDAY):
        assert set(run_due()) == {"standings", "periods", "streaks", "snapshot", "views"}
        assert run_due() == {}  # nothing is due again within the same second
    with frozen_time(WEDNESDAY + timedelta(days=1)):
        assert "snapshot" in run_due()
    assert len(snapshots()) == 3
    tick = app.test_cli_runner().invoke(args=["leaderboards", "tick", "--force", "standings"])
    assert tick.exit_code == 0 and "standings:" in tick.output


def test_the_rank_history_is_a_chart_with_a_table_beside_it(app, ctx, web):
    members(app, "ada")
    rebuild(["leaderboards"])
    for days_ago in (2, 1, 0):
        snapshot_ranks(day=WEDNESDAY.date() - timedelta(days=days_ago))
    with frozen_time(WEDNESDAY):
        panel = web.get("/leaderboard/@ada", htmx=True).get_data(as_text=True)
    assert 'id="leaderboard-panel-' in panel and "<canvas" in panel and "data-rank-history=" in panel
    assert "<caption>Daily global rank of @ada</caption>" in panel
    assert panel.count('<th scope="row">') == 3 and "2026-11-23" in panel
    page = web.get("/leaderboard/@ada").get_data(as_text=True)
    assert "/vendor/chart.umd.min.js" in page
    script = web.get("/vendor/chart.umd.min.js")
    assert script.status_code == 200 and b"Chart" in script.data[:5000]
