"""What every vendor adapter shares: the prompts, the spend caps checked before a call, the real
usage recorded after it, and the local provider answering whenever the vendor cannot (today's cap
reached, an error, a timeout, an answer that does not parse). A member is never shown a 500
because a vendor failed, and moderation never stops.
"""
from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from app.ai import Judgement, Moderation
from app.ai.local import LocalProvider
from app.rules import AI_LIMITS, AI_PRICES
from commands.ai import record_ai_usage, release_ai_spend, reserve_ai_spend
from commands.base import CommandRejected

log = logging.getLogger(__name__)
T = TypeVar("T")

PROMPTS = {
    "moderate": (
        "You moderate a friendly community of people learning to build with AI. Decide whether the "
        "member's text is a threat, harassment aimed at a person, hate, sexual content or spam. Answer "
        'with JSON only: {"flagged": true|false, "categories": {"<category>": <score 0..1>, ...}, '
        '"reason": "<a few words, empty when not flagged>"}.'
    ),
    "judge": (
        "You judge a member's submission against the criteria given. Be fair and specific. Answer with "
        'JSON only: {"score": <number from 0 to 10>, "rationale": "<two or three sentences>"}.'
    ),
    "summarise": (
        "Summarise the text for a project page in at most {max_words} words: what it is and what it "
        "does, in plain prose, no markdown, no preamble."
    ),
}


@dataclass(frozen=True)
class Answer:
    """What a vendor said, and the token usage its response reported (None: it reported none, so
    the call's worst case is recorded)."""

    value: Any
    input_tokens: int | None
    output_tokens: int | None


class VendorError(Exception):
    """The vendor's answer could not be used (an empty or unexpected response)."""


def parse_json_object(text: str) -> dict:
    """The JSON object in a model's answer (models sometimes wrap it in a fence or a sentence)."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise VendorError("the answer holds no JSON object")
    try:
        found = json.loads(text[start:end + 1])
    except json.JSONDecodeError as exc:
        raise VendorError(f"the answer's JSON does not parse: {exc}") from None
    if not isinstance(found, dict):
        raise VendorError("the answer's JSON is not an object")
    return found


def judgement_from(found: dict) -> Judgement:
    score = found.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
        raise VendorError(f"the score {score!r} is not a number")
    return Judgement(round(min(10.0, max(0.0, float(score))), 1), str(found.get("rationale", "")).strip())


def moderation_from(found: dict) -> Moderation:
    if not isinstance(found.get("flagged"), bool):
        raise VendorError("the answer does not say whether the text is flagged")
    categories = found.get("categories") or {}
    if not isinstance(categories, dict):
        raise VendorError("categories is not an object")
    scores = {str(k): min(1.0, max(0.0, float(v))) for k, v in categories.items() if isinstance(v, (int, float))}
    return Moderation(found["flagged"], scores, str(found.get("reason", "")).strip() if found["flagged"] else "")


def clip_words(text: str, max_words: int) -> str:
    return " ".join(text.split()[:max_words])


class VendorProvider:
    """A provider backed by a vendor's API. Subclasses set `name` and `errors` (the SDK's own
    failures) and implement the `_call_*` methods, each returning an Answer."""

    name = ""
    errors: tuple[type[BaseException], ...] = ()

    def __init__(self) -> None:
        self.local = LocalProvider()
        # Why the last answer came from the local provider instead ("" when the vendor answered).
        # A provider is built per use by app.ai.provider(), so this is never shared between threads.
        self.fallback = ""

    def metered(self, operation: str, member_id: int | None, model: str, prompt: str, max_output: int,
                call: Callable[[], Answer], read: Callable[[Any], T], local: Callable[[], T]) -> T:
        """Reserve the call's worst case, call the vendor, record what it cost, and read its answer;
        answer locally instead when the budget is used up or the vendor fails."""
        self.fallback = ""
        price = AI_PRICES[(self.name, model)]
        prompt_tokens = len(prompt) // AI_LIMITS["chars_per_token_estimate"] + AI_LIMITS["prompt_overhead_tokens"]
        try:
            reservation = reserve_ai_spend({"member_id": member_id,
                                            "micros": price.cost_micros(prompt_tokens, max_output)})
        except CommandRejected as exc:
            return self._fall_back(operation, member_id, exc.message, "", local)
        try:
            answer = call()
        except (*self.errors, VendorError, json.JSONDecodeError) as exc:  # the SDKs raise the last on a garbled body
            release_ai_spend(reservation)
            return self._fall_back(operation, member_id, "The AI service did not answer.",
                                   f"{self.name} failed: {type(exc).__name__}: {exc}", local)
        record_ai_usage(reservation, {
            "provider": self.name, "model": model, "operation": operation,
            "input_tokens": prompt_tokens if answer.input_tokens is None else answer.input_tokens,
            "output_tokens": max_output if answer.output_tokens is None else answer.output_tokens})
        try:
            return read(answer.value)
        except VendorError as exc:
            return self._fall_back(operation, member_id, "The AI service's answer could not be read.",
                                   f"{self.name} answered unreadably: {exc}", local)

    def _fall_back(self, operation: str, member_id: int | None, reason: str, detail: str,
                   local: Callable[[], T]) -> T:
        """Answer locally; `reason` is for the member (kept in `fallback`), `detail` for the log."""
        log.warning("AI %s for member %s answered by the local provider: %s%s", operation, member_id, reason,
                    f" ({detail})" if detail else "")
        self.fallback = reason
        return local()

    @staticmethod
    def clip(text: str) -> str:
        """Text as sent to a vendor: cut to AI_LIMITS["input_chars_max"], which also bounds a call's cost."""
        return text[:AI_LIMITS["input_chars_max"]]
