"""Comments on a project: the thread (lazy-loaded by the project page, live over its socket), posting,
replying, editing and deleting your own. Who may see the project may see its comments; for anyone
else every route answers 404, as if there were nothing there."""
from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import Comment, Project, User
from app.read import comments as read
from app.realtime import hub
from app.rules import COMMENTS, LIMITS
from app.web.htmx import toast
from commands.base import CommandRejected
from commands.comments import delete_comment, edit_comment, post_comment

bp = Blueprint("comments", __name__)
FORM = "fragments/comments/form.html"


@bp.app_context_processor
def comment_limits() -> dict:
    return {"comment_max": LIMITS["comment_max"]}


def _viewer() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _visible_project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or not project.visible_to(current_user):
        abort(404)
    return project


def _visible_comment(comment_id: int) -> Comment:
    """A comment the viewer may see: approved, or their own (not deleted); 404 otherwise."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status == "deleted" or (
            comment.status != "approved" and comment.author_id != _viewer()):
        abort(404)
    _visible_project(comment.project_id)
    return comment


def _form(status: int, **context):
    defaults = {"parent_id": None, "body": "", "errors": {}, "edit": False}
    return render_template(FORM, **{**defaults, **context}), status


def _composer(project_id: int) -> dict:
    return {"form_id": f"comment-form-{project_id}", "label": "Add a comment", "submit": "Post comment",
            "action": url_for("comments.post", project_id=project_id)}


def _written(project_id: int, message: str, extra: str = ""):
    """After your own write: the thread as you now see it (replacing the one on the page), and a toast."""
    html = render_template("fragments/comments/thread.html", thread=read.thread(project_id, _viewer()),
                           preserve=False) + extra + toast(message)
    response = make_response(html)
    response.headers["HX-Retarget"] = f"#comment-thread-{project_id}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


@bp.route("/projects/<int:project_id>/comments")
def thread(project_id: int):
    """Show a project's comments as the viewer may see them, and the form to add one."""
    _visible_project(project_id)
    return render_template("fragments/comments/panel.html", thread=read.thread(project_id, _viewer()),
                           preserve=True)


@bp.route("/projects/<int:project_id>/comments", methods=["POST"])
@login_required
@limiter.limit(lambda: COMMENTS["rate_limit"], key_func=lambda: f"comment:{current_user.id}")
def post(project_id: int):
    """Post a comment, or a reply (parent_id); it shows for others once the checks pass."""
    parent_id = request.form.get("parent_id") or None
    context = (_composer(project_id) if parent_id is None else
               {"form_id": f"reply-form-{parent_id}", "label": "Reply", "submit": "Post reply",
                "action": url_for("comments.post", project_id=project_id), "parent_id": parent_id})
    try:
        post_comment(current_user, {**request.form.to_dict(), "project_id": project_id})
    except CommandRejected as exc:
        if "project_id" in exc.errors:
            raise
        return _form(exc.status, **context, body=request.form.get("body", ""), errors=exc.errors)
    fresh = render_template(FORM, **_composer(project_id), parent_id=None, body="", errors={}, oob=True)
    return _written(project_id, "Comment posted. Others see it once it passes our checks.",
                    fresh if parent_id is None else "")


@bp.route("/comments/<int:comment_id>/reply")
@login_required
def reply_form(comment_id: int):
    """The form to reply to a comment, opened under it."""
    comment = _visible_comment(comment_id)
    return _form(200, form_id=f"reply-form-{comment.id}", label="Reply", submit="Post reply",
                 action=url_for("comments.post", project_id=comment.project_id), parent_id=comment.id)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    """Edit your comment (GET: the form in place); the new text goes through the checks again."""
    comment = _visible_comment(comment_id)
    if comment.author_id != current_user.id:
        abort(403)
    context = {"form_id": f"edit-form-{comment.id}", "label": "Edit your comment", "submit": "Save",
               "action": url_for("comments.edit", comment_id=comment.id), "edit": True}
    if request.method == "GET":
        return _form(200, **context, body=comment.body)
    try:
        edit_comment(current_user, {**request.form.to_dict(), "comment_id": comment_id})
    except CommandRejected as exc:
        return _form(exc.status, **context, body=request.form.get("body", ""), errors=exc.errors)
    return _written(comment.project_id, "Saved. Others see the new text once it passes our checks.")


@bp.route("/comments/<int:comment_id>", methods=["DELETE"])
@login_required
def delete(comment_id: int):
    """Delete your comment."""
    comment = _visible_comment(comment_id)
    delete_comment(current_user, {"comment_id": comment_id})
    return _written(comment.project_id, "Comment deleted.")


# -- live pushes: one topic per project ----------------------------------------------------------

def _project_of_topic(name: str) -> Project | None:
    suffix = name.rsplit(".", 1)[-1]
    return db.session.get(Project, int(suffix)) if suffix.isdigit() else None


def _render(project_id: int, viewer_id: int | None) -> str:
    return render_template("fragments/comments/thread.html", thread=read.thread(project_id, viewer_id),
                           preserve=True, oob=True)


@hub.topic("comments.*", named=True)
def push_thread(name: str) -> str:
    """The thread everyone sees, for a project anyone may see (nothing for a draft or private one)."""
    project = _project_of_topic(name)
    return _render(project.id, None) if project is not None and project.is_listed else ""


@hub.topic("comments.*", personal=True, named=True)
def push_own_thread(name: str, user_ids: list[int]) -> dict[int, str]:
    """The thread for viewers who see it differently: their own unapproved comments, or a project
    only its author and moderators may see."""
    project = _project_of_topic(name)
    if project is None:
        return {}
    if project.is_listed:
        viewers = read.authors_of_unapproved(project.id, user_ids)
    else:
        members = db.session.scalars(select(User).where(User.id.in_(user_ids)))
        viewers = [u.id for u in members if project.visible_to(u)]
    return {uid: _render(project.id, uid) for uid in viewers}
