"""The write model: one module per domain. Import here so Alembic sees every table."""
from app.models.accounts import User
from app.models.ai import AiSpend, AiUsage
from app.models.comments import Comment, CommentMention, ModerationCase
from app.models.events import Event
from app.models.gamification import (
    Achievement, ActiveDay, MemberAchievement, MemberQuest, MemberStreak, MemberTopic, Milestone, PointsEntry,
    Quest,
)
from app.models.leaderboards import (
    ArchivedStanding, BoardPrivacy, ClosedPeriod, Disqualification, ModerationEntry, Notice, RankSnapshot, Rivalry,
    StandingsCheck, TopStint,
)
from app.models.notifications import Block, Mute, Notification, NotificationCause, NotificationSettings
from app.models.projects import Project, ProjectBlock, ProjectTopic, ViewTally
from app.models.social import Follow, Like, Repost
from app.models.tools import ProjectTool, Tool, ToolReview

__all__ = [
    "Achievement", "ActiveDay", "AiSpend", "AiUsage", "ArchivedStanding", "BoardPrivacy", "Block", "ClosedPeriod",
    "Comment", "CommentMention", "Disqualification", "Event", "Follow", "Like", "MemberAchievement", "MemberQuest",
    "MemberStreak", "MemberTopic", "Milestone", "ModerationCase", "ModerationEntry", "Mute", "Notice", "Notification",
    "NotificationCause", "NotificationSettings", "PointsEntry", "Project", "ProjectBlock", "ProjectTool",
    "ProjectTopic", "Quest", "RankSnapshot", "Repost", "Rivalry", "StandingsCheck", "Tool", "ToolReview", "TopStint",
    "User", "ViewTally",
]
