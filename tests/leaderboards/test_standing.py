"""What a member sees of their own place: rank far outside the top, tier rank, the five above and
below, who to beat, and this week's top 10 wearing flair next to their names."""
from datetime import timedelta

from app.models.types import frozen_time
from app.read import leaderboards
from app.read.leaderboards import board_spec
from tests.conftest import drain
from tests.leaderboards.helpers import WEDNESDAY, follow, grant, members, publish, set_points
from workers.jobs import rebuild


def ladder(app, count=9):
    """Members m0..m8 with 900, 800, ... 100 points (m0 first)."""
    ids = members(app, *(f"m{i}x" for i in range(count)))
    for i, uid in enumerate(ids):
        set_points(app, uid, (count - i) * 100, WEDNESDAY)
    rebuild(["leaderboards"])
    return ids


def test_the_window_around_me_at_the_first_and_the_last_rank(app, ctx):
    ids = ladder(app)
    spec = board_spec("global")
    first, middle, last = (leaderboards.mine(spec, [uid])[uid] for uid in (ids[0], ids[4], ids[-1]))
    assert [s.rank for s in first.window] == [1, 2, 3, 4, 5, 6]
    assert [s.rank for s in middle.window] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert [s.rank for s in last.window] == [4, 5, 6, 7, 8, 9]
    assert [s.user_id for s in last.window] == ids[3:]
    assert (first.rank, last.rank, last.total) == (1, 9, 9)
    assert first.rival is None
    assert (last.rival.member.username, last.rival.rank, last.rival.needed) == ("m7x", 8, 101)


def test_the_rank_line_names_the_tier_rank_and_who_to_beat(app, ctx, web):
    ids = ladder(app, count=4)  # 400, 300, 200, 100 points: all Seedlings
    set_points(app, ids[0], 1_500, WEDNESDAY)  # a Sprout, above everyone
    rebuild(["leaderboards"])
    page = web.login("m3x").get("/leaderboard").get_data(as_text=True)
    assert "You're <strong data-my-rank=\"4\">#4</strong> globally" in page
    assert "<strong data-tier-rank=\"3\">#3</strong> in your tier (Seedling)" in page
    assert "with <strong>100</strong> points" in page
    assert 'Beat <a href="/@m2x">@m2x</a> to reach #3 (+101 points needed)' in page
    assert page.count('class="board-row') >= 4 + 4  # the board and the window around me
    tier = web.get("/leaderboard/tier/seedling").get_data(as_text=True)
    assert "You're <strong data-my-rank=\"3\">#3</strong> in Seedling" in tier


def test_this_weeks_top_ten_wear_flair_everywhere(app, ctx, web):
    last_week = WEDNESDAY - timedelta(days=8)
    ids = members(app, *(f"flair{i}" for i in range(12)), at=last_week)
    publish(app, ids[-1], "Leader's notebook", at=last_week)
    publish(app, ids[0], "Last place notebook", at=last_week)
    with frozen_time(last_week):
        drain(app)  # whatever last week's work earns (achievements) is earned last week
    for i, uid in enumerate(ids):
        grant(app, uid, 10 * (i + 1))  # this week flair11 leads, flair0 is 12th
    for followee in (ids[-1], ids[0]):
        follow(app, ids[5], followee)
    with frozen_time(WEDNESDAY):
        drain(app)
        home = web.get("/").get_data(as_text=True)
        web.login("flair5")
        feed = web.get("/feed", htmx=True).get_data(as_text=True)  # its flair read with the page's ids
    leader_item = feed[feed.index('data-author="%d"' % ids[-1]):][:600]
    assert 'title="#1 this week"' in leader_item
    last_item = feed[feed.index('data-author="%d"' % ids[0]):][:600]
    assert 'class="flair"' not in last_item
    assert home.count('class="flair"') >= 2  # the leader's project card and the top 10
    leader_card = home[home.index("Leader&#39;s notebook"):][:600]
    assert 'title="#1 this week"' in leader_card
    last_card = home[home.index("Last place notebook"):][:600]
    assert 'class="flair"' not in last_card  # 12th this week: no flair
