"""What the feeds projector keeps about follows (the celebrities each member follows, who follows
many people) and what readers see from it: celebrities crossing the threshold, cold start, hidden
authors reaching a page through someone else's repost."""
import pytest
from sqlalchemy import select

from app.extensions import db, store
from app.models import Event, User
from app.read import feeds, keys
from app.rules import FEED
from commands.notifications import block_member, mute_member
from commands.social import follow_member, repost_activity, unfollow_member
from tests.conftest import drain, make_member, redis_snapshot
from tests.workers.test_feeds import activity_id, feed_of, published
from workers.projectors.feeds import rebuild as rebuild_from_postgres


def member(user_id):
    return db.session.get(User, user_id)


def page(user_id) -> list[int]:
    return [i.id for i in feeds.following(user_id).items]


def feeds_model(app) -> dict:
    """Every key the feeds read model owns (feeds, own sets, followed celebrities, who follows many)."""
    return {k: v for k, v in redis_snapshot(app).items()
            if k.startswith(("at:{u:", "at:feed:")) and not k.endswith((":progress", ":unread"))}


@pytest.fixture
def famous_above_two(monkeypatch):
    monkeypatch.setitem(FEED, "celebrity_followers", 2)  # a third follower makes a celebrity


def test_crossing_the_celebrity_threshold_keeps_every_followers_page_whole(app, ctx, famous_above_two):
    star, first, second, third = (make_member(app, n) for n in ("star", "first", "second", "third"))
    for fan in (first, second):
        follow_member(member(fan), {"user_id": star})
    before = activity_id(published(star, "Before the fame").id)
    drain(app)
    assert before in feed_of(app, first)  # fanned out: two followers only

    follow_member(member(third), {"user_id": star})  # the third follower: a celebrity now
    drain(app)
    assert store(app).client.sismember(keys.celebrities(), str(star))
    during = activity_id(published(star, "While famous").id)
    drain(app)
    for fan in (first, second, third):
        assert during not in feed_of(app, fan) and before not in feed_of(app, fan)  # merged at read time...
        assert page(fan)[:2] == [during, before]  # ...in the order fan-out would give

    unfollow_member(member(third), {"user_id": star})  # back to two: fanned out again
    drain(app)
    after = activity_id(published(star, "Quieter now").id)
    drain(app)
    for fan in (first, second):
        assert feed_of(app, fan)[:3] == [after, during, before]  # what the fame kept out came back
        assert page(fan)[:3] == [after, during, before]
    assert not {before, during, after} & set(page(third))


def test_rebuild_gives_the_same_follow_sets_as_live_projection(app, ctx, famous_above_two):
    star, *fans = (make_member(app, n) for n in ("star", "ann", "bob", "cat", "dan"))
    ann, bob, cat, dan = fans
    ordinary = [make_member(app, f"member{i}") for i in range(FEED["cold_start_following"])]
    for fan in fans:
        follow_member(member(fan), {"user_id": star})
    for uid in ordinary:  # ann follows many people; the others few
        follow_member(member(ann), {"user_id": uid})
    published(star, "Famous work")
    block_member(member(star), {"user_id": dan})  # ends dan's follow: three followers left
    unfollow_member(member(ann), {"user_id": ordinary[0]})  # ann below the cold-start threshold again
    follow_member(member(ann), {"user_id": ordinary[0]})
    drain(app)
    r = store(app).client
    assert r.smembers(keys.followed_celebrities(bob)) == {str(star)}
    assert not r.exists(keys.followed_celebrities(dan))
    assert r.smembers(keys.following_many()) == {str(ann)}
    live = feeds_model(app)
    rebuild_from_postgres()  # the projector's own rebuild: workers.jobs.rebuild replays recent events too
    assert feeds_model(app) == live

    unfollow_member(member(cat), {"user_id": star})  # two followers: no celebrity any more
    drain(app)
    assert not r.exists(keys.followed_celebrities(bob)) and not r.sismember(keys.celebrities(), str(star))
    live = feeds_model(app)
    rebuild_from_postgres()  # the projector's own rebuild: workers.jobs.rebuild replays recent events too
    assert feeds_model(app) == live


def test_popular_moments_stop_once_a_member_follows_enough_people(app, ctx):
    from app import events
    from commands.gamification import award_points

    climber, newbie = make_member(app, "climber"), make_member(app, "newbie")
    cause = db.session.scalar(select(Event).order_by(Event.id.desc()))
    award_points(climber, "achievement", cause, "test", amount=1000, key="t:climb")  # a tier up: popular
    db.session.commit()
    events.enqueue(events.take_pending())
    drain(app)
    assert any(i.why == "Popular in the community right now" for i in feeds.following(newbie).items)
    for i in range(FEED["cold_start_following"]):
        follow_member(member(newbie), {"user_id": make_member(app, f"someone{i}")})
    drain(app)
    assert not any(i.why == "Popular in the community right now" for i in feeds.following(newbie).items)


def test_hidden_authors_stay_hidden_when_someone_the_reader_follows_reposts_them(app, ctx):
    reader, sharer, muted, blocker = (make_member(app, n) for n in ("reader", "sharer", "muted", "blocker"))
    follow_member(member(reader), {"user_id": sharer})
    shared = [activity_id(published(uid, f"Work of {uid}").id) for uid in (muted, blocker)]
    drain(app)
    for aid in shared:
        repost_activity(member(sharer), {"activity_id": aid})
    drain(app)
    reposts = [i for i in feeds.following(reader).items if i.type == "ActivityReposted"]
    assert {i.original.id for i in reposts} == set(shared)  # both seen through the sharer
    mute_member(member(reader), {"user_id": muted})
    block_member(member(blocker), {"user_id": reader})  # blocked *by* the author
    drain(app)
    shown = feeds.following(reader).items + feeds.for_you(reader).items
    assert not [i for i in shown if i.original or i.author.id in (muted, blocker)]
    assert {i.id for i in reposts} <= set(feed_of(app, reader))  # still in the feed: left out on reading
    assert not {i.id for i in reposts} & set(feeds.newest_ids(reader))


def test_the_feed_on_sqlite_merges_celebrities_and_hides_muted_authors(tmp_path, services, monkeypatch):
    """The embedded default (SQLite) runs the same projector statement and facts statement."""
    from flask_migrate import upgrade

    from app import create_app
    from commands.accounts import sign_up_member
    from commands.projects import publish_project
    from tests.conftest import STRONG_PASSWORD
    from workers.jobs import project_pending

    monkeypatch.setitem(FEED, "celebrity_followers", 1)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'feed.db'}",
                      "REDIS_URL": services["redis"].url, "INPROCESS_WORKER": False, "EVENTS_ENQUEUE": False})
    with app.app_context():
        upgrade()
        store(app).client.flushdb()
        star, fan, other, pest = (sign_up_member({"username": n, "email": f"{n}@example.com", "time_zone": "UTC",
                                                  "password": STRONG_PASSWORD}).id
                                  for n in ("star", "fan", "other", "pest"))
        for followee in (star, pest):
            for follower in (fan, other):
                follow_member(member(follower), {"user_id": followee})
        post = publish_project(member(star), {"title": "Seen through the merge"}).id
        publish_project(member(pest), {"title": "Muted noise"})
        mute_member(member(fan), {"user_id": pest})
        project_pending()
        assert store(app).client.smembers(keys.followed_celebrities(fan)) == {str(star), str(pest)}
        items = feeds.following(fan).items
        assert [i.project.id for i in items if i.project] == [post]
        db.session.remove()


def test_a_page_stays_full_when_its_newest_candidates_are_hidden(app, ctx, monkeypatch):
    monkeypatch.setitem(FEED, "page_size", 2)
    reader, friend, muted = (make_member(app, n) for n in ("reader", "friend", "muted"))
    for uid in (friend, muted):
        follow_member(member(reader), {"user_id": uid})
    older = [activity_id(published(friend, f"Friend's {i}").id) for i in range(3)]
    for i in range(3):
        published(muted, f"Muted {i}")
    mute_member(member(reader), {"user_id": muted})
    drain(app)
    page = feeds.following(reader)
    assert [i.id for i in page.items] == older[::-1][:2] and page.next_before == older[1]
