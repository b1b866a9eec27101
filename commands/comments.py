"""Comments on projects: post, edit, delete; the automatic checks' verdict; a moderator's decision.

A comment is written as pending and checked by a worker (workers/policies/comments.py): clean,
it is approved and everyone who may see the project sees it; flagged, it waits in the moderation
queue as a case. Mentions and the project author's notification follow an approval, never before.
"""
from __future__ import annotations

from marshmallow import fields, pre_load, validate
from sqlalchemy import select, update

from app import events
from app.comments import mentioned_usernames
from app.extensions import db
from app.models import Comment, CommentMention, ModerationCase, Project, User
from app.models.types import utcnow
from app.moderation import Screening
from app.rules import LIMITS
from commands.base import (
    CommandRejected, CommandSchema, handler, insert_ignoring_duplicates, insert_returning_id, parse,
)

BODY = fields.String(required=True, validate=validate.Length(
    1, LIMITS["comment_max"], error=f"Comments are 1 to {LIMITS['comment_max']:,} characters."),
    error_messages={"required": "Write something first."})
HIDDEN = ("rejected", "deleted")


def _id_field(what: str, **kwargs) -> fields.Integer:
    return fields.Integer(strict=False, error_messages={"invalid": f"Which {what}? The id must be a number."},
                          **kwargs)


class _Stripped(CommandSchema):
    @pre_load
    def strip(self, data, **kwargs):
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(data).items()}
        if data.get("body") == "":
            data.pop("body")  # an empty comment is a missing one: "Write something first."
        return data


class PostCommentSchema(_Stripped):
    project_id = _id_field("project", required=True)
    parent_id = _id_field("comment", load_default=None, allow_none=True)
    body = BODY

    @pre_load
    def no_parent(self, data, **kwargs):
        return {**data, "parent_id": None} if data.get("parent_id") in ("", None) else data


class EditCommentSchema(_Stripped):
    comment_id = _id_field("comment", required=True)
    body = BODY


class CommentRefSchema(CommandSchema):
    comment_id = _id_field("comment", required=True)


class DecideCaseSchema(CommandSchema):
    case_id = _id_field("case", required=True)
    decision = fields.String(required=True, validate=validate.OneOf(
        ("approve", "reject"), error="Choose approve or reject."))
    note = fields.String(load_default="", validate=validate.Length(
        max=500, error="Keep the note under 500 characters."))


# -- members -----------------------------------------------------------------------------------

def _visible_project(project_id: int, actor: User) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or not project.visible_to(actor):
        raise CommandRejected("project_id", "That project does not exist.", status=404)
    return project


@handler
def post_comment(actor: User, data: dict) -> Comment:
    """Write a comment (or a reply) as pending; the checks run in a worker after commit."""
    values = parse(PostCommentSchema, data)
    project = _visible_project(values["project_id"], actor)
    if values["parent_id"] is not None:
        _check_parent(values["parent_id"], project, actor)
    comment = Comment(project_id=project.id, author_id=actor.id, parent_id=values["parent_id"],
                      body=values["body"], status="pending", revision=1, created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    events.record("CommentPosted", actor.id, comment_id=comment.id, project_id=project.id,
                  parent_id=comment.parent_id, revision=comment.revision)
    return comment


def _check_parent(parent_id: int, project: Project, actor: User) -> None:
    parent = db.session.get(Comment, parent_id)
    if parent is None or (parent.status != "approved" and parent.author_id != actor.id):
        raise CommandRejected("parent_id", "The comment you reply to does not exist.", status=404)
    if parent.project_id != project.id:
        raise CommandRejected("parent_id", "You can only reply to a comment on the same project.")
    if parent.status in HIDDEN:
        raise CommandRejected("parent_id", "That comment was removed; it takes no replies.")
    if parent.status != "approved":
        raise CommandRejected("parent_id", "You can reply once your comment is approved.")


def _own_comment(actor: User, comment_id: int) -> Comment:
    """The actor's comment, locked; someone else's or an invisible one is "not found" (no leak)."""
    comment = db.session.scalar(select(Comment).where(Comment.id == comment_id).with_for_update())
    if comment is None or comment.status == "deleted" or not _project_visible(comment, actor):
        raise CommandRejected("comment_id", "That comment does not exist.", status=404)
    if comment.author_id != actor.id:
        raise CommandRejected("comment_id", "You can only change your own comments.", status=403)
    return comment


def _project_visible(comment: Comment, actor: User) -> bool:
    return db.session.get(Project, comment.project_id).visible_to(actor)


@handler
def edit_comment(actor: User, data: dict) -> Comment:
    """Change your comment's text; it goes back through moderation (hidden from others until then)."""
    values = parse(EditCommentSchema, data)
    comment = _own_comment(actor, values["comment_id"])
    if comment.status == "rejected":
        raise CommandRejected("comment_id", "Moderators removed this comment; it cannot be edited.")
    if values["body"] == comment.body:
        return comment
    was = comment.status
    comment.body, comment.status, comment.edited_at = values["body"], "pending", utcnow()
    comment.revision += 1
    _supersede_open_case(comment)
    events.record("CommentEdited", actor.id, comment_id=comment.id, project_id=comment.project_id,
                  revision=comment.revision, was=was)
    return comment


@handler
def delete_comment(actor: User, data: dict) -> Comment:
    """Delete your comment: its text is gone; replies to it stay, under a "deleted" stub."""
    comment = _own_comment(actor, parse(CommentRefSchema, data)["comment_id"])
    was = comment.status
    comment.body, comment.status, comment.edited_at = "", "deleted", utcnow()
    _supersede_open_case(comment)
    events.record("CommentDeleted", actor.id, comment_id=comment.id, project_id=comment.project_id, was=was)
    return comment


def _supersede_open_case(comment: Comment) -> None:
    superseded = db.session.execute(update(ModerationCase).where(
        ModerationCase.subject_type == "comment", ModerationCase.subject_id == comment.id,
        ModerationCase.status == "open").values(status="superseded", decided_at=utcnow())).rowcount
    if superseded:
        events.record("ModerationCaseSuperseded", comment.author_id, comment_id=comment.id)


# -- moderation ----------------------------------------------------------------------------------

@handler
def moderate_comment(comment_id: int, revision: int, screening: Screening) -> str | None:
    """Apply the automatic checks' verdict to the revision they checked: approve it, or open a case.

    Return the new status, or None when there was nothing to do (already moderated, edited since,
    deleted): a verdict applied twice, or by two workers at once, changes nothing more.
    """
    comment = db.session.scalar(select(Comment).where(Comment.id == comment_id).with_for_update())
    if comment is None or comment.status != "pending" or comment.revision != revision:
        return None
    if not screening.flagged:
        _approve(comment, None)
        return comment.status
    case_id = insert_returning_id(
        ModerationCase, subject_type="comment", subject_id=comment.id, revision=comment.revision,
        text=comment.body, scores=screening.scores, reasons=screening.reasons, status="open",
        created_at=utcnow(), note="")
    if case_id is None:
        return None
    comment.status, comment.moderated_at = "flagged", utcnow()
    events.record("CommentFlagged", None, comment_id=comment.id, project_id=comment.project_id,
                  author_id=comment.author_id, case_id=case_id, reasons=screening.reasons)
    return comment.status


@handler
def decide_case(actor: User | None, data: dict, via: str = "web") -> ModerationCase:
    """A moderator (or, with actor None, an operator at the console) approves or rejects a case."""
    if actor is not None and not actor.is_moderator:
        raise CommandRejected("_", "Only moderators can decide moderation cases.", status=403)
    values = parse(DecideCaseSchema, data)
    case = db.session.scalar(
        select(ModerationCase).where(ModerationCase.id == values["case_id"]).with_for_update())
    if case is None:
        raise CommandRejected("case_id", "That case does not exist.", status=404)
    if case.status != "open":
        raise CommandRejected("case_id", f"That case is already closed ({case.status}).", status=409)
    comment = db.session.scalar(select(Comment).where(Comment.id == case.subject_id).with_for_update())
    if comment is None:
        raise CommandRejected("case_id", "The comment of that case no longer exists.", status=404)
    if actor is not None and comment.author_id == actor.id:
        raise CommandRejected("case_id", "Another moderator must decide on your own comment.", status=403)
    decided = {"case_id": case.id, "moderator_id": actor.id if actor else None, "note": values["note"],
               "via": via}
    if values["decision"] == "approve":
        case.status = "approved"
        _approve(comment, actor, **decided)
    else:
        case.status = "rejected"
        comment.status, comment.moderated_at = "rejected", utcnow()
        events.record("CommentRejected", actor.id if actor else None, comment_id=comment.id,
                      project_id=comment.project_id, author_id=comment.author_id, **decided)
    case.decided_by, case.decided_at = decided["moderator_id"], utcnow()
    case.note, case.via = values["note"], via
    return case


def _approve(comment: Comment, actor: User | None, **decided) -> None:
    """Make a comment visible; record whom it newly mentions (each member is notified once per comment)."""
    now = utcnow()
    first = comment.approved_at is None
    comment.status, comment.moderated_at, comment.approved_at = "approved", now, comment.approved_at or now
    project = db.session.get(Project, comment.project_id)
    names = mentioned_usernames(comment.body)
    members = db.session.scalars(select(User).where(User.username.in_(names), User.id != comment.author_id)) \
        if names else []
    mentioned = [m.id for m in members if project.visible_to(m)
                 and insert_ignoring_duplicates(CommentMention, comment_id=comment.id, user_id=m.id)]
    events.record("CommentApproved", actor.id if actor else None, comment_id=comment.id,
                  project_id=project.id,
                  author_id=comment.author_id, project_author_id=project.author_id, first=first,
                  mentioned_ids=sorted(mentioned), **decided)
