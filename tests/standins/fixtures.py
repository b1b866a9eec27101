"""Fixtures serving the stand-ins, and pointing the app's clients at them for one test."""
from __future__ import annotations

import pytest

from tests.standins.ai import anthropic_stand_in, openai_stand_in
from tests.standins.github import github_stand_in, repository


@pytest.fixture(scope="session")
def openai_api():
    stand_in = openai_stand_in()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="session")
def anthropic_api():
    stand_in = anthropic_stand_in()
    yield stand_in
    stand_in.stop()


# Tests never wait on retries; a stalled vendor is given up on after a second.
VENDOR_TEST_CONFIG = {"AI_MAX_RETRIES": 0, "AI_TIMEOUT": 1.0}


def configure(app, monkeypatch, values: dict) -> None:
    for key, value in {**VENDOR_TEST_CONFIG, **values}.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def use_openai(app, openai_api, monkeypatch):
    """AI_PROVIDER=openai, the SDK pointed at the stand-in."""
    openai_api.reset()
    openai_api.usages.clear()
    configure(app, monkeypatch, {"AI_PROVIDER": "openai", "OPENAI_API_KEY": "sk-test",
                                 "OPENAI_BASE_URL": f"{openai_api.url}/v1"})
    return openai_api


@pytest.fixture
def use_anthropic(app, anthropic_api, monkeypatch):
    """AI_PROVIDER=anthropic, the SDK pointed at the stand-in."""
    anthropic_api.reset()
    anthropic_api.usages.clear()
    configure(app, monkeypatch, {"AI_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "sk-ant-test",
                                 "ANTHROPIC_BASE_URL": anthropic_api.url})
    return anthropic_api


@pytest.fixture(scope="session")
def github_server():
    stand_in = github_stand_in()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def github_api(app, github_server, monkeypatch):
    """GITHUB_API_URL pointed at the stand-in, which holds one public repository: octo/tiny-rag."""
    github_server.reset()
    github_server.repos.clear()
    github_server.repos["octo/tiny-rag"] = repository("octo", "tiny-rag")
    monkeypatch.setitem(app.config, "GITHUB_API_URL", github_server.url)
    return github_server
