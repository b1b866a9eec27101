"""A board's rows are remembered between renders; a row is reused only where the macro would write
the same bytes (the pushed board is rendered again several times a second under load)."""
import re
from datetime import datetime, timezone

from flask import g
from sqlalchemy import update

from app.extensions import db
from app.models import User
from app.read import leaderboards
from app.read.leaderboards import Flair, Standing, board_spec, encode_score, member_for
from app.read.members import MemberCard
from app.realtime import hub
from app.rules import TIERS
from tests.conftest import make_member
from workers.jobs import rebuild


def macro_rows(app, rows, unit, highlight_rank=None) -> str:
    macro = app.jinja_env.get_template("fragments/leaderboards/macros.html").module.board_row
    return "".join(str(macro(row, unit, highlight_rank)) + "\n    " for row in rows)


def test_remembered_rows_are_the_macros_bytes_for_every_shape(app):
    from app.web.leaderboards import board_rows

    cards = [MemberCard(1, "ada", "Ada <Lovelace>", 12, TIERS[0]),
             MemberCard(2, "grace", "Grace & Co", 5000, TIERS[2]),
             MemberCard(3, "linus", "Linus", 1, TIERS[0])]
    shapes = []
    for unit in ("points", "days", "wins"):
        for highlight in (None, 2, 4):
            for flair in ({}, {1: 1, 3: 7}):
                rows = [Standing(rank, card.id, points, card)
                        for rank, card, points in ((1, cards[1], 5000), (2, cards[0], 12), (4, cards[2], 1),
                                                   (1234, cards[2], 1))]
                shapes.append((rows, unit, highlight, flair))
    with app.test_request_context("/"):
        sizes = []
        for _ in range(2):  # the second time round, every row is a remembered one
            for rows, unit, highlight, flair in shapes:
                g.weekly_flair = Flair(flair)
                assert str(board_rows(rows, unit, highlight)) == macro_rows(app, rows, unit, highlight)
            sizes.append(len(app.extensions["board_rows"]))
        assert sizes[0] == sizes[1] > 0


def row_of(html: str, uid: int) -> str:
    return re.search(rf'<li[^>]*data-user-id="{uid}".*?</li>', html, re.S).group(0)


def test_a_pushed_board_shows_a_renamed_member_and_new_flair_at_once(app, ctx):
    ada, grace, linus = [make_member(app, name) for name in ("ada", "grace", "linus")]
    for n, uid in enumerate((ada, grace, linus)):
        db.session.execute(update(User).where(User.id == uid).values(points=100 * (n + 1)))
    db.session.commit()
    rebuild(["leaderboards"])
    first, _ = hub.render(app, "leaderboard.global", [])
    assert "#3 this week" in row_of(first, linus) and "#1 this week" in row_of(first, ada)

    db.session.execute(update(User).where(User.id == linus).values(display_name="Linus the Great"))
    db.session.commit()
    week = board_spec("weekly").key
    leaderboards.client().zadd(week, {member_for(linus): encode_score(5000, datetime.now(timezone.utc))})
    second, _ = hub.render(app, "leaderboard.global", [])
    assert "Linus the Great" in row_of(second, linus) and "#1 this week" in row_of(second, linus)
    assert "#2 this week" in row_of(second, ada)

    db.session.execute(update(User).where(User.id == ada).values(points=1000))
    db.session.commit()
    rebuild(["leaderboards"])
    third, _ = hub.render(app, "leaderboard.global", [])
    assert 'data-rank="1"' in row_of(third, ada) and 'data-rank="2"' in row_of(third, linus)
