"""Member cards: what a name shows wherever it appears, hydrated in one batched query."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from app.extensions import db, on_postgres
from app.models import User
from app.rules import Tier, tier_for


@dataclass(frozen=True)
class MemberCard:
    id: int
    username: str
    name: str
    points: int
    tier: Tier


def cards_by_id(user_ids: list[int]) -> dict[int, MemberCard]:
    """Hydrate member ids into cards with one query (never one per member)."""
    if not user_ids:
        return {}
    ids = sorted(set(user_ids))
    if on_postgres():
        # One array parameter (a cached plan) instead of a hundred expanded ones: half the time.
        match = User.id == any_(bindparam("ids", value=ids, type_=ARRAY(BigInteger)))
    else:
        match = User.id.in_(ids)
    rows = db.session.execute(select(User.id, User.username, User.display_name, User.points).where(match))
    return {
        row.id: MemberCard(row.id, row.username, row.display_name or row.username, row.points,
                           tier_for(row.points))
        for row in rows
    }
