"""Points, tiers and limits: each lives here once, as data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PointsRule:
    key: str
    points: int
    description: str


POINTS_RULES: dict[str, PointsRule] = {
    rule.key: rule
    for rule in (
        PointsRule("welcome", 100, "Welcome to AllThrive (everyone starts with a head start)"),
        PointsRule("like_received", 5, "Someone liked your project"),
        PointsRule("like_withdrawn", -5, "A like on your project was taken back"),
    )
}


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


def tier_progress(points: int) -> TierProgress:
    tier = tier_for(points)
    index = TIERS.index(tier)
    return TierProgress(tier, TIERS[index + 1] if index + 1 < len(TIERS) else None, points)


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
    "leaderboard_top": 100,
}
