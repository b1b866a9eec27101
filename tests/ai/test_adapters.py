"""The vendor adapters through their official SDKs, against stand-ins on 127.0.0.1: answers parsed,
spend recorded from the usage each response reported, and the local provider answering instead
whenever the budget is used up or the vendor fails."""
from __future__ import annotations

import logging
import math

import pytest
from sqlalchemy import select

from app.ai import provider
from app.ai.local import LocalProvider
from app.extensions import db
from app.models import AiSpend, AiUsage
from tests.conftest import make_member

README = ("Tiny RAG is a retrieval augmented generation demo. It indexes your notes with embeddings and "
          "answers questions about them. It runs on a laptop with a small local model.")


def usage_rows():
    return list(db.session.scalars(select(AiUsage).order_by(AiUsage.id)))


def held(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(AiSpend.reserved_micros)))


def test_openai_answers_are_parsed_and_their_usage_priced(app, ctx, use_openai):
    alice = make_member(app, "alice")
    ai = provider()
    assert ai.name == "openai"

    summary = ai.summarise(README, member_id=alice)
    assert summary.startswith("A stand-in summary: Tiny RAG is") and ai.fallback == ""
    verdict = ai.judge("My agent books meetings", "uses function calling", member_id=alice)
    assert (verdict.score, verdict.rationale) == (7.5, "Covers the criteria with a working example.")
    assert ai.embed("vector search", member_id=alice) == [0.6, 0.0, -0.8, 0.0]
    threat = ai.moderate("I will kill you", member_id=alice)
    assert threat.flagged and threat.categories["harassment/threatening"] == 0.93
    assert "harassment/threatening" in threat.reason
    assert not ai.moderate("Lovely project!").flagged

    rows = usage_rows()
    assert [(r.operation, r.model, r.member_id) for r in rows] == [
        ("summarise", "gpt-4.1-mini", alice), ("judge", "gpt-4.1-mini", alice),
        ("embed", "text-embedding-3-small", alice), ("moderate", "omni-moderation-latest", alice),
        ("moderate", "omni-moderation-latest", None)]
    chat, judged, embedded = use_openai.usages
    assert (rows[0].input_tokens, rows[0].output_tokens) == (chat["prompt_tokens"], chat["completion_tokens"])
    assert rows[0].cost_micros == math.ceil(chat["prompt_tokens"] * 0.40 + chat["completion_tokens"] * 1.60)
    assert rows[1].cost_micros == math.ceil(judged["prompt_tokens"] * 0.40 + judged["completion_tokens"] * 1.60)
    assert (rows[2].input_tokens, rows[2].cost_micros) == (embedded["prompt_tokens"],
                                                           math.ceil(embedded["prompt_tokens"] * 0.02))
    assert [r.cost_micros for r in rows[3:]] == [0, 0]  # moderation is free
    assert held(app) == [0, 0]  # every hold settled
    judged_request = [r for r in use_openai.requests if r["path"] == "/v1/chat/completions"][1]
    assert judged_request["body"]["response_format"] == {"type": "json_object"}
    assert judged_request["headers"]["authorization"] == "Bearer sk-test"


def test_anthropic_answers_are_parsed_and_embeddings_stay_local(app, ctx, use_anthropic):
    bob = make_member(app, "bob")
    ai = provider()
    assert ai.summarise(README, member_id=bob).startswith("Claude's summary: Tiny RAG")
    assert ai.judge("My agent books meetings", "uses function calling", member_id=bob) == \
        type(ai.judge("x", "y"))(8.0, "Clear and complete.")  # fenced JSON is read too
    threat = ai.moderate("I'm going to hurt you", member_id=bob)
    assert threat.flagged and threat.reason == "a threat against a person" and threat.categories == {"threat": 0.96}

    requests_before = len(use_anthropic.requests)
    assert ai.embed("vector search", member_id=bob) == LocalProvider().embed("vector search")
    assert "no embeddings endpoint" in ai.fallback
    assert len(use_anthropic.requests) == requests_before

    rows = usage_rows()
    assert [r.operation for r in rows] == ["summarise", "judge", "judge", "moderate"]
    for row, reported in zip(rows, use_anthropic.usages):
        assert (row.provider, row.model) == ("anthropic", "claude-haiku-4-5")
        assert (row.input_tokens, row.output_tokens) == (reported["input_tokens"], reported["output_tokens"])
        assert row.cost_micros == math.ceil(reported["input_tokens"] * 1.0 + reported["output_tokens"] * 5.0)
    first = use_anthropic.requests[0]
    assert first["headers"]["authorization"] == "Bearer sk-ant-test" and first["body"]["max_tokens"] == 300


def test_a_reached_member_cap_keeps_calls_local_and_says_so(app, ctx, use_openai, monkeypatch, caplog):
    alice = make_member(app, "alice")
    ai = provider()
    ai.summarise(README, member_id=alice)
    spent = usage_rows()[0].cost_micros
    monkeypatch.setitem(app.config, "AI_MEMBER_DAILY_CAP_USD", spent / 1_000_000)
    calls = len(use_openai.requests)

    with caplog.at_level(logging.WARNING, logger="app.ai.metered"):
        summary = ai.summarise(README, member_id=alice)
        moderation = ai.moderate("I will kill you", member_id=alice)
    assert summary == LocalProvider().summarise(README)
    assert moderation.flagged and moderation.reason == "reads as a threat"  # moderation never stops
    assert ai.fallback == "Your AI budget for today is used up."
    assert len(use_openai.requests) == calls  # nothing went to the vendor
    assert "answered by the local provider: Your AI budget for today is used up." in caplog.text
    assert len(usage_rows()) == 1

    provider().moderate("Lovely project!")  # the site's own work is under the site's cap only
    assert len(use_openai.requests) == calls + 1


def test_a_reached_site_cap_stops_system_work_too(app, ctx, use_anthropic, monkeypatch):
    monkeypatch.setitem(app.config, "AI_DAILY_CAP_USD", 0.0)
    ai = provider()
    assert ai.moderate("I will kill you").flagged
    assert ai.fallback == "The site's AI budget for today is used up."
    assert use_anthropic.requests == [] and usage_rows() == []


@pytest.mark.parametrize("failure", ["500", "timeout", "malformed", "429"])
def test_vendor_failures_fall_back_to_local_and_release_the_hold(app, ctx, use_openai, failure, caplog):
    alice = make_member(app, "alice")
    use_openai.fail_next(failure)
    ai = provider()
    with caplog.at_level(logging.WARNING, logger="app.ai.metered"):
        summary = ai.summarise(README, member_id=alice)
    assert summary == LocalProvider().summarise(README)
    assert ai.fallback == "The AI service did not answer."
    assert "answered by the local provider: The AI service did not answer. (openai failed: " in caplog.text
    assert usage_rows() == [] and held(app) == [0, 0]
    assert provider().summarise(README, member_id=alice).startswith("A stand-in summary")  # the next call goes out


def test_an_unreadable_answer_is_paid_for_and_answered_locally(app, ctx, use_openai):
    ai = provider()
    assert ai.judge("gibberish", "uses agents") == LocalProvider().judge("gibberish", "uses agents")
    assert ai.fallback == "The AI service's answer could not be read."
    [row] = usage_rows()
    assert (row.operation, row.input_tokens, row.output_tokens) == (
        "judge", use_openai.usages[0]["prompt_tokens"], use_openai.usages[0]["completion_tokens"])
    assert held(app) == [0]


def test_an_anthropic_outage_falls_back_for_every_operation(app, ctx, use_anthropic):
    use_anthropic.fail_next("500", "529", "malformed")
    ai = provider()
    assert ai.moderate("I will kill you").flagged and ai.fallback == "The AI service did not answer."
    assert ai.judge("a chatbot", "chatbot") == LocalProvider().judge("a chatbot", "chatbot")
    assert ai.summarise(README) == LocalProvider().summarise(README)
    assert usage_rows() == [] and held(app) == [0]


def test_an_unknown_provider_or_unpriced_model_is_refused(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "AI_PROVIDER", "openai")
    monkeypatch.setitem(app.config, "OPENAI_CHAT_MODEL", "gpt-unpriced")
    with pytest.raises(RuntimeError, match="No price"):
        provider()
    monkeypatch.setitem(app.config, "AI_PROVIDER", "mystery")
    with pytest.raises(RuntimeError, match="not one of"):
        provider()
