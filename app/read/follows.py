"""The follow graph as members read it: counts, lists, relationships, suggestions."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Block, Follow, MemberTopic, Mute
from app.read.members import MemberCard, cards_by_id

PAGE = 30


def follows(viewer_id: int, member_ids: list[int]) -> set[int]:
    """Which of these members the viewer follows (one query)."""
    if not member_ids:
        return set()
    return set(db.session.scalars(
        select(Follow.followee_id).where(Follow.follower_id == viewer_id, Follow.followee_id.in_(member_ids))))


def followers_of(viewer_id: int, member_ids: list[int]) -> set[int]:
    """Which of these members follow the viewer (one query)."""
    if not member_ids:
        return set()
    return set(db.session.scalars(
        select(Follow.follower_id).where(Follow.followee_id == viewer_id, Follow.follower_id.in_(member_ids))))


def interests(user_id: int) -> list[str]:
    return list(db.session.scalars(select(MemberTopic.topic).where(MemberTopic.user_id == user_id)
                                   .order_by(MemberTopic.topic)))


def follow_counts(user_id: int) -> dict[str, int]:
    row = db.session.execute(select(
        select(func.count()).select_from(Follow).where(Follow.followee_id == user_id).scalar_subquery(),
        select(func.count()).select_from(Follow).where(Follow.follower_id == user_id).scalar_subquery(),
    )).one()
    return {"followers": row[0], "following": row[1]}


def relationship(viewer_id: int, member_id: int) -> dict[str, bool]:
    """Between the viewer and a member: following, follows_you, blocked, muted."""
    return {
        "following": db.session.get(Follow, (viewer_id, member_id)) is not None,
        "follows_you": db.session.get(Follow, (member_id, viewer_id)) is not None,
        "blocked": db.session.get(Block, (viewer_id, member_id)) is not None,
        "muted": db.session.get(Mute, (viewer_id, member_id)) is not None,
    }


@dataclass(frozen=True)
class Connection:
    card: MemberCard
    follows_you: bool
    following: bool

    @property
    def mutual(self) -> bool:
        return self.follows_you and self.following


@dataclass(frozen=True)
class ConnectionsPage:
    rows: list[Connection]
    after: int | None  # pass as ?after= for the next page (None: last page)
    after_param: bool


def connections_page(member_id: int, direction: str, viewer_id: int | None, after: int | None) -> ConnectionsPage:
    """A page of a member's followers or followings, keyset-paginated by member id."""
    if direction == "followers":
        other, mine = Follow.follower_id, Follow.followee_id
    else:
        other, mine = Follow.followee_id, Follow.follower_id
    query = select(other).where(mine == member_id)
    if after:
        query = query.where(other > after)
    ids = list(db.session.scalars(query.order_by(other).limit(PAGE + 1)))
    more = len(ids) > PAGE
    ids = ids[:PAGE]
    cards = cards_by_id(ids)
    following = follows(viewer_id, ids) if viewer_id else set()
    followed_by = followers_of(viewer_id, ids) if viewer_id else set()
    rows = [Connection(cards[i], i in followed_by, i in following) for i in ids if i in cards]
    return ConnectionsPage(rows, ids[-1] if more else None, bool(after))


@dataclass(frozen=True)
class Suggestion:
    card: MemberCard
    reasons: list[str]
    score: float


def suggestions(user_id: int, limit: int = 12) -> list[Suggestion]:
    """People to follow: shared topics and friends of friends; never yourself, anyone you follow,
    block or are blocked by."""
    excluded = select(Follow.followee_id).where(Follow.follower_id == user_id).union(
        select(Block.blocked_id).where(Block.blocker_id == user_id),
        select(Block.blocker_id).where(Block.blocked_id == user_id),
    )
    mine = select(MemberTopic.topic).where(MemberTopic.user_id == user_id)
    shared = dict(db.session.execute(
        select(MemberTopic.user_id, func.count()).where(MemberTopic.topic.in_(mine), MemberTopic.user_id != user_id,
                                                        MemberTopic.user_id.not_in(excluded))
        .group_by(MemberTopic.user_id)).all())
    friends = select(Follow.followee_id).where(Follow.follower_id == user_id)
    via = dict(db.session.execute(
        select(Follow.followee_id, func.count()).where(Follow.follower_id.in_(friends), Follow.followee_id != user_id,
                                                       Follow.followee_id.not_in(excluded))
        .group_by(Follow.followee_id)).all())
    candidates = set(shared) | set(via)
    if not candidates:  # a newcomer: the most followed members they don't follow yet
        candidates = set(db.session.scalars(
            select(Follow.followee_id).where(Follow.followee_id != user_id, Follow.followee_id.not_in(excluded))
            .group_by(Follow.followee_id).order_by(func.count().desc()).limit(limit)))
    cards = cards_by_id(list(candidates))
    out = []
    for uid in candidates:
        if uid not in cards:
            continue
        reasons = []
        if shared.get(uid):
            reasons.append(f"{shared[uid]} topic{'s' if shared[uid] > 1 else ''} in common")
        if via.get(uid):
            reasons.append(f"followed by {via[uid]} member{'s' if via[uid] > 1 else ''} you follow")
        out.append(Suggestion(cards[uid], reasons or ["popular in the community"],
                              2 * via.get(uid, 0) + shared.get(uid, 0) + cards[uid].points / 10_000))
    return sorted(out, key=lambda s: (-s.score, s.card.id))[:limit]


