"""Home feeds: fan-out on write, cap and trim, celebrities merged at read time, rebuild = live."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db, store
from app.models import Event, User
from app.read import feeds, keys
from app.rules import FEED
from commands.notifications import block_member, mute_member
from commands.projects import publish_project
from commands.social import follow_member
from tests.conftest import drain, make_member, redis_snapshot
from workers.jobs import rebuild


def feed_of(app, user_id):
    return [int(i) for i in store(app).client.zrange(keys.home_feed(user_id), 0, -1)]  # newest first


def published(user_id, title):
    return publish_project(db.session.get(User, user_id), {"title": title})


def activity_id(project_id):
    return db.session.scalar(select(Event.id).where(Event.type == "ProjectPublished",
                                                    Event.payload["project_id"].as_integer() == project_id))


@pytest.fixture
def small_feed(monkeypatch):
    monkeypatch.setitem(FEED, "cap", 5)


def test_publishing_fans_out_to_followers_and_self(app, ctx):
    author, fan, stranger = make_member(app, "author"), make_member(app, "fan"), make_member(app, "stranger")
    follow_member(db.session.get(User, fan), {"user_id": author})
    project = published(author, "Agent that files my receipts")
    drain(app)
    aid = activity_id(project.id)
    assert aid in feed_of(app, fan) and aid in feed_of(app, author)
    assert aid not in feed_of(app, stranger)


def test_cap_and_trim_keep_the_newest(app, ctx, small_feed):
    author, fan = make_member(app, "author"), make_member(app, "fan")
    follow_member(db.session.get(User, fan), {"user_id": author})
    for i in range(8):
        published(author, f"Experiment {i}")
    drain(app)
    from app.feed import is_activity

    visible = [e.id for e in db.session.scalars(select(Event).where(Event.actor_id.in_([author, fan])))
               if is_activity(e)]
    assert feed_of(app, fan) == sorted(visible, reverse=True)[:5]


def test_inactive_members_are_skipped_then_rebuilt_when_they_return(app, ctx):
    from commands.accounts import authenticate_member
    from tests.conftest import STRONG_PASSWORD

    author, sleeper = make_member(app, "author"), make_member(app, "sleeper")
    follow_member(db.session.get(User, sleeper), {"user_id": author})
    drain(app)
    long_ago = (datetime.now(timezone.utc) - timedelta(days=FEED["inactive_days"] + 1)).timestamp()
    store(app).client.zadd(keys.last_active(), {str(sleeper): int(long_ago)})
    project = published(author, "Posted while they slept")
    drain(app)
    assert not store(app).client.exists(keys.home_feed(sleeper))  # no writes for the inactive
    authenticate_member({"username": "sleeper", "password": STRONG_PASSWORD})
    drain(app)
    assert activity_id(project.id) in feed_of(app, sleeper)


def test_an_inactive_members_feed_is_dropped_once_and_replays_change_nothing(app, ctx):
    from workers.projectors import feeds as projector

    r = store(app).client
    author, sleeper = make_member(app, "author"), make_member(app, "sleeper")
    follow_member(db.session.get(User, sleeper), {"user_id": author})
    published(author, "Seen while awake")
    drain(app)
    assert feed_of(app, sleeper)
    long_ago = int((datetime.now(timezone.utc) - timedelta(days=FEED["inactive_days"] + 1)).timestamp())
    r.zadd(keys.last_active(), {str(sleeper): long_ago})
    published(author, "Posted while they slept")
    drain(app)
    assert not r.exists(keys.home_feed(sleeper)) and r.zscore(keys.last_active(), str(sleeper)) == -long_ago
    # Already dropped: later fan-outs have nothing to delete for them (and send nothing).
    assert projector._active(r, [author, sleeper], datetime.now(timezone.utc)) == ([author], [])
    published(author, "And again")
    drain(app)
    snapshot = redis_snapshot(app)
    # The author's events again (the sleeper's own would say, rightly, that they acted just now).
    projector.project(list(db.session.scalars(select(Event).where(Event.actor_id == author).order_by(Event.id))))
    assert redis_snapshot(app) == snapshot and r.zscore(keys.last_active(), str(sleeper)) == -long_ago


def test_celebrity_merge_gives_the_same_order_as_full_fan_out(app, ctx, monkeypatch):
    star, fans = make_member(app, "star"), [make_member(app, f"fan{i}") for i in range(3)]
    other = make_member(app, "other")
    for fan in fans:
        follow_member(db.session.get(User, fan), {"user_id": star})
    follow_member(db.session.get(User, fans[0]), {"user_id": other})
    for i in range(4):
        published(star, f"Star post {i}")
        published(other, f"Other post {i}")
    drain(app)
    full = [i.id for i in feeds.following(fans[0]).items]
    monkeypatch.setitem(FEED, "celebrity_followers", 2)  # the star now counts as a celebrity
    rebuild(["feeds"])
    star_posts = {activity_id(p) for p in db.session.scalars(select(Event.payload["project_id"].as_integer())
                                                            .where(Event.actor_id == star, Event.type == "ProjectPublished"))}
    assert not star_posts & set(feed_of(app, fans[0]))  # not fanned out any more...
    assert [i.id for i in feeds.following(fans[0]).items] == full  # ...yet merged in the same order
    famous = activity_id(published(star, "Star post while famous").id)
    drain(app)
    assert famous not in feed_of(app, fans[0]) and famous in [i.id for i in feeds.following(fans[0]).items]


def test_rebuild_equals_live(app, ctx):
    people = [make_member(app, f"member{i}") for i in range(5)]
    for i, uid in enumerate(people):
        for other in people[: i]:
            follow_member(db.session.get(User, uid), {"user_id": other})
        published(uid, f"Notebook {i}")
    drain(app)
    live = feed_sets(app)
    assert any(k.endswith(":home") for k in live) and any(k.endswith(":posted") for k in live)
    rebuild(["feeds"])
    assert feed_sets(app) == live


def feed_sets(app) -> dict:
    return {k: v for k, v in redis_snapshot(app).items()
            if k.startswith("at:feed:") or k.endswith((":home", ":posted", ":celebrities"))}


def test_a_rebuild_clears_the_sets_scored_the_old_way(app, ctx):
    author, fan = make_member(app, "author"), make_member(app, "fan")
    follow_member(db.session.get(User, fan), {"user_id": author})
    newest = activity_id(published(author, "Prompt linter").id)
    drain(app)
    r = store(app).client
    old = {f"at:{{u:{fan}}}:feed": newest, f"at:{{u:{author}}}:activities": newest, "at:feed:popular": newest}
    for key, aid in old.items():  # what a deploy from before the newest-first scores leaves in Redis
        r.zadd(key, {str(aid): aid})
    rebuild(["feeds"])
    assert not any(r.exists(key) for key in old)
    assert feed_of(app, fan)[0] == newest


def test_muted_and_blocked_authors_never_show(app, ctx):
    reader, muted, blocked, friend = (make_member(app, n) for n in ("reader", "muted", "blocked", "friend"))
    for uid in (muted, blocked, friend):
        follow_member(db.session.get(User, reader), {"user_id": uid})
    for uid in (muted, blocked, friend):
        published(uid, f"Post by {uid}")
    drain(app)
    mute_member(db.session.get(User, reader), {"user_id": muted})
    block_member(db.session.get(User, reader), {"user_id": blocked})
    drain(app)
    everything = ([i.author.id for i in feeds.following(reader).items]
                  + [i.author.id for i in feeds.for_you(reader).items]
                  + [i.author.id for i in feeds.highlights(reader)])
    assert muted not in everything and blocked not in everything and friend in everything
    newest = feeds.newest_ids(reader)
    assert {db.session.get(Event, i).actor_id for i in newest} <= {friend, reader}


def test_new_members_see_popular_moments(app, ctx):
    from commands.gamification import award_points

    climber, newbie = make_member(app, "climber"), make_member(app, "newbie")
    cause = db.session.scalar(select(Event).order_by(Event.id.desc()))
    from app import events

    award_points(climber, "achievement", cause, "test", amount=1000, key="t:climb")  # Sprout: viral
    db.session.commit()
    events.enqueue(events.take_pending())
    drain(app)
    page = feeds.following(newbie)
    tier_ups = [i for i in page.items if i.type == "TierReached"]
    assert tier_ups and tier_ups[0].why == "Popular in the community right now"


def test_cursor_pages_do_not_overlap(app, ctx, monkeypatch):
    monkeypatch.setitem(FEED, "page_size", 3)
    author, fan = make_member(app, "author"), make_member(app, "fan")
    follow_member(db.session.get(User, fan), {"user_id": author})
    for i in range(7):
        published(author, f"Post {i}")
    drain(app)
    seen, before = [], None
    while True:
        page = feeds.following(fan, before)
        seen += [i.id for i in page.items]
        if not page.next_before:
            break
        before = page.next_before
    assert seen == sorted(set(seen), reverse=True) and len(seen) >= 7


def test_diversity_no_more_than_two_in_a_row():
    from types import SimpleNamespace

    items = [SimpleNamespace(author=SimpleNamespace(id=a)) for a in (1, 1, 1, 1, 2, 3)]
    order = [i.author.id for i in feeds.diversify(items, 2)]
    assert order == [1, 1, 2, 1, 1, 3]


def test_a_repost_reaches_the_reposters_followers_and_leaves_when_withdrawn(app, ctx):
    from commands.social import repost_activity, withdraw_repost

    author, sharer, fan = make_member(app, "author"), make_member(app, "sharer"), make_member(app, "fan")
    follow_member(db.session.get(User, fan), {"user_id": sharer})
    original = activity_id(published(author, "Worth sharing").id)
    drain(app)
    assert repost_activity(db.session.get(User, sharer), {"activity_id": original})
    drain(app)
    items = feeds.following(fan).items
    shared = [i for i in items if i.type == "ActivityReposted"]
    assert shared and shared[0].original.id == original and shared[0].original.project.title == "Worth sharing"
    with pytest.raises(Exception):
        repost_activity(db.session.get(User, author), {"activity_id": original})  # not your own
    withdraw_repost(db.session.get(User, sharer), {"activity_id": original})
    drain(app)
    assert not [i for i in feeds.following(fan).items if i.type == "ActivityReposted"]
    live = {k: v for k, v in redis_snapshot(app).items() if "feed" in k or "activities" in k}
    rebuild(["feeds"])
    assert {k: v for k, v in redis_snapshot(app).items() if "feed" in k or "activities" in k} == live


def test_deleting_a_project_removes_it_from_every_feed_and_takes_points_back(app, ctx):
    from commands.projects import delete_project
    from commands.social import like_project, repost_activity

    author, fan, sharer, their_fan = (make_member(app, n) for n in ("author", "fan", "sharer", "theirfan"))
    follow_member(db.session.get(User, fan), {"user_id": author})
    follow_member(db.session.get(User, their_fan), {"user_id": sharer})
    project = published(author, "Regrettable")
    drain(app)
    before = db.session.get(User, author).points
    like_project(db.session.get(User, fan), {"project_id": project.id})
    aid = activity_id(project.id)
    repost_activity(db.session.get(User, sharer), {"activity_id": aid})
    drain(app)
    with pytest.raises(Exception):
        delete_project(db.session.get(User, fan), {"project_id": project.id})  # not theirs
    delete_project(db.session.get(User, author), {"project_id": project.id})
    drain(app)
    for member in (author, fan, sharer, their_fan):
        ids = [i.id for i in feeds.following(member).items] + [i.id for i in feeds.for_you(member).items]
        assert aid not in ids and not [i for i in feeds.following(member).items if i.type == "ActivityReposted"]
        assert str(aid) not in store(app).client.zrange(keys.home_feed(member), 0, -1)
    db.session.expire_all()
    assert db.session.get(User, author).points <= before - 100  # the publish points went back too


def test_items_carry_topics_in_order_and_which_followees_liked_them(app, ctx):
    from commands.social import like_project

    author, reader, friend, pal, stranger = (make_member(app, n)
                                             for n in ("author", "reader", "friend", "pal", "stranger"))
    for uid in (author, friend, pal):
        follow_member(db.session.get(User, reader), {"user_id": uid})
    project = publish_project(db.session.get(User, author), {"title": "Tagged", "topics": "rag, agents, evals"})
    for uid in (friend, pal, stranger):
        like_project(db.session.get(User, uid), {"project_id": project.id})
    drain(app)
    item = next(i for i in feeds.following(reader).items if i.type == "ProjectPublished")
    assert item.project.topics == item.topics == ["rag", "agents", "evals"]
    assert item.proof == "@pal and 1 other you follow liked this" and item.project.likes_count == 3
    assert not item.liked and item.why == "You follow @author"


def test_celebrity_merge_keeps_the_order_on_every_page_of_a_full_feed(app, ctx, monkeypatch):
    monkeypatch.setitem(FEED, "page_size", 2)  # pages ask for 12 ids: the feed alone fills them
    star, other, fan = make_member(app, "star"), make_member(app, "other"), make_member(app, "fan")
    for uid in (star, other):
        follow_member(db.session.get(User, fan), {"user_id": uid})
    for name in ("admirer", "devotee"):
        follow_member(db.session.get(User, make_member(app, name)), {"user_id": star})
    for i in range(16):
        published(other, f"Other post {i}")
        if i % 3 == 0:
            published(star, f"Star post {i}")
    drain(app)

    def every_page():
        seen, before = [], None
        while True:
            page = feeds.following(fan, before)
            seen += [i.id for i in page.items]
            if not page.next_before:
                return seen
            before = page.next_before

    full = every_page()
    monkeypatch.setitem(FEED, "celebrity_followers", 2)  # the star merged at read time, the other fanned out
    rebuild(["feeds"])
    star_posts = set(db.session.scalars(select(Event.id).where(Event.actor_id == star,
                                                              Event.type == "ProjectPublished")))
    assert len(feed_of(app, fan)) >= 12 and not star_posts & set(feed_of(app, fan))
    assert star_posts <= set(full)
    assert every_page() == full and len(full) >= 22
