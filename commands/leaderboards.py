"""Leaderboards' write side: privacy and fair play (hide, disqualify, reinstate: audited), and the
commands the scheduled jobs (or a policy) call: top-100 stints and the "dropped out" notice,
follow rivalries and the "overtaken" notice, leaderboard milestones, closing a week or month into
the archive, daily rank snapshots.

Each notice or milestone is recorded once per occurrence: a stint closes once, a rivalry flips
once per overtake, and the notice's key (stint id, overtake number) is a primary key.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from marshmallow import fields, pre_load, validate
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app import events
from app.extensions import db
from app.models import (
    ArchivedStanding, BoardPrivacy, ClosedPeriod, Disqualification, Follow, Milestone, ModerationEntry, Notice,
    PointsEntry, RankSnapshot, Rivalry, StandingsCheck, TopStint, User,
)
from app.models.leaderboards import BOARD_SIZES, FLAIR_TOP, HISTORY_DAYS, Period, excluded_among, visible
from app.models.types import utcnow
from commands.base import CommandRejected, CommandSchema, handler, insert_ignoring_duplicates, parse
from commands.gamification import reach_milestone

TOP = BOARD_SIZES["global"]


# -- privacy and fair play --------------------------------------------------------------------------

class BoardVisibilitySchema(CommandSchema):
    hidden = fields.Boolean(required=True, error_messages={"invalid": "Choose whether to hide or show."})


@handler
def set_board_visibility(actor: User, data: dict) -> bool:
    """Hide yourself from public boards, or show yourself again. Return whether you are hidden."""
    hidden = parse(BoardVisibilitySchema, data)["hidden"]
    setting = db.session.scalar(select(BoardPrivacy).where(BoardPrivacy.user_id == actor.id).with_for_update())
    if setting is not None and setting.hidden == hidden:
        return hidden
    if setting is None:
        setting = BoardPrivacy(user_id=actor.id)
        db.session.add(setting)
    setting.hidden, setting.updated_at = hidden, utcnow()
    events.record("LeaderboardVisibilityChanged", actor.id, user_id=actor.id, hidden=hidden)
    return hidden


class ModerationSchema(CommandSchema):
    username = fields.String(required=True, validate=validate.Length(1, 30))
    reason = fields.String(required=True, validate=validate.Length(
        3, 500, error="Give a reason of 3 to 500 characters; it is kept in the audit log."))

    @pre_load
    def strip(self, data, **kwargs):
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(data).items()}


def _moderated(actor: User | None, data: dict) -> tuple[User, str]:
    """The member a moderation command is about, after checking who may run it."""
    if actor is not None and not actor.is_moderator:
        raise CommandRejected("_", "Only moderators can change who appears on the leaderboards.", status=403)
    values = parse(ModerationSchema, data)
    member = db.session.scalar(select(User).where(User.username == values["username"].lower()).with_for_update())
    if member is None:
        raise CommandRejected("username", "That member does not exist.", status=404)
    if actor is not None and member.id == actor.id:
        raise CommandRejected("username", "You cannot moderate your own standing.")
    return member, values["reason"]


def _audit(member: User, actor: User | None, action: str, reason: str, via: str) -> None:
    event = events.record("MemberDisqualified" if action == "disqualified" else "MemberReinstated",
                          actor.id if actor else None, user_id=member.id, moderator_id=actor.id if actor else None,
                          reason=reason, via=via)
    db.session.add(ModerationEntry(user_id=member.id, action=action, reason=reason,
                                   moderator_id=actor.id if actor else None, via=via, event_id=event.id,
                                   created_at=utcnow()))


@handler
def disqualify_member(actor: User | None, data: dict, via: str = "web") -> Disqualification:
    """Take a member off every board (their points stay); audited. `actor` None: an operator."""
    member, reason = _moderated(actor, data)
    if db.session.get(Disqualification, member.id) is not None:
        raise CommandRejected("username", f"@{member.username} is already disqualified.", status=409)
    row = Disqualification(user_id=member.id, reason=reason, moderator_id=actor.id if actor else None,
                           disqualified_at=utcnow())
    db.session.add(row)
    _audit(member, actor, "disqualified", reason, via)
    return row


@handler
def reinstate_member(actor: User | None, data: dict, via: str = "web") -> User:
    """Put a disqualified member back on the boards; audited."""
    member, reason = _moderated(actor, data)
    if not db.session.execute(delete(Disqualification).where(Disqualification.user_id == member.id)).rowcount:
        raise CommandRejected("username", f"@{member.username} is not disqualified.", status=409)
    _audit(member, actor, "reinstated", reason, via)
    return member


# -- standings: milestones, top-100 stints, rivalries ---------------------------------------------

def _lock(name: str) -> StandingsCheck:
    """Lock a check's row so checks of one kind run one at a time (created on first use)."""
    insert_ignoring_duplicates(StandingsCheck, name=name, checked_until=utcnow())
    return db.session.scalar(select(StandingsCheck).where(StandingsCheck.name == name).with_for_update())


def _order():
    """The board's order in SQL: more points first, then who got there first, then who joined first."""
    return (User.points.desc(), User.points_updated_at.asc(), User.id.asc())


def _rank(member) -> int:
    """A member's global rank among visible members (counts those ahead)."""
    ahead = or_(User.points > member.points,
                (User.points == member.points) & (User.points_updated_at < member.points_updated_at),
                (User.points == member.points) & (User.points_updated_at == member.points_updated_at)
                & (User.id < member.id))
    return (db.session.scalar(select(func.count()).select_from(User).where(ahead, visible(User.id))) or 0) + 1


def _milestones(kind: str, value: str, ranked: dict[int, int], **payload) -> list[int]:
    """Record a leaderboard milestone for these members ({user_id: rank}), once each; the event
    lets the gamification policy unlock the achievement that counts it. Return who reached it."""
    if not ranked:
        return []
    have = set(db.session.scalars(select(Milestone.user_id).where(
        Milestone.user_id.in_(list(ranked)), Milestone.kind == kind, Milestone.value == value)))
    reached = []
    for uid, rank in sorted(ranked.items()):
        if uid not in have and reach_milestone(uid, kind, value):
            events.record("LeaderboardMilestoneReached", uid, user_id=uid, milestone=kind, value=value, rank=rank,
                          **payload)
            reached.append(uid)
    return reached


def _notice(key: str, user_id: int, event_id: int) -> None:
    """The occurrence's key refuses a second notice (the stint or rivalry row lock makes it moot)."""
    if not insert_ignoring_duplicates(Notice, key=key, user_id=user_id, event_id=event_id, created_at=utcnow()):
        raise CommandRejected("_", f"notice {key} was already recorded", status=409)


@handler
def check_top100() -> list[int]:
    """Open a stint for members who entered the global top 100 (a milestone the first time), close
    the stints of those who left, and record DroppedOutOfTop100 for each (not for those who hid or
    were disqualified). Return who dropped out. Only counts on a board of more than 100."""
    _lock("top100")
    rows = db.session.execute(
        select(User.id, User.username, User.points, User.points_updated_at)
        .where(visible(User.id)).order_by(*_order()).limit(TOP + 1)).all()
    top = {r.id: (rank, r) for rank, r in enumerate(rows[:TOP], start=1)}
    crowded = len(rows) > TOP
    open_stints = dict(db.session.execute(
        select(TopStint.user_id, TopStint.id).where(TopStint.left_at.is_(None))).all())
    now = utcnow()
    entered = [uid for uid in top if uid not in open_stints]
    for uid in entered:
        db.session.add(TopStint(user_id=uid, entered_at=now))
    if crowded:
        _milestones("leaderboard", "top100", {uid: rank for uid, (rank, _) in top.items()})
    left = {uid: stint for uid, stint in open_stints.items() if uid not in top}
    excluded = excluded_among(left)
    dropped = []
    members = {m.id: m for m in db.session.scalars(select(User).where(User.id.in_(list(left))))} if left else {}
    for uid, stint in sorted(left.items()):
        closed = db.session.execute(update(TopStint).where(TopStint.id == stint, TopStint.left_at.is_(None))
                                    .values(left_at=now).returning(TopStint.id)).scalar()
        member = members.get(uid)
        if closed is None or member is None or uid in excluded or not crowded:
            continue
        cutoff = rows[TOP - 1]
        event = events.record(
            "DroppedOutOfTop100", uid, user_id=uid, username=member.username, rank=_rank(member),
            points=member.points, cutoff_points=cutoff.points,
            overtaken_by=[{"user_id": e, "username": top[e][1].username, "rank": top[e][0]} for e in entered])
        _notice(f"top100_out:{stint}", uid, event.id)
        dropped.append(uid)
    return dropped


@handler
def note_weekly_top10(period_id: str, ranked: list[tuple[int, int]], population: int) -> list[int]:
    """Record "top 10 this week" for members seen there (once per week). Only counts on a board
    of more members than that. `ranked`: [(user_id, rank)] as the weekly board shows them."""
    if population <= FLAIR_TOP:
        return []
    shown = {uid: rank for uid, rank in ranked if rank <= FLAIR_TOP}
    excluded = excluded_among(shown)
    return _milestones("weekly_top10", period_id, {u: r for u, r in shown.items() if u not in excluded},
                       week=period_id)


def _ahead(a, b) -> bool:
    """Whether member row a ranks above member row b."""
    return (-a.points, a.points_updated_at, a.id) < (-b.points, b.points_updated_at, b.id)


@handler
def check_overtakes(user_ids: list[int]) -> list[tuple[int, int]]:
    """For every follow touching these members, note whether the followee is now ahead; when a
    followee overtakes their follower, record OvertakenByFollowee once. Return (follower, followee)."""
    if not user_ids:
        return []
    pairs = list(db.session.execute(select(Follow.follower_id, Follow.followee_id).where(
        or_(Follow.follower_id.in_(user_ids), Follow.followee_id.in_(user_ids)))))
    if not pairs:
        return []
    ids = {i for pair in pairs for i in pair}
    members = {m.id: m for m in db.session.execute(
        select(User.id, User.username, User.points, User.points_updated_at).where(User.id.in_(ids)))}
    excluded = excluded_among(ids)
    state = {(r.follower_id, r.followee_id): r for r in db.session.scalars(
        select(Rivalry).where(or_(Rivalry.follower_id.in_(user_ids), Rivalry.followee_id.in_(user_ids)))
        .with_for_update())}
    now, overtaken = utcnow(), []
    for follower_id, followee_id in sorted(pairs):
        follower, followee = members.get(follower_id), members.get(followee_id)
        if follower is None or followee is None or excluded & {follower_id, followee_id}:
            continue
        ahead = _ahead(followee, follower)
        row = state.get((follower_id, followee_id))
        if row is None:  # first look: no overtake to report
            insert_ignoring_duplicates(Rivalry, follower_id=follower_id, followee_id=followee_id,
                                       followee_ahead=ahead, overtakes=0, updated_at=now)
            continue
        if row.followee_ahead == ahead:
            continue
        row.followee_ahead, row.updated_at = ahead, now
        if not ahead:
            continue
        row.overtakes += 1
        event = events.record(
            "OvertakenByFollowee", followee_id, user_id=follower_id, username=follower.username,
            rank=_rank(follower), points=follower.points, by_user_id=followee_id, by_username=followee.username,
            by_rank=_rank(followee), by_points=followee.points)
        _notice(f"overtaken:{follower_id}:{followee_id}:{row.overtakes}", follower_id, event.id)
        overtaken.append((follower_id, followee_id))
    return overtaken


@handler
def advance_check(name: str, until: datetime) -> None:
    """Remember how far a periodic check got."""
    _lock(name).checked_until = until


# -- closing a period, daily snapshots --------------------------------------------------------------

def period_standings(period: Period, limit: int) -> list[tuple[int, int, datetime]]:
    """(user_id, points, last_row_at) of a period's best visible members, in board order (ties as
    the board breaks them: the whole second the member reached the total, then the earlier member)."""
    points = func.sum(PointsEntry.amount)
    last = func.max(PointsEntry.created_at)
    rows = db.session.execute(
        select(PointsEntry.user_id, points, last)
        .where(PointsEntry.created_at >= period.starts_at, PointsEntry.created_at < period.ends_at,
               visible(PointsEntry.user_id))
        .group_by(PointsEntry.user_id).having(points > 0)
        .order_by(points.desc(), last.asc(), PointsEntry.user_id.asc()).limit(limit + 50)).all()
    whole_second = [(uid, int(p), t, t.replace(microsecond=0)) for uid, p, t in rows]
    whole_second.sort(key=lambda r: (-r[1], r[3], r[0]))
    return [(uid, p, t) for uid, p, t, _ in whole_second[:limit]]


@handler
def close_period(board: str, period_id: str) -> bool:
    """Archive a finished week's or month's final standings, once. Return whether this closed it."""
    period = Period.parse(board, period_id)
    if period is None:
        raise CommandRejected("period", f"{period_id!r} is not a {board} period.", status=404)
    if period.ends_at > utcnow():
        raise CommandRejected("period", f"{period_id} has not ended yet.", status=409)
    if not insert_ignoring_duplicates(ClosedPeriod, board=board, period=period_id, starts_at=period.starts_at,
                                      ends_at=period.ends_at, closed_at=utcnow()):
        return False
    standings = period_standings(period, BOARD_SIZES[board])
    for rank, (uid, points, last) in enumerate(standings, start=1):
        db.session.add(ArchivedStanding(board=board, period=period_id, rank=rank, user_id=uid, points=points,
                                        reached_at=last))
    event = events.record("LeaderboardPeriodClosed", None, board=board, period=period_id,
                          winners=[{"user_id": uid, "rank": rank, "points": points}
                                   for rank, (uid, points, _) in enumerate(standings[:3], start=1)])
    db.session.execute(update(ClosedPeriod).where(ClosedPeriod.board == board, ClosedPeriod.period == period_id)
                       .values(event_id=event.id))
    return True


@handler
def record_rank_snapshot(day: date, rows: list[tuple[int, int, int, int]]) -> int:
    """Store (user_id, rank, tier_rank, points) for a day; a member's day is written once."""
    if not rows:
        return 0
    module = {"postgresql": postgresql, "sqlite": sqlite}[db.session.get_bind().dialect.name]
    statement = module.insert(RankSnapshot).on_conflict_do_nothing()
    db.session.execute(statement, [{"user_id": u, "day": day, "rank": r, "tier_rank": t, "points": p}
                                   for u, r, t, p in rows])
    return len(rows)


@handler
def prune_rank_snapshots(today: date) -> int:
    """Forget snapshots older than the chart shows."""
    cutoff = today - timedelta(days=HISTORY_DAYS)
    return db.session.execute(delete(RankSnapshot).where(RankSnapshot.day < cutoff)).rowcount or 0
