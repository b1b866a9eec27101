"""Feed cards: what an activity shows every reader alike, rendered once.

A card is an activity's type, author, time and payload, the project it is about (slug, title,
topics) and its body's HTML (`templates/fragments/feeds/items/<type>.html`). The feed_cards
projector writes one when an activity is projected and writes it again, or drops it, on the events
that change it (a project's details edited, made private or public, deleted; a repost withdrawn; a
review deleted). Each card expires FEED["card_days"] after its activity (EXPIREAT), so a rebuild
writes the same keys as live projection did. A page reads its cards with one MGET and builds the
missing ones (older activities, a lost Redis) from Postgres, without writing them back.

What changes without such an event stays out of a card and is read live for every page
(app.read.feeds): names, tiers and flair, like counts, whether the project is still listed and the
repost still stands, the reader's like and repost, social proof, the why-line.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from flask import current_app, has_request_context
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.feed import still_shown
from app.models import Event, Project, User
from app.read import keys
from app.read.redis import RedisUnavailable, client
from app.rules import FEED


@dataclass(frozen=True)
class Card:
    id: int
    type: str
    author_id: int
    created_at: datetime
    payload: dict
    body: Markup
    project: tuple[int, str, str, list[str]] | None = None  # id, slug, title, topics
    original_id: int | None = None  # what a repost shares

    def to_json(self) -> str:
        return json.dumps([self.type, self.author_id, self.created_at.isoformat(), self.payload, str(self.body),
                           self.project, self.original_id], separators=(",", ":"))

    @classmethod
    def from_json(cls, activity_id: int, raw: str | bytes) -> Card:
        kind, author, at, payload, body, project, original = json.loads(raw)
        return cls(activity_id, kind, author, datetime.fromisoformat(at), payload, Markup(body),
                   tuple(project) if project else None, original)

    def expires_at(self) -> int:
        """Epoch seconds when the card leaves Redis."""
        return int(self.created_at.replace(tzinfo=UTC).timestamp()) + FEED["card_days"] * 86400


CARDS_KEPT = 10_000  # decoded cards remembered per process before starting afresh (about 2 KB each)
_decoded: dict[tuple[int, str | bytes], Card] = {}


def decoded(activity_id: int, raw: str | bytes) -> Card:
    """Card.from_json, remembered per process by the activity and the card's bytes (what Redis
    holds is all a card is: a card written again, e.g. its project edited, is other bytes). A page
    reads 20 to 30 cards, mostly ones other pages read too. The card is shared: never change it."""
    card = _decoded.get((activity_id, raw))
    if card is None:
        if len(_decoded) >= CARDS_KEPT:
            _decoded.clear()
        card = _decoded[activity_id, raw] = Card.from_json(activity_id, raw)
    return card


class _Author(NamedTuple):
    username: str


class _Subject(NamedTuple):
    """What an item template reads: the activity's payload, its author and its project."""
    payload: dict
    author: _Author
    project: Project | None


def build(activity_ids: list[int]) -> dict[int, Card]:
    """Cards of the activities still shown (deleted, draft and private subjects, withdrawn reposts
    and deleted reviews have none), from Postgres in a few batched queries (the events with their
    authors' names, what still_shown checks, the projects with their topics), rendered."""
    if not activity_ids:
        return {}
    rows = db.session.execute(select(Event, User.username).outerjoin(User, User.id == Event.actor_id)
                              .where(Event.id.in_(activity_ids))).all()
    usernames = {event.actor_id: username for event, username in rows if username is not None}
    events = still_shown([event for event, _ in rows])
    if not events:
        return {}
    project_ids = {(e.payload or {}).get("project_id") for e in events if e.type == "ProjectPublished"}
    projects = ({p.id: p for p in db.session.scalars(
        select(Project).options(joinedload(Project.topic_rows)).where(Project.id.in_(project_ids))).unique()}
        if project_ids else {})
    env = current_app.jinja_env
    cards = {}
    with _request_context():
        for event in events:
            payload = event.payload or {}
            project = projects.get(payload.get("project_id")) if event.type == "ProjectPublished" else None
            body = "" if event.type == "ActivityReposted" else env.get_template(
                f"fragments/feeds/items/{event.type}.html").render(
                    item=_Subject(payload, _Author(usernames.get(event.actor_id, "")), project))
            cards[event.id] = Card(
                event.id, event.type, event.actor_id, event.created_at, payload, Markup(body.strip()),
                (project.id, project.slug, project.title, project.topics) if project else None,
                payload.get("activity_id") if event.type == "ActivityReposted" else None)
    return cards


def _request_context():
    """Item templates build URLs: a worker renders them in a request context of its own."""
    import contextlib

    return contextlib.nullcontext() if has_request_context() else current_app.test_request_context("/")


def cards(activity_ids: list[int], read: dict[int, bytes | None] | None = None) -> dict[int, Card]:
    """The activities' cards: those in `read` (what Redis held, already read: None for none), the
    others with one MGET, and the missing ones built from Postgres (not stored)."""
    if not activity_ids:
        return {}
    read = dict(read or {})
    unread = [i for i in activity_ids if i not in read]
    if unread:
        try:
            read.update(zip(unread, client().mget([keys.feed_card(i) for i in unread]), strict=True))
        except RedisUnavailable:
            read.update(dict.fromkeys(unread))
    found = {i: decoded(i, read[i]) for i in activity_ids if read[i]}
    missing = [i for i in activity_ids if i not in found]
    return found | build(missing) if missing else found
