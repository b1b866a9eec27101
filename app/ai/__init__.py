"""The AI provider interface: moderate, judge, summarise, embed.

Callers ask `provider()` and never name a vendor. Which adapter answers is configuration
(`AI_PROVIDER`: "local" by default, "openai" or "anthropic" with their keys in the environment),
so the product runs, and its tests run, with no network and no key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app


@dataclass(frozen=True)
class Moderation:
    """What a provider thinks of a text: flagged or not, with a score per category (0..1)."""

    flagged: bool
    categories: dict[str, float] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class Judgement:
    """A score out of 10 for a submission against criteria, with the provider's reasons."""

    score: float
    rationale: str


class Provider(Protocol):
    name: str
    # Why the last answer came from the local provider instead of the configured vendor (today's
    # spend cap reached, the vendor failed): "" when the vendor answered. Member-facing features
    # show it, so nobody mistakes the offline fallback for the vendor's answer.
    fallback: str

    def moderate(self, text: str, *, member_id: int | None = None) -> Moderation: ...

    def judge(self, submission: str, criteria: str, *, member_id: int | None = None) -> Judgement: ...

    def summarise(self, text: str, *, max_words: int = 60, member_id: int | None = None) -> str: ...

    def embed(self, text: str, *, member_id: int | None = None) -> list[float]: ...


def provider() -> Provider:
    """The configured provider for this app."""
    from app.ai.anthropic import AnthropicProvider
    from app.ai.local import LocalProvider
    from app.ai.openai import OpenAIProvider

    name = current_app.config.get("AI_PROVIDER", "local")
    adapters = {"local": LocalProvider, "openai": OpenAIProvider, "anthropic": AnthropicProvider}
    if name not in adapters:
        raise RuntimeError(f"AI_PROVIDER={name!r} is not one of {sorted(adapters)}")
    return adapters[name].from_config(current_app.config)
