"""Fair play: only moderators disqualify (or reinstate) a member, with a reason kept in an audit
log of who, when and why; from the profile's panel or the operator CLI. The ledger is untouched."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Disqualification, ModerationEntry, PointsEntry
from tests.conftest import drain, make_member
from tests.leaderboards.helpers import points_of


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def audit(user_id):
    return [(e.action, e.reason, e.moderator_id, e.via) for e in db.session.scalars(
        select(ModerationEntry).where(ModerationEntry.user_id == user_id).order_by(ModerationEntry.id))]


def ledger_rows(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PointsEntry))


def test_only_moderators_may_disqualify_and_reinstate(app, web):
    """(No `ctx` here: two clients in one app context would share flask.g, CSRF token included.)"""
    cheat = make_member(app, "cheater")
    make_member(app, "member")
    mod = make_member(app, "modmary", role="moderator")
    ledger, points = ledger_rows(app), points_of(app, cheat)

    web.login("member")
    refused = web.post("/leaderboard/@cheater/disqualify", {"reason": "I don't like them"})
    assert refused.status_code == 403
    assert "Only moderators can change who appears on the leaderboards." in refused.get_data(as_text=True)
    assert web.get("/leaderboard/@cheater", htmx=True).get_data(as_text=True).count("Fair play") == 0

    moderator = type(web)(app).login("modmary")
    assert "Fair play" in moderator.get("/leaderboard/@cheater", htmx=True).get_data(as_text=True)
    assert moderator.post("/leaderboard/@cheater/disqualify", {"reason": "no"}).status_code == 422
    done = moderator.post("/leaderboard/@cheater/disqualify", {"reason": "Likes from alt accounts"})
    assert done.status_code == 200
    page = done.get_data(as_text=True)
    assert page.lstrip().startswith('<section class="panel leaderboard-panel" id="leaderboard-panel-')
    assert "Reinstate on the leaderboards" in page and "Likes from alt accounts" in page
    assert "Not ranked: removed from the leaderboards by a moderator." in page
    assert moderator.post("/leaderboard/@cheater/disqualify", {"reason": "again"}).status_code == 409
    assert web.post("/leaderboard/@cheater/reinstate", {"reason": "appeal"}).status_code == 403
    assert moderator.post("/leaderboard/@cheater/reinstate", {"reason": "Appeal upheld"}).status_code == 200

    with app.app_context():
        assert audit(cheat) == [("disqualified", "Likes from alt accounts", mod, "web"),
                                ("reinstated", "Appeal upheld", mod, "web")]
    drain(app)
    assert (ledger_rows(app), points_of(app, cheat)) == (ledger, points)  # the ledger is untouched


def test_the_cli_disqualifies_and_reinstates_with_a_reason(app, ctx):
    cheat = make_member(app, "cheater")
    make_member(app, "modmary", role="moderator")
    result = run(app, "leaderboards", "disqualify", "cheater", "--reason", "Bot traffic")
    assert result.exit_code == 0, result.output
    assert "@cheater is disqualified" in result.output
    assert db.session.get(Disqualification, cheat) is not None
    again = run(app, "leaderboards", "disqualify", "cheater", "--reason", "Bot traffic")
    assert again.exit_code != 0 and "already disqualified" in again.output
    assert run(app, "leaderboards", "disqualify", "nobody", "--reason", "Bot traffic").exit_code != 0
    assert run(app, "leaderboards", "reinstate", "cheater").exit_code != 0  # --reason is required
    back = run(app, "leaderboards", "reinstate", "cheater", "--reason", "Cleared", "--by", "modmary")
    assert back.exit_code == 0, back.output
    db.session.expire_all()
    assert db.session.get(Disqualification, cheat) is None
    assert [(a, r, via) for a, r, _, via in audit(cheat)] == [("disqualified", "Bot traffic", "cli"),
                                                             ("reinstated", "Cleared", "cli")]
    assert audit(cheat)[0][2] is None and audit(cheat)[1][2] is not None  # the operator, then @modmary
