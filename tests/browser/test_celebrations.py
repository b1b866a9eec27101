"""A tier-up is celebrated live: the member's open page shows it, with confetti, no reload."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import LIVE_TIMEOUT_MS, settle, wait_until_live  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


def test_tier_up_celebration_appears_live(open_page, live):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Event, User
    from commands.gamification import award_points
    from commands.projects import publish_project
    from commands.social import like_project

    climber, fan = make_member(live.app, "climber"), make_member(live.app, "fan")
    with live.app.app_context():
        project_id = publish_project(db.session.get(User, climber), {"title": "Almost there"}).id
    settle(live)  # let the policies award what publishing earns (achievements, onboarding)
    with live.app.app_context():
        # Bring the climber to just under Sprout (1,000), through the ledger like any award.
        points = db.session.get(User, climber).points
        cause = db.session.scalar(select(Event).order_by(Event.id.desc()))
        award_points(climber, "achievement", cause, "Test head start", amount=992 - points, key="test:head-start")
        db.session.commit()
    settle(live)
    with live.app.app_context():
        assert db.session.get(User, climber).points < 1000

    page = open_page("climber")
    page.goto(f"{live.url}/dashboard")
    wait_until_live(page)
    page.evaluate("window.__marker = 1")
    page.evaluate("window.__confetti = 0; const c = window.confetti; "
                  "window.confetti = (o) => { window.__confetti += 1; return c ? c(o) : null; }")
    expect(page.locator("#points-chip .tier-badge")).to_have_text("Seedling")

    with live.app.app_context():
        like_project(db.session.get(User, fan), {"project_id": project_id})  # +10: over 1,000

    celebration = page.locator(".celebration-TierReached")
    expect(celebration).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(celebration).to_contain_text("You reached Sprout!")
    expect(page.locator("#points-chip .tier-badge")).to_have_text("Sprout", timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.__confetti") >= 1
    assert page.evaluate("window.__marker") == 1  # no reload
