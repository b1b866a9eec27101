"""Progress read model: a JSON snapshot per member, and achievement shares across members."""
from __future__ import annotations

import json
from dataclasses import dataclass

from app.read import keys
from app.read.redis import RedisUnavailable, client


def member_progress(user_id: int) -> dict | None:
    """The member's progress snapshot, or None while it is being built (or Redis is away)."""
    try:
        raw = client().get(keys.member_progress(user_id))
    except RedisUnavailable:
        return None
    return json.loads(raw) if raw else None


@dataclass(frozen=True)
class Shares:
    members: int
    holders: dict[str, int]

    def percent(self, key: str) -> int | None:
        if not self.members:
            return None
        return round(100 * self.holders.get(key, 0) / self.members)


def achievement_shares() -> Shares:
    """How many members hold each achievement (for "Only 12% of members have this")."""
    try:
        pipe = client().pipeline(transaction=False)
        pipe.hgetall(keys.achievement_holders())
        pipe.get(keys.member_count())
        holders, members = pipe.execute()
    except RedisUnavailable:
        return Shares(0, {})
    return Shares(int(members or 0), {k: int(v) for k, v in holders.items()})
