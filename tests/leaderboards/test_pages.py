"""Every board has a page (and, with HX-Request, just its fragment), linked from one row of tabs."""
import pytest

from app.realtime import hub
from tests.conftest import drain
from tests.leaderboards.helpers import like, members, publish

PAGES = {
    "/leaderboard": 'id="leaderboard-global"',
    "/leaderboard/weekly": 'id="leaderboard-weekly"',
    "/leaderboard/monthly": 'id="leaderboard-monthly"',
    "/leaderboard/tier/sprout": 'id="leaderboard-tier-sprout"',
    "/leaderboard/streaks": 'id="leaderboard-streak"',
    "/leaderboard/battles": 'id="leaderboard-battle"',
    "/leaderboard/topics/rag": 'id="leaderboard-topic-rag"',
}


def test_every_board_has_a_page_a_fragment_and_a_live_topic(app, web):
    ada, bob = members(app, "ada", "bob")
    like(app, bob, publish(app, ada, "Retrieval notebook", "rag"))
    drain(app)
    for url, root in PAGES.items():
        page = web.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert root in html and 'aria-label="Leaderboards"' in html, url
        topic = html.split('ws-connect="/ws?topics=')[1].split('"')[0]
        assert hub.lookup(topic) is not None and topic.startswith("leaderboard."), url
        fragment = web.get(url, htmx=True).get_data(as_text=True)
        assert fragment.lstrip().startswith(f"<div {root}"), url
    assert "#rag" in web.get("/leaderboard/topics").get_data(as_text=True)
    assert web.get("/leaderboard/tier").headers["Location"].endswith("/leaderboard/tier/seedling")


@pytest.mark.parametrize("url", ["/leaderboard/tier/diamond", "/leaderboard/weekly/2026-W99",
                                 "/leaderboard/monthly/last", "/leaderboard/@nobody",
                                 "/leaderboard/topics/a-tag-nobody-used"])
def test_unknown_boards_and_periods_are_404(web, url):
    assert web.get(url).status_code == 404


def test_an_unarchived_period_says_so(web):
    page = web.get("/leaderboard/weekly/2020-W10").get_data(as_text=True)
    assert "has not been archived" in page
