"""The home feed as a member reads it: "Following" (newest first) and "For you" (ranked).

Ids come from Redis (the member's fanned-out feed, plus the activities of celebrities they
follow merged in at read time, plus popular moments for members who follow few people); a page
costs one statement about the reader (follows, mutes, blocks) and one to hydrate its ids, however
many items it shows. See docs/feed.md for the ranking formula.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (CompoundSelect, Select, String, bindparam, case, cast, exists, func, literal, select,
                        union_all)
from sqlalchemy.orm import aliased

from app.extensions import db
from app.feed import ACTIVITY_TYPES, feed_ids_from_postgres
from app.models import Block, Event, Follow, Like, MemberTopic, Mute, Project, ProjectTopic, Repost, User
from app.models.types import utcnow
from app.read import keys
from app.read.members import MemberCard
from app.read.redis import RedisUnavailable, client
from app.rules import FEED, tier_for


@dataclass(frozen=True)
class ProjectCard:
    """What a feed item shows of a project."""
    id: int
    slug: str
    title: str
    description: str
    likes_count: int
    topics: list[str] = field(default_factory=list)


@dataclass
class FeedItem:
    id: int
    type: str
    author: MemberCard
    created_at: datetime
    payload: dict
    project: ProjectCard | None = None
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


@dataclass(frozen=True)
class Candidates:
    """A page's activity ids (newest first), which are popular fill-ins, and whose are hidden."""
    ids: list[int]
    popular: set[int]
    hidden: frozenset[int] = frozenset()


@cache
def _viewer_query() -> CompoundSelect:
    """The celebrities among `famous` the member follows, how many people they follow (up to the
    cold-start threshold), and the authors they muted, blocked or were blocked by."""
    viewer = bindparam("viewer")
    some_follows = (select(Follow.followee_id).where(Follow.follower_id == viewer)
                    .limit(FEED["cold_start_following"]).subquery())
    return union_all(
        select(literal("n"), func.count()).select_from(some_follows),
        select(literal("c"), Follow.followee_id).where(
            Follow.follower_id == viewer, Follow.followee_id.in_(bindparam("famous", expanding=True))),
        select(literal("h"), Mute.muted_id).where(Mute.muter_id == viewer),
        select(literal("h"), Block.blocked_id).where(Block.blocker_id == viewer),
        select(literal("h"), Block.blocker_id).where(Block.blocked_id == viewer))


def _viewer(user_id: int, famous: list[int]) -> tuple[list[int], bool, frozenset[int]]:
    """Followed celebrities, whether the member follows few people, hidden authors: one statement."""
    rows = db.session.execute(_viewer_query(), {"viewer": user_id, "famous": famous}).all()
    following = next(n for kind, n in rows if kind == "n")
    return ([m for kind, m in rows if kind == "c"], following < FEED["cold_start_following"],
            frozenset(m for kind, m in rows if kind == "h"))


def candidate_ids(user_id: int, before: int | None, limit: int) -> Candidates:
    """Newest activity ids for the member below `before`: their fanned-out feed, the celebrities they
    follow merged in, popular moments if they follow few people. Two Redis round trips at most."""
    r = client()
    high = f"({before}" if before else "+inf"
    pipe = r.pipeline(transaction=False)
    pipe.smembers(keys.celebrities())
    pipe.exists(keys.home_feed(user_id))
    pipe.zrevrangebyscore(keys.home_feed(user_id), high, "-inf", start=0, num=limit)
    pipe.zrevrangebyscore(keys.popular_activities(), high, "-inf", start=0, num=limit)
    famous, has_feed, feed, popular_ids = pipe.execute()
    celebrities, follows_few, hidden = _viewer(user_id, sorted(int(m) for m in famous))
    ids = {int(i) for i in feed}
    if celebrities:
        # Below the feed's `limit`th id nothing can reach the page: ask each celebrity only for newer ones.
        low = f"({min(ids)}" if len(ids) == limit else "-inf"
        pipe = r.pipeline(transaction=False)
        for member in celebrities:
            pipe.zrevrangebyscore(keys.member_activities(member), high, low, start=0, num=limit)
        ids |= {int(i) for batch in pipe.execute() for i in batch}
    if not has_feed:  # skipped while inactive: read it from Postgres this once
        ids |= set(feed_ids_from_postgres(user_id, limit, before))
    popular = {int(i) for i in popular_ids} - ids if follows_few else set()
    return Candidates(sorted(ids | popular, reverse=True)[:limit], popular, hidden)


def _card(member_id: int | None, username: str | None, name: str | None,
          points: int | None) -> MemberCard | None:
    if member_id is None or username is None:
        return None
    return MemberCard(member_id, username, name or username, points, tier_for(points))


@cache
def _rows_query() -> Select:
    """One row per activity: the event and its author; for a repost, the original, its author and
    whether the repost stands; the project it is about (none if deleted), its topics ("position:tag",
    comma-separated: tags have neither), and who among the people the reader follows liked it (the
    newest and how many); the reader's own like and repost."""
    author, original, original_author = aliased(User), aliased(Event), aliased(User)
    viewer = bindparam("viewer")
    liked_by_followee = (Like.project_id == Project.id) & Like.user_id.in_(
        select(Follow.followee_id).where(Follow.follower_id == viewer))
    reposted = Event.type == "ActivityReposted"
    subject_id = case((reposted, original.id), else_=Event.id)
    project_id = case((reposted, original.payload["project_id"].as_integer()),
                      else_=Event.payload["project_id"].as_integer())
    is_project = case((reposted, original.type), else_=Event.type) == "ProjectPublished"
    return (
        select(Event.id, Event.type, Event.created_at, Event.payload,
               author.id, author.username, author.display_name, author.points,
               original.id, original.type, original.created_at, original.payload,
               original_author.id, original_author.username, original_author.display_name,
               original_author.points,
               Project.id, Project.slug, Project.title, Project.description, Project.likes_count,
               select(func.aggregate_strings(cast(ProjectTopic.position, String) + ":" + ProjectTopic.topic,
                                             ",")).where(ProjectTopic.project_id == Project.id).scalar_subquery(),
               select(User.username).join(Like, Like.user_id == User.id).where(liked_by_followee)
               .order_by(Like.id.desc()).limit(1).scalar_subquery(),
               select(func.count()).select_from(Like).where(liked_by_followee).scalar_subquery(),
               exists().where(Repost.user_id == Event.actor_id, Repost.activity_id == original.id),
               exists().where(Like.user_id == viewer, Like.project_id == Project.id),
               exists().where(Repost.user_id == viewer, Repost.activity_id == subject_id))
        .join(author, author.id == Event.actor_id)
        .outerjoin(original, reposted & (original.id == Event.payload["activity_id"].as_integer()))
        .outerjoin(original_author, original_author.id == original.actor_id)
        # Only projects anyone may see: a draft or private project's activity finds no row here.
        .outerjoin(Project, is_project & (Project.id == project_id) & (Project.status == "published")
                   & (Project.visibility == "public"))
        .where(Event.id.in_(bindparam("ids", expanding=True)), Event.type.in_(ACTIVITY_TYPES)))


def _topics(aggregated: str | None) -> list[str]:
    pairs = (entry.split(":", 1) for entry in aggregated.split(",")) if aggregated else ()
    return [tag for _, tag in sorted(pairs, key=lambda pair: int(pair[0]))]


def _proof_line(newest: str | None, count: int) -> str | None:
    if not newest:
        return None
    others = count - 1
    return (f"@{newest}" + (f" and {others} other{'s' if others > 1 else ''}" if others else "")
            + " you follow liked this")


def hydrate(user_id: int, found: Candidates) -> list[FeedItem]:
    """Events, authors, originals, projects, topics, likes, social proof and reposts in one query.
    Drops what is gone (deleted projects, withdrawn reposts) and hidden authors."""
    if not found.ids:
        return []
    rows = {row[0]: row for row in db.session.execute(_rows_query(), {"viewer": user_id, "ids": found.ids})}
    items = []
    for event_id in found.ids:
        row = rows.get(event_id)
        if row is None:
            continue
        (_, kind, created_at, payload, author_id, username, name, points,
         original_id, original_type, original_at, original_payload, *original_card,
         project_id, slug, title, description, likes, topics, proof, proof_count,
         standing, liked, reposted) = row
        author, shared_by = _card(author_id, username, name, points), _card(*original_card)
        subject_type, subject_payload = (original_type, original_payload) if original_id else (kind, payload)
        if author_id in found.hidden or (kind == "ActivityReposted" and (
                not standing or shared_by is None or shared_by.id in found.hidden)):
            continue
        if subject_type == "ProjectPublished" and project_id is None:
            continue  # deleted, or made private since: never shown
        if kind == "AchievementUnlocked" and (payload or {}).get("rarity") == "Common":
            continue
        project = (ProjectCard(project_id, slug, title, description, likes, _topics(topics))
                   if project_id else None)
        item = FeedItem(event_id, kind, author, created_at, payload or {}, project, liked,
                        _proof_line(proof, proof_count), topics=project.topics if project else [],
                        reposted=reposted)
        if original_id:
            item.original = FeedItem(original_id, original_type, shared_by, original_at, original_payload or {},
                                     project, liked, topics=item.topics)
        item.why = ("Popular in the community right now" if event_id in found.popular
                    else "You" if author_id == user_id else f"You follow @{username}")
        items.append(item)
    return items


def following(user_id: int, before: int | None = None) -> FeedPage:
    """The "Following" tab: newest first, cursor-paginated by activity id (no offsets)."""
    size = FEED["page_size"]
    try:
        found = candidate_ids(user_id, before, size + 10)
    except RedisUnavailable:
        return FeedPage([], None, None)
    items = hydrate(user_id, found)[:size]
    more = len(found.ids) > size and items
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
        found = candidate_ids(user_id, None, 200)
    except RedisUnavailable:
        return FeedPage([], None, None)
    items = rank(user_id, hydrate(user_id, found), utcnow())[:FEED["page_size"] * 2]
    return FeedPage(items, None, max((i.id for i in items), default=None))


def highlights(user_id: int) -> list[FeedItem]:
    """The last 24 hours' tier ups and achievements of people the member follows."""
    try:
        found = candidate_ids(user_id, None, 100)
    except RedisUnavailable:
        return []
    since = utcnow() - timedelta(hours=24)
    return [i for i in hydrate(user_id, found) if i.type in ("TierReached", "AchievementUnlocked")
            and i.author.id != user_id and i.created_at >= since and i.id not in found.popular][:12]


def newest_ids(user_id: int, limit: int = 50) -> list[int]:
    """The newest activity ids the member may see (the "N new" pill counts those above the page's top)."""
    try:
        found = candidate_ids(user_id, None, limit)
    except RedisUnavailable:
        return []
    return [item.id for item in hydrate(user_id, found)]
