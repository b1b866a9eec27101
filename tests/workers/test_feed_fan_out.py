"""Fan-out of many activities at once: every set gets its ids in one script call, capped, the same as
one activity at a time (test_feeds.py compares live sets with a rebuild)."""
from sqlalchemy import select

from app.extensions import db, store
from app.feed import is_activity
from app.models import Event, User
from app.read import keys
from app.rules import FEED
from commands.projects import publish_project
from commands.social import follow_member
from tests.conftest import drain, make_member, redis_snapshot
from workers.projectors import feeds as projector


def feed_state(app) -> dict:
    """Members' home feeds and own activity sets."""
    return {k: v for k, v in redis_snapshot(app).items() if k.endswith((":home", ":posted"))}


def test_a_chunk_of_activities_fans_out_as_one_at_a_time_does(app, ctx, monkeypatch):
    monkeypatch.setitem(FEED, "cap", 5)
    monkeypatch.setattr(projector, "FAN_OUT_IDS", 3)  # several script calls, a set's ids never split
    r = store(app).client
    busy, quiet, fan, other_fan = (make_member(app, n) for n in ("busy", "quiet", "fan", "otherfan"))
    for follower, followee in ((fan, busy), (fan, quiet), (other_fan, busy)):
        follow_member(db.session.get(User, follower), {"user_id": followee})
    for i in range(9):  # more than the cap reaches the fan in one chunk
        publish_project(db.session.get(User, busy), {"title": f"Busy {i}"})
        if i % 3 == 0:
            publish_project(db.session.get(User, quiet), {"title": f"Quiet {i}"})
    drain(app)  # one event per job
    one_at_a_time = feed_state(app)
    assert len(r.zrange(keys.home_feed(fan), 0, -1)) == 5
    r.delete(*one_at_a_time)
    events = list(db.session.scalars(select(Event).order_by(Event.id)))
    projector.project([e for e in events if is_activity(e)])  # they all fan out together
    assert feed_state(app) == one_at_a_time
    projector.project(events)  # a replay of everything changes nothing
    assert feed_state(app) == one_at_a_time
    projector.rebuild()  # and Postgres alone gives the same sets, at this cap too
    assert feed_state(app) == one_at_a_time


def test_a_set_given_thousands_of_ids_keeps_the_newest_cap(app, ctx):
    r = store(app).client
    big, small = keys.home_feed(10**6), keys.home_feed(10**6 + 1)
    pipe = r.pipeline(transaction=False)
    projector.add_capped(r, pipe, {big: list(range(1, 4501)), small: [7]})
    assert len(pipe) == 2  # at most FAN_OUT_IDS ids a call, unless one set has more on its own
    pipe.execute()
    newest = list(range(4500, 4500 - FEED["cap"], -1))  # newest first, in Redis' own order
    assert [int(m) for m in r.zrange(big, 0, -1)] == newest and r.zrange(small, 0, -1) == ["7"]
    assert r.zrange(big, 0, 1, withscores=True) == [("4500", -4500.0), ("4499", -4499.0)]
    pipe = r.pipeline(transaction=False)
    projector.add_capped(r, pipe, {big: [5, 4500, 4501]})  # an old id, one already there, a new one
    pipe.execute()
    assert [int(m) for m in r.zrange(big, 0, -1)] == [4501] + newest[:-1]
