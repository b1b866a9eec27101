"""Leaderboards: every board is a sorted set written with absolute values re-read from Postgres,
so projecting an event twice, late or out of order leaves the same sets; a rebuild writes the same
values into scratch keys and renames them over the live ones in one transaction.

Two projectors live here (see docs/leaderboards.md for each board's value and tie-break):
    leaderboards         live             global (tier boards are its bands), this and last
                                          week, this and last month, one board per topic, battles
    leaderboard_streaks  after_policies   alive daily streaks (the policy counts the day first)

Hidden and disqualified members are left out of every board, live and in every rebuild.
"""
from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone

from sqlalchemy import BigInteger, and_, bindparam, case, cast, func, literal, select, union, union_all

from app.extensions import db
from app.gamification import ACTIVITY_EVENTS, Streak, local_day, local_midnight_utc
from app.models import BoardPrivacy, Disqualification, Event, Like, MemberStreak, PointsEntry, ProjectTopic, User
from app.models.leaderboards import BATTLE_WON, Period, exclusion, visible
from app.models.types import utcnow
from app.read import keys
from app.read.leaderboards import decode_points, encode_score, member_for, scores_for
from app.read.redis import client, publish_all, queue_publish
from app.rules import tier_for

NAME = "leaderboards"
STAGE = "live"
CHUNK = 5_000
# Events that add or remove a member from every board at once.
STANDING_EVENTS = frozenset({"LeaderboardVisibilityChanged", "MemberDisqualified", "MemberReinstated"})

# Keep the topic index (topic -> members on its board) equal to the boards, atomically.
INDEX_SCRIPT = """
for i, topic in ipairs(ARGV) do
  local n = redis.call('ZCARD', KEYS[i + 1])
  if n > 0 then redis.call('ZADD', KEYS[1], n, topic) else redis.call('ZREM', KEYS[1], topic) end
end
return #ARGV
"""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _periods(now: datetime) -> list[Period]:
    week, month = Period.containing("weekly", now), Period.containing("monthly", now)
    return [week, week.previous, month, month.previous]


def _period_key(period: Period) -> str:
    return (keys.leaderboard_weekly if period.board == "weekly" else keys.leaderboard_monthly)(period.id)


def _ttl(period: Period, now: datetime) -> int:
    """Seconds until the period is neither current nor previous (then its key goes)."""
    return max(1, math.ceil((period.next.ends_at - now).total_seconds()))


# -- absolute values from Postgres ---------------------------------------------------------------

# The live path runs the same few statements for every event: they are built once, with bind
# parameters (the periods' bounds, the ids), so each projection only binds values.
PERIODS = 4  # this week, last week, this month, last month (in that order: see _periods)
USER_IDS = bindparam("user_ids", expanding=True)
EVENT_IDS = bindparam("event_ids", expanding=True)
PROJECT_IDS = bindparam("project_ids", expanding=True)


def _period_params(periods: list[Period]) -> dict:
    params = {"since": min(p.starts_at for p in periods), "until": max(p.ends_at for p in periods)}
    for i, p in enumerate(periods):
        params.update({f"start_{i}": p.starts_at, f"end_{i}": p.ends_at})
    return params


def _period_rows(where):
    """Per member: per period, the points of their ledger rows inside it and the last row's time."""
    columns = []
    for i in range(PERIODS):
        inside = and_(PointsEntry.created_at >= bindparam(f"start_{i}"), PointsEntry.created_at < bindparam(f"end_{i}"))
        columns += [func.sum(case((inside, PointsEntry.amount), else_=0)).label(f"points_{i}"),
                    func.max(case((inside, PointsEntry.created_at))).label(f"last_{i}")]
    return (select(PointsEntry.user_id, *columns)
            .where(PointsEntry.created_at >= bindparam("since"), PointsEntry.created_at < bindparam("until"), where)
            .group_by(PointsEntry.user_id))


def _totals(row, offset: int) -> list[tuple[int, datetime | None]]:
    return [(int(row[offset + 2 * i] or 0), row[offset + 1 + 2 * i]) for i in range(PERIODS)]


def _period_totals(periods: list[Period], where) -> Iterable[tuple[int, list]]:
    """(user_id, [(points, last_row_at) per period]) for the members `where` selects."""
    rows = db.session.execute(_period_rows(where).execution_options(yield_per=CHUNK), _period_params(periods))
    for row in rows:
        yield row[0], _totals(row, 1)


@functools.cache
def _members_statement():
    """The members the events awarded points to (their ledger rows name the events) and those
    named (user_ids): each one's total, tie time, why they are kept off boards (if so), and period
    totals. Who was awarded is found by the same statement: one round trip less between a like
    and its push."""
    touched = union(select(PointsEntry.user_id.label("id")).where(PointsEntry.event_id.in_(EVENT_IDS)),
                    select(User.id).where(User.id.in_(USER_IDS))).subquery()
    members = select(touched.c.id).scalar_subquery()
    sums = _period_rows(PointsEntry.user_id.in_(members)).subquery()
    return (select(User.id, User.points, User.points_updated_at, exclusion(User.id).label("excluded"),
                   *list(sums.c)[1:])
            .outerjoin(sums, sums.c.user_id == User.id).where(User.id.in_(members)))


def _members_and_periods(event_ids: list[int], user_ids: list[int], periods: list[Period]):
    return db.session.execute(_members_statement(), {"event_ids": event_ids, "user_ids": user_ids,
                                                     **_period_params(periods)}).all()


def _topic_rows(where):
    """(user_id, topic, points, last_row_at): points earned through projects tagged with a topic.

    A ledger row's subject says what earned it: "project:<id>" (publishing) or "like:<id>" (a like,
    which names its project). A withdrawn like's rows both lose their like row, so they net out.
    """
    subject = PointsEntry.subject
    like_id = cast(case((subject.like("like:%"), func.substr(subject, 6))), BigInteger)
    project_id = cast(case((subject.like("project:%"), func.substr(subject, 9))), BigInteger)
    via_like = (select(PointsEntry.user_id, Like.project_id.label("project_id"), PointsEntry.amount,
                       PointsEntry.created_at)
                .join(Like, Like.id == like_id).where(subject.like("like:%"), where))
    direct = (select(PointsEntry.user_id, project_id.label("project_id"), PointsEntry.amount,
                     PointsEntry.created_at).where(subject.like("project:%"), where))
    earned = union_all(via_like, direct).subquery()
    return (select(earned.c.user_id, ProjectTopic.topic, func.sum(earned.c.amount), func.max(earned.c.created_at))
            .join(ProjectTopic, ProjectTopic.project_id == earned.c.project_id)
            .group_by(earned.c.user_id, ProjectTopic.topic))


@functools.cache
def _live_topic_statement():
    """These members' topic totals, and (with no member: user_id NULL) the topics of the projects
    the events name, whose boards are checked even where a member's total there went to nothing."""
    tagged = select(literal(None, BigInteger), ProjectTopic.topic, literal(None, BigInteger),
                    literal(None, PointsEntry.created_at.type)).where(ProjectTopic.project_id.in_(PROJECT_IDS))
    return union_all(_topic_rows(PointsEntry.user_id.in_(USER_IDS)), tagged)


def _topic_totals(where=None) -> Iterable[tuple[int, str, int, datetime]]:
    """Every member's totals (a rebuild: streamed in chunks through a server-side cursor)."""
    rows = db.session.execute(_topic_rows(where).execution_options(yield_per=CHUNK))
    for user_id, topic, points, last in rows:
        yield user_id, topic, int(points or 0), last


def _battle_totals(where) -> Iterable[tuple[int, int, datetime]]:
    rows = db.session.execute(
        select(Event.actor_id, func.count(), func.max(Event.created_at))
        .where(Event.type == BATTLE_WON, Event.actor_id.is_not(None), where).group_by(Event.actor_id))
    yield from ((uid, int(n), last) for uid, n, last in rows)


def _values(rows, periods: list[Period], battles: bool) -> dict[str, dict[str, int]]:
    """{key: {member: score}} on the global, period (and battle) boards of these members (visible
    ones' rows from `_members_and_periods`)."""
    boards: dict[str, dict[str, int]] = defaultdict(dict)
    boards[keys.leaderboard_global()] = scores_for(rows)
    for row in rows:
        for period, (points, last) in zip(periods, _totals(row, 4)):
            if points > 0:
                boards[_period_key(period)][member_for(row.id)] = encode_score(points, _aware(last))
    user_ids = [r.id for r in rows]
    if battles and user_ids:
        for uid, wins, last in _battle_totals(Event.actor_id.in_(user_ids)):
            boards[keys.leaderboard_battles()][member_for(uid)] = encode_score(wins, _aware(last))
    return boards


def _topic_values(user_ids: list[int], project_ids: list[int]) -> tuple[dict[str, dict[str, int]], set[str]]:
    """{key: {member: score}} on every topic board these (visible) members have points on, and the
    topics of these projects (one query)."""
    boards: dict[str, dict[str, int]] = defaultdict(dict)
    tagged: set[str] = set()
    rows = db.session.execute(_live_topic_statement(), {"user_ids": user_ids, "project_ids": project_ids})
    for uid, topic, points, last in rows:
        if uid is None:
            tagged.add(topic)
        elif points and points > 0:
            boards[keys.leaderboard_topic(topic)][member_for(uid)] = encode_score(int(points), _aware(last))
    return boards, tagged


# -- live projection -----------------------------------------------------------------------------

def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def project(events: list[Event]) -> set[str]:
    """Re-read every board value of the members these events concern; write what changed.

    Two passes: the global, period and battle boards (what most members watch) are written and
    their pushes published first, in three round trips (who was awarded and their values; the
    boards' current values; the writes with the pushes); then the topic boards, whose values take
    the heaviest reads, and whose pushes go out after the batch.
    """
    project_ids = sorted({pid for e in events if (pid := _int((e.payload or {}).get("project_id")))})
    moved = {uid for e in events if e.type in STANDING_EVENTS if (uid := _int((e.payload or {}).get("user_id")))}
    named = moved | {e.actor_id for e in events if e.type == BATTLE_WON and e.actor_id}
    now = utcnow()
    periods = _periods(now)
    rows = _members_and_periods([e.id for e in events], sorted(named), periods)
    user_ids = sorted({r.id for r in rows} | named)
    if not user_ids:
        return set()
    shown = [r for r in rows if not r.excluded]
    excluded = {member_for(r.id): r.excluded for r in rows if r.excluded}
    battles = bool(moved) or any(e.type == BATTLE_WON for e in events)
    board_keys = [keys.leaderboard_global()] + [_period_key(p) for p in periods]
    board_keys += [keys.leaderboard_battles()] if battles else []
    member_topics = {f"member.{uid}" for uid in user_ids}
    _write(user_ids, board_keys, _values(shown, periods, battles), now, periods, excluded,
           pushes=lambda moves, tenth: _push_topics(moves, periods, tenth) | member_topics)
    if not (project_ids or moved):
        return set()  # no project named, no topic board touched
    values, touched_topics = _topic_values([r.id for r in shown], project_ids)
    if moved:  # on or off every board: every topic board too
        touched_topics |= {t for t, _ in _indexed_topics()}
    if not touched_topics:
        return set()
    board_keys = [keys.leaderboard_topic(t) for t in sorted(touched_topics)]
    moves = _write(user_ids, board_keys, values, now, periods)
    return {f"leaderboard.topic.{t}" for t in _moved_topics(moves)}


def _indexed_topics() -> list[tuple[str, float]]:
    return client().zrange(keys.leaderboard_topic_index(), 0, -1, withscores=True)


def _moved_topics(moves: dict) -> list[str]:
    return sorted(t for t in {keys.topic_of_board(k) for k in moves} if t)


def _write(user_ids: list[int], board_keys: list[str], values: dict[str, dict[str, int]], now: datetime,
           periods: list[Period], excluded: dict[str, str] | None = None,
           pushes: Callable[[dict, list], set[str]] | None = None) -> dict:
    """Write these members' absolute values on these boards (and on any other board `values`
    names): what is not there any more is removed; with `excluded`, who is off every board and
    why. Return the moves per board.

    With `pushes`, the topics it names (given the moves and the global board's tenth entry before
    the writes) are published by the same transaction as the writes, so a push follows its
    write with no round trip between them."""
    board_keys = list(dict.fromkeys(board_keys + list(values)))
    members = [member_for(uid) for uid in user_ids]
    r = client()
    pipe = r.pipeline(transaction=False)
    for key in board_keys:
        pipe.zmscore(key, members)
    if excluded is not None:
        pipe.hmget(keys.leaderboard_excluded(), members)
    if pushes is not None:
        pipe.zrevrange(keys.leaderboard_global(), 9, 9, withscores=True)
    found = pipe.execute()
    scores, found = found[:len(board_keys)], found[len(board_keys):]
    reasons = found.pop(0) if excluded is not None else []
    tenth = found.pop(0) if pushes is not None else []
    excluded_changes = {m: excluded.get(m) for m, old in zip(members, reasons) if old != excluded.get(m)}
    moves = {key: [(m, old, values.get(key, {}).get(m)) for m, old in zip(members, before)
                   if old != values.get(key, {}).get(m)] for key, before in zip(board_keys, scores)}
    moves = {key: moved for key, moved in moves.items() if moved}
    topics = pushes(moves, tenth) if pushes is not None else set()
    if not moves and not excluded_changes:
        publish_all(topics)
        return {}

    pipe = r.pipeline(transaction=True)
    for member, reason in excluded_changes.items():
        if reason:
            pipe.hset(keys.leaderboard_excluded(), member, reason)
        else:
            pipe.hdel(keys.leaderboard_excluded(), member)
    for key, moved in moves.items():
        if adds := {m: new for m, _, new in moved if new is not None}:
            pipe.zadd(key, adds)
        if removes := [m for m, _, new in moved if new is None]:
            pipe.zrem(key, *removes)
    for period in periods:
        if _period_key(period) in moves:
            pipe.expire(_period_key(period), _ttl(period, now))
    if board_topics := _moved_topics(moves):
        r.register_script(INDEX_SCRIPT)(keys=[keys.leaderboard_topic_index()]
                                        + [keys.leaderboard_topic(t) for t in board_topics], args=board_topics,
                                        client=pipe)
    queue_publish(pipe, topics)
    pipe.execute()
    return moves


def _push_topics(moves, periods, tenth) -> set[str]:
    """Which live boards changed: a topic per board (coalesced by the hub), top 10 only if it moved:
    a changed member's old or new score reaches the tenth score before the change (or there were
    not ten yet). Before, not after: whoever enters the top 10 passes the old tenth score, and
    whoever leaves it, or moves inside it, had at least the old tenth score."""
    pushes = set()
    names = {keys.leaderboard_battles(): "leaderboard.battle",
             _period_key(periods[0]): "leaderboard.weekly", _period_key(periods[2]): "leaderboard.monthly"}
    pushes |= {names[k] for k in moves if k in names}
    on_global = moves.get(keys.leaderboard_global(), [])
    if on_global:
        pushes.add("leaderboard.global")
        scores = [score for _, old, new in on_global for score in (old, new) if score is not None]
        pushes |= {f"leaderboard.tier.{tier_for(decode_points(score)).key}" for score in scores}
        if not tenth or max(scores) >= tenth[0][1]:
            pushes.add("leaderboard.top10")
    return pushes


# -- rebuild ---------------------------------------------------------------------------------------

class _Writer:
    """Fill scratch keys in chunks, then swap them all in (and drop stale boards) in one MULTI."""

    def __init__(self, patterns: list[str]) -> None:
        self.r = client()
        self.patterns = patterns
        self.buffers: dict[str, dict[str, int]] = defaultdict(dict)
        self.written: set[str] = set()
        self.expires: dict[str, int] = {}

    def add(self, key: str, member: str, score: int) -> None:
        buffer = self.buffers[key]
        buffer[member] = score
        if len(buffer) >= CHUNK:
            self.flush(key)

    def flush(self, key: str | None = None) -> None:
        for k in [key] if key else list(self.buffers):
            if self.buffers[k]:
                if k not in self.written:
                    self.r.delete(keys.scratch(k))
                    self.written.add(k)
                self.r.zadd(keys.scratch(k), self.buffers[k])
            self.buffers[k] = {}

    def hash(self, key: str, mapping: dict[str, str]) -> None:
        self.r.delete(keys.scratch(key))
        if mapping:
            self.r.hset(keys.scratch(key), mapping=mapping)
            self.written.add(key)

    def swap(self) -> None:
        self.flush()
        stale = {k for pattern in self.patterns for k in self.r.scan_iter(match=pattern, count=1000)}
        pipe = self.r.pipeline(transaction=True)
        for key in sorted(self.written):
            pipe.rename(keys.scratch(key), key)
            if key in self.expires:
                pipe.expire(key, self.expires[key])
        for key in sorted(stale - self.written):
            pipe.delete(key)
        pipe.execute()


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    """Rebuild every live board from Postgres into scratch keys, then swap them in atomically."""
    now = utcnow()
    periods = _periods(now)
    writer = _Writer(keys.read_model_patterns()[NAME])
    reasons = {uid: "hidden" for uid in db.session.scalars(
        select(BoardPrivacy.user_id).where(BoardPrivacy.hidden.is_(True)))}
    reasons.update({uid: "disqualified" for uid in db.session.scalars(select(Disqualification.user_id))})
    writer.hash(keys.leaderboard_excluded(), {member_for(uid): why for uid, why in sorted(reasons.items())})
    excluded = set(reasons)
    global_key, total, last_id = keys.leaderboard_global(), 0, 0
    while rows := db.session.execute(
        select(User.id, User.points, User.points_updated_at)
        .where(User.id > last_id).order_by(User.id).limit(CHUNK)
    ).all():
        for member, score in scores_for(r for r in rows if r.id not in excluded).items():
            writer.add(global_key, member, score)
        last_id, total = rows[-1].id, total + len(rows)
        progress(len(rows))
    for uid, totals in _period_totals(periods, visible(PointsEntry.user_id)):
        for period, (points, last) in zip(periods, totals):
            if points > 0:
                writer.add(_period_key(period), member_for(uid), encode_score(points, _aware(last)))
    for period in periods:
        writer.expires[_period_key(period)] = _ttl(period, now)
    topics = defaultdict(int)
    for uid, topic, points, last in _topic_totals(visible(PointsEntry.user_id)):
        if points > 0:
            writer.add(keys.leaderboard_topic(topic), member_for(uid), encode_score(points, _aware(last)))
            topics[topic] += 1
    for topic, members in sorted(topics.items()):
        writer.add(keys.leaderboard_topic_index(), topic, members)
    for uid, wins, last in _battle_totals(visible(Event.actor_id)):
        writer.add(keys.leaderboard_battles(), member_for(uid), encode_score(wins, _aware(last)))
    writer.swap()
    return total


def count() -> int:
    """How many rows a rebuild will walk (for the progress bar)."""
    return db.session.scalar(select(func.count()).select_from(User)) or 0


# -- the streak board (after the policies have counted the day) ------------------------------------

def _streak_scores(rows, now: datetime) -> dict[str, int]:
    """Alive streaks only; ties go to whoever reached the length first (their day began earlier)."""
    scores = {}
    for row in rows:
        streak = Streak(current=row.current, last_day=row.last_day, freezes=row.freezes)
        alive = streak.alive_on(local_day(now, row.time_zone))
        if alive > 0:
            scores[member_for(row.user_id)] = encode_score(alive, local_midnight_utc(row.last_day, row.time_zone))
    return scores


def _streak_rows(where):
    return db.session.execute(
        select(MemberStreak.user_id, MemberStreak.current, MemberStreak.last_day, MemberStreak.freezes,
               User.time_zone).join(User, User.id == MemberStreak.user_id).where(where))


def _write_streaks(user_ids: list[int], now: datetime) -> set[str]:
    scores = _streak_scores(_streak_rows(MemberStreak.user_id.in_(user_ids) & visible(MemberStreak.user_id)), now)
    key, r = keys.leaderboard_streaks(), client()
    members = [member_for(uid) for uid in user_ids]
    before = dict(zip(members, r.zmscore(key, members)))
    adds = {m: s for m, s in scores.items() if before.get(m) != s}
    removes = [m for m in members if m not in scores and before.get(m) is not None]
    if not adds and not removes:
        return set()
    pipe = r.pipeline(transaction=True)
    if adds:
        pipe.zadd(key, adds)
    if removes:
        pipe.zrem(key, *removes)
    pipe.execute()
    return {"leaderboard.streak"}


def project_streaks(events: list[Event]) -> set[str]:
    users = {e.actor_id for e in events if e.type in ACTIVITY_EVENTS and e.actor_id}
    users |= {uid for e in events if e.type in STANDING_EVENTS if (uid := _int((e.payload or {}).get("user_id")))}
    return _write_streaks(sorted(users), utcnow()) if users else set()


def expire_streaks(now: datetime | None = None) -> set[str]:
    """Drop streaks that broke with the passing of time (no event says so): run every few minutes.

    Only members active in the last week can have broken since the last run; older ones are gone.
    """
    now = now or utcnow()
    recent = now.date() - timedelta(days=7)
    user_ids = list(db.session.scalars(select(MemberStreak.user_id).where(MemberStreak.last_day >= recent)))
    topics: set[str] = set()
    for i in range(0, len(user_ids), CHUNK):
        topics |= _write_streaks(user_ids[i:i + CHUNK], now)
    return topics


def rebuild_streaks(progress: Callable[[int], None] = lambda n: None) -> int:
    writer = _Writer(keys.read_model_patterns()["leaderboard_streaks"])
    now, total = utcnow(), 0
    for member, score in _streak_scores(_streak_rows(visible(MemberStreak.user_id)), now).items():
        writer.add(keys.leaderboard_streaks(), member, score)
        total += 1
    writer.swap()
    progress(total)
    return total


def count_streaks() -> int:
    return db.session.scalar(select(func.count()).select_from(MemberStreak)) or 0


class StreakBoard:
    """The streak board's projector: runs after the policies, which count the streak day."""

    NAME = "leaderboard_streaks"
    STAGE = "after_policies"
    project = staticmethod(project_streaks)
    rebuild = staticmethod(rebuild_streaks)
    count = staticmethod(count_streaks)

