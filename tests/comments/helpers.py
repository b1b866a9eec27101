"""A project, its members and comments, through the app's own commands."""
from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.models import Comment, ModerationCase, Notification, Project, User
from commands.comments import post_comment
from commands.projects import publish_project

CLEAN = "Lovely demo! How did you chunk the transcripts?"
INSULT = "You are an idiot, this is garbage."
PROFANE = "This is some fucking shit right here."


def publish(app, author_id: int, title: str = "Speech to checklist", **state) -> int:
    """A project (published and public unless `status`/`visibility` say otherwise)."""
    with app.app_context():
        project_id = publish_project(db.session.get(User, author_id), {"title": title}).id
        if state:
            db.session.execute(update(Project).where(Project.id == project_id).values(**state))
            db.session.commit()
        return project_id


def comment(app, author_id: int, project_id: int, body: str = CLEAN, parent_id: int | None = None) -> int:
    with app.app_context():
        return post_comment(db.session.get(User, author_id),
                            {"project_id": project_id, "body": body, "parent_id": parent_id}).id


def status_of(app, comment_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(Comment.status).where(Comment.id == comment_id))


def cases(app) -> list[ModerationCase]:
    with app.app_context():
        found = list(db.session.scalars(select(ModerationCase).order_by(ModerationCase.id)))
        db.session.expunge_all()
        return found


def notifications(app, user_id: int, type_: str) -> list[Notification]:
    with app.app_context():
        found = list(db.session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.type == type_)))
        db.session.expunge_all()
        return found


def decide(app, case_id: int, decision: str, moderator_id: int, note: str = ""):
    from commands.comments import decide_case

    with app.app_context():
        return decide_case(db.session.get(User, moderator_id), {"case_id": case_id, "decision": decision,
                                                                 "note": note})


def flagged_comment(app, body: str = INSULT) -> tuple[int, int, int, int, int]:
    """author, bob, a moderator, a project, and bob's comment on it that the checks flagged."""
    from tests.conftest import drain, make_member

    author, bob = make_member(app, "author"), make_member(app, "bob")
    mod = make_member(app, "mod", role="moderator")
    project = publish(app, author)
    comment_id = comment(app, bob, project, body)
    drain(app)
    return author, bob, mod, project, comment_id
