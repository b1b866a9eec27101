"""The AI tool directory: tools (loaded from app/data/tools.toml), members' reviews, and the tools
a project was built with."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow

# The directory's fixed categories, in the order the filter shows them: key -> label.
CATEGORIES: dict[str, str] = {
    "llm-apis": "LLM APIs and models",
    "chat-assistants": "Chat assistants",
    "coding-assistants": "Coding assistants",
    "agent-frameworks": "Agent frameworks",
    "orchestration": "Orchestration and RAG libraries",
    "vector-databases": "Vector databases and search",
    "local-inference": "Local and self-hosted inference",
    "hosting-inference": "Notebooks, hosting and inference",
    "ml-frameworks": "ML frameworks and libraries",
    "image": "Image generation and editing",
    "video": "Video generation and editing",
    "audio-speech": "Audio, music and speech",
    "mlops-eval": "MLOps, evaluation and observability",
    "data-labeling": "Data labeling and datasets",
    "productivity": "Productivity and writing",
}
PRICING: dict[str, str] = {
    "free": "Free",
    "freemium": "Freemium",
    "paid": "Paid",
    "open-source": "Open source",
    "usage-based": "Usage-based",
}


class Labelled:
    """The words for a tool's category and pricing codes (the model and its read-side card)."""

    category: str
    pricing: str

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def pricing_label(self) -> str:
        return PRICING.get(self.pricing, self.pricing)


class Tool(Labelled, db.Model):
    """One AI tool in the directory, upserted by `flask tools load` (matched by slug)."""

    __tablename__ = "tools"
    __table_args__ = (
        CheckConstraint("pricing IN ('free', 'freemium', 'paid', 'open-source', 'usage-based')",
                        name="pricing_known"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    vendor: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(40), index=True)
    website: Mapped[str] = mapped_column(String(300))
    pricing: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    use_cases: Mapped[list] = mapped_column(JSON, default=list)
    best_practices: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ToolReview(db.Model):
    """A member's one review of a tool; its author may edit or delete it."""

    __tablename__ = "tool_reviews"
    __table_args__ = (
        UniqueConstraint("tool_id", "user_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Reviews of a tool are found through the unique (tool_id, user_id) index.
    tool_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("tools.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectTool(db.Model):
    """An AI tool a project was built with, in the order its author listed them."""

    __tablename__ = "project_tools"

    project_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    tool_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
