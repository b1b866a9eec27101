"""The home feed: Following and For you tabs, infinite scroll, and the live "N new" pill."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.read import feeds
from app.realtime import hub
from app.web.feed_items import feed_items
from app.web.htmx import is_htmx, toast
from app.web.leaderboards import use_weekly_flair

bp = Blueprint("feeds", __name__)
TABS = ("following", "for-you")
bp.add_app_template_global(feed_items)


@bp.route("/feed")
@login_required
def index():
    """Show the feed; htmx asks for the next page (before=<id>) or a fresh top (after the pill)."""
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "following"
    before = request.args.get("before", type=int)
    page = feeds.following(current_user.id, before) if tab == "following" else feeds.for_you(current_user.id)
    use_weekly_flair(page.flair)
    if is_htmx() and before:
        return render_template("fragments/feeds/page.html", page=page, tab=tab)
    if is_htmx():
        return render_template("fragments/feeds/feed.html", page=page, tab=tab)
    return render_template("pages/feeds/index.html", page=page, tab=tab, topics=["panel.feed"],
                           highlights=feeds.highlights(current_user.id))


@bp.route("/activities/<int:activity_id>/repost", methods=["POST", "DELETE"])
@login_required
def repost(activity_id: int):
    """Repost (POST) or withdraw a repost (DELETE); answer with the new button."""
    from commands.social import repost_activity, withdraw_repost

    if request.method == "POST":
        repost_activity(current_user, {"activity_id": activity_id})
    else:
        withdraw_repost(current_user, {"activity_id": activity_id})
    return render_template("fragments/feeds/repost_button.html", activity_id=activity_id,
                           reposted=request.method == "POST") + (
        toast("Reposted to your followers.") if request.method == "POST" else "")


@hub.topic("panel.feed", personal=True)
def push_pill(user_ids: list[int]) -> dict[int, str]:
    """The newest ids each viewer may see; the page shows "N new" for those above its top item."""
    return {uid: render_template("fragments/feeds/pill.html", ids=feeds.newest_ids(uid), oob=True)
            for uid in user_ids}
