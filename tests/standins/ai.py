"""Stand-ins for OpenAI's and Anthropic's APIs: the shapes their official SDKs read, usage included."""
from __future__ import annotations

import json

from tests.standins import StandIn

THREAT_WORDS = ("kill", "hurt")


def tokens(text: str) -> int:
    """The stand-ins' token count: one per four characters, as a tokenizer roughly does."""
    return max(1, len(text) // 4)


def openai_stand_in() -> StandIn:
    usages: list[dict] = []

    def moderations(match, body):
        text = body["input"] if isinstance(body["input"], str) else " ".join(body["input"])
        threat = any(w in text.lower() for w in THREAT_WORDS)
        names = ("harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
                 "self-harm", "self-harm/instructions", "self-harm/intent", "sexual", "sexual/minors", "violence",
                 "violence/graphic")
        scores = {n: (0.93 if threat and n in ("harassment/threatening", "violence") else 0.01) for n in names}
        return 200, {"id": "modr-standin", "model": "omni-moderation-2024-09-26", "results": [{
            "flagged": threat, "categories": {n: scores[n] > 0.5 for n in names}, "category_scores": scores,
            "category_applied_input_types": {n: ["text"] for n in names}}]}

    def chat(match, body):
        prompt = " ".join(m["content"] for m in body["messages"])
        if "gibberish" in prompt:  # a model that ignores the JSON instruction
            answer = "I would say about seven out of ten."
        elif body.get("response_format", {}).get("type") == "json_object":
            answer = json.dumps({"score": 7.5, "rationale": "Covers the criteria with a working example."})
        else:
            answer = "A stand-in summary: " + " ".join(body["messages"][-1]["content"].split()[:12])
        usage = {"prompt_tokens": tokens(prompt), "completion_tokens": tokens(answer)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        usages.append(usage)
        return 200, {"id": "chatcmpl-standin", "object": "chat.completion", "created": 1764000000,
                     "model": body["model"], "system_fingerprint": "fp_standin",
                     "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                                  "message": {"role": "assistant", "content": answer, "refusal": None}}],
                     "usage": usage}

    def embeddings(match, body):
        usage = {"prompt_tokens": tokens(body["input"]), "total_tokens": tokens(body["input"])}
        usages.append(usage)
        return 200, {"object": "list", "model": body["model"], "usage": usage,
                     "data": [{"object": "embedding", "index": 0, "embedding": [0.6, 0.0, -0.8, 0.0]}]}

    stand_in = StandIn({("POST", "/v1/moderations"): moderations, ("POST", "/v1/chat/completions"): chat,
                        ("POST", "/v1/embeddings"): embeddings})
    stand_in.usages = usages
    return stand_in


def anthropic_stand_in() -> StandIn:
    usages: list[dict] = []

    def messages(match, body):
        system, text = body.get("system", ""), body["messages"][-1]["content"]
        if "moderate" in system:
            threat = any(w in text.lower() for w in THREAT_WORDS)
            answer = json.dumps({"flagged": threat, "categories": {"threat": 0.96 if threat else 0.02},
                                 "reason": "a threat against a person" if threat else ""})
        elif "judge" in system:  # Claude often fences its JSON: the adapter must cope
            answer = 'Here is my verdict:\n```json\n{"score": 8, "rationale": "Clear and complete."}\n```'
        else:
            answer = "Claude's summary: " + " ".join(text.split()[:12])
        usage = {"input_tokens": tokens(system + text), "output_tokens": tokens(answer)}
        usages.append(usage)
        return 200, {"id": "msg_standin", "type": "message", "role": "assistant", "model": body["model"],
                     "content": [{"type": "text", "text": answer}], "stop_reason": "end_turn",
                     "stop_sequence": None, "usage": usage}

    stand_in = StandIn({("POST", "/v1/messages"): messages})
    stand_in.usages = usages
    return stand_in
