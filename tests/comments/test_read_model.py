"""The approved-comment counts: idempotent projection, and a rebuild equal to live projection."""
from sqlalchemy import select

from app.extensions import db
from app.models import Event
from tests.comments.helpers import CLEAN, INSULT, comment, publish
from tests.conftest import drain, make_member, redis_snapshot
from workers.jobs import project_events, rebuild
from workers.projectors import comments as projector


def test_counts_project_twice_and_rebuild_to_the_same_state(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    first, second = publish(app, author), publish(app, author, "Second project")
    comment(app, bob, first)
    comment(app, bob, first, "And another thing: nice tests.")
    comment(app, bob, first, INSULT)  # flagged: not counted
    comment(app, bob, second, CLEAN)
    drain(app)
    live = redis_snapshot(app)
    assert live["at:comments:counts"] == ("hash", [(str(first), "2"), (str(second), "1")])
    with app.app_context():
        project_events(list(db.session.scalars(select(Event.id))))
    assert redis_snapshot(app) == live
    with app.app_context():
        assert rebuild([projector.NAME]) == {"comments": 2}
    assert redis_snapshot(app) == live
