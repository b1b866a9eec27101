"""The write model: one module per domain. Import here so Alembic sees every table."""
from app.models.accounts import User
from app.models.events import Event
from app.models.gamification import (
    Achievement, ActiveDay, MemberAchievement, MemberQuest, MemberStreak, MemberTopic, Milestone, PointsEntry,
    Quest,
)
from app.models.leaderboards import (
    ArchivedStanding, BoardPrivacy, ClosedPeriod, Disqualification, ModerationEntry, Notice, RankSnapshot, Rivalry,
    StandingsCheck, TopStint,
)
from app.models.projects import Project, ProjectTopic
from app.models.social import Follow, Like

__all__ = [
    "Achievement", "ActiveDay", "ArchivedStanding", "BoardPrivacy", "ClosedPeriod", "Disqualification", "Event",
    "Follow", "Like", "MemberAchievement", "MemberQuest", "MemberStreak", "MemberTopic", "Milestone",
    "ModerationEntry", "Notice", "PointsEntry", "Project", "ProjectTopic", "Quest", "RankSnapshot", "Rivalry",
    "StandingsCheck", "TopStint", "User",
]
