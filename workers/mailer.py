"""E-mails the workers send: critical alerts at once, the daily digest, the weekly recap."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app import mail
from app.extensions import db
from app.models import Notification, PointsEntry, User
from app.models.types import utcnow
from app.read.notifications import describe
from commands.notifications import allows, in_quiet_hours, settings_of

log = logging.getLogger(__name__)


def _context():
    return current_app.test_request_context("/", base_url=current_app.config["BASE_URL"])


def send_critical(notification_id: int) -> bool:
    """E-mail a critical notification now, unless the member is in quiet hours or opted out
    (then the digest carries it). Marked emailed so it is never sent twice."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.emailed_at or notification.read_at:
        return False
    user = db.session.get(User, notification.user_id)
    settings = settings_of(user.id)
    if not allows(settings, notification.type, "email") or in_quiet_hours(utcnow(), user.time_zone, settings):
        return False
    claimed = db.session.execute(update(Notification).where(
        Notification.id == notification_id, Notification.emailed_at.is_(None)).values(emailed_at=utcnow())).rowcount
    db.session.commit()
    if not claimed:
        return False
    with _context():
        view = describe([notification])[0]
        mail.send(mail.build_message(user.email, user.name, "alert", notification.type, user.id, item=view))
    return True


def send_digest(user: User, now: datetime) -> int:
    """E-mail what the member has not seen (unread, not yet e-mailed, types they allow)."""
    settings = settings_of(user.id)
    if not settings.email_enabled:
        return 0
    pending = [n for n in db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), Notification.emailed_at.is_(None)
    ).order_by(Notification.updated_at.desc()).limit(50)) if allows(settings, n.type, "email")]
    if not pending:
        return 0
    db.session.execute(update(Notification).where(Notification.id.in_([n.id for n in pending]))
                       .values(emailed_at=now))
    db.session.commit()
    with _context():
        items = describe(pending)
        mail.send(mail.build_message(user.email, user.name, "digest", "all", user.id, items=items))
    return len(pending)


def send_weekly_recap(user: User, now: datetime, rank: int | None) -> bool:
    settings = settings_of(user.id)
    if not settings.email_enabled:
        return False
    week_ago = now - timedelta(days=7)
    earned = sum(db.session.scalars(select(PointsEntry.amount).where(
        PointsEntry.user_id == user.id, PointsEntry.created_at >= week_ago)))
    with _context():
        mail.send(mail.build_message(user.email, user.name, "weekly_recap", "all", user.id,
                                     earned=earned, points=user.points, rank=rank))
    return True
