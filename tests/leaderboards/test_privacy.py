"""Hidden and disqualified members are left out of every board, live and in every rebuild; a
hidden member still sees their own rank, privately; both are reversible."""
from app.extensions import db, store
from app.models.types import frozen_time
from app.read import keys, leaderboards
from app.read.leaderboards import board_spec, member_for
from commands.leaderboards import disqualify_member, reinstate_member, set_board_visibility
from tests.conftest import drain, make_member
from tests.leaderboards.helpers import BOARD_MODELS, WEDNESDAY, boards_snapshot, user
from tests.leaderboards.test_projection import every_board_in_use
from workers.jobs import rebuild


def boards_holding(app, user_id):
    r = store(app).client
    return sorted(k for k in r.scan_iter(match="at:lb:*")
                  if r.type(k) == "zset" and k != keys.leaderboard_topic_index()
                  and r.zscore(k, member_for(user_id)) is not None)


def test_hidden_and_disqualified_members_are_on_no_board_live_or_rebuilt(app, ctx):
    ada, bob, cyd = every_board_in_use(app)
    assert len(boards_holding(app, bob)) >= 6 and boards_holding(app, cyd)  # on many boards before
    moderator = make_member(app, "modmary", role="moderator")
    with frozen_time(WEDNESDAY):
        set_board_visibility(user(bob), {"hidden": "true"})
        disqualify_member(user(moderator), {"username": "cyd", "reason": "Farmed likes with alt accounts"})
        drain(app)
        assert boards_holding(app, bob) == [] and boards_holding(app, cyd) == []
        assert boards_holding(app, ada)
        live = boards_snapshot(app)
        store(app).client.flushall()
        rebuild(BOARD_MODELS)
        assert boards_snapshot(app) == live
        assert boards_holding(app, bob) == [] and boards_holding(app, cyd) == []


def test_showing_again_and_reinstating_put_members_back(app, ctx):
    _, bob, cyd = every_board_in_use(app)
    moderator = make_member(app, "modmary", role="moderator")
    with frozen_time(WEDNESDAY):
        everywhere = {uid: boards_holding(app, uid) for uid in (bob, cyd)}
        set_board_visibility(user(bob), {"hidden": "true"})
        disqualify_member(user(moderator), {"username": "cyd", "reason": "Suspicious"})
        drain(app)
        set_board_visibility(user(bob), {"hidden": "false"})
        reinstate_member(user(moderator), {"username": "cyd", "reason": "Appeal upheld"})
        drain(app)
        assert {uid: boards_holding(app, uid) for uid in (bob, cyd)} == everywhere


def test_a_hidden_member_sees_their_private_rank_and_nobody_else_sees_them(app, ctx, web):
    _, bob, _ = every_board_in_use(app)
    with frozen_time(WEDNESDAY):
        expected = leaderboards.mine(board_spec("global"), [bob])[bob]
        set_board_visibility(user(bob), {"hidden": "true"})
        drain(app)
        private = leaderboards.mine(board_spec("global"), [bob])[bob]
        assert (private.status, private.private) == ("hidden", True)
        assert (private.rank, private.tier_rank, private.points) == (
            expected.rank, expected.tier_rank, expected.points)
        page = web.login("bob").get("/leaderboard").get_data(as_text=True)
    assert "You're hidden from public boards. Privately, you're" in page
    assert f'data-my-rank="{expected.rank}"' in page and "Show me on the boards" in page
    assert f'data-user-id="{bob}"' not in page
    db.session.expire_all()
    assert leaderboards.standing_of([bob]) == {}


def test_the_privacy_button_hides_you_and_shows_you_again(app, ctx, web):
    ada = make_member(app, "ada")
    drain(app)
    web.login("ada")
    hidden = web.post("/leaderboard/privacy", {"hidden": "true"})
    assert hidden.status_code == 200
    assert "Show me on the boards" in hidden.get_data(as_text=True)
    drain(app)
    assert boards_holding(app, ada) == []
    shown = web.post("/leaderboard/privacy", {"hidden": "false"})
    assert "Hide me from public boards" in shown.get_data(as_text=True)
    drain(app)
    assert keys.leaderboard_global() in boards_holding(app, ada)
    assert web.post("/leaderboard/privacy", {"hidden": "maybe"}).status_code == 422
