"""The Anthropic adapter, through the official `anthropic` SDK: everything goes through messages.

Anthropic has no embeddings endpoint, so `embed` here is the local provider's embedding (no
vendor call, no spend) and says so in `fallback`. Vectors from different providers are not
comparable: switching AI_PROVIDER means re-embedding whatever was stored.
"""
from __future__ import annotations

import anthropic

from app.ai import Judgement, Moderation
from app.ai.metered import (
    PROMPTS, Answer, VendorError, VendorProvider, clip_words, judgement_from, moderation_from, parse_json_object,
)
from app.rules import AI_LIMITS, AI_PRICES

NO_EMBEDDINGS = "Anthropic has no embeddings endpoint: the local embedding answers"


class AnthropicProvider(VendorProvider):
    name = "anthropic"
    errors = (anthropic.AnthropicError,)

    def __init__(self, client: anthropic.Anthropic, model: str):
        super().__init__()
        self.client, self.model = client, model

    @classmethod
    def from_config(cls, config) -> AnthropicProvider:
        model = config["ANTHROPIC_MODEL"]
        if (cls.name, model) not in AI_PRICES:
            raise RuntimeError(f"No price in app/rules.py AI_PRICES for Anthropic model {model!r}: cannot meter it")
        client = anthropic.Anthropic(api_key=config["ANTHROPIC_API_KEY"] or None, base_url=config["ANTHROPIC_BASE_URL"],
                                     timeout=config["AI_TIMEOUT"], max_retries=config["AI_MAX_RETRIES"])
        return cls(client, model)

    def moderate(self, text: str, *, member_id: int | None = None) -> Moderation:
        prompt = self.clip(text)
        return self._ask("moderate", member_id, PROMPTS["moderate"], prompt, AI_LIMITS["max_output_tokens"]["moderate"],
                         lambda content: moderation_from(parse_json_object(content)),
                         lambda: self.local.moderate(text))

    def judge(self, submission: str, criteria: str, *, member_id: int | None = None) -> Judgement:
        prompt = self.clip(f"Criteria:\n{criteria}\n\nSubmission:\n{submission}")
        return self._ask("judge", member_id, PROMPTS["judge"], prompt, AI_LIMITS["max_output_tokens"]["judge"],
                         lambda content: judgement_from(parse_json_object(content)),
                         lambda: self.local.judge(submission, criteria))

    def summarise(self, text: str, *, max_words: int = 60, member_id: int | None = None) -> str:
        limit = max(AI_LIMITS["max_output_tokens"]["summarise"], 2 * max_words)
        return self._ask("summarise", member_id, PROMPTS["summarise"].format(max_words=max_words), self.clip(text),
                         limit, lambda content: clip_words(content, max_words),
                         lambda: self.local.summarise(text, max_words=max_words))

    def embed(self, text: str, *, member_id: int | None = None) -> list[float]:
        self.fallback = NO_EMBEDDINGS
        return self.local.embed(text)

    def _ask(self, operation, member_id, system, prompt, max_tokens, read, local):
        def call() -> Answer:
            message = self.client.messages.create(model=self.model, max_tokens=max_tokens, system=system,
                                                  messages=[{"role": "user", "content": prompt}])
            text = "".join(block.text for block in message.content if block.type == "text").strip()
            if not text:
                raise VendorError("an answer with no text")
            usage = message.usage
            return Answer(text, usage and usage.input_tokens, usage and usage.output_tokens)

        return self.metered(operation, member_id, self.model, prompt, max_tokens, call, read, local)
