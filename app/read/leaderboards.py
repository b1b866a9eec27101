"""Leaderboard read model: a sorted set per board, scores encode a value and a tie-break.

Score encoding (ties go to whoever reached the score first):
    score = value * 2**31 + (2**31 - 1 - seconds since 2024-01-01 UTC when the value was reached)
Both parts are integers and the total stays below 2**53, so a double holds it exactly while
value < 2**22 (4,194,304) and the date is before 2092. Higher values rank first; with equal
values the earlier time has the larger remainder and ranks first. The value is points (global,
tier, weekly, monthly, topic boards), days (streaks) or wins (battles): docs/leaderboards.md.

Members with equal scores (same value reached in the same second) are ordered by Redis by
member string, descending under ZREVRANGE. The member is therefore the zero-padded complement
of the user id, so the earlier member (lower id) still ranks first. Only this module converts.

A tier board is not a key of its own: it is the band of the global board between two tier
thresholds (value * 2**31 is the band's floor), so its top, a member's rank in it and "#12 in
your tier" are range queries on the one global set.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from sqlalchemy import literal, select

from app.extensions import db
from app.models import (
    ArchivedStanding, BoardPrivacy, ClosedPeriod, Disqualification, ModerationEntry, RankSnapshot, User,
)
from app.models.leaderboards import AROUND, BOARD_SIZES, FLAIR_TOP, HISTORY_DAYS, Period, visible
from app.models.types import utcnow
from app.read import keys
from app.read.members import MemberCard, cards_by_id
from app.read.redis import RedisUnavailable, client
from app.rules import LIMITS, TIERS, Tier, tier_for

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
    return int(float(score)) // TIME_SPAN


ID_SPAN = 10**12


def member_for(user_id: int) -> str:
    return f"{ID_SPAN - int(user_id):012d}"


def user_of(member: str) -> int:
    return ID_SPAN - int(member)


def scores_for(rows) -> dict[str, int]:
    """{member: score} for rows with id, points and points_updated_at (what projectors write)."""
    return {member_for(r.id): encode_score(r.points, r.points_updated_at) for r in rows}


# -- which board -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    """A board: its Redis key (and score band), size, push topic and what its value counts."""

    kind: str  # global, weekly, monthly, tier, streak, battle, topic
    key: str
    title: str
    size: int
    topic: str
    slug: str  # its path under /leaderboard and its fragment's id
    unit: str = "points"
    low: int | None = None  # tier band: scores >= low ...
    high: int | None = None  # ... and < high
    period: Period | None = None
    tier: Tier | None = None
    name: str = ""  # the topic of a topic board

    @property
    def dom_id(self) -> str:
        return "leaderboard-" + "".join(c if c.isalnum() or c == "-" else "_" for c in self.slug)

    @property
    def bounds(self) -> tuple[str, str]:
        """(max, min) for ZREVRANGEBYSCORE/ZCOUNT."""
        return (f"({self.high}" if self.high is not None else "+inf",
                str(self.low) if self.low is not None else "-inf")


def tier_band(tier: Tier) -> tuple[int, int | None]:
    index = TIERS.index(tier)
    upper = TIERS[index + 1].threshold * TIME_SPAN if index + 1 < len(TIERS) else None
    return tier.threshold * TIME_SPAN, upper


def board_spec(kind: str, arg: str = "", now: datetime | None = None) -> Spec | None:
    """The board a kind (and tier key, topic or "previous" period) names; None if none."""
    size = BOARD_SIZES.get(kind, 0)
    if kind == "global" and not arg:
        return Spec(kind, keys.leaderboard_global(), "All time", size, "leaderboard.global", "global")
    if kind in ("weekly", "monthly") and arg in ("", "previous"):
        period = Period.containing(kind, now or utcnow())
        period = period.previous if arg else period
        key = (keys.leaderboard_weekly if kind == "weekly" else keys.leaderboard_monthly)(period.id)
        word = "week" if kind == "weekly" else "month"
        title = f"Last {word}" if arg else f"This {word}"
        return Spec(kind, key, title, size, f"leaderboard.{kind}{'.previous' if arg else ''}",
                    f"{kind}{'-previous' if arg else ''}", period=period)
    if kind == "tier":
        tier = next((t for t in TIERS if t.key == arg), None)
        if tier is None:
            return None
        low, high = tier_band(tier)
        return Spec(kind, keys.leaderboard_global(), f"{tier.name} tier", size, f"leaderboard.tier.{tier.key}",
                    f"tier-{tier.key}", low=low, high=high, tier=tier)
    if kind == "streak" and not arg:
        return Spec(kind, keys.leaderboard_streaks(), "Daily streaks", size, "leaderboard.streak", "streak",
                    unit="days")
    if kind == "battle" and not arg:
        return Spec(kind, keys.leaderboard_battles(), "Battles won", size, "leaderboard.battle", "battle",
                    unit="wins")
    if kind == "topic" and arg and ":" not in arg and len(arg) <= LIMITS["topic_max"]:
        return Spec(kind, keys.leaderboard_topic(arg), f"#{arg}", size, f"leaderboard.topic.{arg}",
                    f"topic-{arg}", name=arg)
    return None


# -- what boards show ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: int
    points: int  # the board's value: points, days or wins
    member: MemberCard | None = None


@dataclass(frozen=True)
class Board:
    rows: list[Standing]
    total: int
    available: bool = True
    spec: Spec | None = None
    flair: "Flair | None" = None  # this week's flair, when the board was read with it


def _standings(entries, first_rank: int, cards: dict[int, MemberCard]) -> list[Standing]:
    rows = []
    for rank, (member, score) in enumerate(entries, start=first_rank):
        uid = user_of(member)
        if uid in cards:
            rows.append(Standing(rank, uid, decode_points(score), cards[uid]))
    return rows


def board(spec: Spec, limit: int | None = None, with_flair: bool = False) -> Board:
    """The top of a board, hydrated with member cards in one query; with_flair, this week's
    flair too, read in the same round trip (the names on the board wear it)."""
    limit = limit or spec.size
    high, low = spec.bounds
    try:
        pipe = client().pipeline(transaction=False)
        if spec.low is None and spec.high is None:
            pipe.zrevrange(spec.key, 0, limit - 1, withscores=True)
            pipe.zcard(spec.key)
        else:
            pipe.zrevrangebyscore(spec.key, high, low, start=0, num=limit, withscores=True)
            pipe.zcount(spec.key, low, high)
        if with_flair:
            read_weekly_flair(pipe)
        entries, total, *flair = pipe.execute()
    except RedisUnavailable:
        return Board([], 0, available=False, spec=spec)
    cards = cards_by_id([user_of(m) for m, _ in entries])
    return Board(_standings(entries, 1, cards), total, spec=spec, flair=flair_of(flair[0]) if flair else None)


def top(limit: int = LIMITS["leaderboard_top"], key: str | None = None) -> Board:
    """The top of the global board (or of another key holding the same kind of scores)."""
    spec = board_spec("global")
    return board(replace(spec, key=key) if key else spec, limit)


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


# -- the viewer's own place: rank, tier rank, the window around them, who to beat ------------------

# One round trip for "around me": the member's rank inside the board's band and the rows around it.
WINDOW_SCRIPT = """
local key, member, span, low, high = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local score = redis.call('ZSCORE', key, member)
if not score then return false end
local rank = redis.call('ZREVRANK', key, member)
local above = 0
if high ~= '+inf' then above = redis.call('ZCOUNT', key, string.sub(high, 2), '+inf') end
local total = redis.call('ZCOUNT', key, low, high)
local first = math.max(above, rank - span)
local last = math.min(above + total - 1, rank + span)
return {rank - above, score, total, first - above, redis.call('ZREVRANGE', key, first, last, 'WITHSCORES')}
"""
_scripts: dict[int, object] = {}


def _window_script(redis_client):
    script = _scripts.get(id(redis_client))
    if script is None:
        script = _scripts[id(redis_client)] = redis_client.register_script(WINDOW_SCRIPT)
    return script


@dataclass(frozen=True)
class Rival:
    member: MemberCard
    rank: int  # the rank the viewer reaches by beating them
    needed: int


@dataclass(frozen=True)
class Mine:
    """The viewer on one board: rank (private if hidden), tier rank, around-me window, rival."""

    status: str = ""  # "", "hidden" or "disqualified"
    rank: int | None = None
    points: int = 0
    total: int = 0
    tier: Tier | None = None
    tier_rank: int | None = None
    private: bool = False
    window: list[Standing] = field(default_factory=list)
    rival: Rival | None = None


def board_status(user_ids: list[int]) -> dict[int, str]:
    """"hidden" or "disqualified" for members kept off public boards (one query)."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(BoardPrivacy.user_id, literal("hidden").label("why"))
        .where(BoardPrivacy.user_id.in_(ids), BoardPrivacy.hidden.is_(True))
        .union_all(select(Disqualification.user_id, literal("disqualified"))
                   .where(Disqualification.user_id.in_(ids))))
    status: dict[int, str] = {}
    for uid, why in rows:
        if status.get(uid) != "disqualified":
            status[uid] = why
    return status


def mine(spec: Spec, user_ids: list[int], span: int = AROUND) -> dict[int, Mine]:
    """Each viewer's place on a board, batched: one Redis round trip (who is kept off the boards,
    each window, the tier floors), one hydration query. A hidden member's private global and tier
    rank count the scores above theirs (their score read from Postgres: a second, rare trip)."""
    viewers = [uid for uid in dict.fromkeys(user_ids) if uid]
    if not viewers:
        return {}
    ranked_by_points = spec.kind in ("global", "tier")
    floors = TIERS[1:] if ranked_by_points else ()
    high, low = spec.bounds
    try:
        r = client()
        pipe = r.pipeline(transaction=False)
        pipe.hmget(keys.leaderboard_excluded(), [member_for(uid) for uid in viewers])
        for uid in viewers:
            _window_script(r)(keys=[spec.key], args=[member_for(uid), span, low, high], client=pipe)
        for tier in floors:
            pipe.zcount(spec.key, tier.threshold * TIME_SPAN, "+inf")
        reasons, *answers = pipe.execute()
        status = {uid: why for uid, why in zip(viewers, reasons) if why}
        hidden = [uid for uid in viewers if status.get(uid) == "hidden"] if ranked_by_points else []
        private_scores, ahead_of_hidden = _private_standing(hidden)
    except RedisUnavailable:
        return {uid: Mine() for uid in viewers}
    windows = dict(zip(viewers, answers[:len(viewers)]))
    at_or_above = dict(zip(floors, answers[len(viewers):]))
    cards = cards_by_id([user_of(m) for w in windows.values() if w for m in w[4][::2]])

    def tier_rank(rank: int, points: int) -> tuple[Tier, int]:
        tier = tier_for(points)
        index = TIERS.index(tier)
        above = at_or_above.get(TIERS[index + 1], 0) if index + 1 < len(TIERS) else 0
        return tier, rank - above

    result = {}
    for uid in viewers:
        if uid in ahead_of_hidden:
            points = decode_points(private_scores[uid])
            rank = ahead_of_hidden[uid] + 1
            tier, in_tier = tier_rank(rank, points)
            result[uid] = Mine("hidden", rank, points, tier=tier, tier_rank=in_tier, private=True)
            continue
        answer = windows.get(uid)
        if uid in status or not answer or not 0 <= answer[0] < answer[2]:
            result[uid] = Mine(status.get(uid, ""))
            continue
        rank_in_band, score, total, first, flat = answer
        rank, points = rank_in_band + 1, decode_points(score)
        window = _standings(list(zip(flat[::2], flat[1::2])), first + 1, cards)
        above = next((s for s in window if s.rank == rank - 1), None)
        rival = Rival(above.member, above.rank, above.points - points + 1) if above else None
        tier, in_tier = tier_rank(rank, points) if spec.kind == "global" else (spec.tier, rank)
        result[uid] = Mine("", rank, points, total, tier, in_tier if ranked_by_points else None,
                           window=window, rival=rival)
    return result


def _private_standing(hidden: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Hidden members' scores (from Postgres) and how many on the global board are above each."""
    if not hidden:
        return {}, {}
    scores = {r.id: encode_score(r.points, r.points_updated_at) for r in db.session.execute(
        select(User.id, User.points, User.points_updated_at).where(User.id.in_(hidden)))}
    pipe = client().pipeline(transaction=False)
    for score in scores.values():
        pipe.zcount(keys.leaderboard_global(), f"({score}", "+inf")
    return scores, dict(zip(scores, pipe.execute()))


# -- flair: this week's top 10 ---------------------------------------------------------------------

class Flair:
    """This week's top N by member id; usernames are looked up only if a name needs them."""

    def __init__(self, ranks: dict[int, int]) -> None:
        self.ranks = ranks
        self._by_username: dict[str, int] | None = None

    def rank_of(self, card) -> int | None:
        if not self.ranks or card is None:
            return None
        uid = getattr(card, "id", None) if not isinstance(card, dict) else card.get("id")
        if uid is not None:
            return self.ranks.get(uid)
        if self._by_username is None:
            names = db.session.execute(select(User.id, User.username).where(User.id.in_(list(self.ranks))))
            self._by_username = {row.username: self.ranks[row.id] for row in names}
        username = card.get("username") if isinstance(card, dict) else getattr(card, "username", None)
        return self._by_username.get(username)


def weekly_flair_key(now: datetime | None = None) -> str:
    """The board whose top FLAIR_TOP members wear this week's flair."""
    return board_spec("weekly", now=now).key


def read_weekly_flair(pipe, now: datetime | None = None) -> None:
    """Queue the read of this week's flair on a pipeline; `flair_of` its reply."""
    pipe.zrevrange(weekly_flair_key(now), 0, FLAIR_TOP - 1)


def flair_of(members: list[str]) -> Flair:
    return Flair({user_of(m): rank for rank, m in enumerate(members, start=1)})


def weekly_flair(now: datetime | None = None) -> Flair:
    pipe = client().pipeline(transaction=False)
    read_weekly_flair(pipe, now)
    try:
        members, = pipe.execute()
    except RedisUnavailable:
        members = []
    return flair_of(members)


# -- topics, walking a board, history, archives, moderation ----------------------------------------

def ranked_ids(spec: Spec, limit: int) -> tuple[list[tuple[int, int]], int]:
    """[(user_id, rank)] of a board's top (ids only, no hydration), and how many are on it."""
    pipe = client().pipeline(transaction=False)
    pipe.zrevrange(spec.key, 0, limit - 1)
    pipe.zcard(spec.key)
    members, total = pipe.execute()
    return [(user_of(m), rank) for rank, m in enumerate(members, start=1)], total


def topic_boards(limit: int = 100) -> list[tuple[str, int]]:
    """Topics that have a board, with how many members are on each, most populated first."""
    try:
        entries = client().zrevrange(keys.leaderboard_topic_index(), 0, limit - 1, withscores=True)
    except RedisUnavailable:
        return []
    return [(topic, int(count)) for topic, count in entries]


def topic_has_board(topic: str) -> bool:
    try:
        return client().zscore(keys.leaderboard_topic_index(), topic) is not None
    except RedisUnavailable:
        return False


def walk(key: str, chunk: int = 10_000) -> Iterator[list[tuple[int, int, int]]]:
    """Every member of a board as (rank, user_id, value), in rank order, a chunk at a time."""
    start = 0
    while entries := client().zrevrange(key, start, start + chunk - 1, withscores=True):
        yield [(start + i + 1, user_of(m), decode_points(s)) for i, (m, s) in enumerate(entries)]
        start += len(entries)


def tier_floors(key: str | None = None) -> dict[str, int]:
    """How many members of the global board rank at or above each tier's floor."""
    key = key or keys.leaderboard_global()
    pipe = client().pipeline(transaction=False)
    for tier in TIERS:
        pipe.zcount(key, tier.threshold * TIME_SPAN, "+inf")
    return dict(zip((t.key for t in TIERS), pipe.execute()))


@dataclass(frozen=True)
class HistoryPoint:
    day: date
    rank: int
    tier_rank: int
    points: int


def rank_history(user_id: int, days: int = HISTORY_DAYS, today: date | None = None) -> list[HistoryPoint]:
    """The member's daily rank snapshots, oldest first (Postgres; written by a daily job)."""
    today = today or utcnow().date()
    since = date.fromordinal(today.toordinal() - days + 1)
    rows = db.session.execute(
        select(RankSnapshot.day, RankSnapshot.rank, RankSnapshot.tier_rank, RankSnapshot.points)
        .where(RankSnapshot.user_id == user_id, RankSnapshot.day >= since).order_by(RankSnapshot.day))
    return [HistoryPoint(*row) for row in rows]


@dataclass(frozen=True)
class Archive:
    period: Period
    rows: list[Standing]
    closed_at: datetime | None


def archive(board_kind: str, period_id: str) -> Archive | None:
    """A closed period's final standings, as archived; members since hidden or disqualified are
    left out and the rest renumbered (the stored ranks stay as they were)."""
    period = Period.parse(board_kind, period_id)
    if period is None:
        return None
    closed = db.session.get(ClosedPeriod, (board_kind, period_id))
    if closed is None:
        return Archive(period, [], None)
    rows = list(db.session.execute(
        select(ArchivedStanding.user_id, ArchivedStanding.points)
        .where(ArchivedStanding.board == board_kind, ArchivedStanding.period == period_id,
               visible(ArchivedStanding.user_id))
        .order_by(ArchivedStanding.rank)))
    cards = cards_by_id([r.user_id for r in rows])
    return Archive(period, [Standing(i, r.user_id, r.points, cards.get(r.user_id))
                            for i, r in enumerate(rows, start=1)], closed.closed_at)


def archived_periods(board_kind: str, limit: int = 12) -> list[Period]:
    ids = db.session.scalars(select(ClosedPeriod.period).where(ClosedPeriod.board == board_kind)
                             .order_by(ClosedPeriod.starts_at.desc()).limit(limit))
    return [p for p in (Period.parse(board_kind, i) for i in ids) if p]


@dataclass(frozen=True)
class AuditEntry:
    action: str
    reason: str
    moderator: str | None  # username; None: an operator at the console
    via: str
    at: datetime


def moderation_log(user_id: int, limit: int = 20) -> list[AuditEntry]:
    rows = db.session.execute(
        select(ModerationEntry, User.username).outerjoin(User, User.id == ModerationEntry.moderator_id)
        .where(ModerationEntry.user_id == user_id).order_by(ModerationEntry.id.desc()).limit(limit))
    return [AuditEntry(e.action, e.reason, name, e.via, e.created_at) for e, name in rows]
