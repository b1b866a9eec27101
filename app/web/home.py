"""The front page: who is climbing and what was just published."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.read import leaderboards, projects

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Show the live leaderboard beside the newest projects."""
    recent = projects.recent(12)
    viewer = current_user.id if current_user.is_authenticated else None
    return render_template(
        "pages/home/index.html",
        board=leaderboards.top(10),
        me=leaderboards.standing_of([viewer]).get(viewer) if viewer else None,
        projects=recent,
        liked=projects.liked_by(viewer, [p.id for p in recent]),
        topics=["leaderboard.top10"],
    )
