"""The AI tool directory's reads: per-tool stats and sorts from Redis, tools and reviews hydrated
from Postgres in one query per list."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Project, ProjectTool, Tool, ToolReview
from app.models.tools import CATEGORIES, PRICING, Labelled
from app.read import keys
from app.read.members import MemberCard, cards_by_id
from app.read.redis import RedisUnavailable, client
from app.rules import LIMITS

SORTS = {"rating": "Top rated", "usage": "Most used in projects", "name": "Name (A–Z)"}
RATING_SCALE = 1_000_000  # by_rating score = average in thousandths * RATING_SCALE + review count


@dataclass(frozen=True)
class ToolStats:
    reviews: int = 0
    rating_sum: int = 0
    projects: int = 0

    @property
    def average(self) -> float | None:
        return self.rating_sum / self.reviews if self.reviews else None

    @property
    def rating_score(self) -> int:
        """The by_rating sorted-set score (0 when unreviewed)."""
        if not self.reviews:
            return 0
        return round(self.rating_sum * 1000 / self.reviews) * RATING_SCALE + min(self.reviews, RATING_SCALE - 1)


@dataclass(frozen=True)
class ToolCard(Labelled):
    id: int
    slug: str
    name: str
    vendor: str
    category: str
    pricing: str
    description: str
    website: str
    use_cases: tuple[str, ...] = ()
    stats: ToolStats | None = None  # None: the read model is unavailable


@dataclass(frozen=True)
class DirectoryQuery:
    category: str = ""
    pricing: str = ""
    q: str = ""
    sort: str = "rating"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> DirectoryQuery:
        """Read the filters from a query string; unknown values fall back to "all"."""
        category = args.get("category", "")
        pricing = args.get("pricing", "")
        sort = args.get("sort", "rating")
        try:
            page = max(1, int(args.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(category=category if category in CATEGORIES else "",
                   pricing=pricing if pricing in PRICING else "",
                   q=" ".join(args.get("q", "").split())[:80],
                   sort=sort if sort in SORTS else "rating", page=page)

    def args(self, **changes) -> dict:
        """The non-default query-string arguments (for links), with changes applied."""
        values = {"category": self.category, "pricing": self.pricing, "q": self.q, "sort": self.sort,
                  "page": self.page, **changes}
        defaults = {"sort": "rating", "page": 1}
        return {k: v for k, v in values.items() if v and defaults.get(k) != v}


@dataclass
class DirectoryPage:
    query: DirectoryQuery
    items: list[ToolCard]
    total: int
    pages: int
    stale: bool = False  # Redis unavailable: sorted by name, no ratings


@dataclass(frozen=True)
class ReviewItem:
    id: int
    rating: int
    body: str
    author: MemberCard | None
    created_at: object
    updated_at: object

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at


@dataclass
class Page:
    items: list = field(default_factory=list)
    page: int = 1
    has_more: bool = False


# stats ------------------------------------------------------------------------------------------

def stats_in_postgres(tool_ids: list[int]) -> dict[int, ToolStats]:
    """The absolute stats of these tools, from Postgres (what the projector writes)."""
    if not tool_ids:
        return {}
    ids = sorted(set(tool_ids))
    reviews = {row.tool_id: row for row in db.session.execute(
        select(ToolReview.tool_id, func.count().label("n"), func.sum(ToolReview.rating).label("total"))
        .where(ToolReview.tool_id.in_(ids)).group_by(ToolReview.tool_id))}
    usage = dict(db.session.execute(
        select(ProjectTool.tool_id, func.count()).join(Project, Project.id == ProjectTool.project_id)
        .where(ProjectTool.tool_id.in_(ids), Project.status == "published", Project.visibility == "public")
        .group_by(ProjectTool.tool_id)).all())
    return {tid: ToolStats(reviews=reviews[tid].n if tid in reviews else 0,
                           rating_sum=int(reviews[tid].total or 0) if tid in reviews else 0,
                           projects=usage.get(tid, 0)) for tid in ids}


def stats_of(tool_ids: list[int]) -> dict[int, ToolStats] | None:
    """The projected stats of these tools (one round trip); None when Redis is unavailable."""
    if not tool_ids:
        return {}
    try:
        pipe = client().pipeline(transaction=False)
        for tid in tool_ids:
            pipe.hgetall(keys.tool_stats(tid))
        rows = pipe.execute()
    except RedisUnavailable:
        return None
    return {tid: ToolStats(int(row.get("reviews", 0)), int(row.get("rating_sum", 0)), int(row.get("projects", 0)))
            for tid, row in zip(tool_ids, rows, strict=True)}


# the directory ----------------------------------------------------------------------------------

def _card(tool: Tool, stats: ToolStats | None) -> ToolCard:
    return ToolCard(tool.id, tool.slug, tool.name, tool.vendor, tool.category, tool.pricing, tool.description,
                    tool.website, tuple(tool.use_cases or ()), stats)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def directory(query: DirectoryQuery) -> DirectoryPage:
    """One page of the directory: filtered in Postgres, ordered by the Redis sorted sets."""
    statement = select(Tool)
    if query.category:
        statement = statement.where(Tool.category == query.category)
    if query.pricing:
        statement = statement.where(Tool.pricing == query.pricing)
    if query.q:
        pattern = f"%{_escape_like(query.q)}%"
        statement = statement.where(or_(Tool.name.ilike(pattern, escape="\\"),
                                        Tool.vendor.ilike(pattern, escape="\\")))
    tools = list(db.session.scalars(statement.order_by(func.lower(Tool.name), Tool.id)))
    stale = False
    if query.sort != "name" and tools:
        try:
            scores = _scores([t.id for t in tools], query.sort)
        except RedisUnavailable:
            stale = True
        else:
            # Stable sort: equal scores keep alphabetical order.
            tools.sort(key=lambda t: -scores.get(t.id, 0))
    size = LIMITS["tool_directory_page"]
    pages = max(1, math.ceil(len(tools) / size))
    page = min(query.page, pages)
    shown = tools[(page - 1) * size:page * size]
    stats = None if stale else stats_of([t.id for t in shown])
    return DirectoryPage(query=DirectoryQuery(query.category, query.pricing, query.q, query.sort, page),
                         items=[_card(t, stats.get(t.id) if stats is not None else None) for t in shown],
                         total=len(tools), pages=pages, stale=stale or stats is None)


def _scores(tool_ids: list[int], sort: str) -> dict[int, float]:
    key = keys.tools_by_rating() if sort == "rating" else keys.tools_by_usage()
    values = client().zmscore(key, tool_ids)
    return {tid: score for tid, score in zip(tool_ids, values, strict=True) if score is not None}


def top(sort: str = "rating", limit: int = 10) -> list[ToolCard]:
    """The best rated (or most used) tools, straight from a sorted set."""
    key = keys.tools_by_rating() if sort == "rating" else keys.tools_by_usage()
    try:
        ids = [int(i) for i in client().zrevrange(key, 0, limit - 1)]
    except RedisUnavailable:
        return []
    by_id = {t.id: t for t in db.session.scalars(select(Tool).where(Tool.id.in_(ids)))} if ids else {}
    stats = stats_of(ids) or {}
    return [_card(by_id[i], stats.get(i)) for i in ids if i in by_id]


# one tool ----------------------------------------------------------------------------------------

def find(slug: str) -> Tool | None:
    return db.session.scalar(select(Tool).where(Tool.slug == slug.lower()))


def by_slugs(slugs: list[str]) -> dict[str, ToolCard]:
    """Tools by slug with their stats (one query, one Redis round trip)."""
    tools = list(db.session.scalars(select(Tool).where(Tool.slug.in_(slugs)))) if slugs else []
    stats = stats_of([t.id for t in tools])
    return {t.slug: _card(t, stats.get(t.id) if stats is not None else None) for t in tools}


def card(tool: Tool, fresh: bool = False) -> ToolCard:
    """A tool with its stats: projected ones, or (fresh=True, right after a write) from Postgres."""
    stats = stats_in_postgres([tool.id]) if fresh else stats_of([tool.id])
    return _card(tool, stats.get(tool.id) if stats is not None else None)


def reviews_page(tool_id: int, page: int = 1) -> Page:
    """Newest-first reviews of a tool, with their authors' cards (two queries)."""
    size = LIMITS["tool_reviews_page"]
    rows = list(db.session.scalars(
        select(ToolReview).where(ToolReview.tool_id == tool_id)
        .order_by(ToolReview.updated_at.desc(), ToolReview.id.desc()).offset((page - 1) * size).limit(size + 1)))
    cards = cards_by_id([r.user_id for r in rows[:size]])
    items = [ReviewItem(r.id, r.rating, r.body, cards.get(r.user_id), r.created_at, r.updated_at)
             for r in rows[:size]]
    return Page(items=items, page=page, has_more=len(rows) > size)


def review_by(tool_id: int, user_id: int | None) -> ToolReview | None:
    if not user_id:
        return None
    return db.session.scalar(select(ToolReview).where(ToolReview.tool_id == tool_id, ToolReview.user_id == user_id))


def projects_using(tool_id: int, page: int = 1) -> Page:
    """Listed (published and public) projects built with a tool, newest first."""
    size = LIMITS["tool_projects_page"]
    rows = list(db.session.scalars(
        select(Project).join(ProjectTool, ProjectTool.project_id == Project.id)
        .where(ProjectTool.tool_id == tool_id, Project.status == "published", Project.visibility == "public")
        .order_by(Project.created_at.desc(), Project.id.desc()).offset((page - 1) * size).limit(size + 1)))
    return Page(items=rows[:size], page=page, has_more=len(rows) > size)


# projects ----------------------------------------------------------------------------------------

def for_project(project_id: int) -> list[ToolCard]:
    """The tools a project was built with, in its author's order (one query; no stats)."""
    rows = db.session.scalars(
        select(Tool).join(ProjectTool, ProjectTool.tool_id == Tool.id)
        .where(ProjectTool.project_id == project_id).order_by(ProjectTool.position))
    return [_card(t, None) for t in rows]


def suggest(q: str, exclude: list[str] = (), limit: int = 8) -> list[ToolCard]:
    """Tools whose name (or vendor) matches what was typed, names starting with it first."""
    q = " ".join(q.split())[:80]
    if not q:
        return []
    pattern = _escape_like(q)
    rows = db.session.scalars(
        select(Tool).where(or_(Tool.name.ilike(f"%{pattern}%", escape="\\"),
                               Tool.vendor.ilike(f"%{pattern}%", escape="\\")))
        .where(Tool.slug.not_in(list(exclude) or [""]))
        .order_by(func.lower(Tool.name).like(f"{pattern.lower()}%", escape="\\").desc(), func.lower(Tool.name))
        .limit(limit))
    return [_card(t, None) for t in rows]
