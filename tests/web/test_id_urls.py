"""Paths with an id, built once and formatted (app.web.id_url), are exactly what url_for builds."""
from flask import url_for

from app.web import id_url


def test_id_paths_match_url_for_under_any_script_root(app):
    for root in ("", "/community"):
        with app.test_request_context("/feed", base_url=f"http://localhost{root}/"):
            for endpoint, name in (("projects.like", "project_id"), ("feeds.repost", "activity_id")):
                for value in (1, 42, 9_876_543_210):
                    assert id_url(endpoint, name, value) == url_for(endpoint, **{name: value})
            assert id_url("projects.like", "project_id", 7).startswith(f"{root}/projects/7")
