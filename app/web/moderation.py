"""The moderation console: open cases oldest first, approve or reject with a note, live counts."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.read import moderation as read
from app.realtime import hub
from app.web.htmx import toast
from commands.base import CommandRejected
from commands.comments import decide_case

bp = Blueprint("moderation", __name__)


def moderators_only(view):
    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_moderator:
            abort(403)
        return view(*args, **kwargs)

    return guarded


@bp.route("/moderation")
@moderators_only
def index():
    """Show the open cases, oldest first, and how many cases are in each status."""
    return render_template("pages/moderation/index.html", cases=read.open_cases(), counts=read.counts(),
                           topics=[read.QUEUE_TOPIC])


@bp.route("/moderation/cases/<int:case_id>", methods=["POST"])
@moderators_only
def decide(case_id: int):
    """Approve or reject a case; answer with the closed case, the new counts and a toast."""
    data = {**request.form.to_dict(), "case_id": case_id}
    try:
        case = decide_case(current_user, data)
    except CommandRejected as exc:
        if exc.status != 422:
            raise
        html = render_template("fragments/moderation/case.html", case=_open_case(case_id), errors=exc.errors)
        return html, 422
    outcome = "visible" if case.status == "approved" else "hidden"
    return (render_template("fragments/moderation/decided.html", case=case)
            + render_template("fragments/moderation/counts.html", counts=read.counts(), oob=True)
            + toast(f"Case {case.id} {case.status}: the comment is {outcome}."))


def _open_case(case_id: int):
    return next((c for c in read.open_cases() if c.id == case_id), None) or abort(404)


@hub.topic(read.QUEUE_TOPIC, personal=True)
def push_counts(user_ids: list[int]) -> dict[int, str]:
    """The queue's counts, for the moderators watching it (nobody else is sent anything)."""
    moderators = list(db.session.scalars(select(User.id).where(User.id.in_(user_ids),
                                                               User.role.in_(("moderator", "admin")))))
    if not moderators:
        return {}
    html = render_template("fragments/moderation/counts.html", counts=read.counts(), oob=True)
    return {uid: html for uid in moderators}
