"""The home feed as a member reads it: "Following" (newest first) and "For you" (ranked).

Ids come from Redis (the member's fanned-out feed, plus the activities of celebrities they
follow merged in at read time, plus popular moments for members who follow few people); rows
are hydrated in one query per kind. See docs/feed.md for the ranking formula.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.feed import feed_ids_from_postgres, still_shown
from app.models import Block, Event, Follow, Like, MemberTopic, Mute, Project, User
from app.models.types import utcnow
from app.read import keys
from app.read.members import MemberCard, cards_by_id
from app.read.redis import RedisUnavailable, client
from app.rules import FEED


@dataclass
class FeedItem:
    id: int
    type: str
    author: MemberCard
    created_at: datetime
    payload: dict
    project: Project | None = None
    liked: bool = False
    proof: str | None = None
    why: str = ""
    score: float = 0.0
    topics: list[str] = field(default_factory=list)
    original: "FeedItem | None" = None  # what a repost shares
    reposted: bool = False


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_before: int | None
    newest: int | None


def _celebrities_followed(user_id: int) -> list[int]:
    """The celebrities (a small Redis set) this member follows: primary-key lookups, no counting."""
    famous = [int(m) for m in client().smembers(keys.celebrities())]
    if not famous:
        return []
    return list(db.session.scalars(select(Follow.followee_id).where(
        Follow.follower_id == user_id, Follow.followee_id.in_(famous))))


def _following_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Follow).where(Follow.follower_id == user_id)) or 0


def _hidden_authors(user_id: int) -> set[int]:
    muted = db.session.scalars(select(Mute.muted_id).where(Mute.muter_id == user_id))
    blocked = db.session.scalars(select(Block.blocked_id).where(Block.blocker_id == user_id))
    blockers = db.session.scalars(select(Block.blocker_id).where(Block.blocked_id == user_id))
    return set(muted) | set(blocked) | set(blockers)


def candidate_ids(user_id: int, before: int | None, limit: int) -> tuple[list[int], set[int]]:
    """Newest activity ids for the member below `before`; and which of them are popular fill-ins."""
    r = client()
    high = f"({before}" if before else "+inf"
    sources = [keys.home_feed(user_id)] + [keys.member_activities(c) for c in _celebrities_followed(user_id)]
    pipe = r.pipeline(transaction=False)
    pipe.exists(keys.home_feed(user_id))
    for key in sources:
        pipe.zrevrangebyscore(key, high, "-inf", start=0, num=limit)
    popular_wanted = _following_count(user_id) < FEED["cold_start_following"]
    if popular_wanted:
        pipe.zrevrangebyscore(keys.popular_activities(), high, "-inf", start=0, num=limit)
    answers = pipe.execute()
    has_feed, lists = answers[0], answers[1:]
    popular = {int(i) for i in lists.pop()} if popular_wanted else set()
    ids = {int(i) for batch in lists for i in batch}
    if not has_feed:  # skipped while inactive: read it from Postgres this once
        ids |= set(feed_ids_from_postgres(user_id, limit, before))
    popular -= ids
    return sorted(ids | popular, reverse=True)[:limit], popular


def hydrate(user_id: int, ids: list[int], popular: set[int]) -> list[FeedItem]:
    """Events, authors, projects, likes and social proof: one query each."""
    if not ids:
        return []
    events = {e.id: e for e in still_shown(list(db.session.scalars(select(Event).where(Event.id.in_(ids)))))}
    originals = {e.id: e for e in db.session.scalars(select(Event).where(Event.id.in_(
        [e.payload.get("activity_id") for e in events.values() if e.type == "ActivityReposted"])))}
    hidden = _hidden_authors(user_id)
    cards = cards_by_id([e.actor_id for e in (*events.values(), *originals.values())])
    project_ids = [e.payload["project_id"] for e in (*events.values(), *originals.values())
                   if e.type == "ProjectPublished"]
    projects = {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(project_ids)))}
    liked = set(db.session.scalars(select(Like.project_id).where(Like.user_id == user_id,
                                                                 Like.project_id.in_(project_ids))))
    followees = select(Follow.followee_id).where(Follow.follower_id == user_id)
    proof_rows = db.session.execute(
        select(Like.project_id, User.username).join(User, User.id == Like.user_id)
        .where(Like.project_id.in_(project_ids), Like.user_id.in_(followees)).order_by(Like.id.desc())).all()
    from app.models import Repost

    reposted = set(db.session.scalars(select(Repost.activity_id).where(
        Repost.user_id == user_id, Repost.activity_id.in_([*events, *originals]))))
    proof: dict[int, list[str]] = {}
    for pid, name in proof_rows:
        proof.setdefault(pid, []).append(name)
    items = []
    for event_id in ids:
        event = events.get(event_id)
        if event is None or event.actor_id in hidden or event.actor_id not in cards:
            continue
        original = originals.get(event.payload.get("activity_id")) if event.type == "ActivityReposted" else None
        if event.type == "ActivityReposted" and (original is None or original.actor_id in hidden
                                                 or original.actor_id not in cards):
            continue
        subject = original or event
        project = projects.get(subject.payload.get("project_id")) if subject.type == "ProjectPublished" else None
        if subject.type == "ProjectPublished" and (project is None or not project.is_listed):
            continue  # deleted or made private since: never shown
        names = proof.get(project.id, []) if project else []
        item = FeedItem(event.id, event.type, cards[event.actor_id], event.created_at, event.payload or {},
                        project, bool(project and project.id in liked),
                        (f"@{names[0]}" + (f" and {len(names) - 1} other{'s' if len(names) > 2 else ''}"
                                            if len(names) > 1 else "") + " you follow liked this") if names else None,
                        topics=project.topics if project else [])
        item.reposted = subject.id in reposted
        if original is not None:
            item.original = FeedItem(original.id, original.type, cards[original.actor_id], original.created_at,
                                     original.payload or {}, project, item.liked, topics=item.topics)
        item.why = ("Popular in the community right now" if event_id in popular
                    else "You" if event.actor_id == user_id else f"You follow @{item.author.username}")
        items.append(item)
    return items


def following(user_id: int, before: int | None = None) -> FeedPage:
    """The "Following" tab: newest first, cursor-paginated by activity id (no offsets)."""
    size = FEED["page_size"]
    try:
        ids, popular = candidate_ids(user_id, before, size + 10)
    except RedisUnavailable:
        return FeedPage([], None, None)
    items = hydrate(user_id, ids, popular)[:size]
    more = len(ids) > size and items
    return FeedPage(items, items[-1].id if more else None, items[0].id if items else None)


def rank(user_id: int, items: list[FeedItem], now: datetime) -> list[FeedItem]:
    """Score and order candidates ("For you"); see docs/feed.md. Adds the "why" line."""
    if not items:
        return []
    interests = set(db.session.scalars(select(MemberTopic.topic).where(MemberTopic.user_id == user_id)))
    closeness = dict(db.session.execute(
        select(Project.author_id, func.count()).join(Like, Like.project_id == Project.id)
        .where(Like.user_id == user_id).group_by(Project.author_id)).all())
    for item in items:
        age_hours = max(0.0, (now - item.created_at).total_seconds() / 3600)
        recency = 0.5 ** (age_hours / FEED["half_life_hours"])
        engagement = math.log1p(item.project.likes_count if item.project else 0)
        close = math.log1p(closeness.get(item.author.id, 0))
        match = len(interests & set(item.topics))
        viral = 1.0 if item.type == "TierReached" or item.payload.get("rarity") in ("Rare", "Epic", "Legendary") else 0.0
        item.score = recency * (1 + engagement + viral) * (1 + close) * (1 + 0.5 * match)
        reasons = []
        if match:
            reasons.append(f"matches your interest in {', '.join(sorted(interests & set(item.topics))[:2])}")
        if close:
            reasons.append(f"you often like @{item.author.username}'s work")
        if engagement >= 1:
            reasons.append(f"{item.project.likes_count} likes")
        if not reasons:
            reasons.append(item.why[0].lower() + item.why[1:] if item.why else "recent")
        item.why = "Because " + ", ".join(reasons)
    ordered = sorted(items, key=lambda i: (-i.score, -i.id))
    return diversify(ordered, FEED["max_in_a_row"])


def diversify(items: list[FeedItem], max_in_a_row: int) -> list[FeedItem]:
    """Keep the order, but never more than `max_in_a_row` consecutive items by one author."""
    result, pending = [], list(items)
    while pending:
        for index, item in enumerate(pending):
            run = result[-max_in_a_row:]
            if len(run) < max_in_a_row or any(i.author.id != item.author.id for i in run):
                result.append(pending.pop(index))
                break
        else:  # only one author left: nothing to interleave with
            result.append(pending.pop(0))
    return result


def for_you(user_id: int) -> FeedPage:
    """The "For you" tab: the newest 200 candidates, ranked and diversified."""
    try:
        ids, popular = candidate_ids(user_id, None, 200)
    except RedisUnavailable:
        return FeedPage([], None, None)
    items = rank(user_id, hydrate(user_id, ids, popular), utcnow())[:FEED["page_size"] * 2]
    return FeedPage(items, None, max((i.id for i in items), default=None))


def highlights(user_id: int) -> list[FeedItem]:
    """The last 24 hours' tier ups and achievements of people the member follows."""
    try:
        ids, popular = candidate_ids(user_id, None, 100)
    except RedisUnavailable:
        return []
    since = utcnow() - timedelta(hours=24)
    return [i for i in hydrate(user_id, ids, set()) if i.type in ("TierReached", "AchievementUnlocked")
            and i.author.id != user_id and i.created_at >= since and i.id not in popular][:12]


def newest_ids(user_id: int, limit: int = 50) -> list[int]:
    """The newest activity ids the member may see (the "N new" pill counts those above the page's top)."""
    try:
        ids, popular = candidate_ids(user_id, None, limit)
    except RedisUnavailable:
        return []
    return [item.id for item in hydrate(user_id, ids, popular)]
