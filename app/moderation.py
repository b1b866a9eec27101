"""The automatic checks a member's text goes through before anyone else sees it.

Two independent opinions: a profanity classifier (alt-profanity-check, offline) and the AI
provider's moderation (`provider().moderate`). Either one flagging sends the text to the
moderation queue; a provider that fails sends it there too, so nothing unchecked is shown.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from app.ai import provider
from app.rules import COMMENTS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Screening:
    """The checks' verdict: scores per source (0..1 per category) and, if flagged, why in words."""

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


def screen(text: str, member_id: int | None = None) -> Screening:
    """Run every check on a text (slow: call it outside any transaction)."""
    from profanity_check import predict_prob  # loads a model: only workers pay for it

    scores: dict[str, dict[str, float]] = {}
    reasons: list[str] = []
    profanity = round(float(predict_prob([text])[0]), 3)
    scores["profanity"] = {"profanity": profanity}
    if profanity >= COMMENTS["profanity_threshold"]:
        reasons.append(f"profanity filter: {profanity:.2f}")
    try:
        verdict = provider().moderate(text, member_id=member_id)
    except Exception as exc:  # an outage or a spending cap: a person decides instead
        log.warning("AI moderation failed; sending the text to the queue", exc_info=True)
        reasons.append(f"AI moderation unavailable ({type(exc).__name__})")
    else:
        scores["ai"] = {k: round(float(v), 3) for k, v in verdict.categories.items()}
        if verdict.flagged:
            worst_first = sorted(verdict.categories.items(), key=lambda kv: -kv[1])
            flagged_by = ", ".join(k for k, v in worst_first if v >= 0.5)
            reasons.append(f"AI: {verdict.reason or 'flagged'}" + (f" ({flagged_by})" if flagged_by else ""))
    return Screening(scores, reasons)
