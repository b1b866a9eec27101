"""Feed cards (app/read/feed_cards.py): each recent activity's rendered card, written when the
activity is projected and written again (or dropped) on the events that change what it shows.

Every event only names the activities to refresh; a refresh renders them from Postgres as they are
now and writes the card (or deletes it if the activity is no longer shown), so projecting twice, or
out of order, leaves the same keys, and `rebuild` yields the same bytes.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.feed import ACTIVITY_TYPES, is_activity
from app.models import Event
from app.models.types import utcnow
from app.read import feed_cards, keys
from app.read.redis import clear_read_model, client
from app.rules import FEED

NAME = "feed_cards"
STAGE = "live"
CHUNK = 500


def _reposts_of(activity_ids: list[int], by: list[int]) -> list[int]:
    """The repost activities of these activities by these members."""
    if not activity_ids or not by:
        return []
    return list(db.session.scalars(select(Event.id).where(
        Event.type == "ActivityReposted", Event.actor_id.in_(by),
        Event.payload["activity_id"].as_integer().in_(activity_ids))))


def _touched(event: Event) -> list[int]:
    """The activities whose card this event may change."""
    payload = event.payload or {}
    if is_activity(event):
        return [event.id]
    if event.type == "ProjectEdited" and payload.get("change") == "details":
        return list(db.session.scalars(select(Event.id).where(  # the author's index, then the payload
            Event.actor_id == payload["author_id"], Event.type == "ProjectPublished",
            Event.payload["project_id"].as_integer() == payload["project_id"])))
    if event.type in ("ProjectDeleted", "ProjectEdited", "ToolReviewDeleted") and "activity_ids" in payload:
        ids = list(payload["activity_ids"])
        return ids + _reposts_of(ids, payload.get("reposted_by", []))
    if event.type == "RepostWithdrawn":
        return _reposts_of([payload["activity_id"]], [event.actor_id])
    return []


def refresh(activity_ids: list[int]) -> None:
    """Write these activities' cards as Postgres has them now; drop those no longer shown or expired."""
    r = client()
    now = utcnow().timestamp()
    pipe = r.pipeline(transaction=False)
    for start in range(0, len(activity_ids), CHUNK):
        chunk = activity_ids[start:start + CHUNK]
        built = feed_cards.build(chunk)
        for activity_id in chunk:
            card = built.get(activity_id)
            if card is not None and card.expires_at() > now:
                pipe.set(keys.feed_card(activity_id), card.to_json(), exat=card.expires_at())
            else:
                pipe.delete(keys.feed_card(activity_id))
        pipe.execute()


def project(events: list[Event]) -> set[str]:
    touched = sorted({i for event in events for i in _touched(event)})
    if touched:
        refresh(touched)
    return set()


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    clear_read_model(NAME)
    since = utcnow() - timedelta(days=FEED["card_days"])
    ids = list(db.session.scalars(select(Event.id).where(
        Event.type.in_(ACTIVITY_TYPES), Event.created_at >= since).order_by(Event.id)))
    for start in range(0, len(ids), CHUNK):
        refresh(ids[start:start + CHUNK])
        progress(len(ids[start:start + CHUNK]))
    return len(ids)


def count() -> int:
    since = utcnow() - timedelta(days=FEED["card_days"])
    return db.session.scalar(select(func.count()).select_from(Event).where(
        Event.type.in_(ACTIVITY_TYPES), Event.created_at >= since)) or 0
