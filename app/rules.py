"""Points, tiers and limits: each lives here once, as data."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PointsRule:
    """How many points an action earns.

    daily_cap: at most this many awards of the rule per member per local day (None: no cap).
    diminishing: multipliers for the 1st, 2nd, ... award of the day; the last one repeats.
    boosted: the beginner's-luck multiplier applies during a member's first week.
    """

    key: str
    points: int
    description: str
    daily_cap: int | None = None
    diminishing: tuple[float, ...] = (1.0,)
    boosted: bool = True


POINTS_RULES: dict[str, PointsRule] = {
    rule.key: rule
    for rule in (
        PointsRule("welcome", 100, "Welcome to AllThrive: everyone starts with a head start", boosted=False),
        PointsRule("project_published", 100, "Published a project", daily_cap=3,
                   diminishing=(1.0, 0.5, 0.25)),
        PointsRule("like_received", 5, "Someone liked your project", daily_cap=100),
        # Takes back exactly what the like earned (caps and boosts included), so not a fixed amount.
        PointsRule("like_withdrawn", 0, "A like on your project was taken back", boosted=False),
        PointsRule("comment_received", 2, "Someone commented on your project", daily_cap=50),
        PointsRule("follow_milestone", 0, "Followed enough members to reach a milestone"),
        PointsRule("daily_reward", 0, "Daily reward (a surprise amount, once per local day)",
                   daily_cap=1, boosted=False),
        PointsRule("onboarding_step", 25, "Finished an onboarding step"),
        PointsRule("onboarding_complete", 100, "Finished onboarding"),
        PointsRule("achievement", 0, "Unlocked an achievement", boosted=False),
        PointsRule("streak_milestone", 0, "Kept a daily streak going", boosted=False),
        PointsRule("quest_completed", 0, "Completed a side quest", boosted=False),
        PointsRule("weekly_goal", 0, "Met a weekly goal", boosted=False),
    )
}

BEGINNERS_LUCK = {"multiplier": 2, "days": 7}

# Follow milestones: following this many members earns these points, once ever (no churn farming).
FOLLOW_MILESTONES = {5: 25, 10: 50, 25: 100}

# The daily reward is a variable reward: weights of each amount (drawn once per local day).
DAILY_REWARD_TABLE: tuple[tuple[int, int], ...] = ((50, 55), (75, 20), (100, 13), (200, 8), (500, 4))

STREAK = {"freeze_every": 7, "freezes_max": 2, "milestones": {7: 50, 30: 200, 100: 1000}}

ONBOARDING_STEPS: tuple[tuple[str, str], ...] = (
    ("complete_profile", "Complete your profile (display name and bio)"),
    ("pick_topics", "Pick 3 topics you want to learn"),
    ("publish_project", "Publish your first project"),
    ("follow_members", "Follow 3 members"),
    ("like_projects", "Like 3 projects"),
)

QUEST_REWARDS = {"easy": 50, "medium": 150, "hard": 400}

WEEKLY_GOALS: tuple[dict, ...] = (
    {"key": "earn_points", "title": "Earn 300 points", "measure": "points", "target": 300, "reward": 50},
    {"key": "publish", "title": "Publish a project", "measure": "projects", "target": 1, "reward": 50},
    {"key": "cheer", "title": "Like 5 projects", "measure": "likes_given", "target": 5, "reward": 25},
)


@dataclass(frozen=True)
class Tier:
    key: str
    name: str
    threshold: int


TIERS: tuple[Tier, ...] = (
    Tier("seedling", "Seedling", 0),
    Tier("sprout", "Sprout", 1_000),
    Tier("blossom", "Blossom", 2_500),
    Tier("bloom", "Bloom", 5_000),
    Tier("evergreen", "Evergreen", 10_000),
)


@dataclass(frozen=True)
class TierProgress:
    tier: Tier
    next_tier: Tier | None
    points: int

    @property
    def percent(self) -> int:
        if self.next_tier is None:
            return 100
        span = self.next_tier.threshold - self.tier.threshold
        return max(0, min(100, (self.points - self.tier.threshold) * 100 // span))


def tier_for(points: int) -> Tier:
    """Return the highest tier whose threshold the points reach."""
    current = TIERS[0]
    for tier in TIERS:
        if points >= tier.threshold:
            current = tier
    return current


LEVELS_PER_TIER = 5
EVERGREEN_LEVEL_STEP = 2_500


@dataclass(frozen=True)
class Level:
    """A level inside a tier: five equal steps per tier; Evergreen keeps a level per 2,500."""

    tier: Tier
    number: int

    @property
    def key(self) -> str:
        return f"{self.tier.key}-{self.number}"

    @property
    def name(self) -> str:
        return f"{self.tier.name} {self.number}"


def level_for(points: int) -> Level:
    tier = tier_for(points)
    index = TIERS.index(tier)
    if index + 1 < len(TIERS):
        step = (TIERS[index + 1].threshold - tier.threshold) / LEVELS_PER_TIER
    else:
        step = EVERGREEN_LEVEL_STEP
    return Level(tier, int((max(points, 0) - tier.threshold) // step) + 1)


def tier_progress(points: int) -> TierProgress:
    tier = tier_for(points)
    index = TIERS.index(tier)
    return TierProgress(tier, TIERS[index + 1] if index + 1 < len(TIERS) else None, points)


# Topics members pick as interests and tag projects with (free tags are allowed on projects).
TOPICS: tuple[str, ...] = (
    "rag",
    "agents",
    "fine-tuning",
    "embeddings",
    "prompt-engineering",
    "computer-vision",
    "speech-to-text",
    "text-to-speech",
    "audio-classification",
    "llm-evals",
    "vector-databases",
    "local-llms",
    "diffusion-models",
    "function-calling",
    "ai-for-education",
    "ai-for-health",
    "data-labeling",
    "mlops",
    "chatbots",
    "code-generation",
    "multimodal",
    "recommendation",
    "time-series",
    "anomaly-detection",
    "nlp",
    "ocr",
    "ai-safety",
    "synthetic-data",
    "knowledge-graphs",
    "reinforcement-learning",
    "small-language-models",
    "no-code-ai",
    "ai-music",
    "robotics",
    "accessibility",
    "climate-ai",
    "geospatial",
)


# Limits a member's input must respect (schemas read these).
LIMITS = {
    "username_min": 3,
    "username_max": 30,
    "password_min": 10,
    "password_max": 200,
    "display_name_max": 60,
    "bio_max": 600,
    "title_max": 120,
    "description_max": 5_000,
    "topics_max": 5,
    "topic_max": 40,
    "blocks_max": 200,
    "block_text_max": 20_000,
    "alt_max": 300,
    "url_max": 2_000,
    "leaderboard_top": 100,
    "review_max": 2_000,
    "review_excerpt": 200,
    "project_tools_max": 10,
    "tool_directory_page": 24,
    "tool_reviews_page": 10,
    "tool_projects_page": 12,
    "compare_min": 2,
    "compare_max": 4,
    "comment_max": 5_000,
}

# Comments and their moderation (docs/comments.md).
COMMENTS = {
    "max_depth": 4,             # replies nest this deep; deeper replies attach at this level
    "mentions_max": 10,         # at most this many members are notified from one comment
    "profanity_threshold": 0.8,  # the profanity classifier's probability that sends a comment to review
    "rate_limit": "10 per minute",  # comments (and replies) one member may post
}


@dataclass(frozen=True)
class NotificationType:
    """How a kind of notification is delivered.

    delivery: "realtime" (its own notification, pushed at once), or "batched" (one notification
    per group, updated in place: "Alice and 5 others liked your project").
    email: "critical" (e-mailed at once, outside quiet hours), "digest" (in the daily digest),
    or "never".
    """

    key: str
    label: str
    delivery: str
    email: str = "digest"
    nudge: bool = False


NOTIFICATION_TYPES: dict[str, NotificationType] = {
    t.key: t
    for t in (
        NotificationType("project_like", "Likes on your projects", "batched"),
        NotificationType("project_comment", "Comments on your projects", "batched"),
        NotificationType("mention", "Mentions", "realtime"),
        NotificationType("new_follower", "New followers", "batched"),
        NotificationType("achievement", "Achievements unlocked", "realtime"),
        NotificationType("tier_up", "Tier ups", "realtime"),
        NotificationType("level_up", "Level ups", "realtime", email="never"),
        NotificationType("battle_challenge", "Battle challenges", "realtime", email="critical"),
        NotificationType("battle_result", "Battle results", "realtime"),
        NotificationType("streak_at_risk", "Streak at risk (20:00 your time)", "realtime", email="never", nudge=True),
        NotificationType("weekly_goal", "Weekly goal progress", "realtime", email="never"),
        NotificationType("new_quests", "New side quests for you (Monday mornings)", "realtime", email="never",
                         nudge=True),
        NotificationType("tier_almost", "Almost at the next tier", "realtime", email="never", nudge=True),
        NotificationType("dropped_top100", "Dropping out of the top 100", "realtime"),
        NotificationType("overtaken", "Overtaken by someone you follow", "realtime"),
    )
}

NOTIFICATIONS = {
    "quiet_start": 22 * 60,  # minutes after local midnight
    "quiet_end": 8 * 60,
    "nudges_per_day": 2,
    "streak_nudge_hour": 20,
    "streak_nudge_min_days": 3,
    "tier_almost_range": (85, 90),  # percent of the way to the next tier
    "digest_hour": 8,
    "page_size": 20,
}


# The home feed (docs/feed.md explains each number).
FEED = {
    "cap": 800,                 # newest activity ids kept per member (Mastodon keeps 800 too)
    "celebrity_followers": 10_000,  # above this, activities are merged at read time, not fanned out
    "inactive_days": 7,         # members not active for this long are skipped at fan-out
    "cold_start_following": 10,  # following fewer than this: popular activities are mixed in
    "popular_hours": 24,
    "page_size": 20,
    "card_days": 7,             # an activity's rendered card stays in Redis this long (older: built per read)
    "half_life_hours": 18,      # recency decay of the "For you" score
    "max_in_a_row": 2,          # diversity: at most this many items in a row from one author
}


@dataclass(frozen=True)
class AiPrice:
    """What a vendor charges for a model, in US dollars per million tokens (= micro-dollars per token)."""

    input_per_million: float
    output_per_million: float

    def cost_micros(self, input_tokens: int, output_tokens: int) -> int:
        """The cost in micro-dollars, rounded up so many small calls never add up to less than they cost."""
        return math.ceil(input_tokens * self.input_per_million + output_tokens * self.output_per_million)


# List prices (standard tier) of the models the adapters may use; a model missing here cannot be
# metered, so the provider refuses to start with it (docs/ai.md).
AI_PRICES: dict[tuple[str, str], AiPrice] = {
    ("openai", "gpt-4.1-mini"): AiPrice(0.40, 1.60),
    ("openai", "gpt-4.1"): AiPrice(2.00, 8.00),
    ("openai", "gpt-4o-mini"): AiPrice(0.15, 0.60),
    ("openai", "omni-moderation-latest"): AiPrice(0.0, 0.0),  # the moderation endpoint is free
    ("openai", "text-embedding-3-small"): AiPrice(0.02, 0.0),
    ("openai", "text-embedding-3-large"): AiPrice(0.13, 0.0),
    ("anthropic", "claude-haiku-4-5"): AiPrice(1.00, 5.00),
    ("anthropic", "claude-sonnet-4-5"): AiPrice(3.00, 15.00),
}

AI_LIMITS = {
    # Before a call goes out its worst case is reserved against the caps: the prompt counted at one
    # token per this many characters (real text averages about four), the answer at its max tokens.
    "chars_per_token_estimate": 3,
    "prompt_overhead_tokens": 60,
    # Longest text sent to a vendor (characters); longer input is cut, which also bounds a call's cost.
    "input_chars_max": 24_000,
    "max_output_tokens": {"judge": 400, "summarise": 300, "moderate": 200},
}
