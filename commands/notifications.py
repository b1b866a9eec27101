"""Notifications (in-app, batched, e-mailed), what members allow, and blocks and mutes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from marshmallow import fields, validate
from sqlalchemy import BigInteger, delete, func, literal, or_, select, update

from app import events
from app.extensions import db, on_postgres
from app.gamification import local_day, zone
from app.models import Block, Follow, Milestone, Mute, Notification, NotificationCause, NotificationSettings, User
from app.models.types import utcnow
from app.rules import NOTIFICATION_TYPES, NOTIFICATIONS
from commands.base import CommandRejected, CommandSchema, handler, insert_ignoring_duplicates, parse

CHANNELS = ("in_app", "email")


# -- what a member allows ----------------------------------------------------------------------

def settings_of(user_id: int) -> NotificationSettings:
    """The member's settings, or the defaults (not saved) when they never changed them."""
    return db.session.get(NotificationSettings, user_id) or NotificationSettings(
        user_id=user_id, channels={}, email_enabled=True,
        quiet_start=NOTIFICATIONS["quiet_start"], quiet_end=NOTIFICATIONS["quiet_end"])


def allows(settings: NotificationSettings, type_key: str, channel: str) -> bool:
    if channel == "email" and not settings.email_enabled:
        return False
    return bool((settings.channels or {}).get(type_key, {}).get(channel, True))


def in_quiet_hours(now: datetime, time_zone: str, settings: NotificationSettings) -> bool:
    """Whether `now` falls in the member's quiet hours (which may wrap past midnight)."""
    local = now.astimezone(zone(time_zone))
    minute = local.hour * 60 + local.minute
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    return start <= minute < end if start < end else (minute >= start or minute < end)


# -- creating notifications --------------------------------------------------------------------

# The advisory lock key of one member's notifications: this class in the high bits, the member's id below.
NOTIFICATIONS_LOCK = 0x6E << 48


def _lock_notifications_of(user_id: int) -> bool:
    """Write one member's notifications one at a time (the batch group is per member), until the
    transaction ends; False if the member is gone.

    Not with the member's row lock: a like's points award takes that, and a policy worker holding
    it through a notification (at a low CPU priority, under load) would hold up likes. The row is
    only key-share locked (it can't be deleted meanwhile, and points can still change); on
    PostgreSQL a transaction-level advisory lock on the member does the serialising. SQLite
    writes one transaction at a time anyway.
    """
    if db.session.scalar(select(User.id).where(User.id == user_id).with_for_update(read=True, key_share=True)) is None:
        return False
    if on_postgres():
        db.session.execute(select(func.pg_advisory_xact_lock(literal(NOTIFICATIONS_LOCK + user_id, BigInteger))))
    return True

@dataclass(frozen=True)
class Delivery:
    """One notification for a member, as data (what deliver() takes), so that several for the same
    member can be delivered together."""
    type_key: str
    event_id: int
    actor_id: int | None = None
    object_type: str | None = None
    object_id: int | None = None
    data: dict | None = None
    link: str = "/"
    group_key: str | None = None


def deliver(user_id: int, type_key: str, event_id: int, **details) -> Notification | None:
    """Create (or, batched, update in place) a notification, in the caller's transaction.

    Nothing for yourself, from someone you blocked, who blocked you or whom you muted, or of a
    type you switched off; and an event notifies a member at most once.
    """
    return deliver_all(user_id, [Delivery(type_key, event_id, **details)])[0]


def deliver_all(user_id: int, deliveries: list[Delivery]) -> list[Notification | None]:
    """Deliver several notifications to one member, in order, in the caller's transaction, under
    deliver()'s rules; return what each became (None: not delivered).

    What the rules read (settings, blocks and mutes, the events already notified, the open
    batched notifications) is read once for all of them, the member is locked once, and a
    batched notification updated by several deliveries announces itself once: a policy batch of
    fifty likes on one member's projects costs a handful of statements, not fifty times ten.
    """
    results: list[Notification | None] = [None] * len(deliveries)
    settings = settings_of(user_id)
    shut_out = _shut_out(user_id, {d.actor_id for d in deliveries if d.actor_id not in (None, user_id)})
    wanted = [(i, d) for i, d in enumerate(deliveries)
              if d.actor_id != user_id and d.actor_id not in shut_out and allows(settings, d.type_key, "in_app")]
    if not wanted or not _lock_notifications_of(user_id):
        return results
    notified = set(db.session.scalars(select(NotificationCause.event_id).where(
        NotificationCause.user_id == user_id, NotificationCause.event_id.in_({d.event_id for _, d in wanted}))))
    groups = {d.group_key for _, d in wanted if d.group_key and NOTIFICATION_TYPES[d.type_key].delivery == "batched"}
    unread = {n.group_key: n for n in db.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.group_key.in_(groups), Notification.read_at.is_(None)))
    } if groups else {}
    now = utcnow()
    causes: list[tuple[int, Notification]] = []
    sent: dict[int, tuple[Notification, str]] = {}  # by id(notification): each announced once
    for i, d in wanted:
        if d.event_id in notified:
            continue
        notified.add(d.event_id)
        group_key = d.group_key if NOTIFICATION_TYPES[d.type_key].delivery == "batched" else None
        notification = unread.get(group_key) if group_key else None
        if notification is None:
            notification = Notification(user_id=user_id, type=d.type_key, group_key=group_key, actor_ids=[],
                                        object_type=d.object_type, object_id=d.object_id, data=dict(d.data or {}),
                                        link=d.link, created_at=now)
            db.session.add(notification)
            if group_key:
                unread[group_key] = notification
        if d.actor_id is not None:
            notification.actor_ids = [d.actor_id] + [a for a in notification.actor_ids or [] if a != d.actor_id]
        notification.data = {**(notification.data or {}), **(d.data or {})}
        notification.updated_at = now
        causes.append((d.event_id, notification))
        sent[id(notification)] = (notification, d.type_key)
        results[i] = notification
    if not causes:
        return results
    db.session.flush()
    db.session.add_all([NotificationCause(event_id=event_id, user_id=user_id, notification_id=n.id)
                        for event_id, n in causes])
    for notification, type_key in sent.values():
        events.record("NotificationSent", None, user_id=user_id, notification_id=notification.id, type=type_key,
                      email=NOTIFICATION_TYPES[type_key].email)
    return results


def _shut_out(user_id: int, actor_ids: set[int]) -> set[int]:
    """The actors whose notifications the member never gets: blocked either way, or muted."""
    if not actor_ids:
        return set()
    blocked = db.session.execute(select(Block.blocker_id, Block.blocked_id).where(or_(
        (Block.blocker_id == user_id) & Block.blocked_id.in_(actor_ids),
        (Block.blocked_id == user_id) & Block.blocker_id.in_(actor_ids)))).all()
    muted = db.session.scalars(select(Mute.muted_id).where(Mute.muter_id == user_id, Mute.muted_id.in_(actor_ids)))
    return {a for pair in blocked for a in pair if a != user_id} | set(muted)


def retract(user_id: int, group_key: str, actor_id: int) -> None:
    """Take an actor back out of an unread batched notification (an unlike, an unfollow)."""
    notification = db.session.scalar(select(Notification).where(
        Notification.user_id == user_id, Notification.group_key == group_key, Notification.read_at.is_(None)
    ).with_for_update())
    if notification is None or actor_id not in (notification.actor_ids or []):
        return
    remaining = [a for a in notification.actor_ids if a != actor_id]
    if remaining:
        notification.actor_ids = remaining
    else:
        db.session.delete(notification)
    events.record("NotificationsChanged", None, user_id=user_id)


@handler
def notify(user_id: int, type_key: str, event_id: int, **details) -> Notification | None:
    """Deliver one notification (a policy's command)."""
    return deliver(user_id, type_key, event_id, **details)


@handler
def send_nudge(user_id: int, type_key: str, key: str, now: datetime, **details) -> Notification | None:
    """A scheduled nudge: once per key, within the member's daily nudge cap, never in quiet hours."""
    user = db.session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        return None
    settings = settings_of(user_id)
    if in_quiet_hours(now, user.time_zone, settings) or not allows(settings, type_key, "in_app"):
        return None
    today = local_day(now, user.time_zone).isoformat()
    sent_today = db.session.scalar(select(func.count()).select_from(Milestone).where(
        Milestone.user_id == user_id, Milestone.kind == "nudge_day", Milestone.value.like(f"{today}:%")))
    if sent_today >= NOTIFICATIONS["nudges_per_day"]:
        return None
    if not insert_ignoring_duplicates(Milestone, user_id=user_id, kind="nudge", value=key[:64], reached_at=now):
        return None
    # Counted per nudge (not per type) towards the member's daily cap.
    insert_ignoring_duplicates(Milestone, user_id=user_id, kind="nudge_day", value=f"{today}:{key}"[:64],
                               reached_at=now)
    event = events.record("NudgeDue", None, user_id=user_id, type=type_key, key=key)
    return deliver(user_id, type_key, event.id, **details)


# -- reading and settings ----------------------------------------------------------------------

class NotificationRefSchema(CommandSchema):
    notification_id = fields.Integer(required=True, strict=False)


@handler
def mark_read(actor: User, data: dict) -> int:
    """Mark one of the actor's notifications read; return how many changed."""
    notification_id = parse(NotificationRefSchema, data)["notification_id"]
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise CommandRejected("notification_id", "That notification does not exist.", status=404)
    changed = db.session.execute(update(Notification).where(
        Notification.id == notification_id, Notification.read_at.is_(None)).values(read_at=utcnow())).rowcount
    if changed:
        events.record("NotificationsChanged", actor.id, user_id=actor.id)
    return changed


@handler
def mark_all_read(actor: User) -> int:
    changed = db.session.execute(update(Notification).where(
        Notification.user_id == actor.id, Notification.read_at.is_(None)).values(read_at=utcnow())).rowcount
    if changed:
        events.record("NotificationsChanged", actor.id, user_id=actor.id)
    return changed


class SettingsSchema(CommandSchema):
    email_enabled = fields.Boolean(load_default=False)
    quiet_start = fields.String(required=True, validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$",
                                error="Use a time like 22:00."))
    quiet_end = fields.String(required=True, validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$",
                              error="Use a time like 08:00."))
    enabled = fields.List(fields.String(), load_default=list)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@handler
def update_notification_settings(actor: User, data: dict) -> NotificationSettings:
    """Save which notifications the actor wants, on which channel, and their quiet hours."""
    values = parse(SettingsSchema, data)
    valid = {f"{t}:{c}" for t in NOTIFICATION_TYPES for c in CHANNELS}
    unknown = set(values["enabled"]) - valid
    if unknown:
        raise CommandRejected("enabled", "Unknown notification setting.")
    channels = {t: {c: f"{t}:{c}" in values["enabled"] for c in CHANNELS} for t in NOTIFICATION_TYPES}
    settings = db.session.get(NotificationSettings, actor.id) or NotificationSettings(user_id=actor.id)
    settings.channels, settings.email_enabled = channels, values["email_enabled"]
    settings.quiet_start, settings.quiet_end = _minutes(values["quiet_start"]), _minutes(values["quiet_end"])
    db.session.add(settings)
    events.record("NotificationSettingsChanged", actor.id, user_id=actor.id)
    return settings


@handler
def unsubscribe(user_id: int, scope: str) -> bool:
    """Stop an e-mail (one type, or "all"), from a signed link: no log-in needed."""
    if db.session.get(User, user_id) is None:
        return False
    settings = settings_of(user_id)
    if scope == "all":
        settings.email_enabled = False
    elif scope in NOTIFICATION_TYPES:
        channels = dict(settings.channels or {})
        channels[scope] = {**channels.get(scope, {}), "email": False}
        settings.channels = channels
    else:
        return False
    db.session.add(settings)
    events.record("EmailUnsubscribed", None, user_id=user_id, scope=scope)
    return True


# -- blocks and mutes --------------------------------------------------------------------------

class MemberSchema(CommandSchema):
    user_id = fields.Integer(required=True, strict=False)


def _other(actor: User, data: dict) -> int:
    other = parse(MemberSchema, data)["user_id"]
    if other == actor.id:
        raise CommandRejected("user_id", "You cannot do that to yourself.")
    if db.session.get(User, other) is None:
        raise CommandRejected("user_id", "That member does not exist.", status=404)
    return other


@handler
def block_member(actor: User, data: dict) -> bool:
    """Block a member: they can no longer follow, mention or notify you; follows both ways end."""
    other = _other(actor, data)
    if not insert_ignoring_duplicates(Block, blocker_id=actor.id, blocked_id=other, created_at=utcnow()):
        return False
    removed = db.session.execute(delete(Follow).where(or_(
        (Follow.follower_id == actor.id) & (Follow.followee_id == other),
        (Follow.follower_id == other) & (Follow.followee_id == actor.id))).returning(
        Follow.follower_id, Follow.followee_id)).all()
    for follower, followee in removed:
        events.record("MemberUnfollowed", follower, follower_id=follower, followee_id=followee)
    events.record("MemberBlocked", actor.id, user_id=actor.id, blocked_id=other)
    return True


@handler
def unblock_member(actor: User, data: dict) -> bool:
    other = _other(actor, data)
    removed = db.session.execute(delete(Block).where(Block.blocker_id == actor.id, Block.blocked_id == other)).rowcount
    if removed:
        events.record("MemberUnblocked", actor.id, user_id=actor.id, blocked_id=other)
    return bool(removed)


@handler
def mute_member(actor: User, data: dict) -> bool:
    """Mute a member: they vanish from your feed and notifications, and never know."""
    other = _other(actor, data)
    added = insert_ignoring_duplicates(Mute, muter_id=actor.id, muted_id=other, created_at=utcnow())
    if added:
        events.record("MemberMuted", actor.id, user_id=actor.id, muted_id=other)
    return added


@handler
def unmute_member(actor: User, data: dict) -> bool:
    other = _other(actor, data)
    removed = db.session.execute(delete(Mute).where(Mute.muter_id == actor.id, Mute.muted_id == other)).rowcount
    if removed:
        events.record("MemberUnmuted", actor.id, user_id=actor.id, muted_id=other)
    return bool(removed)


