"""Leaderboards: the page, its fragment, and the live pushes of both."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.read import leaderboards
from app.read.members import cards_by_id
from app.realtime import hub
from app.web.htmx import page_or_fragment

bp = Blueprint("leaderboards", __name__)


def _me():
    viewer = current_user.id if current_user.is_authenticated else None
    return leaderboards.standing_of([viewer]).get(viewer) if viewer else None


@bp.route("/leaderboard")
def index():
    """Show the global top 100 and the viewer's own rank, updating live."""
    return page_or_fragment("pages/leaderboards/index.html", "fragments/leaderboards/global.html",
                            board=leaderboards.top(), me=_me(), topics=["leaderboard.global"])


@hub.topic("leaderboard.global")
def push_global() -> str:
    return render_template("fragments/leaderboards/global.html", board=leaderboards.top(), oob=True)


@hub.topic("leaderboard.top10")
def push_top10() -> str:
    return render_template("fragments/leaderboards/global.html", board=leaderboards.top(10),
                           compact=True, oob=True)


def _my_rank_pushes(user_ids: list[int]) -> dict[int, str]:
    standings = leaderboards.standing_of(user_ids)
    cards = cards_by_id(user_ids)
    return {
        uid: render_template("fragments/leaderboards/my_rank.html", me=standings.get(uid),
                             card=cards.get(uid), oob=True)
        for uid in user_ids
    }


hub.topic("leaderboard.global", personal=True)(_my_rank_pushes)
hub.topic("leaderboard.top10", personal=True)(_my_rank_pushes)
