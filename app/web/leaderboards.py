"""Leaderboards: every board's page and fragment, a member's standing, privacy and fair play, and
the live pushes (one topic per board; the hub coalesces a storm into a few renders a second)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from app.models.types import utcnow
from app.read import leaderboards, projects
from app.read.leaderboards import board_spec
from app.read.members import cards_by_id
from app.realtime import hub
from app.rules import TIERS, TOPICS, tier_for
from app.web.htmx import is_htmx, page_or_fragment, toast
from commands.base import CommandRejected
from commands.leaderboards import disqualify_member, reinstate_member, set_board_visibility

bp = Blueprint("leaderboards", __name__)

KINDS = {"weekly": "weekly", "monthly": "monthly", "streaks": "streak", "battles": "battle"}


def _viewer() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _board_page(spec):
    board = leaderboards.board(spec, with_flair=True)
    use_weekly_flair(board.flair)
    if is_htmx():
        return render_template("fragments/leaderboards/board.html", board=board, spec=spec)
    viewer = _viewer()
    me = leaderboards.mine(spec, [viewer]).get(viewer) if viewer else None
    context = {"spec": spec, "board": board, "me": me, "hidden": bool(me and me.status == "hidden"),
               "topics": [spec.topic], "tiers": TIERS, "now": utcnow()}
    if spec.period:
        last = board_spec(spec.kind, "previous")
        context.update(previous=leaderboards.board(last, 3), archives=leaderboards.archived_periods(spec.kind))
    return render_template("pages/leaderboards/index.html", **context)


@bp.route("/leaderboard")
def index():
    """Show the global top 100 and the viewer's own place, updating live."""
    return _board_page(board_spec("global"))


@bp.route("/leaderboard/<any(weekly, monthly, streaks, battles):kind>")
def period_or_board(kind: str):
    """Show this week's, this month's, the streak or the battle board."""
    return _board_page(board_spec(KINDS[kind]))


@bp.route("/leaderboard/tier", defaults={"key": None})
@bp.route("/leaderboard/tier/<key>")
def tier(key: str | None):
    """Show a tier's board (the viewer's own tier by default)."""
    if key is None:
        key = tier_for(current_user.points).key if current_user.is_authenticated else TIERS[0].key
        return redirect(url_for("leaderboards.tier", key=key))
    return _board_page(board_spec("tier", key) or abort(404))


@bp.route("/leaderboard/topics")
def topics():
    """List the topic boards, most populated first."""
    return render_template("pages/leaderboards/topics.html", boards=leaderboards.topic_boards(), tiers=TIERS,
                           curated=TOPICS, spec=None)


@bp.route("/leaderboard/topics/<topic>")
def topic(topic: str):
    """Show the members who earned the most through projects in a topic."""
    spec = board_spec("topic", topic.lower()) or abort(404)
    if spec.name not in TOPICS and not leaderboards.topic_has_board(spec.name):
        abort(404)  # a free tag nobody has earned points with yet: no board (and no live topic)
    _register(spec.kind, spec.name)
    return _board_page(spec)


@bp.route("/leaderboard/<any(weekly, monthly):kind>/<period>")
def archive(kind: str, period: str):
    """Show a closed week's or month's final standings."""
    archived = leaderboards.archive(kind, period) or abort(404)
    return render_template("pages/leaderboards/archive.html", kind=kind, archive=archived, tiers=TIERS,
                           spec=board_spec(kind), archives=leaderboards.archived_periods(kind), now=utcnow())


# -- a member's standing (lazy-loaded on the profile page), privacy, fair play -----------------------

def _member_context(member) -> dict:
    viewer = _viewer()
    state = leaderboards.board_status([member.id]).get(member.id, "")
    own = viewer == member.id
    context = {"member": member, "state": state, "own": own, "history": [], "weekly": None,
               "mine": leaderboards.mine(board_spec("global"), [member.id]).get(member.id)}
    if state and not own:
        context["mine"] = None  # a hidden member's rank is theirs alone; a disqualified one has none
    if not state or own:
        context["history"] = leaderboards.rank_history(member.id)
        context["weekly"] = leaderboards.standing_of([member.id], board_spec("weekly").key).get(member.id)
    if current_user.is_authenticated and current_user.is_moderator and not own:
        context["log"] = leaderboards.moderation_log(member.id)
    return context


@bp.route("/leaderboard/@<username>")
def member(username: str):
    """Show a member's ranks, rank history and (to moderators) the fair-play form."""
    found = projects.member(username) or abort(404)
    return page_or_fragment("pages/leaderboards/member.html", "fragments/leaderboards/member.html",
                            **_member_context(found))


@bp.route("/leaderboard/privacy", methods=["POST"])
@login_required
def privacy():
    """Hide yourself from public boards, or show yourself again."""
    hidden = set_board_visibility(current_user, request.form)
    if not is_htmx():
        return redirect(url_for("leaderboards.index"))
    message = "You're hidden from public boards." if hidden else "You're back on the public boards."
    return render_template("fragments/leaderboards/privacy.html", hidden=hidden) + toast(message)


@bp.route("/leaderboard/@<username>/<any(disqualify, reinstate):action>", methods=["POST"])
@login_required
def moderate(username: str, action: str):
    """Disqualify a member from the boards, or reinstate them (moderators only; audited)."""
    found = projects.member(username) or abort(404)
    command = disqualify_member if action == "disqualify" else reinstate_member
    try:
        command(current_user, {"username": username, "reason": request.form.get("reason", "")})
    except CommandRejected as exc:
        if exc.status in (403, 404):
            raise
        return render_template("fragments/leaderboards/member.html", errors=exc.errors,
                               reason=request.form.get("reason", ""), **_member_context(found)), exc.status
    if not is_htmx():
        return redirect(url_for("leaderboards.member", username=found.username))
    message = f"@{found.username} is {'disqualified' if action == 'disqualify' else 'reinstated'}."
    return render_template("fragments/leaderboards/member.html", **_member_context(found)) + toast(message)


# -- flair: this week's top 10 wear it next to their name, everywhere --------------------------------

@bp.app_template_global("weekly_flair")
def weekly_flair(card) -> int | None:
    """This week's rank of a member in the top 10 (None otherwise); one read per request."""
    if "weekly_flair" not in g:
        g.weekly_flair = leaderboards.weekly_flair()
    return g.weekly_flair.rank_of(card)


def use_weekly_flair(flair: leaderboards.Flair | None) -> None:
    """This week's flair, read by a view with its own data (saves `weekly_flair` its round trip)."""
    if flair is not None:
        g.weekly_flair = flair


# -- live pushes ---------------------------------------------------------------------------------------

def _push_board(kind: str, arg: str = "") -> str:
    spec = board_spec(kind, arg)
    board = leaderboards.board(spec, with_flair=True)
    use_weekly_flair(board.flair)
    return render_template("fragments/leaderboards/board.html", board=board, spec=spec, oob=True)


ROWS_KEPT = 5_000  # board rows remembered per app before starting afresh (a couple of MB)


@bp.app_template_global("board_rows")
def board_rows(rows: list, unit: str, highlight_rank: int | None = None) -> Markup:
    """A board's rows, each as the `board_row` macro renders it, followed by the line break the
    board's list puts after it.

    A pushed board is rendered again several times a second while members earn points, and
    between two renders most of its hundred rows are the same. So each row's HTML is remembered
    per app by exactly what the macro reads: the standing (rank, member, value) with its member
    card (name, username, tier), the board's unit, whether it is the viewer's row, and the
    member's flair this week. A row is only reused where the macro would write the same bytes."""
    memo = current_app.extensions.setdefault("board_rows", {})
    if len(memo) > ROWS_KEPT:
        memo.clear()
    macro, parts = None, []
    for row in rows:
        key = (row, unit, bool(highlight_rank and row.rank == highlight_rank), weekly_flair(row.member))
        html = memo.get(key)
        if html is None:
            if macro is None:
                macro = current_app.jinja_env.get_template("fragments/leaderboards/macros.html").module.board_row
            html = memo[key] = macro(row, unit, highlight_rank)
        parts.append(html)
        parts.append("\n    ")
    return Markup("".join(parts))


def _push_mine(kind: str, arg: str, user_ids: list[int]) -> dict[int, str]:
    spec = board_spec(kind, arg)
    return {uid: render_template("fragments/leaderboards/me.html", me=me, spec=spec, oob=True)
            for uid, me in leaderboards.mine(spec, user_ids).items()}


def _register(kind: str, arg: str = "") -> None:
    """Register a board's topic with the hub (idempotent): its rows for all, each viewer's place."""
    name = board_spec(kind, arg).topic
    if name in hub.topics:
        return
    hub.topic(name)(lambda: _push_board(kind, arg))
    hub.topic(name, personal=True)(lambda user_ids: _push_mine(kind, arg, user_ids))


for _kind, _arg in [("global", ""), ("weekly", ""), ("monthly", ""), ("streak", ""), ("battle", ""),
                    *(("tier", t.key) for t in TIERS), *(("topic", t) for t in TOPICS)]:
    _register(_kind, _arg)


@hub.topic("leaderboard.top10")
def push_top10() -> str:
    return render_template("fragments/leaderboards/global.html", board=leaderboards.top(10), compact=True,
                           oob=True)


@hub.topic("leaderboard.top10", personal=True)
def push_my_rank(user_ids: list[int]) -> dict[int, str]:
    """The home page's one-line rank, for each viewer."""
    standings = leaderboards.standing_of(user_ids)
    cards = cards_by_id(user_ids)
    return {
        uid: render_template("fragments/leaderboards/my_rank.html", me=standings.get(uid),
                             card=cards.get(uid), oob=True)
        for uid in user_ids
    }
