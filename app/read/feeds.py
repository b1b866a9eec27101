"""The home feed as a member reads it: "Following" (newest first) and "For you" (ranked).

Ids come from Redis (the member's fanned-out feed, plus the activities of celebrities they
follow merged in at read time, plus popular moments for members who follow few people), read in one
call with the items' cards (what every reader sees alike, rendered once: app.read.feed_cards); then
one statement for what is live (names, like counts, the reader's likes and reposts, social proof,
whom the reader hid), however many items it shows.
See docs/feed.md for the ranking formula.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from markupsafe import Markup
from sqlalchemy import BigInteger, CompoundSelect, String, any_, bindparam, exists, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY

from app.extensions import db, on_postgres
from app.feed import feed_ids_from_postgres
from app.models import Block, Follow, Like, MemberTopic, Mute, Project, Repost, User
from app.models.types import utcnow
from app.read import feed_cards, keys, leaderboards
from app.read.members import MemberCard
from app.read.redis import RedisUnavailable, client
from app.rules import FEED, tier_for


@dataclass(frozen=True)
class ProjectCard:
    """What a feed item shows of a project."""
    id: int
    slug: str
    title: str
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
    body: Markup = field(default_factory=Markup)  # the card's HTML: what every reader sees alike (app.read.feed_cards)


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_before: int | None
    newest: int | None
    flair: leaderboards.Flair | None = None  # this week's top 10, read with the page's ids


@dataclass(frozen=True)
class Candidates:
    """A page's activity ids (newest first), which are popular fill-ins, and the cards read with
    them (raw JSON; None where Redis has none)."""
    ids: list[int]
    popular: set[int]
    flair: leaderboards.Flair | None = None
    cards: dict[int, bytes | None] = field(default_factory=dict)


def _among(column, name: str, postgres: bool):
    """`column` is one of the list parameter `name`: on PostgreSQL one array parameter, so the
    statement's text (and its prepared plan) is the same whatever the page holds."""
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(BigInteger)))
    return column.in_(bindparam(name, expanding=True))


# A page's ids and their cards in one call. KEYS: the member's feed, the celebrities they follow, the
# popular set, who follows many, this week's board. ARGV: the member's id, the cursor as the lowest
# score to read ("-inf", or "(-<id>": the sets are newest first, `keys.newest_first`), how many ids,
# how many flair names, then what a member's own set's key and a card's key hold before and after
# the id. Returns whether the feed key exists, the newest ids of the feed, the
# followed celebrities' own sets and (for a member who follows few) the popular set, which of them
# are popular, their cards (nil where Redis has none), and the flair. Below the feed's last id
# nothing can reach the page, so the other sets are read only above it.
# It reads keys it builds from ids (the celebrities' sets, the cards): under Redis Cluster they live
# on other nodes, and the page would go back to a pipeline and an MGET.
PAGE_LUA = """
local member, after, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local has_feed = redis.call('EXISTS', KEYS[1])
local feed = redis.call('ZRANGEBYSCORE', KEYS[1], after, '+inf', 'LIMIT', 0, limit)
local last = #feed == limit and ('(-' .. feed[limit]) or '+inf'
local text, ids, popular = {}, {}, {}  -- text: an id's digits by its number (no float formatting)
local function add(batch, is_popular)
  for _, id in ipairs(batch) do
    local n = tonumber(id)
    if not text[n] then text[n] = id; ids[#ids + 1] = n; popular[n] = is_popular end
  end
end
add(feed, false)
for _, star in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  add(redis.call('ZRANGEBYSCORE', ARGV[5] .. star .. ARGV[6], after, last, 'LIMIT', 0, limit), false)
end
if redis.call('SISMEMBER', KEYS[4], member) == 0 then
  add(redis.call('ZRANGEBYSCORE', KEYS[3], after, last, 'LIMIT', 0, limit), true)
end
table.sort(ids, function(a, b) return a > b end)
local page, pops, cards = {}, {}, {}
for i = 1, math.min(limit, #ids) do
  page[i] = text[ids[i]]
  cards[i] = ARGV[7] .. page[i] .. ARGV[8]
  if popular[ids[i]] then pops[#pops + 1] = page[i] end
end
if #cards > 0 then cards = redis.call('MGET', unpack(cards)) end
return {has_feed, page, pops, cards, redis.call('ZREVRANGE', KEYS[5], 0, tonumber(ARGV[4]) - 1)}
"""


def candidate_ids(user_id: int, before: int | None, limit: int) -> Candidates:
    """Newest activity ids for the member below `before`, with their cards: their fanned-out feed,
    the celebrities they follow merged in, popular moments if they follow few people; and this
    week's flair, which the page's names show. One Redis call (PAGE_LUA)."""
    r = client()
    has_feed, ids, popular, raw, flair = r.register_script(PAGE_LUA)(
        keys=[keys.home_feed(user_id), keys.followed_celebrities(user_id), keys.popular_activities(),
              keys.following_many(), leaderboards.weekly_flair_key()],
        args=[user_id, f"({keys.newest_first(before)}" if before else "-inf", limit, leaderboards.FLAIR_TOP,
              *keys.around_id(keys.member_activities), *keys.around_id(keys.feed_card)])
    ids = [int(i) for i in ids]
    cards = dict(zip(ids, raw, strict=True))
    if not has_feed:  # skipped while inactive: read it from Postgres this once
        ids = sorted(set(ids) | set(feed_ids_from_postgres(user_id, limit, before)), reverse=True)[:limit]
    return Candidates(ids, {int(i) for i in popular}, leaderboards.flair_of(flair), cards)


@cache
def _facts_query(postgres: bool) -> CompoundSelect:
    """What a page shows that changes without touching its cards, in one statement: the names and
    points of the authors the reader may see (not those they muted, blocked or were blocked by: "u");
    the projects still listed, with like counts, how many of the people the
    reader follows liked each and the newest of them, and the reader's own like ("p"); which reposts
    still stand ("s"); which of the shared activities the reader reposted ("v")."""
    viewer = bindparam("viewer")
    liked_by_followee = (Like.project_id == Project.id) & Like.user_id.in_(
        select(Follow.followee_id).where(Follow.follower_id == viewer))
    no_id, no_text = literal(None, BigInteger), literal(None, String)
    return union_all(
        select(literal("u"), User.id, User.points, no_id, User.username, User.display_name, literal(False))
        .where(_among(User.id, "authors", postgres),  # three NOT EXISTS, not one NOT (… OR …): anti-joins
               ~exists().where(Mute.muter_id == viewer, Mute.muted_id == User.id),
               ~exists().where(Block.blocker_id == viewer, Block.blocked_id == User.id),
               ~exists().where(Block.blocker_id == User.id, Block.blocked_id == viewer)),
        select(literal("p"), Project.id, Project.likes_count,
               select(func.count()).select_from(Like).where(liked_by_followee).scalar_subquery(),
               select(User.username).join(Like, Like.user_id == User.id).where(liked_by_followee)
               .order_by(Like.id.desc()).limit(1).scalar_subquery(), no_text,
               exists().where(Like.user_id == viewer, Like.project_id == Project.id))
        .where(_among(Project.id, "projects", postgres), Project.status == "published",
               Project.visibility == "public"),
        select(literal("s"), Repost.activity_id, Repost.user_id, no_id, no_text, no_text, literal(False))
        .where(_among(Repost.activity_id, "shared", postgres), _among(Repost.user_id, "sharers", postgres)),
        select(literal("v"), Repost.activity_id, no_id, no_id, no_text, no_text, literal(False))
        .where(Repost.user_id == viewer, _among(Repost.activity_id, "shared", postgres)))


@dataclass(frozen=True)
class _Facts:
    members: dict[int, MemberCard]  # the authors the reader may see
    projects: dict[int, tuple[int, int, str | None, bool]]  # likes, followees who liked, the newest, liked
    standing: set[tuple[int, int]]  # (sharer, shared activity) of the reposts that stand
    reposted: set[int]  # shared activities the reader reposted


def _facts(user_id: int, cards: dict[int, feed_cards.Card]) -> _Facts:
    params = {"viewer": user_id, "authors": sorted({c.author_id for c in cards.values()}) or [0],
              "projects": sorted({c.project[0] for c in cards.values() if c.project}) or [0],
              "shared": sorted({c.original_id for c in cards.values() if c.original_id}) or [0],
              "sharers": sorted({c.author_id for c in cards.values() if c.original_id}) or [0]}
    members, projects, standing, reposted = {}, {}, set(), set()
    query = _facts_query(on_postgres())
    for kind, key, number, count, text, name, flag in db.session.execute(query, params):
        if kind == "u":
            members[key] = MemberCard(key, text, name or text, number, tier_for(number))
        elif kind == "p":
            projects[key] = (number, count, text, flag)
        elif kind == "s":
            standing.add((number, key))
        else:
            reposted.add(key)
    return _Facts(members, projects, standing, reposted)


def _proof_line(newest: str | None, count: int) -> str | None:
    if not newest:
        return None
    others = count - 1
    return (f"@{newest}" + (f" and {others} other{'s' if others > 1 else ''}" if others else "")
            + " you follow liked this")


def _item(card: feed_cards.Card, facts: _Facts) -> FeedItem | None:
    """A card with what is live about it; None if it may not be shown (its author is hidden from
    the reader or gone, its project no longer listed: deleted, made private or draft since)."""
    author = facts.members.get(card.author_id)
    project = None
    if card.project:
        live = facts.projects.get(card.project[0])
        if live is None:
            return None
        project_id, slug, title, topics = card.project
        project = ProjectCard(project_id, slug, title, live[0], topics)
    if author is None:
        return None
    return FeedItem(card.id, card.type, author, card.created_at, card.payload, project,
                    topics=project.topics if project else [], body=card.body)


def hydrate(user_id: int, found: Candidates, want: int | None = None) -> list[FeedItem]:
    """The candidates as items, newest first: their cards (read with the ids; one MGET for reposts
    whose original is not among them) and what is live about them (one statement). Drops what is
    gone (unlisted projects, withdrawn reposts) and hidden authors. With `want`, the first `want`
    candidates are hydrated, and the next ones only if some were dropped (a statement more)."""
    items: list[FeedItem] = []
    step = want or len(found.ids) or 1
    for start in range(0, len(found.ids), step):
        items += _hydrate(user_id, found, found.ids[start:start + step])
        if want and len(items) >= want:
            break
    return items


def _hydrate(user_id: int, found: Candidates, ids: list[int]) -> list[FeedItem]:
    cards = feed_cards.cards(ids, found.cards)
    originals = [c.original_id for c in cards.values() if c.original_id and c.original_id not in cards]
    if originals:
        cards |= feed_cards.cards(originals, found.cards)
    facts = _facts(user_id, cards)
    items = []
    for event_id in ids:
        card = cards.get(event_id)
        item = _item(card, facts) if card else None
        if item is None:
            continue
        if card.original_id:
            shared = cards.get(card.original_id)
            item.original = _item(shared, facts) if shared else None
            if item.original is None or (card.author_id, shared.id) not in facts.standing:
                continue
            item.project, item.topics = item.original.project, item.original.topics
        if item.project:
            _, count, newest, item.liked = facts.projects[item.project.id]
            item.proof = _proof_line(newest, count)
        item.reposted = (item.original or item).id in facts.reposted
        item.why = ("Popular in the community right now" if event_id in found.popular
                    else "You" if card.author_id == user_id else f"You follow @{item.author.username}")
        items.append(item)
    return items


def following(user_id: int, before: int | None = None) -> FeedPage:
    """The "Following" tab: newest first, cursor-paginated by activity id (no offsets)."""
    size = FEED["page_size"]
    try:
        found = candidate_ids(user_id, before, size + 10)
    except RedisUnavailable:
        return FeedPage([], None, None)
    items = hydrate(user_id, found, want=size)[:size]
    more = len(found.ids) > size and items
    return FeedPage(items, items[-1].id if more else None, items[0].id if items else None, found.flair)


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
    return FeedPage(items, None, max((i.id for i in items), default=None), found.flair)


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
