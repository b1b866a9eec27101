"""A tool review is a feed activity: fanned out once, not again on edits, gone when deleted."""
from sqlalchemy import select

from app.extensions import db
from app.models import Event, Tool, User
from commands.social import follow_member
from commands.tools import delete_review, review_tool
from tests.conftest import WebClient, drain, make_member, redis_snapshot
from tests.workers.test_feeds import feed_of
from workers.jobs import rebuild


def test_reviews_reach_followers_once_and_leave_when_deleted(app, ctx):
    critic, fan = make_member(app, "critic"), make_member(app, "fan")
    follow_member(db.session.get(User, fan), {"user_id": critic})
    tool_id = db.session.scalar(select(Tool.id).where(Tool.slug == "ollama"))
    review_tool(db.session.get(User, critic), {"tool_id": tool_id, "rating": 4, "body": "Runs Llama locally in minutes."})
    review_tool(db.session.get(User, critic), {"tool_id": tool_id, "rating": 5, "body": "Even better with GPU."})
    drain(app)
    first = db.session.scalar(select(Event.id).where(Event.type == "ToolReviewed").order_by(Event.id))
    assert feed_of(app, fan) == [first]  # the edit is not a second activity
    html = WebClient(app).login("fan").get("/feed", htmx=True).get_data(as_text=True)
    assert "reviewed" in html and "Ollama" in html
    drain(app)  # the log-in above is an event too (last active)

    live = redis_snapshot(app)
    rebuild(["feeds"])
    assert redis_snapshot(app) == live

    delete_review(db.session.get(User, critic), {"tool_id": tool_id})
    drain(app)
    assert feed_of(app, fan) == [] and feed_of(app, critic) == []
    live = redis_snapshot(app)
    rebuild(["feeds"])
    assert redis_snapshot(app) == live
