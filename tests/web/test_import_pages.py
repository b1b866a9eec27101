"""The import form: paste a GitHub address, land on the draft's editor; clear messages otherwise."""
from __future__ import annotations

from tests.conftest import WebClient, drain, make_member

URL = "https://github.com/octo/tiny-rag"


def test_importing_opens_the_draft_and_keeps_its_readme_inert(app, github_api):
    make_member(app, "ada")
    make_member(app, "bob")
    ada = WebClient(app).login("ada")
    form = ada.get("/projects/import").get_data(as_text=True)
    assert 'name="url"' in form and "Import as a draft" in form

    response = ada.post("/projects/import", {"url": URL})
    assert response.status_code == 204, response.get_data(as_text=True)
    page_url = response.headers["HX-Redirect"]
    assert page_url == "/@ada/tiny-rag"
    drain(app)

    page = ada.get(page_url).get_data(as_text=True)
    assert "Draft" in page and "Tiny RAG answers questions about your notes." in page
    assert 'src="https://raw.githubusercontent.com/octo/tiny-rag/HEAD/docs/architecture.png"' in page
    assert "graph TD" in page and "tiny_rag" in page
    assert 'alert("pwned")' not in page.replace("&lt;script&gt;", "")  # shown as text at most, never a tag
    assert "<script>alert" not in page

    bob = WebClient(app).login("bob")
    assert bob.get(page_url).status_code == 404
    assert WebClient(app).get(page_url).status_code == 404
    assert "tiny-rag" not in WebClient(app).get("/").get_data(as_text=True)


def test_the_form_says_what_is_wrong(app, github_api):
    make_member(app, "ada")
    ada = WebClient(app).login("ada")
    bad = ada.post("/projects/import", {"url": "https://gitlab.com/octo/tiny-rag"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="url-error"' in html and "not gitlab.com" in html
    assert 'value="https://gitlab.com/octo/tiny-rag"' in html  # what was typed stays

    missing = ada.post("/projects/import", {"url": "https://github.com/octo/nothing-here"})
    assert missing.status_code == 404
    assert "GitHub has no public repository octo/nothing-here." in missing.get_data(as_text=True)

    github_api.fail_next("403")
    limited = ada.post("/projects/import", {"url": URL}, htmx=False)
    assert limited.status_code == 429 and "GitHub is limiting how often" in limited.get_data(as_text=True)
    assert "<html" in limited.get_data(as_text=True)  # a whole page without htmx


def test_importing_needs_an_account_and_a_csrf_token(app, github_api):
    anonymous = WebClient(app)
    assert anonymous.get("/projects/import").status_code == 302
    make_member(app, "ada")
    ada = WebClient(app).login("ada")
    forged = ada.client.post("/projects/import", data={"url": URL})
    assert forged.status_code == 400 and github_api.requests == []


def test_an_offline_summary_is_announced_on_the_draft(app, github_api, use_openai, monkeypatch):
    make_member(app, "ada")
    ada = WebClient(app).login("ada")
    monkeypatch.setitem(app.config, "AI_DAILY_CAP_USD", 0.0)
    response = ada.post("/projects/import", {"url": URL})
    page = ada.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "The summary was written by the offline assistant: The site&#39;s AI budget for today is used up." in page
    assert "offline assistant" not in ada.get(response.headers["HX-Redirect"]).get_data(as_text=True)  # said once
