"""Invariant 1: a command's state change and its events commit together, or neither does."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, Like, PointsEntry, Project, User
from commands import social
from commands.projects import publish_project
from tests.conftest import make_member


def counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Event, Like, PointsEntry, Project)}


def test_failing_handler_leaves_no_state_and_no_event(app, ctx, monkeypatch):
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    project = publish_project(db.session.get(User, alice), {"title": "Voice notes to tasks"})
    before = counts()
    points_before = db.session.get(User, alice).points

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # The like row and its event are written before the points rule fails.
    monkeypatch.setattr(social, "award_points", explode)
    with pytest.raises(RuntimeError):
        social.like_project(db.session.get(User, bob), {"project_id": project.id})

    db.session.expire_all()
    assert counts() == before
    assert db.session.get(User, alice).points == points_before
    assert db.session.get(Project, project.id).likes_count == 0


def test_failed_command_enqueues_nothing(app, ctx, monkeypatch):
    from app.extensions import store

    alice = make_member(app, "alice")
    store(app).queue.empty()
    monkeypatch.setattr("commands.projects.events.record",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        publish_project(db.session.get(User, alice), {"title": "Never published"})
    assert store(app).queue.count == 0
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0
