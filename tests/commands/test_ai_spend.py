"""AI spend: holds against the daily caps are atomic, settle to the real cost, and show in `flask ai usage`."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from sqlalchemy import select

from app.extensions import db
from app.models import AiSpend
from app.models.types import frozen_time
from commands.ai import record_ai_usage, release_ai_spend, reserve_ai_spend
from commands.base import CommandRejected
from tests.conftest import make_member


def spend(app) -> dict[str, tuple[int, int]]:
    with app.app_context():
        return {row.scope: (row.spent_micros, row.reserved_micros) for row in db.session.scalars(select(AiSpend))}


def test_concurrent_calls_cannot_together_pass_a_cap(app, monkeypatch):
    alice = make_member(app, "alice")
    monkeypatch.setitem(app.config, "AI_MEMBER_DAILY_CAP_USD", 0.000350)  # room for three holds of 100
    start = threading.Barrier(8)

    def attempt(_):
        with app.app_context():
            start.wait()
            try:
                return reserve_ai_spend({"member_id": alice, "micros": 100})
            except CommandRejected as exc:
                return exc.status

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(8)))
    granted = [r for r in results if not isinstance(r, int)]
    assert len(granted) == 3 and results.count(429) == 5
    assert spend(app) == {f"member:{alice}": (0, 300), "site": (0, 300)}

    with app.app_context():
        for reservation in granted[:2]:
            record_ai_usage(reservation, {"provider": "openai", "model": "gpt-4.1-mini", "operation": "summarise",
                                          "input_tokens": 50, "output_tokens": 10})  # 20 + 16 micros
        release_ai_spend(granted[2])
    assert spend(app) == {f"member:{alice}": (72, 0), "site": (72, 0)}


def test_the_site_cap_counts_every_member_and_days_start_afresh(app, ctx, monkeypatch):
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    monkeypatch.setitem(app.config, "AI_DAILY_CAP_USD", 0.000150)
    monday = datetime(2026, 11, 23, 23, 59, tzinfo=timezone.utc)
    with frozen_time(monday):
        reserve_ai_spend({"member_id": alice, "micros": 100})
        try:
            reserve_ai_spend({"member_id": bob, "micros": 100})
        except CommandRejected as exc:
            assert exc.status == 429 and exc.message == "The site's AI budget for today is used up."
        else:
            raise AssertionError("bob's call passed the site cap")
    with frozen_time(monday.replace(day=24, hour=0, minute=1)):
        assert reserve_ai_spend({"member_id": bob, "micros": 100}).day.isoformat() == "2026-11-24"


def test_flask_ai_usage_shows_spend_against_the_caps(app, monkeypatch):
    alice = make_member(app, "alice")
    monkeypatch.setitem(app.config, "AI_MEMBER_DAILY_CAP_USD", 0.001)
    day = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)
    with app.app_context(), frozen_time(day):
        for member_id, provider, model, used in ((alice, "openai", "gpt-4.1-mini", (1000, 250)),
                                                 (None, "anthropic", "claude-haiku-4-5", (100, 20))):
            reservation = reserve_ai_spend({"member_id": member_id, "micros": 900})
            record_ai_usage(reservation, {"provider": provider, "model": model, "operation": "judge",
                                          "input_tokens": used[0], "output_tokens": used[1]})
    result = app.test_cli_runner().invoke(args=["ai", "usage", "--day", "2026-11-24"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["AI spend on 2026-11-24 (UTC)", "caps: site $20.0000 a day, each member $0.0010 a day"]
    assert "$0.0010" in lines[3]  # 800 + 200 micros for the whole site
    openai_line = next(line for line in lines if line.strip().startswith("openai"))
    assert "$0.0008" in openai_line and "1 calls, 1,000 in / 250 out tokens" in openai_line
    alice_line = next(line for line in lines if "@alice" in line)
    assert "█" * 24 + "·" * 6 in alice_line and "80.0%" in alice_line
    assert any("(the site itself)" in line and "$0.0002" in line for line in lines)
    empty = app.test_cli_runner().invoke(args=["ai", "usage", "--day", "2026-11-01"])
    assert "No calls reached a vendor that day." in empty.output
