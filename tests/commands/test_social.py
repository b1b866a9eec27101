"""Liking and unliking: once per member, points to the author through the ledger."""
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import Event, Like, PointsEntry, Project, User
from app.rules import BEGINNERS_LUCK, POINTS_RULES
from commands.base import CommandRejected
from commands.projects import publish_project
from commands.social import follow_member, like_project, unlike_project
from tests.conftest import make_member

# Members made here are in their first week: beginner's luck doubles what they earn.
LIKE = POINTS_RULES["like_received"].points * BEGINNERS_LUCK["multiplier"]


@pytest.fixture
def pair(app, ctx):
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    project = publish_project(db.session.get(User, alice), {"title": "Prompt diff viewer"})
    return db.session.get(User, alice), db.session.get(User, bob), project


def ledger_sum(user_id):
    return db.session.scalar(select(func.sum(PointsEntry.amount)).where(PointsEntry.user_id == user_id))


def points(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id).points


def test_like_awards_author_once(pair):
    alice, bob, project = pair
    before = points(alice.id)
    first = like_project(bob, {"project_id": project.id})
    assert first.changed is True and first.likes_count == 1  # what the button shows next
    again = like_project(bob, {"project_id": project.id})
    assert again.changed is False and again.likes_count == 1  # a second like changes nothing
    assert points(alice.id) == before + LIKE == ledger_sum(alice.id)
    assert db.session.get(Project, project.id).likes_count == 1
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.type == "ProjectLiked")) == 1


def test_a_like_is_not_an_edit(pair):
    """The project's "last edited" time (and the sitemap's lastmod) stays when it is liked."""
    _, bob, project = pair
    edited = db.session.get(Project, project.id).updated_at
    like_project(bob, {"project_id": project.id})
    unlike_project(bob, {"project_id": project.id})
    db.session.expire_all()
    assert db.session.get(Project, project.id).updated_at == edited


def test_unlike_takes_the_points_back(pair):
    alice, bob, project = pair
    before = points(alice.id)
    like_project(bob, {"project_id": project.id})
    assert unlike_project(bob, {"project_id": project.id}).changed is True
    assert unlike_project(bob, {"project_id": project.id}).changed is False
    assert points(alice.id) == before == ledger_sum(alice.id)
    assert db.session.get(Project, project.id).likes_count == 0
    rows = db.session.execute(select(PointsEntry.rule, PointsEntry.amount).where(PointsEntry.user_id == alice.id)
                              .order_by(PointsEntry.id)).all()
    assert [tuple(r) for r in rows][-2:] == [("like_received", LIKE), ("like_withdrawn", -LIKE)]


def test_liking_your_own_project_earns_nothing(pair):
    alice, _, project = pair
    before = points(alice.id)
    assert like_project(alice, {"project_id": project.id}).changed is True
    assert points(alice.id) == before
    assert db.session.get(Project, project.id).likes_count == 1


def test_liking_a_missing_project_is_a_404(pair):
    _, bob, _ = pair
    with pytest.raises(CommandRejected) as exc:
        like_project(bob, {"project_id": 9999})
    assert exc.value.status == 404
    with pytest.raises(CommandRejected) as exc:
        like_project(bob, {"project_id": "nine"})
    assert exc.value.status == 422
    assert db.session.scalar(select(func.count()).select_from(Like)) == 0


def test_follow_once_and_never_yourself(pair):
    alice, bob, _ = pair
    assert follow_member(bob, {"user_id": alice.id}) is True
    assert follow_member(bob, {"user_id": alice.id}) is False
    with pytest.raises(CommandRejected, match="yourself"):
        follow_member(bob, {"user_id": bob.id})


def _hidden_project_likes(app):
    """Who may like a private project (its author and moderators; everyone else gets a 404 and
    writes nothing), and what a like on a public one records: the same on every database."""
    from commands.accounts import sign_up_member
    from commands.projects import set_visibility
    from tests.conftest import STRONG_PASSWORD

    def member(name, role="member"):
        return sign_up_member({"username": name, "email": f"{name}@example.com", "password": STRONG_PASSWORD,
                               "time_zone": "UTC"}, role=role)

    with app.app_context():
        alice, bob, mod = member("alice"), member("bob"), member("mod", role="moderator")
        secret = publish_project(alice, {"title": "Private evals"})
        set_visibility(alice, {"project_id": secret.id, "visibility": "private"})
        with pytest.raises(CommandRejected) as exc:
            like_project(bob, {"project_id": secret.id})
        assert exc.value.status == 404
        assert db.session.scalar(select(func.count()).select_from(Like)) == 0
        before = points(alice.id)
        assert like_project(alice, {"project_id": secret.id}).likes_count == 1
        assert points(alice.id) == before  # your own like earns nothing
        state = like_project(mod, {"project_id": secret.id})
        assert (state.changed, state.likes_count) == (True, 2)
        assert points(alice.id) == before + LIKE == ledger_sum(alice.id)
        # The command reads the member itself: the moderator's role from the database, not from
        # the object passed, and a member gone since (a deleted account) is refused, nothing written.
        assert like_project(SimpleNamespace(id=mod.id), {"project_id": secret.id}).changed is False
        gone = member("gone")
        gone_id = gone.id
        db.session.execute(delete(User).where(User.id == gone_id))
        db.session.commit()
        for command in (like_project, unlike_project):
            with pytest.raises(CommandRejected) as exc:
                command(SimpleNamespace(id=gone_id), {"project_id": secret.id})
            assert exc.value.status == 401
        assert db.session.scalar(select(func.count()).select_from(Like)) == 2
        public = publish_project(alice, {"title": "Open notebook"})
        before = points(alice.id) - LIKE  # publishing earns points too
        assert like_project(bob, {"project_id": public.id}).likes_count == 1
        again = like_project(bob, {"project_id": public.id})
        assert (again.changed, again.likes_count, again.title) == (False, 1, "Open notebook")
        assert points(alice.id) == before + 2 * LIKE == ledger_sum(alice.id)
        liked = db.session.scalars(select(Event).where(Event.type == "ProjectLiked").order_by(Event.id)).all()
        likes = db.session.scalars(select(Like).order_by(Like.id)).all()
        assert [(e.actor_id, e.payload) for e in liked] == [  # what events.record writes, on every database
            (like.user_id, {"project_id": like.project_id, "author_id": alice.id, "like_id": like.id})
            for like in likes]
        awarded = db.session.scalars(select(PointsEntry.event_id).where(PointsEntry.rule == "like_received")).all()
        assert awarded == [liked[1].id, liked[2].id]  # the mod's and bob's likes (not alice's own)
        db.session.remove()


def test_who_may_like_a_private_project_on_postgres(app, ctx):
    _hidden_project_likes(app)


def test_who_may_like_a_private_project_on_sqlite(tmp_path, services):
    """The embedded default runs the like statement by statement (SQLite has no DML in WITH)."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'likes.db'}",
                      "REDIS_URL": services["redis"].url, "INPROCESS_WORKER": False, "EVENTS_ENQUEUE": False})
    with app.app_context():
        upgrade()
    _hidden_project_likes(app)


def test_a_like_asks_for_its_projection_after_commit(pair, app):
    """On PostgreSQL the like's event is inserted by the like's own statement: it must still reach
    the projection queue once the command commits."""
    from app.extensions import store
    from app.read import keys

    alice, bob, project = pair
    store(app).client.delete(keys.projection_requested())
    store(app).queue.empty()
    like_project(bob, {"project_id": project.id})
    assert store(app).queue.count == 1
    event = db.session.scalar(select(Event).where(Event.type == "ProjectLiked").order_by(Event.id.desc()))
    assert event.projected_at is None and event.payload["project_id"] == project.id
