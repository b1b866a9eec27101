"""Every Redis key the read models use, one function each. Nothing else builds key names.

All keys start with "at:" so `flask projections rebuild` can clear read models without touching
RQ's own keys. A member's own structures carry the hash tag {u:<id>} so they share a Redis Cluster
slot.
"""

PREFIX = "at:"
PUSH_PREFIX = "at:push:"


def leaderboard_global() -> str:
    return "at:lb:global"


def leaderboard_weekly(period_id: str) -> str:
    """Points earned in one UTC ISO week ("2026-W48"); kept until the week after it ends."""
    return f"at:lb:week:{period_id}"


def leaderboard_monthly(period_id: str) -> str:
    """Points earned in one UTC calendar month ("2026-11"); kept until the month after it ends."""
    return f"at:lb:month:{period_id}"


def leaderboard_topic(topic: str) -> str:
    """Points earned through projects tagged with a topic (tags never contain ':')."""
    return f"at:lb:topic:{topic}"


def leaderboard_topic_index() -> str:
    """Every topic that has a board, scored by how many members are on it."""
    return "at:lb:topics"


def leaderboard_excluded() -> str:
    """Members kept off public boards: user id -> "hidden" or "disqualified"."""
    return "at:lb:excluded"


def leaderboard_battles() -> str:
    return "at:lb:battles"


def leaderboard_streaks() -> str:
    """Alive daily streaks (owned by the after-policies streak projector)."""
    return "at:lb:streaks"


def scratch(key: str) -> str:
    """Where a rebuild writes a key before renaming it over the live one."""
    return f"{key}:rebuild"


def topic_of_board(key: str) -> str | None:
    """The topic a topic-board key belongs to (None for any other key, scratch keys included)."""
    prefix = "at:lb:topic:"
    rest = key[len(prefix):] if key.startswith(prefix) else ""
    return rest if rest and ":" not in rest else None


def scheduled_lock(job: str) -> str:
    """Held (with a TTL) while one worker runs a scheduled job; the others skip it meanwhile."""
    return f"at:sched:{job}"


def member_progress(user_id: int) -> str:
    return f"at:{{u:{user_id}}}:progress"


def unread_notifications(user_id: int) -> str:
    return f"at:{{u:{user_id}}}:unread"


# The activity sets (a member's home feed, their own activities, the popular moments) hold activity ids
# scored by MINUS the id: newest first in Redis' own order, so a fan-out's ZADD lands at the head of the
# skiplist instead of walking to its tail (about half of Redis' cost of an insert into a cold feed;
# docs/feed.md). Until 2026-11-25 they were scored by the id under other names (`RETIRED_ACTIVITY_SETS`).


def newest_first(activity_id: int) -> int:
    """An activity's score in the activity sets."""
    return -activity_id


def home_feed(user_id: int) -> str:
    """A member's home feed: activity (event) ids fanned out to them, newest first (`newest_first`)."""
    return f"at:{{u:{user_id}}}:home"


def member_activities(user_id: int) -> str:
    """A member's own activities, newest first (merged into followers' feeds at read time for celebrities)."""
    return f"at:{{u:{user_id}}}:posted"


def followed_celebrities(user_id: int | str) -> str:
    """The celebrities a member follows (a set of member ids), merged into their feed at read time."""
    return f"at:{{u:{user_id}}}:celebrities"


def feed_card(activity_id: int) -> str:
    """What an activity shows every reader alike (JSON with its body's HTML), kept for
    FEED["card_days"] after the activity (EXPIREAT). Outside "at:feed:" so the feeds' rebuild
    leaves cards alone."""
    return f"at:feedcard:{activity_id}"


def last_active() -> str:
    """Members by the time of their latest action (epoch seconds), for skipping inactive ones."""
    return "at:feed:active"


def celebrities() -> str:
    """Members with more followers than the fan-out threshold (merged into feeds at read time)."""
    return "at:feed:celebrities"


def following_many() -> str:
    """Members who follow at least FEED["cold_start_following"] people (the others see popular moments)."""
    return "at:feed:following-many"


def popular_activities() -> str:
    """Recent viral moments (tier ups, rare achievements, liked projects), newest first (`newest_first`)."""
    return "at:feed:moments"


def achievement_holders() -> str:
    return "at:ach:holders"


def member_count() -> str:
    return "at:members:count"


def comment_counts() -> str:
    """Approved comments per project: project id -> count (projects with none have no field)."""
    return "at:comments:counts"


def read_models_built() -> str:
    """Set by a full rebuild; its absence tells the relay Redis lost its data."""
    return "at:meta:built"


def projection_requested() -> str:
    """Set while a projection job waits in the queue (queue bookkeeping, not a read model: no
    "at:" prefix, so rebuilds and snapshots never see it)."""
    return "allthrive:projection-requested"


def policing_requested() -> str:
    """Set while a policing job waits in the queue (queue bookkeeping, like projection_requested)."""
    return "allthrive:policing-requested"


def policing_lock() -> str:
    """Held by the one policing job that is running (queue bookkeeping)."""
    return "allthrive:policing-lock"


def push_channel(topic: str) -> str:
    return f"{PUSH_PREFIX}{topic}"


def push_pattern() -> str:
    return f"{PUSH_PREFIX}*"


def topic_of_channel(channel: str) -> str:
    return channel[len(PUSH_PREFIX):]


def tool_stats(tool_id: int) -> str:
    """One tool's absolute stats (hash: reviews, rating_sum, projects); no key means all zero."""
    return f"at:tool:{tool_id}:stats"


def tools_by_rating() -> str:
    """Reviewed tools, scored by average rating in thousandths * 1e6 + review count (a tie-break:
    at the same average, more reviews rank higher). Unreviewed tools are absent."""
    return "at:tools:by_rating"


def tools_by_usage() -> str:
    """Tools scored by how many listed (published, public) projects were built with them; zero is absent."""
    return "at:tools:by_usage"


def around_id(key_of) -> tuple[str, str]:
    """What a per-id key (`member_activities`, `feed_card`) holds before and after the id, for a
    script that builds those keys from ids it reads."""
    before, _, after = key_of("\0").partition("\0")
    return before, after


# The activity sets' names while they were scored by the id: a rebuild clears what a deploy left behind.
RETIRED_ACTIVITY_SETS = ("at:{u:*}:feed", "at:{u:*}:activities")


def read_model_patterns() -> dict[str, list[str]]:
    """Key patterns owned by each read model (what a rebuild clears)."""
    return {"leaderboards": ["at:lb:global", "at:lb:week:*", "at:lb:month:*", "at:lb:topic:*", "at:lb:topics",
                             "at:lb:battles", "at:lb:excluded"],
            "leaderboard_streaks": ["at:lb:streaks"],
            "progress": ["at:{u:*}:progress"],
            "achievements": ["at:ach:*", "at:members:*"],
            "notifications": ["at:{u:*}:unread"],
            "comments": ["at:comments:*"],
            "feeds": ["at:{u:*}:home", "at:{u:*}:posted", "at:{u:*}:celebrities", "at:feed:*",
                      *RETIRED_ACTIVITY_SETS],
            "feed_cards": ["at:feedcard:*"],
            "tools": ["at:tool:*", "at:tools:*"]}


def views_pending() -> str:
    """Project views counted since the last flush to Postgres: project id -> views."""
    return "at:views:pending"


def views_flushing() -> str:
    """The batch of views being folded into Postgres (views_pending renamed; field "batch" is its id)."""
    return "at:views:flushing"


def view_seen(project_id: int, viewer: str) -> str:
    """Set for a while after a viewer's view is counted, so reloads don't inflate the count."""
    return f"at:views:seen:{project_id}:{viewer}"
