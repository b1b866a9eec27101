"""The moderation console and CLI: who may use them, the queue oldest first, decisions audited."""
import re

from tests.comments.helpers import CLEAN, INSULT, PROFANE, cases, comment, publish, status_of
from tests.conftest import WebClient, drain, make_member


def test_the_console_is_for_moderators_only(app):
    make_member(app, "bob")
    make_member(app, "mod", role="moderator")
    make_member(app, "ops", role="admin")
    anonymous = WebClient(app).get("/moderation")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert WebClient(app).login("bob").get("/moderation").status_code == 403
    assert WebClient(app).login("bob").post("/moderation/cases/1", {"decision": "approve"}).status_code == 403
    for name in ("mod", "ops"):
        assert WebClient(app).login(name).get("/moderation").status_code == 200


def test_moderators_see_open_cases_oldest_first_and_decide_them(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    make_member(app, "mod", role="moderator")
    project = publish(app, author)
    first, second = comment(app, bob, project, INSULT), comment(app, bob, project, PROFANE)
    comment(app, bob, project, CLEAN)
    drain(app)
    mod = WebClient(app).login("mod")
    page = mod.get("/moderation").get_data(as_text=True)
    assert page.index(INSULT) < page.index(PROFANE) and CLEAN not in page
    assert "AI: insults a person" in page and "profanity filter" in page and "harassment" in page
    assert f'href="/@author/speech-to-checklist#comment-{first}"' in page and "@bob" in page
    assert re.search(r'data-status="open"><dt>Open</dt><dd>2</dd>', page)
    assert "/ws?topics=moderation.queue" in page

    first_case, second_case = cases(app)
    approved = mod.post(f"/moderation/cases/{first_case.id}", {"decision": "approve", "note": "Fair"})
    html = approved.get_data(as_text=True)
    assert approved.status_code == 200 and f"Case {first_case.id} approved" in html and "Fair" in html
    assert re.search(r'data-status="open"><dt>Open</dt><dd>1</dd>', html)
    again = mod.post(f"/moderation/cases/{first_case.id}", {"decision": "reject"})
    assert again.status_code == 409 and "already closed (approved)" in again.get_data(as_text=True)
    missing = mod.post(f"/moderation/cases/{second_case.id}", {"decision": "maybe"})
    assert missing.status_code == 422 and "Choose approve or reject." in missing.get_data(as_text=True)
    mod.post(f"/moderation/cases/{second_case.id}", {"decision": "reject"})
    drain(app)
    assert (status_of(app, first), status_of(app, second)) == ("approved", "rejected")
    assert "Nothing waits for a decision." in mod.get("/moderation").get_data(as_text=True)


def test_operators_list_and_decide_cases_from_the_cli(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    comment_id = comment(app, bob, publish(app, author), INSULT)
    drain(app)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["moderation", "queue"])
    [case] = cases(app)
    assert listed.exit_code == 0 and f"#{case.id}" in listed.output and INSULT in listed.output
    assert "open: 1" in listed.output and "insults a person" in listed.output
    decided = runner.invoke(args=["moderation", "decide", str(case.id), "reject", "--note", "Abusive"])
    assert decided.exit_code == 0 and f"Case {case.id} rejected." in decided.output
    [case] = cases(app)
    assert (case.status, case.via, case.decided_by, case.note) == ("rejected", "cli", None, "Abusive")
    assert status_of(app, comment_id) == "rejected"
    twice = runner.invoke(args=["moderation", "decide", str(case.id), "approve"])
    assert twice.exit_code != 0 and "already closed" in twice.output
