"""Member profiles: view anyone's, edit your own."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from app.read import leaderboards, projects
from app.read.follows import follow_counts, follows
from app.read.members import cards_by_id
from app.realtime import hub
from app.rules import TOPICS
from app.web.htmx import page_or_fragment, toast
from commands.accounts import choose_interests, time_zones, update_profile
from commands.base import CommandRejected
from commands.social import follow_member, unfollow_member

bp = Blueprint("members", __name__)


@bp.route("/@<username>")
def profile(username: str):
    """Show a member's profile, rank and projects."""
    member = projects.member(username) or abort(404)
    their = projects.by_author(member.id, current_user)
    viewer = current_user.id if current_user.is_authenticated else None
    return render_template(
        "pages/members/profile.html",
        member=member,
        following=bool(viewer) and member.id in follows(viewer, [member.id]),
        relation=_relationship_state(member.id) if viewer and viewer != member.id else {},
        counts=follow_counts(member.id),
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
                                    status, form=form, errors=errors, time_zones=sorted(time_zones()),
                                    **_interests_context())
    return (html + toast("Profile saved.") if saved else html), status


def _interests_context(errors=None, chosen=None) -> dict:
    from app.read.follows import interests

    return {"all_topics": TOPICS, "chosen": interests(current_user.id) if chosen is None else chosen,
            "interest_errors": errors or {}}


@bp.route("/settings/interests", methods=["POST"])
@login_required
def edit_interests():
    """Choose the topics you want to learn."""
    picked = request.form.getlist("topics")
    try:
        chosen = choose_interests(current_user, {"topics": picked})
    except CommandRejected as exc:
        return render_template("fragments/members/interests_form.html",
                               **_interests_context(exc.errors, picked)), exc.status
    return (render_template("fragments/members/interests_form.html", **_interests_context(chosen=chosen))
            + toast(f"{len(chosen)} topic(s) saved."))


@bp.route("/members/<int:user_id>/follow", methods=["POST", "DELETE"])
@login_required
def follow(user_id: int):
    """Follow (POST) or unfollow (DELETE) a member; answer with the new button."""
    command = follow_member if request.method == "POST" else unfollow_member
    command(current_user, {"user_id": user_id})
    return render_template("fragments/members/follow_button.html", member_id=user_id,
                           following=request.method == "POST")


@hub.topic("member.*", personal=True, public=False)
def push_header(user_ids: list[int]) -> dict[int, str]:
    """The header's points chip and notification bell, for each viewer whose state changed."""
    from app.read.notifications import count_unread_in_postgres, unread_count

    cards = cards_by_id(user_ids)
    html = {}
    for uid, card in cards.items():
        unread = unread_count(uid)
        if unread is None:
            unread = count_unread_in_postgres([uid])[uid]
        html[uid] = (render_template("fragments/members/points_chip.html", card=card, oob=True)
                     + render_template("fragments/notifications/bell.html", unread=unread, oob=True))
    return html


@bp.route("/@<username>/followers")
@bp.route("/@<username>/following")
def connections(username: str):
    """Who follows a member, or whom they follow, a page at a time; with "follows you" and "mutual"."""
    from app.read.follows import connections_page

    member = projects.member(username) or abort(404)
    direction = "followers" if request.path.endswith("/followers") else "following"
    viewer = current_user.id if current_user.is_authenticated else None
    page = connections_page(member.id, direction, viewer, request.args.get("after", type=int))
    template = ("fragments/members/connection_rows.html" if request.headers.get("HX-Request") and page.after_param
                else "pages/members/connections.html")
    return render_template(template, member=member, direction=direction, page=page)


@bp.route("/people/suggested")
@login_required
def suggested():
    """Members you may want to follow, and why."""
    from app.read.follows import suggestions

    return render_template("pages/members/suggested.html", people=suggestions(current_user.id))


def _relationship(user_id: int, command, template_flag: str, value: bool):
    command(current_user, {"user_id": user_id})
    return render_template("fragments/members/relationship_buttons.html", member_id=user_id,
                           **{template_flag: value, **_relationship_state(user_id, skip=template_flag)})


def _relationship_state(user_id: int, skip: str | None = None) -> dict:
    from app.read.follows import relationship

    state = relationship(current_user.id, user_id)
    return {k: v for k, v in state.items() if k != skip}


@bp.route("/members/<int:user_id>/block", methods=["POST", "DELETE"])
@login_required
def block(user_id: int):
    """Block (POST) or unblock (DELETE) a member."""
    from commands.notifications import block_member, unblock_member

    if request.method == "POST":
        return _relationship(user_id, block_member, "blocked", True) + toast("Blocked. They can no longer follow, mention or notify you.")
    return _relationship(user_id, unblock_member, "blocked", False)


@bp.route("/members/<int:user_id>/mute", methods=["POST", "DELETE"])
@login_required
def mute(user_id: int):
    """Mute (POST) or unmute (DELETE) a member."""
    from commands.notifications import mute_member, unmute_member

    if request.method == "POST":
        return _relationship(user_id, mute_member, "muted", True) + toast("Muted. They won't know.")
    return _relationship(user_id, unmute_member, "muted", False)
