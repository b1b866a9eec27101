"""Leaderboard read model: a sorted set per board, scores encode points and a tie-break.

Score encoding (ties go to whoever reached the score first):
    score = points * 2**31 + (2**31 - 1 - seconds since 2024-01-01 UTC when the score was reached)
Both parts are integers and the total stays below 2**53, so a double holds it exactly while
points < 2**22 (4,194,304) and the date is before 2092. Higher points rank first; with equal
points the earlier time has the larger remainder and ranks first.

Members with equal scores (same points reached in the same second) are ordered by Redis by
member string, descending under ZREVRANGE. The member is therefore the zero-padded complement
of the user id, so the earlier member (lower id) still ranks first. Only this module converts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from app.read import keys
from app.read.members import MemberCard, cards_by_id
from app.read.redis import RedisUnavailable, client
from app.rules import LIMITS

EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
TIME_BITS = 31
TIME_SPAN = 2**TIME_BITS
MAX_POINTS = 2 ** (53 - TIME_BITS) - 1


def encode_score(points: int, reached_at: datetime) -> int:
    points = max(0, min(int(points), MAX_POINTS))
    seconds = int((reached_at - EPOCH).total_seconds())
    seconds = max(0, min(seconds, TIME_SPAN - 1))
    return points * TIME_SPAN + (TIME_SPAN - 1 - seconds)


def decode_points(score: float) -> int:
    return int(score) // TIME_SPAN


ID_SPAN = 10**12


def member_for(user_id: int) -> str:
    return f"{ID_SPAN - int(user_id):012d}"


def user_of(member: str) -> int:
    return ID_SPAN - int(member)


def scores_for(rows) -> dict[str, int]:
    """{member: score} for rows with id, points and points_updated_at (what projectors write)."""
    return {member_for(r.id): encode_score(r.points, r.points_updated_at) for r in rows}


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: int
    points: int
    member: MemberCard | None = None


@dataclass(frozen=True)
class Board:
    rows: list[Standing]
    total: int
    available: bool = True


def top(limit: int = LIMITS["leaderboard_top"], key: str | None = None) -> Board:
    """The top of a board, hydrated with member cards in one query."""
    key = key or keys.leaderboard_global()
    try:
        pipe = client().pipeline(transaction=False)
        pipe.zrevrange(key, 0, limit - 1, withscores=True)
        pipe.zcard(key)
        entries, total = pipe.execute()
    except RedisUnavailable:
        return Board([], 0, available=False)
    ids = [user_of(m) for m, _ in entries]
    cards = cards_by_id(ids)
    rows = [
        Standing(rank, uid, decode_points(s), cards.get(uid))
        for rank, (uid, (_, s)) in enumerate(zip(ids, entries), start=1)
        if uid in cards
    ]
    return Board(rows, total)


def standing_of(user_ids: list[int], key: str | None = None) -> dict[int, Standing]:
    """Each member's rank and points (1-based), for members on the board; one round trip."""
    key = key or keys.leaderboard_global()
    if not user_ids:
        return {}
    try:
        pipe = client().pipeline(transaction=False)
        for uid in user_ids:
            pipe.zrevrank(key, member_for(uid))
            pipe.zscore(key, member_for(uid))
        answers = pipe.execute()
    except RedisUnavailable:
        return {}
    result = {}
    for i, uid in enumerate(user_ids):
        rank, score = answers[2 * i], answers[2 * i + 1]
        if rank is not None and score is not None:
            result[uid] = Standing(rank + 1, uid, decode_points(score))
    return result
