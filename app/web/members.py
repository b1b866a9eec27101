"""Member profiles: view anyone's, edit your own."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from app.read import leaderboards, projects
from app.read.members import cards_by_id
from app.realtime import hub
from app.web.htmx import page_or_fragment, toast
from commands.accounts import time_zones, update_profile
from commands.base import CommandRejected

bp = Blueprint("members", __name__)


@bp.route("/@<username>")
def profile(username: str):
    """Show a member's profile, rank and projects."""
    member = projects.member(username) or abort(404)
    their = projects.by_author(member.id)
    viewer = current_user.id if current_user.is_authenticated else None
    return render_template(
        "pages/members/profile.html",
        member=member,
        standing=leaderboards.standing_of([member.id]).get(member.id),
        projects=their,
        liked=projects.liked_by(viewer, [p.id for p in their]),
        welcome=request.args.get("welcome") and viewer == member.id,
    )


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit your display name, bio and time zone."""
    form = request.form.to_dict() if request.method == "POST" else {
        "display_name": current_user.display_name, "bio": current_user.bio,
        "time_zone": current_user.time_zone}
    errors, status, saved = {}, 200, False
    if request.method == "POST":
        try:
            update_profile(current_user, form)
            saved = True
        except CommandRejected as exc:
            errors, status = exc.errors, exc.status
    html, status = page_or_fragment("pages/members/edit.html", "fragments/members/profile_form.html",
                                    status, form=form, errors=errors, time_zones=sorted(time_zones()))
    return (html + toast("Profile saved.") if saved else html), status


@hub.topic("member.*", personal=True)
def push_points_chip(user_ids: list[int]) -> dict[int, str]:
    """The header's points and tier chip, for each viewer whose points changed."""
    cards = cards_by_id(user_ids)
    return {uid: render_template("fragments/members/points_chip.html", card=card, oob=True)
            for uid, card in cards.items()}
