"""The OpenAI adapter, through the official `openai` SDK: moderations, chat completions, embeddings."""
from __future__ import annotations

import openai

from app.ai import Judgement, Moderation
from app.ai.metered import PROMPTS, Answer, VendorError, VendorProvider, clip_words, judgement_from, parse_json_object
from app.rules import AI_LIMITS, AI_PRICES


class OpenAIProvider(VendorProvider):
    name = "openai"
    errors = (openai.OpenAIError,)

    def __init__(self, client: openai.OpenAI, chat_model: str, embedding_model: str, moderation_model: str):
        super().__init__()
        self.client = client
        self.chat_model, self.embedding_model, self.moderation_model = chat_model, embedding_model, moderation_model

    @classmethod
    def from_config(cls, config) -> OpenAIProvider:
        models = (config["OPENAI_CHAT_MODEL"], config["OPENAI_EMBEDDING_MODEL"], config["OPENAI_MODERATION_MODEL"])
        unpriced = [m for m in models if (cls.name, m) not in AI_PRICES]
        if unpriced:
            raise RuntimeError(f"No price in app/rules.py AI_PRICES for OpenAI model(s) {unpriced}: cannot meter them")
        client = openai.OpenAI(api_key=config["OPENAI_API_KEY"] or None, base_url=config["OPENAI_BASE_URL"],
                               timeout=config["AI_TIMEOUT"], max_retries=config["AI_MAX_RETRIES"])
        return cls(client, *models)

    def moderate(self, text: str, *, member_id: int | None = None) -> Moderation:
        text = self.clip(text)

        def call() -> Answer:
            result = self.client.moderations.create(model=self.moderation_model, input=text)
            if not result.results:
                raise VendorError("no moderation result")
            return Answer(result.results[0], 0, 0)  # moderations report no token usage (and are free)

        def read(result) -> Moderation:
            scores = {k: float(v) for k, v in result.category_scores.model_dump(by_alias=True).items() if v is not None}
            flagged_as = [k for k, v in result.categories.model_dump(by_alias=True).items() if v]
            return Moderation(result.flagged, scores, ", ".join(flagged_as) if result.flagged else "")

        return self.metered("moderate", member_id, self.moderation_model, text, AI_LIMITS["max_output_tokens"]["moderate"],
                            call, read, lambda: self.local.moderate(text))

    def judge(self, submission: str, criteria: str, *, member_id: int | None = None) -> Judgement:
        prompt = self.clip(f"Criteria:\n{criteria}\n\nSubmission:\n{submission}")
        limit = AI_LIMITS["max_output_tokens"]["judge"]
        return self.metered(
            "judge", member_id, self.chat_model, prompt, limit,
            lambda: self._chat(PROMPTS["judge"], prompt, limit, json_answer=True),
            lambda content: judgement_from(parse_json_object(content)),
            lambda: self.local.judge(submission, criteria))

    def summarise(self, text: str, *, max_words: int = 60, member_id: int | None = None) -> str:
        prompt = self.clip(text)
        limit = max(AI_LIMITS["max_output_tokens"]["summarise"], 2 * max_words)
        return self.metered(
            "summarise", member_id, self.chat_model, prompt, limit,
            lambda: self._chat(PROMPTS["summarise"].format(max_words=max_words), prompt, limit),
            lambda content: clip_words(content, max_words),
            lambda: self.local.summarise(text, max_words=max_words))

    def embed(self, text: str, *, member_id: int | None = None) -> list[float]:
        text = self.clip(text)

        def call() -> Answer:
            result = self.client.embeddings.create(model=self.embedding_model, input=text)
            if not result.data:
                raise VendorError("no embedding")
            return Answer(list(result.data[0].embedding), result.usage and result.usage.prompt_tokens, 0)

        return self.metered("embed", member_id, self.embedding_model, text, 0, call, lambda vector: vector,
                            lambda: self.local.embed(text))

    def _chat(self, system: str, user: str, max_tokens: int, json_answer: bool = False) -> Answer:
        extra = {"response_format": {"type": "json_object"}} if json_answer else {}
        result = self.client.chat.completions.create(
            model=self.chat_model, max_completion_tokens=max_tokens,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}], **extra)
        content = result.choices[0].message.content if result.choices else None
        if not content or not content.strip():
            raise VendorError("an empty answer")
        usage = result.usage
        return Answer(content.strip(), usage and usage.prompt_tokens, usage and usage.completion_tokens)
