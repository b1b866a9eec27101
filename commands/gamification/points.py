"""Points: ledger rows and the totals they keep, tier and level ups, the daily reward."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import BigInteger, Boolean, Integer, String, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY

from app import events
from app.extensions import db, on_postgres
from app.gamification import local_day, local_midnight_utc
from app.models import Event, Milestone, PointsEntry, User
from app.models.types import UTCDateTime, utcnow
from app.rules import BEGINNERS_LUCK, DAILY_REWARD_TABLE, POINTS_RULES, level_for, tier_for
from commands.base import handler, insert_ignoring_duplicates


def reach_milestone(user_id: int, kind: str, value: str, event_id: int | None = None) -> bool:
    """Record that a member reached something; True only the first time, ever."""
    return insert_ignoring_duplicates(Milestone, user_id=user_id, kind=kind, value=str(value),
                                      event_id=event_id, reached_at=utcnow())


# Every award runs these (a like's hottest statements): built once, values bound at execution.
_USERS, _LEDGER = User.__table__, PointsEntry.__table__
# FOR NO KEY UPDATE (what the points UPDATE takes anyway): awards to one member queue behind each
# other, but not behind a key-share lock such as a notification being written to the member.
_LOCK_MEMBER = (select(_USERS.c.points, _USERS.c.created_at, _USERS.c.time_zone)
                .where(_USERS.c.id == bindparam("user_id")).with_for_update(key_share=True))
_EARNED_SINCE = select(func.count()).select_from(_LEDGER).where(
    _LEDGER.c.user_id == bindparam("user_id"), _LEDGER.c.rule == bindparam("rule"),
    _LEDGER.c.created_at >= bindparam("since"), _LEDGER.c.amount > 0)
_ADD_POINTS = (update(_USERS).where(_USERS.c.id == bindparam("user_id"))
               .values(points=_USERS.c.points + bindparam("amount"), points_updated_at=bindparam("now")))
# On PostgreSQL the rest of an award is one statement (the member is locked already): today's
# count of the rule, the ledger row, the new total. `amounts` holds what the 1st, 2nd, ... award of
# the day gives (diminishing returns and beginner's luck applied; the last one repeats, 0 gives
# nothing); `counted` false skips the count for rules with neither a cap nor diminishing returns.
# It returns the amount given, or no row. SQLite runs the same steps one statement at a time.
_AWARD_IN_ONE = text("""
WITH earned AS (
    SELECT count(*) AS n FROM points_ledger
    WHERE :counted AND user_id = :user_id AND rule = :rule AND created_at >= :since AND amount > 0
), award AS (
    SELECT (:amounts)[least(earned.n, cardinality(:amounts) - 1) + 1] AS amount FROM earned
    WHERE earned.n < :cap
), entry AS (
    INSERT INTO points_ledger (user_id, amount, rule, reason, event_id, award_key, subject, created_at)
    SELECT :user_id, award.amount, :rule, :reason, :event_id, :award_key, :subject, :now
    FROM award WHERE award.amount <> 0
    ON CONFLICT DO NOTHING
    RETURNING amount
)
UPDATE users SET points = users.points + entry.amount, points_updated_at = :now
FROM entry WHERE users.id = :user_id
RETURNING entry.amount
""").bindparams(bindparam("counted", type_=Boolean()), bindparam("user_id", type_=BigInteger()),
               bindparam("rule", type_=String()), bindparam("since", type_=UTCDateTime()),
               bindparam("amounts", type_=ARRAY(Integer())), bindparam("cap", type_=Integer()),
               bindparam("reason", type_=String()), bindparam("event_id", type_=BigInteger()),
               bindparam("award_key", type_=String()), bindparam("subject", type_=String()),
               bindparam("now", type_=UTCDateTime())).columns(amount=Integer())
_NO_CAP = 2**31 - 1


def award_points(user_id: int, rule_key: str, event: Event, reason: str | None = None, *,
                 amount: int | None = None, key: str | None = None, subject: str | None = None,
                 locked=None) -> int:
    """Apply a points rule for an event, in the caller's transaction. Return the points given.

    The member's row is locked first, so the daily cap, the diminishing returns and the total
    are computed and written without a race; the award key makes the same award impossible twice.
    A caller that already locked it (FOR NO KEY UPDATE, in this transaction) passes what it read
    as `locked` (points, created_at, time_zone).
    """
    rule = POINTS_RULES[rule_key]
    events.flush_pending()  # the member may be a row this transaction just added
    connection = db.session.connection()
    member = locked or connection.execute(_LOCK_MEMBER, {"user_id": user_id}).one_or_none()
    if member is None:
        return 0
    now = utcnow()
    counted = rule.daily_cap is not None or len(rule.diminishing) > 1
    since = local_midnight_utc(local_day(now, member.time_zone), member.time_zone) if counted else now
    base = rule.points if amount is None else amount
    lucky = rule.boosted and now - member.created_at < timedelta(days=BEGINNERS_LUCK["days"])
    # What the 1st, 2nd, ... award of the day gives; the last one repeats.
    amounts = [round(base * d) for d in rule.diminishing] if counted else [base]
    amounts = [a * BEGINNERS_LUCK["multiplier"] if lucky and a > 0 else a for a in amounts]
    reason = (reason or rule.description)[:200]
    award_key = key or f"{event.id}:{rule.key}:{user_id}"
    if on_postgres():
        points = connection.execute(_AWARD_IN_ONE, {
            "counted": counted, "user_id": user_id, "rule": rule.key, "since": since, "amounts": amounts,
            "cap": _NO_CAP if rule.daily_cap is None else rule.daily_cap, "reason": reason,
            "event_id": event.id, "award_key": award_key, "subject": subject, "now": now}).scalar() or 0
    else:
        points = _award_step_by_step(connection, user_id, rule, counted, since, amounts, reason, event,
                                     award_key, subject, now)
    if points:
        _record_level_ups(user_id, member.points, member.points + points)
    return points


def _award_step_by_step(connection, user_id: int, rule, counted: bool, since, amounts: list[int], reason: str,
                        event: Event, award_key: str, subject: str | None, now) -> int:
    """_AWARD_IN_ONE's steps, one statement each (SQLite has no INSERT or UPDATE inside WITH)."""
    earned_today = 0
    if counted:
        earned_today = connection.execute(
            _EARNED_SINCE, {"user_id": user_id, "rule": rule.key, "since": since}).scalar() or 0
        if rule.daily_cap is not None and earned_today >= rule.daily_cap:
            return 0
    points = amounts[min(earned_today, len(amounts) - 1)]
    if points == 0 or not insert_ignoring_duplicates(
            PointsEntry, user_id=user_id, amount=points, rule=rule.key, reason=reason, event_id=event.id,
            award_key=award_key, subject=subject, created_at=now):
        return 0
    connection.execute(_ADD_POINTS, {"user_id": user_id, "amount": points, "now": now})
    return points


def withdraw_points(user_id: int, subject: str, event: Event, reason: str) -> int:
    """Take back whatever `subject` earned the member (what was given, caps and boosts included).

    Idempotent per event: the withdrawal's award key is the event, rule and member... and the
    subject, so one event may withdraw several subjects (a deleted project's likes)."""
    given = db.session.scalar(
        select(func.coalesce(func.sum(PointsEntry.amount), 0))
        .where(PointsEntry.user_id == user_id, PointsEntry.subject == subject)
    )
    if not given:
        return 0
    return award_points(user_id, "like_withdrawn", event, reason, amount=-given, subject=subject,
                        key=f"{event.id}:withdraw:{subject}"[:120])


def _record_level_ups(user_id: int, before: int, after: int) -> None:
    """Record TierReached / LevelReached the first time a member gets there (celebrated live)."""
    if after <= before:
        return
    old_tier, new_tier = tier_for(before), tier_for(after)
    if new_tier != old_tier:
        if reach_milestone(user_id, "tier", new_tier.key):
            events.record("TierReached", user_id, user_id=user_id, tier=new_tier.key,
                          name=new_tier.name, points=after)
        return
    old_level, new_level = level_for(before), level_for(after)
    if new_level != old_level and reach_milestone(user_id, "level", new_level.key):
        events.record("LevelReached", user_id, user_id=user_id, level=new_level.key,
                      name=new_level.name, points=after)


@dataclass(frozen=True)
class DailyReward:
    amount: int
    day: date
    new: bool


def draw_daily_reward(rng: random.Random | None = None) -> int:
    amounts, weights = zip(*DAILY_REWARD_TABLE, strict=True)
    return (rng or random.SystemRandom()).choices(amounts, weights)[0]


@handler
def claim_daily_reward(actor: User) -> DailyReward:
    """Open today's surprise reward: drawn once per local day, and recorded."""
    member = db.session.execute(
        select(User.id, User.time_zone).where(User.id == actor.id).with_for_update()
    ).one()
    day = local_day(utcnow(), member.time_zone)
    key = f"daily_reward:{member.id}:{day.isoformat()}"
    already = db.session.scalar(select(PointsEntry.amount).where(PointsEntry.award_key == key))
    if already is not None:
        return DailyReward(already, day, False)
    amount = draw_daily_reward()
    event = events.record("DailyRewardClaimed", member.id, user_id=member.id, day=day.isoformat(),
                          amount=amount)
    award_points(member.id, "daily_reward", event, f"Daily reward for {day:%A %d %B}", amount=amount, key=key)
    return DailyReward(amount, day, True)
