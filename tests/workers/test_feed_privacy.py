"""Private and draft projects never reach anyone else's feed, by any path."""
import pytest

from app.extensions import db
from app.models import User
from app.read import feeds
from commands.base import CommandRejected
from commands.projects import create_project, publish_draft, set_visibility
from commands.social import follow_member, like_project, repost_activity
from tests.conftest import WebClient, drain, make_member, redis_snapshot
from tests.workers.test_feeds import activity_id, feed_of
from workers.jobs import rebuild


def member(user_id):
    return db.session.get(User, user_id)


def everything_shown_to(app, user_id) -> str:
    """Every place a member meets activities: both tabs, highlights, the raw feed, the page."""
    ids = set(feed_of(app, user_id))
    ids |= {i.id for i in feeds.following(user_id).items} | {i.id for i in feeds.for_you(user_id).items}
    ids |= {i.id for i in feeds.highlights(user_id)} | set(feeds.newest_ids(user_id))
    return " ".join(map(str, sorted(ids)))


@pytest.fixture
def cast(app, ctx):
    author, fan, friend = make_member(app, "author"), make_member(app, "fan"), make_member(app, "friend")
    newcomer = make_member(app, "newcomer")  # follows no one: sees popular moments
    follow_member(member(fan), {"user_id": author})
    follow_member(member(friend), {"user_id": fan})
    return author, fan, friend, newcomer


def test_a_project_published_private_reaches_no_feed_and_cannot_be_reposted(app, cast):
    author, fan, friend, newcomer = cast
    project = create_project(member(author), {"title": "Private diary bot", "visibility": "private"})
    drain(app)
    aid = activity_id(project.id)
    for reader in (fan, friend, newcomer):
        assert str(aid) not in everything_shown_to(app, reader).split()
    with pytest.raises(CommandRejected):
        repost_activity(member(fan), {"activity_id": aid})
    with pytest.raises(CommandRejected):  # the command refuses too, whoever calls it
        like_project(member(fan), {"project_id": project.id})
    web = WebClient(app).login("fan")
    assert "Private diary bot" not in web.get("/feed", htmx=True).get_data(as_text=True)
    assert "Private diary bot" not in web.get("/feed?tab=for-you", htmx=True).get_data(as_text=True)


def test_drafts_reach_feeds_only_once_published(app, cast):
    author, fan, *_ = cast
    project = create_project(member(author), {"title": "Work in progress", "status": "draft"})
    drain(app)
    assert activity_id(project.id) is None and feed_of(app, fan) == []
    publish_draft(member(author), {"project_id": project.id})
    drain(app)
    assert feed_of(app, fan) == [activity_id(project.id)]


def test_making_a_project_private_takes_it_and_its_reposts_out_and_public_brings_them_back(app, cast):
    author, fan, friend, _ = cast
    project_id = create_project(member(author), {"title": "Agent eval harness"}).id
    drain(app)
    aid = activity_id(project_id)
    repost_activity(member(fan), {"activity_id": aid})
    drain(app)
    before = {who: feed_of(app, who) for who in cast}
    assert aid in before[fan] and len(before[friend]) == 1  # the friend sees fan's repost

    set_visibility(member(author), {"project_id": project_id, "visibility": "private"})
    drain(app)
    for reader in (fan, friend):
        assert feed_of(app, reader) == [] and everything_shown_to(app, reader) == ""
    live_private = redis_snapshot(app)
    rebuild(["feeds"])
    assert redis_snapshot(app) == live_private  # rebuild = live, while private

    set_visibility(member(author), {"project_id": project_id, "visibility": "public"})
    drain(app)
    assert {who: feed_of(app, who) for who in cast} == before
    live_public = redis_snapshot(app)
    rebuild(["feeds"])
    assert redis_snapshot(app) == live_public  # and once public again
